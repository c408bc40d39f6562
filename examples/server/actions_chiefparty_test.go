package main

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/api"
)

// Every page action of the chief's supervision and exports and of the
// party's page has its JSON API route, served by the same desk method
// (named here for the reader).
func TestPagesAndAPI_ChiefAndPartyActions(t *testing.T) {
	actions := []struct{ page, api, desk string }{
		{"POST /chief/supervise", "POST /api/v1/cases/{id}/supervision", "Desk.IssueSupervision"},
		{"POST /cases/{id}/supervision/{oid}/answer", "POST /api/v1/cases/{id}/supervision/{oid}/answer", "Desk.AnswerSupervision"},
		{"GET /chief/supervise", "GET /api/v1/supervision/orders", "Desk.SupervisionOrders"},
		{"GET /chief/exports/{kind}", "GET /api/v1/exports/{kind}", "Desk.Export"},
		{"POST /my-case/requests", "POST /api/v1/cases/{id}/requests", "Desk.ReceiveRequest"},
		{"POST /my-case/sms", "PATCH /api/v1/cases/{id}/parties/{pid}", "Desk.UpdateParty"},
		{"POST /cases/{id}/solicitations/{sid}/opinion", "POST /api/v1/cases/{id}/solicitations/{sid}/opinion", "Desk.RecordOpinion"},
	}
	patterns := api.Patterns()
	e := start(t, sqliteBackend(t))
	for _, a := range actions {
		require.True(t, slices.Contains(patterns, a.api), "%s has no API route %s", a.page, a.api)
		// The page route exists: signed out, it sends to the sign-in
		// page (or refuses the post without a session) instead of 404/405.
		method, path, _ := strings.Cut(a.page, " ")
		req, err := http.NewRequestWithContext(t.Context(), method, e.srv.URL+fill(path), nil)
		require.NoError(t, err)
		cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := cl.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.NotContains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, resp.StatusCode, a.page)
	}
}

// fill puts sample values into a route pattern's wildcards.
func fill(p string) string {
	out := []byte{}
	for i := 0; i < len(p); i++ {
		if p[i] == '{' {
			for i < len(p) && p[i] != '}' {
				i++
			}
			out = append(out, url.PathEscape("x1")...)
			continue
		}
		out = append(out, p[i])
	}
	return string(out)
}
