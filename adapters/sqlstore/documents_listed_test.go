package sqlstore

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// sampleDueDoc is the document of a due item with every field set.
func sampleDueDoc(t testing.TB) string {
	t.Helper()
	d := deadline.MustParseDate("2026-03-02")
	at := time.Date(2026, 2, 20, 9, 30, 0, 0, time.UTC)
	x := enforcement.DueItem{
		ID: "notice@application", Rule: "notice.enforcement_legal", Title: "发出执行通知书", RuleVersion: "base",
		Owner: "court", Severity: enforcement.Severity("critical"), Basis: "《民诉法解释》第四百八十条",
		Trigger: d.AddDays(-10), TriggerRef: "application", Computed: d, Deadline: at,
		Steps:     []deadline.Step{{Code: "start", Date: d.AddDays(-10), Text: "起算日"}, {Code: "due", Date: d, Text: "届满"}},
		CalcBasis: []string{"《民事诉讼法》第八十五条"}, Provisional: true, Warnings: []deadline.Date{d.AddDays(-3), d.AddDays(-1)},
		Override: &enforcement.Override{Date: d.AddDays(5), Reason: "公告送达", By: "judge-1", At: at, DecidedBy: "chief", DecidedAt: at, Note: "同意"},
		Status:   enforcement.DueOpen,
	}
	b, err := encodeDue(x)
	require.NoError(t, err)
	return string(b)
}

// briefByV1 is decodeBriefDue as encoding/json alone reads a document.
func briefByV1(b []byte) (enforcement.DueItem, error) {
	if v, err := versionOf(b); err != nil || v != docVersion {
		x, err := decodeDue(b)
		x.Steps, x.CalcBasis = nil, nil
		return x, err
	}
	var doc briefDueDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return enforcement.DueItem{}, err
	}
	return doc.item()
}

// headByV1 is decodeHead as encoding/json alone reads a head.
func headByV1(b []byte) (enforcement.DueItem, error) {
	var doc headDoc
	if err := json.Unmarshal(b, &doc); err != nil || doc.V != docVersion {
		doc = headDoc{}
		if err := decodeDoc(b, &doc, nil); err != nil {
			return enforcement.DueItem{}, err
		}
	}
	var d decoder
	x := doc.item(&d)
	return x, d.err
}

// The brief decoding (JSON v2) reads every document as encoding/json
// does, also those v2 alone would read differently or refuse.
func TestDecodeBriefDue(t *testing.T) {
	t.Parallel()
	doc := sampleDueDoc(t)
	for _, tc := range []struct {
		name, doc string
		check     func(t *testing.T, x enforcement.DueItem)
	}{
		{"current", doc, func(t *testing.T, x enforcement.DueItem) {
			require.Equal(t, "发出执行通知书", x.Title)
			require.Len(t, x.Warnings, 2)
			require.NotNil(t, x.Override)
		}},
		{"duplicate name: the last wins", strings.Replace(doc, `"title":"发出执行通知书"`, `"title":"甲","title":"乙"`, 1), func(t *testing.T, x enforcement.DueItem) {
			require.Equal(t, "乙", x.Title)
		}},
		{"name in another case", strings.Replace(doc, `"title":`, `"TITLE":`, 1), func(t *testing.T, x enforcement.DueItem) {
			require.Equal(t, "发出执行通知书", x.Title)
		}},
		{"underscores are not ignored", strings.Replace(doc, `"trigger_ref":`, `"triggerref":`, 1), func(t *testing.T, x enforcement.DueItem) {
			require.Empty(t, x.TriggerRef)
		}},
		{"invalid UTF-8", strings.Replace(doc, "发出执行通知书", "发出\xff通知书", 1), func(t *testing.T, x enforcement.DueItem) {
			require.Equal(t, "发出\uFFFD通知书", x.Title)
		}},
		{"legacy", string(readLegacy(t, "due_d1.json")), func(t *testing.T, x enforcement.DueItem) {
			require.NotEmpty(t, x.ID)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := decodeBriefDue([]byte(tc.doc))
			require.NoError(t, err)
			want, err := briefByV1([]byte(tc.doc))
			require.NoError(t, err)
			require.Equal(t, want, got)
			full, err := decodeDue([]byte(tc.doc))
			require.NoError(t, err)
			full.Steps, full.CalcBasis = nil, nil
			require.Equal(t, full, got, "the full item without its explanation")
			require.Nil(t, got.Steps)
			require.Nil(t, got.CalcBasis)
			tc.check(t, got)
		})
	}
	for _, bad := range []string{``, `{`, `[]`, `{"v":99,"id":"x"}`, strings.Replace(doc, `"computed":"2026-03-02"`, `"computed":"2026-02-30"`, 1)} {
		_, err := decodeBriefDue([]byte(bad))
		require.Error(t, err, bad)
	}
	// A legacy document whose members become one after renaming is
	// refused, the same way every time, not read by the map's order.
	for range 20 {
		_, err := decodeBriefDue([]byte(`{"ID":"x","Override":{"At":"00","at":""}}`))
		require.EqualError(t, err, `legacy document: members "At" and "at" are both "at"`)
	}
}

