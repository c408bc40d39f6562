package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/stretchr/testify/require"
)

// The reminders lists send each due item with its legal basis but without
// the steps that explain its date and the period rules applied (they are on
// the case endpoint); everything else is as planning encodes it.
func TestReminders_ListWithoutSteps(t *testing.T) {
	e := start(t, backends(t)[0])
	ctx := t.Context()
	d := e.app.desk
	chief := &desk.Principal{Role: desk.RoleChief, UserID: "chief"}
	a, err := d.Agenda(ctx, &desk.Principal{Role: desk.RoleJudge, UserID: "judge-zhang"}, "judge-zhang")
	require.NoError(t, err)
	cv, _, err := d.ChiefAgenda(ctx, chief)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		c    *client
		full any
	}{
		{"judge", e.login("judge-zhang"), a},
		{"chief", e.login("chief"), cv},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, raw := tc.c.raw("GET", "/api/v1/reminders", nil)
			require.Equal(t, http.StatusOK, st)
			var got any
			require.NoError(t, json.Unmarshal(raw, &got))
			var want any
			require.NoError(t, json.Unmarshal([]byte(jsonOf(t, tc.full)), &want))
			dropped := 0
			walkDueItems(want, func(m map[string]any) {
				require.NotEmpty(t, m["Steps"], "the full agenda explains %v", m["ID"])
				delete(m, "Steps")
				delete(m, "CalcBasis")
				dropped++
			})
			require.NotZero(t, dropped)
			walkDueItems(got, func(m map[string]any) {
				require.NotContains(t, m, "Steps")
				require.NotContains(t, m, "CalcBasis")
				require.NotEmpty(t, m["Basis"], "the list keeps the legal basis of %v", m["ID"])
			})
			require.Equal(t, want, got)
		})
	}
}

// walkDueItems calls fn with every "DueItem" object in v.
func walkDueItems(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, y := range x {
			if m, ok := y.(map[string]any); ok && k == "DueItem" {
				fn(m)
				continue
			}
			walkDueItems(y, fn)
		}
	case []any:
		for _, y := range x {
			walkDueItems(y, fn)
		}
	}
}
