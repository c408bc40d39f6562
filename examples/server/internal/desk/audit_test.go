package desk

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// caseDiff keeps only what changed: of lists of records, only the records
// that changed, before and after.
func TestCaseDiff(t *testing.T) {
	t.Parallel()
	before := &enforcement.Case{ID: "c1", Cause: "借款", Version: 3,
		Measures: []enforcement.Measure{{ID: "m1", Result: "冻结"}, {ID: "m2", Result: "查询"}},
		DueItems: []enforcement.DueItem{{ID: "d1", Computed: deadline.NewDate(2026, 12, 1)}, {ID: "d2", Computed: deadline.NewDate(2026, 12, 2)}}}
	after := before.Clone()
	after.Version = 4
	after.Measures[1].Result = "查询完毕"
	after.DueItems = append(after.DueItems, enforcement.DueItem{ID: "d3", Computed: deadline.NewDate(2026, 12, 3)})

	b, a := caseDiff(before, after)
	var gb, ga struct {
		Measures []enforcement.Measure
		DueItems []enforcement.DueItem
		Version  *int64
		Cause    *string
	}
	require.NoError(t, json.Unmarshal(b, &gb))
	require.NoError(t, json.Unmarshal(a, &ga))
	require.Nil(t, ga.Version, "the version is not a change of substance")
	require.Nil(t, ga.Cause, "unchanged fields are left out")
	require.Len(t, gb.Measures, 1)
	require.Equal(t, "查询", gb.Measures[0].Result)
	require.Len(t, ga.Measures, 1)
	require.Equal(t, "查询完毕", ga.Measures[0].Result)
	require.Empty(t, gb.DueItems, "a new due item has nothing before")
	require.Len(t, ga.DueItems, 1)
	require.Equal(t, "d3", ga.DueItems[0].ID)

	t.Run("Creation", func(t *testing.T) {
		b, a := caseDiff(nil, after)
		require.Nil(t, b)
		require.Contains(t, string(a), `"Cause":"借款"`)
	})
}

func TestCSVCell(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", "王建国": "王建国", "=1+1": "'=1+1", "+86": "'+86", "-x": "'-x", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "a=b": "a=b"} {
		require.Equal(t, want, csvCell(in), "%q", in)
	}
}
