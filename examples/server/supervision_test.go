package main

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/api"
)

// The chief's report lists the most urgent flagged items up to -due-listed
// and counts them all: the listed ones are the head of the full list, and
// the page says how many there are.
func TestSupervision_DueListed(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		dsn := b.dsn(t)
		shared := backend{b.name, func(*testing.T) string { return dsn }}
		all := startWith(t, shared, func(c *config) { c.DueListed = 0 })
		few := startWith(t, shared, func(c *config) { c.DueListed = 3 })

		var full, cut api.Report
		require.Equal(t, http.StatusOK, all.login("chief").do("GET", "/api/v1/supervision", nil, &full))
		require.Equal(t, http.StatusOK, few.login("chief").do("GET", "/api/v1/supervision", nil, &cut))
		require.Greater(t, dueTotal(full), 3, "the demo court has more than three flagged items")
		require.Len(t, full.Due, dueTotal(full))
		require.Equal(t, full.Due[:3], cut.Due)
		require.Equal(t, full.Counts, cut.Counts)
		require.Equal(t, full.Judges, cut.Judges)

		st, _, page := few.signIn("chief").get("/chief")
		require.Equal(t, http.StatusOK, st)
		require.Contains(t, page, fmt.Sprintf("共 %d 项，此处列出最紧急的 3 项。", dueTotal(full)))
		st, _, page = all.signIn("chief").get("/chief")
		require.Equal(t, http.StatusOK, st)
		require.NotContains(t, page, "此处列出最紧急的")
	})
}

// dueTotal counts the flagged (approaching, due today, overdue) items of r.
func dueTotal(r api.Report) int { return r.Counts.Approaching + r.Counts.DueToday + r.Counts.Overdue }
