package desk_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// PageOf cuts each list to its first entries and counts the rest, adding
// to what the report itself left out of its flagged and unclassified
// items; the counts stay whole.
func TestPageOf(t *testing.T) {
	rep := enforcement.Report{Counts: enforcement.LevelCounts{Overdue: 70, Approaching: 30}, UnclassifiedTotal: 50}
	for i := range 40 {
		rep.Due = append(rep.Due, enforcement.DueFlag{CaseID: fmt.Sprint("d", i)})
	}
	for i := range 30 {
		rep.KeyCases = append(rep.KeyCases, enforcement.KeyCase{CaseID: fmt.Sprint("k", i)})
		rep.Unclassified = append(rep.Unclassified, enforcement.Unclassified{CaseID: fmt.Sprint("u", i)})
	}
	for i := range 25 {
		rep.Requests = append(rep.Requests, enforcement.RequestFlag{CaseID: fmt.Sprint("r", i)})
	}
	rep.Orders = []enforcement.OrderFlag{{CaseID: "o1"}, {CaseID: "o2"}}

	got, more := desk.PageOf(rep, 20)
	require.Equal(t, desk.ReportMore{Due: 80, Unclassified: 30, KeyCases: 10, Requests: 5}, more)
	require.Equal(t, rep.Due[:20], got.Due)
	require.Equal(t, rep.KeyCases[:20], got.KeyCases)
	require.Equal(t, rep.Unclassified[:20], got.Unclassified)
	require.Equal(t, rep.Requests[:20], got.Requests)
	require.Equal(t, rep.Orders, got.Orders)
	require.Equal(t, rep.Counts, got.Counts)
	require.Equal(t, rep.UnclassifiedTotal, got.UnclassifiedTotal)
	require.Len(t, rep.KeyCases, 30, "the report paged is left whole")

	whole, more := desk.PageOf(rep, 0)
	require.Equal(t, rep, whole)
	require.Equal(t, desk.ReportMore{Due: 60, Unclassified: 20}, more)
}
