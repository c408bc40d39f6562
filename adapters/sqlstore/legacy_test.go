package sqlstore_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// legacy returns the content of testdata/legacy/name: a column value as the
// store wrote it before its documents were versioned.
func legacy(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "legacy", name))
	require.NoError(tb, err)
	return string(b)
}

// dollar rewrites ? placeholders to $n for PostgreSQL.
func dollar(s *sqlstore.Store, query string) string {
	if s.Dialect() != sqlstore.Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// testLegacyRows writes the fixture values through the store, replaces
// every stored document by its legacy fixture, and checks that the store
// reads them back as the fixture values.
func testLegacyRows(t *testing.T, s *sqlstore.Store) {
	ctx := t.Context()
	s.Draft = func(*enforcement.Case, []enforcement.Event) ([]notify.Message, error) {
		return []notify.Message{fixtureMessage()}, nil
	}
	require.NoError(t, s.Create(ctx, fixtureCase(), fixtureEvents()))
	require.NoError(t, s.Plans().Save(ctx, fixturePlan(), 0))
	exec := func(query string, args ...any) {
		t.Helper()
		res, err := s.DB().ExecContext(ctx, dollar(s, query), args...)
		require.NoError(t, err)
		n, err := res.RowsAffected()
		require.NoError(t, err)
		require.EqualValues(t, 1, n, query)
	}
	exec(`UPDATE cases SET doc = ?, sup_doc = ? WHERE id = ?`, legacy(t, "case.json"), legacy(t, "case_sup.json"), "c-legacy")
	for _, id := range []string{"d1", "d2"} {
		exec(`UPDATE due_items SET doc = ?, head = ? WHERE due_id = ?`, legacy(t, "due_"+id+".json"), legacy(t, "due_head_"+id+".json"), id)
	}
	for _, id := range []string{"e1", "e2"} {
		exec(`UPDATE events SET doc = ? WHERE id = ?`, legacy(t, "event_"+id+".json"), id)
	}
	exec(`UPDATE outbox SET doc = ? WHERE id = ?`, legacy(t, "message.json"), "msg1")
	exec(`UPDATE plans SET doc = ? WHERE judge_id = ?`, legacy(t, "plan.json"), "j1")

	want := fixtureCase()
	want.Version = 1
	normalize(want)

	t.Run("Case", func(t *testing.T) {
		got, err := s.Get(ctx, "c-legacy")
		require.NoError(t, err)
		normalize(got)
		require.Equal(t, want, got)
		require.Equal(t, "310101199001011234", got.Parties[0].IDNumber.Reveal(), "the full ID number survives")
		found, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪0115"})
		require.NoError(t, err)
		require.Len(t, found, 1)
		normalize(found[0])
		require.Equal(t, want, found[0])
	})
	t.Run("DueItems", func(t *testing.T) {
		refs, err := s.DueItems(ctx, enforcement.DueFilter{Court: "沪0115"})
		require.NoError(t, err)
		require.Len(t, refs, 2)
		for i, r := range refs {
			normalize(&r.Item)
			require.Equal(t, want.DueItems[i], r.Item)
		}
	})
	t.Run("Events", func(t *testing.T) {
		got, err := s.EventsAfter(ctx, 0, 10)
		require.NoError(t, err)
		wantEvents := fixtureEvents()
		require.Len(t, got, len(wantEvents))
		for i := range got {
			require.Positive(t, got[i].Seq)
			wantEvents[i].Seq = got[i].Seq
		}
		normalize(wantEvents)
		normalize(got)
		require.Equal(t, wantEvents, got)
	})
	t.Run("Message", func(t *testing.T) {
		got, err := s.Outbox().Get(ctx, "msg1")
		require.NoError(t, err)
		wantMsg := fixtureMessage()
		normalize(&wantMsg)
		normalize(&got)
		require.Equal(t, wantMsg, got)
	})
	t.Run("Plan", func(t *testing.T) {
		wantPlan := fixturePlan()
		got, err := s.Plans().Get(ctx, "j1", wantPlan.Week)
		require.NoError(t, err)
		wantPlan.Version = 1
		normalize(wantPlan)
		normalize(got)
		require.Equal(t, wantPlan, got)
	})
	t.Run("RewrittenInTheCurrentForm", func(t *testing.T) {
		_, _, err := s.Update(ctx, "c-legacy", func(c *enforcement.Case) ([]enforcement.Event, error) { return nil, nil })
		require.NoError(t, err)
		var doc string
		require.NoError(t, s.DB().QueryRowContext(ctx, dollar(s, `SELECT doc FROM cases WHERE id = ?`), "c-legacy").Scan(&doc))
		require.True(t, strings.HasPrefix(doc, `{"v":1,`), doc)
		got, err := s.Get(ctx, "c-legacy")
		require.NoError(t, err)
		normalize(got)
		want.Version = 2
		require.Equal(t, want, got)
	})
}

func TestLegacyRows_SQLite(t *testing.T) {
	t.Parallel()
	testLegacyRows(t, openSQLite(t))
}

func TestLegacyRows_Postgres(t *testing.T) {
	t.Parallel()
	testLegacyRows(t, openPG(t))
}
