package sqlstore

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

func readLegacy(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "legacy", name))
	require.NoError(t, err)
	return b
}

// A head read from the head column, or from a due item's whole document
// for rows written before that column, in either format, gives the same
// due item with the head's fields.
func TestDecodeHead(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"d1", "d2"} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			full, err := decodeDue(readLegacy(t, "due_"+id+".json"))
			require.NoError(t, err)
			want := headToDoc(full)
			var d decoder
			wantItem := want.item(&d)
			require.NoError(t, d.err)
			current, err := encodeHead(full)
			require.NoError(t, err)
			currentDue, err := encodeDue(full)
			require.NoError(t, err)
			for name, b := range map[string][]byte{
				"legacy head": readLegacy(t, "due_head_"+id+".json"), "legacy due item": readLegacy(t, "due_"+id+".json"),
				"current head": current, "current due item": currentDue,
			} {
				got, err := decodeHead(b)
				require.NoError(t, err, name)
				require.Equal(t, wantItem.ID, got.ID, name)
				require.True(t, wantItem.Computed == got.Computed && wantItem.DoneOn == got.DoneOn && wantItem.Status == got.Status, name)
				require.Equal(t, wantItem.Override == nil, got.Override == nil, name)
				if got.Override != nil {
					require.Equal(t, wantItem.Override.Date, got.Override.Date, name)
					require.True(t, wantItem.Override.At.Equal(got.Override.At), name)
				}
				require.Equal(t, []any{wantItem.Rule, wantItem.Title, wantItem.Owner, wantItem.Severity, wantItem.Provisional, wantItem.Internal},
					[]any{got.Rule, got.Title, got.Owner, got.Severity, got.Provisional, got.Internal}, name)
			}
		})
	}
	full, err := decodeDue(readLegacy(t, "due_d1.json"))
	require.NoError(t, err)
	require.Equal(t, deadline.MustParseDate("2026-03-16"), full.Override.Date)
	require.Len(t, full.Steps, 2)
}

func TestDecodeSup(t *testing.T) {
	t.Parallel()
	rs, os, err := decodeSup(readLegacy(t, "case_sup.json"))
	require.NoError(t, err)
	require.Len(t, rs, 1)
	require.Len(t, os, 1)
	require.Equal(t, "已冻结", rs[0].Answer)
	require.Equal(t, deadline.MustParseDate("2026-03-09"), rs[0].ResolveBy)
	require.Equal(t, "j1", os[0].RespondedBy)
	c := &enforcement.Case{Requests: rs, Orders: os}
	b, err := encodeSup(c)
	require.NoError(t, err)
	rs2, os2, err := decodeSup([]byte(b))
	require.NoError(t, err)
	require.Equal(t, rs, rs2)
	require.Equal(t, os, os2)
}

func TestDecodeReceipt_Legacy(t *testing.T) {
	t.Parallel()
	r, err := decodeReceipt(readLegacy(t, "receipt.json"))
	require.NoError(t, err)
	require.Equal(t, "biz-unknown", r.ProviderID)
	require.Equal(t, "k-unknown", r.Key)
	require.Equal(t, "DELIVRD", r.Code)
	require.Equal(t, "2026-03-02T09:06:05.123+08:00", r.At.Format("2006-01-02T15:04:05.000Z07:00"))
	b, err := encodeReceipt(r)
	require.NoError(t, err)
	back, err := decodeReceipt(b)
	require.NoError(t, err)
	require.Equal(t, r, back)
}

func TestSnake(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"ID": "id", "JudgeID": "judge_id", "IDNumber": "id_number", "IDNumbers": "id_numbers", "NonLitigation": "non_litigation",
		"IdempotencyKey": "idempotency_key", "HasCoords": "has_coords", "Lat": "lat", "From": "from", "V": "v",
	} {
		require.Equal(t, want, snake(in), in)
	}
}

// A head keeps whether its item is a party's right and whether it awaits
// the calendar, and a head written before it had them reads as a task
// with a definite date.
func TestHead_RightAndAwaiting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		right    enforcement.RightKind
		awaiting bool
	}{
		{"task", "", false},
		{"right until", enforcement.RightUntil, false},
		{"right from, awaiting", enforcement.RightFrom, true},
		{"awaiting task", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			x := enforcement.DueItem{ID: "d1", Rule: "r", Computed: deadline.MustParseDate("2027-01-04"), Provisional: tt.awaiting,
				AwaitingCalendar: tt.awaiting, Right: tt.right, RightAction: "可提出异议", Status: enforcement.DueOpen}
			b, err := encodeHead(x)
			require.NoError(t, err)
			got, err := decodeHead(b)
			require.NoError(t, err)
			require.Equal(t, tt.right, got.Right)
			require.Equal(t, tt.right != "", got.IsRight())
			require.Equal(t, tt.awaiting, got.AwaitingCalendar)
			require.Empty(t, got.RightAction, "a head leaves out the explanation")
			due, err := encodeDue(x)
			require.NoError(t, err)
			fromDoc, err := decodeHead(due)
			require.NoError(t, err)
			require.Equal(t, got, fromDoc)
		})
	}
	old, err := decodeHead([]byte(`{"v":1,"id":"d1","rule":"r","title":"","owner":"","severity":"","computed":"2027-01-04","status":"open"}`))
	require.NoError(t, err)
	require.False(t, old.IsRight())
	require.False(t, old.AwaitingCalendar)
}
