package storetest

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

// RunAudit runs the conformance suite of an [enforcement.AuditLog]. open
// must return a new, empty log for each call.
func RunAudit(t *testing.T, open func(t *testing.T) enforcement.AuditLog) {
	t.Run("AppendList", func(t *testing.T) { testAuditAppendList(t, open(t)) })
	t.Run("Filter", func(t *testing.T) { testAuditFilter(t, open(t)) })
	t.Run("InvalidAppendsNothing", func(t *testing.T) { testAuditInvalid(t, open(t)) })
	t.Run("NoSharedMemory", func(t *testing.T) { testAuditNoShared(t, open(t)) })
	t.Run("ConcurrentAppends", func(t *testing.T) { testAuditConcurrent(t, open(t)) })
}

func auditEntry(i int, user, caseID, action string) enforcement.AuditEntry {
	return enforcement.AuditEntry{
		At: base.Add(time.Duration(i) * time.Hour), Court: "沪01", UserID: user, UserName: "王法官", Role: "judge",
		Addr: "10.0.0.7", Action: action, CaseID: caseID, Target: "notice/filing",
		Before: json.RawMessage(`{"date":"2025-03-10"}`), After: json.RawMessage(`{"date":"2025-04-10"}`), Detail: "说明",
	}
}

func testAuditAppendList(t *testing.T, log enforcement.AuditLog) {
	ctx := t.Context()
	first := auditEntry(0, "j1", "c1", "due.override")
	require.NoError(t, log.Append(ctx, first))
	require.NoError(t, log.Append(ctx, auditEntry(1, "j2", "c2", "measure.record"), auditEntry(2, "", "", "sign_in_failed")))
	got, err := log.List(ctx, enforcement.AuditFilter{Court: "沪01"})
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Equal(t, []string{"sign_in_failed", "measure.record", "due.override"}, []string{got[0].Action, got[1].Action, got[2].Action}, "newest first")
	require.Greater(t, got[0].Seq, got[1].Seq)
	require.Greater(t, got[1].Seq, got[2].Seq)
	last := got[2]
	require.True(t, first.At.Equal(last.At), "at %s, want %s", last.At, first.At)
	last.At, first.Seq = first.At, last.Seq
	require.JSONEq(t, string(first.Before), string(last.Before))
	require.JSONEq(t, string(first.After), string(last.After))
	last.Before, last.After, first.Before, first.After = nil, nil, nil, nil
	require.Equal(t, first, last, "every field round-trips")

	none, err := log.List(ctx, enforcement.AuditFilter{Court: "京01"})
	require.NoError(t, err)
	require.Empty(t, none, "another court's log is empty")
}

func testAuditFilter(t *testing.T, log enforcement.AuditLog) {
	ctx := t.Context()
	var all []enforcement.AuditEntry
	for i := range 12 {
		user, caseID, action := "j1", "c1", "due.override"
		if i%2 == 1 {
			user = "j2"
		}
		if i%3 == 1 {
			caseID = "c2"
		}
		if i%4 == 3 {
			action = "sign_in"
		}
		all = append(all, auditEntry(i, user, caseID, action))
	}
	require.NoError(t, log.Append(ctx, all...))
	seqs := func(es []enforcement.AuditEntry) []int {
		var out []int
		for _, e := range es {
			out = append(out, int(e.At.Sub(base)/time.Hour))
		}
		return out
	}
	tests := []struct {
		name string
		f    enforcement.AuditFilter
		want []int
	}{
		{"User", enforcement.AuditFilter{UserID: "j2"}, []int{11, 9, 7, 5, 3, 1}},
		{"Case", enforcement.AuditFilter{CaseID: "c2"}, []int{10, 7, 4, 1}},
		{"Action", enforcement.AuditFilter{Action: "sign_in"}, []int{11, 7, 3}},
		{"UserAndCase", enforcement.AuditFilter{UserID: "j2", CaseID: "c2"}, []int{7, 1}},
		{"DateRangeHalfOpen", enforcement.AuditFilter{From: base.Add(3 * time.Hour), To: base.Add(6 * time.Hour)}, []int{5, 4, 3}},
		{"FromOnly", enforcement.AuditFilter{From: base.Add(10 * time.Hour)}, []int{11, 10}},
		{"Page1", enforcement.AuditFilter{Limit: 5}, []int{11, 10, 9, 8, 7}},
		{"Page3", enforcement.AuditFilter{Offset: 10, Limit: 5}, []int{1, 0}},
		{"OffsetOnly", enforcement.AuditFilter{Offset: 9}, []int{2, 1, 0}},
		{"FilteredPage", enforcement.AuditFilter{UserID: "j1", Offset: 2, Limit: 2}, []int{6, 4}},
		{"NoMatch", enforcement.AuditFilter{UserID: "nobody"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.f.Court = "沪01"
			got, err := log.List(ctx, tt.f)
			require.NoError(t, err)
			require.Equal(t, tt.want, seqs(got))
		})
	}
}

func testAuditInvalid(t *testing.T, log enforcement.AuditLog) {
	ctx := t.Context()
	bad := auditEntry(1, "j1", "c1", "")
	badJSON := auditEntry(2, "j1", "c1", "due.override")
	badJSON.After = json.RawMessage(`{"date":`)
	for _, e := range []enforcement.AuditEntry{bad, badJSON, {Court: "沪01", Action: "x"}} {
		err := log.Append(ctx, auditEntry(0, "j1", "c1", "due.override"), e)
		require.ErrorIs(t, err, enforcement.ErrInvalid)
	}
	got, err := log.List(ctx, enforcement.AuditFilter{Court: "沪01"})
	require.NoError(t, err)
	require.Empty(t, got, "a batch with an invalid entry appends nothing")
}

func testAuditNoShared(t *testing.T, log enforcement.AuditLog) {
	ctx := t.Context()
	e := auditEntry(0, "j1", "c1", "due.override")
	require.NoError(t, log.Append(ctx, e))
	e.After[2] = 'X'
	got, err := log.List(ctx, enforcement.AuditFilter{Court: "沪01"})
	require.NoError(t, err)
	require.JSONEq(t, `{"date":"2025-04-10"}`, string(got[0].After))
	got[0].Before[2] = 'X'
	again, err := log.List(ctx, enforcement.AuditFilter{Court: "沪01"})
	require.NoError(t, err)
	require.JSONEq(t, `{"date":"2025-03-10"}`, string(again[0].Before))
}

func testAuditConcurrent(t *testing.T, log enforcement.AuditLog) {
	ctx := t.Context()
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() { errs <- log.Append(ctx, auditEntry(i, "j1", "c1", "due.override")) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	got, err := log.List(ctx, enforcement.AuditFilter{Court: "沪01"})
	require.NoError(t, err)
	require.Len(t, got, n)
	seen := map[int64]bool{}
	for _, e := range got {
		require.False(t, seen[e.Seq], "distinct sequence numbers")
		seen[e.Seq] = true
	}
}
