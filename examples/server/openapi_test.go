package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
	"github.com/stretchr/testify/require"
)

// The OpenAPI document is served, is JSON, and documents every route.
func TestOpenAPI_DocumentsEveryRoute(t *testing.T) {
	e := start(t, backends(t)[0])
	var doc struct {
		OpenAPI string
		Paths   map[string]map[string]any
	}
	require.Equal(t, http.StatusOK, e.anon().do("GET", "/api/v1/openapi.json", nil, &doc))
	require.True(t, strings.HasPrefix(doc.OpenAPI, "3."))
	for _, pattern := range api.Patterns() {
		method, path, _ := strings.Cut(pattern, " ")
		ops, ok := doc.Paths[path]
		require.True(t, ok, "path %s is not documented", path)
		require.Contains(t, ops, strings.ToLower(method), "%s is not documented", pattern)
	}
	var raw map[string]any
	require.NoError(t, json.Unmarshal(openAPI, &raw))
}

// Unknown routes are 404 with the error body, not the mux's text.
func TestUnknownRoute(t *testing.T) {
	e := start(t, backends(t)[0])
	var eb respond.ErrorBody
	require.Equal(t, http.StatusNotFound, e.anon().do("GET", "/api/v1/nothing", nil, &eb))
	require.Equal(t, "not_found", eb.Error.Code)
}
