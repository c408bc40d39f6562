package sqlstore_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

func TestCaseListConformance(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(testing.TB) *sqlstore.Store{"SQLite": openSQLite, "Postgres": openPG, "MySQL": openMySQL} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			storetest.RunCaseList(t, func(t *testing.T) storetest.CaseListStore {
				s := open(t)
				return storetest.CaseListStore{Cases: s, Outbox: s.Outbox()}
			})
		})
	}
}

// Rows written before migration 0010 have no search_text; Open fills
// them from their documents.
func TestOpen_FillsCaseList(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "zhixing.db")
	s, err := sqlstore.Open(ctx, "sqlite", path)
	require.NoError(t, err)
	for i, id := range []string{"c1", "c2"} {
		c := storetest.NewCase(id, "沪01", "j1", i+1)
		c.DueItems[0].Computed = deadline.MustParseDate("2025-03-20").AddDays(-i)
		require.NoError(t, s.Create(ctx, c, nil))
	}
	_, err = s.DB().ExecContext(ctx, `UPDATE cases SET next_due = NULL, search_text = NULL`)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s, err = sqlstore.Open(ctx, "sqlite", path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	page, err := s.ListCases(ctx, enforcement.CaseListFilter{Court: "沪01", Query: "沪01执1", DueTo: deadline.MustParseDate("2025-03-20")})
	require.NoError(t, err)
	require.Equal(t, 1, page.Total)
	require.Equal(t, "c1", page.Rows[0].Case.ID)
	page, err = s.ListCases(ctx, enforcement.CaseListFilter{Court: "沪01"})
	require.NoError(t, err)
	require.Equal(t, "c2", page.Rows[0].Case.ID, "c2 is due a day earlier")
}

// BenchmarkJudgeCaseList lists one judge's cases in a court of 10 judges
// with 500 cases each, as the 我的案件 page asks: the first page of the
// open cases by next due date, a search by party name, and a filter. It
// reports the median and 99th percentile of one list call.
func BenchmarkJudgeCaseList(b *testing.B) {
	for name, open := range map[string]func(testing.TB) *sqlstore.Store{"SQLite": openSQLite, "Postgres": openPG} {
		b.Run(name, func(b *testing.B) {
			s := open(b)
			ctx := b.Context()
			const judges, perJudge = 10, 500
			var cases []*enforcement.Case
			var held []notify.Message
			surnames := []rune("张王李赵刘陈杨黄周吴")
			for j := range judges {
				for k := range perJudge {
					n := j*perJudge + k + 1
					c := storetest.NewCase(fmt.Sprintf("c%05d", n), "沪01", fmt.Sprintf("j%d", j), n)
					c.Parties[0].Name = string(surnames[n%10]) + fmt.Sprintf("某%d", n)
					c.DueItems[0].Computed = deadline.MustParseDate("2025-03-04").AddDays(n % 90)
					if n%7 == 0 {
						c.Status = enforcement.StatusClosed
					}
					if n%11 == 0 {
						c.Requests = []enforcement.Request{{ID: "q1", PartyID: "a1", Text: "请告知进展", ReceivedAt: time.Date(2025, 3, 4, 9, 0, 0, 0, deadline.China)}}
					}
					cases = append(cases, c)
					if n%13 == 0 {
						m := storetest.NewMessage(n, time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC))
						m.CaseID, m.State = c.ID, notify.StateHeld
						m.History = []notify.Transition{{To: notify.StateHeld, At: m.CreatedAt, Actor: "policy"}}
						held = append(held, m)
					}
				}
			}
			require.NoError(b, s.Import(ctx, cases))
			require.NoError(b, s.Outbox().Put(ctx, held...))
			filters := []enforcement.CaseListFilter{
				{Court: "沪01", JudgeID: "j3", Status: enforcement.StatusOpen, Limit: 50},
				{Court: "沪01", JudgeID: "j3", Query: "王某", Limit: 50},
				{Court: "沪01", JudgeID: "j3", Held: true, OpenRequests: true, Limit: 50},
				{Court: "沪01", JudgeID: "j3", DueTo: deadline.MustParseDate("2025-03-20"), Limit: 50, Offset: 50},
			}
			var took []time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				start := time.Now()
				page, err := s.ListCases(ctx, filters[i%len(filters)])
				took = append(took, time.Since(start))
				if err != nil || page.Total == 0 {
					b.Fatalf("list: %v (total %d)", err, page.Total)
				}
				i++
			}
			slices.Sort(took)
			ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
			b.ReportMetric(ms(took[len(took)/2]), "median-ms")
			b.ReportMetric(ms(took[len(took)*99/100]), "p99-ms")
		})
	}
}
