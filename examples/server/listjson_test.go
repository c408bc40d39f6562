package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/courtkit/zhixing/planning"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/stretchr/testify/require"
)

// The reminders lists send each due item with its legal basis but without
// the steps that explain its date and the period rules applied (they are on
// the case endpoint; the agenda does not read them, DueFilter.Brief);
// every due item of the agenda is listed.
func TestReminders_ListWithoutSteps(t *testing.T) {
	e := start(t, backends(t)[0])
	ctx := t.Context()
	d := e.app.desk
	chief := &desk.Principal{Role: desk.RoleChief, UserID: "chief"}
	a, err := d.Agenda(ctx, &desk.Principal{Role: desk.RoleJudge, UserID: "judge-zhang"}, "judge-zhang", 0)
	require.NoError(t, err)
	cv, err := d.ChiefAgenda(ctx, chief)
	require.NoError(t, err)
	dueIDs := func(as ...planning.Agenda) []string {
		var out []string
		for _, a := range as {
			for _, es := range [][]planning.Entry{a.Today, a.ThisWeek, a.NextWeek} {
				for _, e := range es {
					if e.DueItem != nil {
						require.Empty(t, e.DueItem.Steps, "the agenda reads %s without its explanation", e.DueItem.ID)
						out = append(out, e.DueItem.ID)
					}
				}
			}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		c    *client
		want []string
	}{
		{"judge", e.login("judge-zhang"), dueIDs(a)},
		{"chief", e.login("chief"), dueIDs(cv.Judges...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.NotEmpty(t, tc.want)
			st, raw := tc.c.raw("GET", "/api/v1/reminders", nil)
			require.Equal(t, http.StatusOK, st)
			var got any
			require.NoError(t, json.Unmarshal(raw, &got))
			var ids []string
			walkDueItems(got, func(m map[string]any) {
				require.NotContains(t, m, "steps")
				require.NotContains(t, m, "calc_basis")
				require.NotEmpty(t, m["basis"], "the list keeps the legal basis of %v", m["id"])
				ids = append(ids, m["id"].(string))
			})
			require.Equal(t, tc.want, ids)
		})
	}
}

// walkDueItems calls fn with every "due_item" object in v, in order.
func walkDueItems(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		// Entries list today, this week and next week in that order.
		order := map[string]int{"today": 0, "this_week": 1, "next_week": 2}
		slices.SortFunc(keys, func(a, b string) int {
			oa, okA := order[a]
			ob, okB := order[b]
			if okA && okB {
				return oa - ob
			}
			return strings.Compare(a, b)
		})
		for _, k := range keys {
			y := x[k]
			if m, ok := y.(map[string]any); ok && k == "due_item" {
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
