package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// testIDsExact: IDs compare exactly. A database whose default collation
// ignores case (MariaDB's utf8mb4_general_ci) would take "C1" for "c1".
func testIDsExact(t *testing.T, s Store) {
	ctx := t.Context()
	lower := NewCase("c1", "沪01", "j1", 1)
	upper := NewCase("C1", "沪01", "J1", 2)
	require.NoError(t, s.Create(ctx, lower, []enforcement.Event{event(lower, enforcement.EventCaseFiled, "x")}))
	require.NoError(t, s.Create(ctx, upper, []enforcement.Event{event(upper, enforcement.EventCaseFiled, "x")}),
		"an ID differing only in case is another case")
	got, err := s.Get(ctx, "C1")
	require.NoError(t, err)
	require.Equal(t, "C1", got.ID)
	_, err = s.Get(ctx, "c1 ")
	require.ErrorIs(t, err, enforcement.ErrNotFound, "a trailing space makes another ID")
	found, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪01", JudgeID: "J1"})
	require.NoError(t, err)
	require.Equal(t, []string{"C1"}, ids(found), "judge IDs compare exactly")
	evs, err := s.EventsAfter(ctx, 0, 0)
	require.NoError(t, err)
	require.Len(t, evs, 2, "event IDs differing only in case are both logged")
	_, _, err = s.Update(ctx, "C1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.Key = true
		return nil, nil
	})
	require.NoError(t, err)
	got, err = s.Get(ctx, "c1")
	require.NoError(t, err)
	require.False(t, got.Key, "updating C1 leaves c1 alone")
	due, err := s.DueItems(ctx, enforcement.DueFilter{Court: "沪01", JudgeID: "j1", OpenOnly: true})
	require.NoError(t, err)
	require.Len(t, due, 2, "the due index keeps judge j1's items apart from J1's")
}

// testFindOrder: Find orders by filing date, then by ID, whatever the
// order of creation.
func testFindOrder(t *testing.T, s Store) {
	ctx := t.Context()
	for i, spec := range []struct{ id, filed string }{
		{"c1", "2025-03-05"}, {"c0", "2025-03-05"}, {"c3", "2025-03-04"}, {"c2", "2025-03-03"},
	} {
		c := NewCase(spec.id, "沪01", "j1", i+1)
		c.FiledOn = deadline.MustParseDate(spec.filed)
		c.ReceivedOn = c.FiledOn
		require.NoError(t, s.Create(ctx, c, nil))
	}
	got, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪01"})
	require.NoError(t, err)
	require.Equal(t, []string{"c2", "c3", "c0", "c1"}, ids(got), "filing date, then ID")
	got, err = s.Find(ctx, enforcement.CaseFilter{Court: "沪01", Limit: 2, Offset: 1})
	require.NoError(t, err)
	require.Equal(t, []string{"c3", "c0"}, ids(got), "pages follow the same order")
}

// testDueOverride: the due index files an item under its date in force
// (DueItem.Due): the judge's override once the chief has approved it, the
// computed date while it is pending.
func testDueOverride(t *testing.T, s Store) {
	ctx := t.Context()
	c := NewCase("c1", "沪01", "j1", 1)
	require.NoError(t, s.Create(ctx, c, nil))
	// The handling limit (computed 2025-09-03) is moved to 2025-03-20 and
	// the notice (computed 2025-03-13) to 2025-10-10.
	_, _, err := s.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.DueItems[0].Override = &enforcement.Override{Date: deadline.MustParseDate("2025-10-10"), Reason: "公告送达", By: "j1", At: base, Status: enforcement.OverrideApproved}
		c.DueItems[1].Override = &enforcement.Override{Date: deadline.MustParseDate("2025-03-20"), Reason: "更正", By: "j1", At: base, Status: enforcement.OverrideApproved}
		return nil, nil
	})
	require.NoError(t, err)
	refs := func(f enforcement.DueFilter) []string {
		got, err := s.DueItems(ctx, f)
		require.NoError(t, err)
		var out []string
		for _, r := range got {
			out = append(out, r.Item.ID+" "+r.Item.Due().String())
		}
		return out
	}
	require.Equal(t, []string{"limit@filing 2025-03-20"},
		refs(enforcement.DueFilter{Court: "沪01", OpenOnly: true, DueBefore: deadline.MustParseDate("2025-03-31")}),
		"selected by the override, not the computed date")
	require.Equal(t, []string{"limit@filing 2025-03-20", "notice@filing 2025-10-10"},
		refs(enforcement.DueFilter{Court: "沪01", OpenOnly: true}), "ordered by the override")
}

// testListOrder: List returns messages oldest first, by CreatedAt, then
// by ID, whatever the order they were put in.
func testListOrder(t *testing.T, o notify.Outbox) {
	ctx := t.Context()
	mk := func(id string, created time.Duration) notify.Message {
		m := NewMessage(0, t0)
		m.ID, m.IdempotencyKey, m.EventID = id, "key-"+id, "e-"+id
		m.CreatedAt = t0.Add(created)
		return m
	}
	// IDs run against creation, and m-b and m-a were created together.
	require.NoError(t, o.Put(ctx, mk("m-a", 2*time.Minute), mk("m-d", 0)))
	require.NoError(t, o.Put(ctx, mk("m-b", 2*time.Minute), mk("m-c", time.Minute), mk("M-e", 3*time.Minute)))
	require.NoError(t, o.Put(ctx, mk("M-a", 4*time.Minute)), "a key differing from another only in case is another message")
	got, err := o.List(ctx, notify.Filter{CaseID: "c1"})
	require.NoError(t, err)
	var order []string
	for _, m := range got {
		order = append(order, m.ID)
	}
	require.Equal(t, []string{"m-d", "m-c", "m-a", "m-b", "M-e", "M-a"}, order, "creation, then ID")
	got, err = o.List(ctx, notify.Filter{CaseID: "c1", Limit: 2})
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "m-c", got[1].ID, "a limit keeps the oldest")
}
