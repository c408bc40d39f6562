package sqlstore_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// TestWriteLegacyFixtures writes testdata/legacy from the rows the store
// writes for the fixture values.
func TestWriteLegacyFixtures(t *testing.T) {
	if os.Getenv("ZHIXING_WRITE_LEGACY") == "" {
		t.Skip("set ZHIXING_WRITE_LEGACY=1 to rewrite testdata/legacy")
	}
	s := openSQLite(t)
	s.Draft = func(*enforcement.Case, []enforcement.Event) ([]notify.Message, error) {
		return []notify.Message{fixtureMessage()}, nil
	}
	ctx := t.Context()
	require.NoError(t, s.Create(ctx, fixtureCase(), fixtureEvents()))
	require.NoError(t, s.Plans().Save(ctx, fixturePlan(), 0))
	_, err := s.Outbox().Receipt(ctx, fixtureReceipt())
	require.NoError(t, err)
	write := func(name, query string) {
		var doc string
		require.NoError(t, s.DB().QueryRow(query).Scan(&doc))
		require.NoError(t, os.WriteFile(filepath.Join("testdata", "legacy", name), []byte(doc), 0o644))
	}
	write("case.json", `SELECT doc FROM cases`)
	write("case_sup.json", `SELECT sup_doc FROM cases`)
	write("due_d1.json", `SELECT doc FROM due_items WHERE due_id = 'd1'`)
	write("due_d2.json", `SELECT doc FROM due_items WHERE due_id = 'd2'`)
	write("due_head_d1.json", `SELECT head FROM due_items WHERE due_id = 'd1'`)
	write("due_head_d2.json", `SELECT head FROM due_items WHERE due_id = 'd2'`)
	write("event_e1.json", `SELECT doc FROM events WHERE id = 'e1'`)
	write("event_e2.json", `SELECT doc FROM events WHERE id = 'e2'`)
	write("message.json", `SELECT doc FROM outbox`)
	write("receipt.json", `SELECT doc FROM outbox_receipts`)
	write("plan.json", `SELECT doc FROM plans`)
}
