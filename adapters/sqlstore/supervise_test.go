package sqlstore_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// superviseCases returns n seeded cases of court 沪01 over 6 judges with
// everything the chief's report reads: key and closed cases, due items of
// every owner from long overdue to beyond the official calendar, overrides
// and invalid dates, party requests (open, late, answered late) and
// supervision orders (open, overdue, answered).
func superviseCases(n int, today deadline.Date) []*enforcement.Case {
	r := rand.New(rand.NewPCG(0x5eed, 0xc0de))
	owners := []enforcement.Owner{"", enforcement.OwnerHandler, enforcement.OwnerCourt, enforcement.OwnerApplicant, enforcement.OwnerRespondent, enforcement.OwnerPlatform}
	at := func(d deadline.Date) time.Time { return d.Start().Add(10 * time.Hour) }
	out := make([]*enforcement.Case, n)
	for i := range out {
		c := storetest.NewCase(fmt.Sprintf("c%05d", i), "沪01", fmt.Sprintf("j%d", r.IntN(6)), i+1)
		c.FiledOn = today.AddDays(-r.IntN(400))
		c.ReceivedOn = c.FiledOn
		c.Key = r.IntN(20) == 0
		if r.IntN(3) == 0 {
			c.Status = enforcement.StatusClosed
		}
		c.AmountApplied = decimal.New(int64(r.IntN(10_000_000)), -2)
		c.AmountRecovered = decimal.New(int64(r.IntN(1_000_000)), -2)
		c.DueItems = make([]enforcement.DueItem, 6)
		for j := range c.DueItems {
			due := today.AddDays(r.IntN(240) - 40)
			if j > 0 && r.IntN(3) == 0 {
				due = c.DueItems[j-1].Computed // two items due the same day
			}
			// IDs out of list order, so that the store must keep the order.
			d := enforcement.DueItem{ID: fmt.Sprintf("rule%d@n", 9-j), Rule: fmt.Sprintf("rule%d", j), Title: fmt.Sprintf("节点%d", j), Owner: string(owners[r.IntN(len(owners))]),
				Computed: due, Status: enforcement.DueOpen, Severity: []enforcement.Severity{enforcement.SeverityInfo, enforcement.SeverityWarning, enforcement.SeverityCritical}[r.IntN(3)]}
			switch r.IntN(12) {
			case 0, 1, 2:
				d.Status = enforcement.DueDone
			case 3:
				d.Override = &enforcement.Override{Date: due.AddDays(r.IntN(20) - 5), Reason: "延期", By: "j"}
			case 4:
				d.Provisional = true
			}
			c.DueItems[j] = d
		}
		if i == 7 {
			c.DueItems[0].Computed = deadline.Date{} // corrupt data must not be lost
		}
		if r.IntN(15) == 0 {
			req := enforcement.Request{ID: "r1", PartyID: "a1", Channel: "phone", Text: "询问进展", ReceivedAt: at(today.AddDays(-20)),
				RecordBy: today.AddDays(-18), ResolveBy: today.AddDays(r.IntN(20) - 10)}
			if r.IntN(2) == 0 {
				req.Answer, req.AnsweredBy, req.AnsweredAt = "已答复", "j", at(today.AddDays(-r.IntN(15)))
			}
			c.Requests = append(c.Requests, req)
		}
		if r.IntN(25) == 0 {
			o := enforcement.SupervisionOrder{ID: "o1", IssuedBy: "chief", IssuedAt: at(today.AddDays(-10)), Text: "请报告进展", Due: today.AddDays(r.IntN(14) - 7)}
			if r.IntN(2) == 0 {
				o.Response, o.RespondedBy, o.RespondedAt = "已报告", "j", at(today.AddDays(-r.IntN(8)))
			}
			c.Orders = append(c.Orders, o)
		}
		out[i] = c
	}
	return out
}