func FuzzDecodeBriefDue(f *testing.F) {
	doc := sampleDueDoc(f)
	f.Add(doc)
	f.Add(strings.Replace(doc, `"title":`, `"Title":`, 1))
	f.Add(strings.Replace(doc, `"status":"open"`, `"status":"open","status":"done"`, 1))
	f.Add(`{"v":1,"id":"x","steps":[{"code":"a"}],"calc_basis":null,"warnings":["2026-01-01"]}`)
	f.Fuzz(func(t *testing.T, doc string) {
		got, gotErr := decodeBriefDue([]byte(doc))
		want, wantErr := briefByV1([]byte(doc))
		if (gotErr != nil) != (wantErr != nil) {
			t.Fatalf("v2 error %v, encoding/json error %v", gotErr, wantErr)
		}
		if wantErr == nil {
			require.Equal(t, want, got)
		}
	})
}

func FuzzDecodeHead(f *testing.F) {
	x, err := decodeDue([]byte(sampleDueDoc(f)))
	require.NoError(f, err)
	head, err := encodeHead(x)
	require.NoError(f, err)
	f.Add(string(head))
	f.Add(sampleDueDoc(f))
	f.Add(strings.Replace(string(head), `"title":`, `"TITLE":`, 1))
	f.Fuzz(func(t *testing.T, doc string) {
		got, gotErr := decodeHead([]byte(doc))
		want, wantErr := headByV1([]byte(doc))
		if (gotErr != nil) != (wantErr != nil) {
			t.Fatalf("v2 error %v, encoding/json error %v", gotErr, wantErr)
		}
		if wantErr == nil {
			require.Equal(t, want, got)
		}
	})
}

// supByV1 is decodeSup as encoding/json alone reads a document.
func supByV1(b []byte) ([]enforcement.Request, []enforcement.SupervisionOrder, error) {
	var doc supDoc
	if err := decodeDoc(b, &doc, nil); err != nil {
		return nil, nil, err
	}
	return doc.items()
}

func FuzzDecodeSup(f *testing.F) {
	legacy := readLegacy(f, "case_sup.json")
	rs, os, err := decodeSup(legacy)
	require.NoError(f, err)
	require.NotEmpty(f, rs)
	require.NotEmpty(f, os)
	current, err := encodeSup(&enforcement.Case{Requests: rs, Orders: os})
	require.NoError(f, err)
	f.Add(current)
	f.Add(string(legacy))
	f.Add(strings.Replace(current, `"requests":`, `"Requests":`, 1))
	f.Fuzz(func(t *testing.T, doc string) {
		gotR, gotO, gotErr := decodeSup([]byte(doc))
		wantR, wantO, wantErr := supByV1([]byte(doc))
		if (gotErr != nil) != (wantErr != nil) {
			t.Fatalf("v2 error %v, encoding/json error %v", gotErr, wantErr)
		}
		if wantErr == nil {
			require.Equal(t, wantR, gotR)
			require.Equal(t, wantO, gotO)
		}
	})
}

// What this package writes is read by the JSON v2 decoder itself, not by
// the encoding/json fallback: a due item, its head, a case's requests and
// orders.
func TestListed_TakesWhatThisPackageWrites(t *testing.T) {
	t.Parallel()
	doc := sampleDueDoc(t)
	require.NoError(t, listed([]byte(doc), &briefDueDoc{}))
	x, err := decodeDue([]byte(doc))
	require.NoError(t, err)
	head, err := encodeHead(x)
	require.NoError(t, err)
	require.NoError(t, listed(head, &headDoc{}))
	brief, err := encodeBrief(x)
	require.NoError(t, err)
	require.NoError(t, listed(brief, &briefDueDoc{}))
	fromBrief, err := decodeBriefDue(brief)
	require.NoError(t, err)
	fromDoc, err := decodeBriefDue([]byte(doc))
	require.NoError(t, err)
	require.Equal(t, fromDoc, fromBrief, "an item reads the same from its brief as from its document")
	require.NotEmpty(t, x.Steps, "the sample is explained")
	rs, os, err := decodeSup(readLegacy(t, "case_sup.json"))
	require.NoError(t, err)
	sup, err := encodeSup(&enforcement.Case{Requests: rs, Orders: os})
	require.NoError(t, err)
	require.NoError(t, listed([]byte(sup), &supDoc{}))
}
