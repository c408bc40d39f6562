package main

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

// The chief's report is kept for a while, but a change made through the
// desk shows at once; a change made elsewhere (another instance) shows once
// the cache expires.
func TestViewCache_SupervisionReport(t *testing.T) {
	e := start(t, backends(t)[0])
	chief, judge := e.login("chief"), e.login("judge-li")
	requests := func() int {
		var rep struct{ Requests []any }
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/supervision", nil, &rep))
		return len(rep.Requests)
	}
	n := requests()
	require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/cases/demo-2/requests", map[string]any{"party_id": "a1", "channel": "phone", "text": "询问进展"}, nil))
	require.Equal(t, n+1, requests(), "a change through the desk shows at once")

	_, _, err := e.app.store.Update(t.Context(), "demo-1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		return c.ReceiveRequest(enforcement.Request{ID: "elsewhere", PartyID: "a1", Channel: "visit", Text: "来访"}, e.app.desk.env(), e.clock.Now())
	})
	require.NoError(t, err)
	require.Equal(t, n+1, requests(), "a change made elsewhere waits for the cache to expire")
	e.clock.Add(31 * time.Second)
	require.Equal(t, n+2, requests())
}