// testSupervise checks Store.Supervise against enforcement.Supervise over
// every case, on a day well inside the official calendar and on one whose
// approaching window runs past its end.
func testSupervise(t *testing.T, s *sqlstore.Store) {
	ctx := t.Context()
	cal := deadline.Official()
	for k, today := range []deadline.Date{deadline.MustParseDate("2026-06-15"), deadline.MustParseDate("2026-12-24")} {
		t.Run(today.String(), func(t *testing.T) {
			court := []string{"沪01", "沪02"}[k]
			cases := superviseCases(600, today)
			for _, c := range cases {
				c.Court = court
				c.ID += "-" + court
				c.Number.Court = court
			}
			require.NoError(t, s.Import(ctx, cases))
			// Changes through Update keep the request and order columns.
			_, _, err := s.Update(ctx, cases[1].ID, func(c *enforcement.Case) ([]enforcement.Event, error) {
				c.Requests = append(c.Requests, enforcement.Request{ID: "r9", PartyID: "a1", Text: "申请查询车辆", ReceivedAt: today.Start(), ResolveBy: today.AddDays(-1)})
				c.Orders = append(c.Orders, enforcement.SupervisionOrder{ID: "o9", IssuedBy: "chief", Text: "请说明", IssuedAt: today.Start(), Due: today})
				return nil, nil
			})
			require.NoError(t, err)

			all, err := s.Find(ctx, enforcement.CaseFilter{Court: court})
			require.NoError(t, err)
			want, err := enforcement.Supervise(all, today, cal, enforcement.SupervisionConfig{})
			require.NoError(t, err)
			got, err := s.Supervise(ctx, court, today, cal, enforcement.SupervisionConfig{})
			require.NoError(t, err)

			require.NotEmpty(t, want.Due)
			require.NotEmpty(t, want.Requests)
			require.NotEmpty(t, want.Orders)
			require.NotEmpty(t, want.KeyCases)
			if today.Month == 12 {
				require.NotEmpty(t, want.Unclassified, "items due past the calendar's end near today")
			}
			require.Equal(t, want.Counts, got.Counts)
			require.Equal(t, len(want.Unclassified), len(got.Unclassified))
			require.Equal(t, toJSON(t, want), toJSON(t, got))

			// Rows written before the head column read from the document.
			_, err = s.DB().ExecContext(ctx, `UPDATE due_items SET head = NULL WHERE court = '`+court+`'`)
			require.NoError(t, err)
			got, err = s.Supervise(ctx, court, today, cal, enforcement.SupervisionConfig{})
			require.NoError(t, err)
			require.Equal(t, toJSON(t, want), toJSON(t, got), "without heads")

			// A limit on the flagged items listed.
			limited := enforcement.SupervisionConfig{DueLimit: 25}
			want, err = enforcement.Supervise(all, today, cal, limited)
			require.NoError(t, err)
			got, err = s.Supervise(ctx, court, today, cal, limited)
			require.NoError(t, err)
			require.Len(t, got.Due, 25)
			require.Greater(t, got.DueTotal(), 25)
			require.Equal(t, toJSON(t, want), toJSON(t, got), "limited")

			// With every due date readable, the limited report counts the
			// flagged items per date and reads only the most urgent.
			_, _, err = s.Update(ctx, cases[7].ID, func(c *enforcement.Case) ([]enforcement.Event, error) {
				c.DueItems[0].Computed = today.AddDays(-3)
				return nil, nil
			})
			require.NoError(t, err)
			all, err = s.Find(ctx, enforcement.CaseFilter{Court: court})
			require.NoError(t, err)
			for _, limit := range []int{1, 25, 10_000} {
				limited.DueLimit = limit
				want, err = enforcement.Supervise(all, today, cal, limited)
				require.NoError(t, err)
				got, err = s.Supervise(ctx, court, today, cal, limited)
				require.NoError(t, err)
				require.Equal(t, toJSON(t, want), toJSON(t, got), "limited to %d, dates readable", limit)
			}
		})
	}
	_, err := s.Supervise(ctx, "沪01", deadline.MustParseDate("2031-01-05"), cal, enforcement.SupervisionConfig{})
	require.Error(t, err, "a day the calendar does not cover")
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	require.NoError(t, err)
	return string(b)
}

func TestSupervise_SQLite(t *testing.T) { t.Parallel(); testSupervise(t, openSQLite(t)) }

func TestSupervise_Postgres(t *testing.T) { t.Parallel(); testSupervise(t, openPG(t)) }
