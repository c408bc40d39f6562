package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// TestDashboards_ListAPage: at a court's scale the chief's dashboard, the
// high court's view of a court and the division head's dashboard list the
// 20 most urgent entries of each list, say how many more there are with a
// link to them all (?all=1, which lists them), and keep the headline
// counts whole.
func TestDashboards_ListAPage(t *testing.T) {
	e := start(t, sqliteBackend(t))
	ctx := t.Context()
	d := e.app.desk
	require.NoError(t, e.app.seedBulk(ctx, 1500, 4))
	court := d.DefaultCourt()
	full, err := d.Supervision(ctx, &desk.Principal{Role: desk.RoleChief, UserID: "chief", Court: court})
	require.NoError(t, err)
	const listed = 20
	require.Greater(t, len(full.KeyCases), listed, "the bulk cases have key cases")
	require.Greater(t, len(full.Due), listed, "and flagged items")
	div, err := d.Division(ctx, &desk.Principal{Role: desk.RoleJudge, UserID: "judge-li", Court: court})
	require.NoError(t, err)

	section := func(t *testing.T, page, id string) string {
		t.Helper()
		i := strings.Index(page, `id="`+id+`"`)
		require.GreaterOrEqual(t, i, 0, "section %s", id)
		s := page[i:]
		return s[:strings.Index(s, "</section>")]
	}
	entries := func(s string) int { return strings.Count(s, `<li class="entry`) }
	for _, tc := range []struct {
		who, path string
		key, due  int // entries of the whole lists
		dueTotal  int
		requests  int
	}{
		{"chief", "/chief", len(full.KeyCases), len(full.Due), full.DueTotal(), len(full.Requests)},
		{"high-sup", "/high/courts/" + court, len(full.KeyCases), len(full.Due), full.DueTotal(), len(full.Requests)},
		{"judge-li", "/division", len(div.Report.KeyCases), len(div.Report.Due), div.Report.DueTotal(), len(div.Report.Requests)},
	} {
		t.Run(tc.who, func(t *testing.T) {
			t.Logf("%s: %d key cases, %d flagged listed of %d, %d requests", tc.path, tc.key, tc.due, tc.dueTotal, tc.requests)
			br := e.signIn(tc.who)
			st, _, page := br.get(tc.path)
			require.Equal(t, http.StatusOK, st)
			key := section(t, page, "key-h")
			require.Equal(t, min(tc.key, listed), entries(key))
			if tc.key > listed {
				require.Contains(t, key, fmt.Sprintf("另有 %d 件重点案件未列出", tc.key-listed))
				require.Contains(t, key, `href="?all=1#key-h"`)
			} else {
				require.NotContains(t, key, "未列出")
			}
			due := section(t, page, "due-h")
			require.Equal(t, min(tc.due, listed), entries(due))
			if tc.dueTotal > listed {
				require.Contains(t, due, fmt.Sprintf("共 %d 项，此处列出最紧急的 %d 项", tc.dueTotal, min(tc.due, listed)))
				require.Contains(t, due, `href="?all=1#due-h"`)
			}
			require.Regexp(t, fmt.Sprintf(`未答复诉求 <strong[^>]*>%d</strong>`, tc.requests), page, "the headline counts every request")

			st, _, page = br.get(tc.path + "?all=1")
			require.Equal(t, http.StatusOK, st)
			key = section(t, page, "key-h")
			require.Equal(t, tc.key, entries(key), "?all=1 lists every key case")
			require.NotContains(t, key, "未列出")
			require.Equal(t, tc.due, entries(section(t, page, "due-h")))
		})
	}
}
