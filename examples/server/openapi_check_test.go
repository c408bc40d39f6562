package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"
)

// contract is the OpenAPI document loaded once for every test, with a
// router over its paths.
var contract = sync.OnceValues(func() (routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPI)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	doc.Servers = nil // match paths whatever the test server's address
	// The judge's feed is iCalendar text, checked as a string.
	openapi3filter.RegisterBodyDecoder("text/calendar", func(r io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
		b, err := io.ReadAll(r)
		return string(b), err
	})
	// The chief's exports: a workbook is a file, checked as bytes.
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
	return legacy.NewRouter(doc)
})

// checkExchange validates one API exchange against the OpenAPI document:
// the response always; the request whenever the server accepted it, since
// a request the document forbids must be refused. Paths outside the API
// and undocumented routes (which must answer 404 or 405) are not checked
// further.
func checkExchange(t *testing.T, req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) {
	t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/") && req.URL.Path != "/healthz" {
		return
	}
	router, err := contract()
	require.NoError(t, err, "openapi.json loads and is valid")
	// The router matches on a copy without the test server's host.
	probe := req.Clone(context.Background())
	probe.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := router.FindRoute(probe)
	if err != nil {
		require.Contains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, resp.StatusCode,
			"%s %s is not documented but answered %d", req.Method, req.URL.Path, resp.StatusCode)
		return
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route, Options: opts}
	if resp.StatusCode < 400 {
		require.NoError(t, openapi3filter.ValidateRequest(context.Background(), in),
			"%s %s: the server accepted a request the OpenAPI document forbids: %s", req.Method, req.URL.Path, reqBody)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(respBody)), Options: opts}
	require.NoError(t, openapi3filter.ValidateResponse(context.Background(), out),
		"%s %s: the %d answer does not match the OpenAPI document: %s", req.Method, req.URL.Path, resp.StatusCode, clip(respBody))
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}
