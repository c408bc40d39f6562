package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFlow_PartyUpdate: the judge corrects a number that reached the wrong
// person, and a party opts itself out of SMS; a party may change nothing
// else.
func TestFlow_PartyUpdate(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		ctx := t.Context()
		c, err := e.app.store.Get(ctx, "demo-4")
		require.NoError(t, err)
		judge := e.login("judge-zhang")
		party := e.actAs("demo-4", c.Parties[0].ID)
		type partyDoc struct {
			ID          string `json:"id"`
			Mobile      string `json:"mobile"`
			OptOut      bool   `json:"opt_out"`
			WrongNumber bool   `json:"wrong_number"`
		}
		parties := func() map[string]partyDoc {
			var out struct{ Parties []partyDoc }
			require.Equal(t, http.StatusOK, judge.do("GET", "/api/v1/cases/demo-4/parties", nil, &out))
			m := map[string]partyDoc{}
			for _, p := range out.Parties {
				m[p.ID] = p
			}
			return m
		}

		require.Equal(t, http.StatusOK, judge.do("PATCH", "/api/v1/cases/demo-4/parties/r1", map[string]any{"wrong_number": true}, nil))
		require.True(t, parties()["r1"].WrongNumber)
		require.Equal(t, http.StatusOK, judge.do("PATCH", "/api/v1/cases/demo-4/parties/r1", map[string]any{"mobile": "+86 139-1234-5678"}, nil))
		require.Equal(t, partyDoc{ID: "r1", Mobile: "13912345678"}, parties()["r1"], "a new number clears the wrong-number mark")

		require.Equal(t, http.StatusOK, party.do("PATCH", "/api/v1/cases/demo-4/parties/a1", map[string]any{"opt_out": true}, nil))
		require.True(t, parties()["a1"].OptOut)
		for _, body := range []map[string]any{{"mobile": "13800000000"}, {"wrong_number": true}, {"opt_out": true, "mobile": "13800000000"}} {
			require.Equal(t, http.StatusForbidden, party.do("PATCH", "/api/v1/cases/demo-4/parties/a1", body, nil), "%v", body)
		}
		require.Equal(t, http.StatusForbidden, party.do("PATCH", "/api/v1/cases/demo-4/parties/r1", map[string]any{"opt_out": true}, nil), "another party")
		require.False(t, parties()["r1"].OptOut)
	})
}
