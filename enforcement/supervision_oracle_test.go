package enforcement

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
)

type oracleJudge struct {
	fig  JudgeFigures
	ages []int
}

// superviseOracle is Supervise as one walk over every case, kept as the
// oracle of the composition from a SupervisionSource. It computes the chief's view over cases on day today, counted on
// cal. It is pure and does not change the cases; the report shares no
// memory with them. The order of every list is deterministic. Items whose
// level cannot be determined are listed in Unclassified; the error is for
// a nil calendar or a today the calendar does not cover.
func superviseOracle(cases []*Case, today deadline.Date, cal *deadline.Calendar, cfg SupervisionConfig) (Report, error) {
	if err := checkToday(today, cal); err != nil {
		return Report{}, err
	}
	appr := cfg.approaching()
	rep := Report{Today: today, Approaching: appr}
	judges := map[string]*oracleJudge{}
	for _, c := range cases {
		if c == nil {
			continue
		}
		j := judges[c.JudgeID]
		if j == nil {
			j = &oracleJudge{fig: JudgeFigures{JudgeID: c.JudgeID}}
			judges[c.JudgeID] = j
		}
		number := ""
		if len(c.Requests) > 0 || len(c.Orders) > 0 || c.Key {
			number = c.Number.String()
		}
		var counts, own LevelCounts
		var worst Level
		var next *DueItem
		for i := range c.DueItems {
			d := &c.DueItems[i]
			if !d.IsOpen() {
				continue
			}
			if d.IsRight() { // nobody's work: counted apart, never flagged
				rep.Rights++
				continue
			}
			due := d.Due()
			l, err := LevelOf(cal, due, today, appr)
			if err != nil {
				rep.Unclassified = append(rep.Unclassified, Unclassified{CaseID: c.ID, DueID: d.ID, Due: due, Err: err})
				continue
			}
			counts.Add(l, 1)
			switch {
			case !courtOwned(d.Owner):
				rep.PartyTasks.Add(l, 1)
			case c.JudgeID == "":
				rep.Unassigned.Add(l, 1)
			default:
				own.Add(l, 1)
			}
			worst = max(worst, l)
			if next == nil || due.Before(next.Due()) {
				next = d
			}
			if l > LevelNormal {
				if number == "" {
					number = c.Number.String()
				}
				rep.Due = append(rep.Due, dueFlag(c.ID, number, c.JudgeID, c.Key, d, due, l, today))
			}
		}
		rep.Counts.Normal += counts.Normal
		rep.Counts.Approaching += counts.Approaching
		rep.Counts.DueToday += counts.DueToday
		rep.Counts.Overdue += counts.Overdue

		f := &j.fig
		f.Cases++
		// A judge answers for the time limits the court owns; a party's
		// own period (an objection window, a reply) running out is not the
		// judge's overdue item.
		f.Counts.Normal += own.Normal
		f.Counts.Approaching += own.Approaching
		f.Counts.DueToday += own.DueToday
		f.Counts.Overdue += own.Overdue
		if c.IsClosed() {
			f.Closed++
		} else {
			f.Open++
			j.ages = append(j.ages, today.Sub(c.FiledOn))
		}
		f.Applied = f.Applied.Add(c.AmountApplied)
		f.Recovered = f.Recovered.Add(c.AmountRecovered)
		if c.Key {
			f.KeyCases++
			k := KeyCase{
				CaseID: c.ID, Number: number, JudgeID: c.JudgeID, Status: c.Status,
				FiledOn: c.FiledOn, AgeDays: today.Sub(c.FiledOn), Counts: counts, Worst: worst,
			}
			if next != nil {
				k.NextDue, k.NextTitle = next.Due(), next.Title
			}
			rep.KeyCases = append(rep.KeyCases, k)
		}
		for _, r := range c.Requests {
			late := !r.ResolveBy.IsZero() && today.After(r.ResolveBy)
			if r.IsAnswered() {
				if !r.ResolveBy.IsZero() && deadline.DateOf(r.AnsweredAt).After(r.ResolveBy) {
					f.LateRequests++
				}
				continue
			}
			f.UnansweredRequests++
			if late {
				f.LateRequests++
			}
			l, _ := LevelOf(cal, r.ResolveBy, today, appr)
			rep.Requests = append(rep.Requests, RequestFlag{
				CaseID: c.ID, Number: number, JudgeID: c.JudgeID,
				RequestID: r.ID, PartyID: r.PartyID, Channel: r.Channel,
				ReceivedOn: deadline.DateOf(r.ReceivedAt), RecordBy: r.RecordBy, ResolveBy: r.ResolveBy,
				Level: l, Unacknowledged: !r.RecordBy.IsZero() && today.After(r.RecordBy), Late: late,
			})
		}
		for _, o := range c.Orders {
			of := OrderFlag{
				CaseID: c.ID, Number: number, JudgeID: c.JudgeID,
				OrderID: o.ID, IssuedBy: o.IssuedBy, IssuedOn: deadline.DateOf(o.IssuedAt), Text: o.Text, Due: o.Due,
				Answered: o.IsAnswered(), Response: o.Response, RespondedBy: o.RespondedBy,
			}
			if of.Answered {
				of.RespondedOn = deadline.DateOf(o.RespondedAt)
				of.AnsweredLate = of.RespondedOn.After(o.Due)
			} else {
				f.OpenOrders++
				of.Level, _ = LevelOf(cal, o.Due, today, appr)
				if today.After(o.Due) {
					of.Overdue = true
					f.OverdueOrders++
				}
			}
			rep.Orders = append(rep.Orders, of)
		}
	}

	sortFlags(rep.Due)
	rep.Due = cfg.limitDue(rep.Due)
	// Every unclassified task is counted; DueLimit of them are listed,
	// the earliest due (then by case and item ID), in case order.
	rep.UnclassifiedTotal = len(rep.Unclassified)
	slices.SortFunc(rep.Unclassified, func(a, b Unclassified) int {
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.CaseID, b.CaseID), cmp.Compare(a.DueID, b.DueID))
	})
	if cfg.DueLimit > 0 && len(rep.Unclassified) > cfg.DueLimit {
		rep.Unclassified = rep.Unclassified[:cfg.DueLimit]
	}
	sortUnclassified(rep.Unclassified)
	slices.SortFunc(rep.KeyCases, func(a, b KeyCase) int {
		if c := cmp.Compare(b.Worst, a.Worst); c != 0 {
			return c
		}
		if c := compareNext(a.NextDue, b.NextDue); c != 0 {
			return c
		}
		return cmp.Compare(a.CaseID, b.CaseID)
	})
	slices.SortFunc(rep.Requests, func(a, b RequestFlag) int {
		if c := cmp.Compare(b.Level, a.Level); c != 0 {
			return c
		}
		if c := a.ResolveBy.Compare(b.ResolveBy); c != 0 {
			return c
		}
		if c := cmp.Compare(a.CaseID, b.CaseID); c != 0 {
			return c
		}
		return cmp.Compare(a.RequestID, b.RequestID)
	})
	slices.SortFunc(rep.Orders, func(a, b OrderFlag) int {
		if a.Answered != b.Answered {
			if a.Answered {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(b.Level, a.Level); c != 0 {
			return c
		}
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		if c := cmp.Compare(a.CaseID, b.CaseID); c != 0 {
			return c
		}
		return cmp.Compare(a.OrderID, b.OrderID)
	})

	rep.Judges = make([]JudgeFigures, 0, len(judges))
	for _, j := range judges {
		f := j.fig
		f.ClosureRate = decimal.NewFromInt(int64(f.Closed)).DivRound(decimal.NewFromInt(int64(f.Cases)), 4)
		f.MedianOpenAgeDays = oracleMedian(j.ages)
		f.RecoveryRatio, f.HasRatio = RecoveryRatio(Amounts{Applied: f.Applied, Recovered: f.Recovered})
		rep.Judges = append(rep.Judges, f)
	}
	slices.SortFunc(rep.Judges, func(a, b JudgeFigures) int { return cmp.Compare(a.JudgeID, b.JudgeID) })
	return rep, nil
}

// oracleMedian returns the median of xs to 1 place (the mean of the two middle
// values for an even count), and zero for none. It sorts xs.
func oracleMedian(xs []int) decimal.Decimal {
	if len(xs) == 0 {
		return decimal.Zero
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return decimal.NewFromInt(int64(xs[n/2]))
	}
	return decimal.NewFromInt(int64(xs[n/2-1]+xs[n/2])).DivRound(decimal.NewFromInt(2), 1)
}

// oracleCases returns n seeded cases over 5 judges and none, and owners of
// every kind, with parties' rights and due dates from long overdue to
// beyond the official calendar.
func oracleCases(seed uint64, n int, today deadline.Date) []*Case {
	r := rand.New(rand.NewPCG(seed, 7))
	owners := []string{"", string(OwnerHandler), string(OwnerCourt), string(OwnerApplicant), string(OwnerPlatform)}
	at := func(d deadline.Date) time.Time { return d.Start().Add(9 * time.Hour) }
	out := make([]*Case, n)
	for i := range out {
		num, err := ParseCaseNumber(fmt.Sprintf("（2025）沪01执%d号", i+1))
		if err != nil {
			panic(err)
		}
		c := &Case{ID: fmt.Sprintf("c%04d", i), Number: num, Court: "沪01", JudgeID: fmt.Sprintf("j%d", r.IntN(6)),
			FiledOn: today.AddDays(-r.IntN(300)), Status: StatusOpen, Key: r.IntN(8) == 0,
			AmountApplied: decimal.New(int64(r.IntN(1_000_000)), -2), AmountRecovered: decimal.New(int64(r.IntN(100_000)), -2)}
		if c.JudgeID == "j5" {
			c.JudgeID = "" // not assigned yet
		}
		if r.IntN(4) == 0 {
			c.Status = StatusClosed
		}
		for j := range r.IntN(7) {
			d := DueItem{ID: fmt.Sprintf("d%d", 9-j), Title: fmt.Sprintf("节点%d", j), Owner: owners[r.IntN(len(owners))],
				Computed: today.AddDays(r.IntN(120) - 30), Status: DueOpen}
			switch r.IntN(8) {
			case 0:
				d.Status = DueDone
			case 1:
				d.Override = &Override{Date: d.Computed.AddDays(r.IntN(9) - 4), Status: []OverrideStatus{OverridePending, OverrideApproved, OverrideRejected}[r.IntN(3)]}
			case 2:
				if j > 0 {
					d.Computed = c.DueItems[j-1].Computed
				}
			case 3:
				d.Owner, d.Right = string(OwnerRespondent), []RightKind{RightUntil, RightFrom}[r.IntN(2)]
			}
			c.DueItems = append(c.DueItems, d)
		}
		if r.IntN(6) == 0 {
			q := Request{ID: "r1", ReceivedAt: at(today.AddDays(-9)), RecordBy: today.AddDays(r.IntN(6) - 3), ResolveBy: today.AddDays(r.IntN(12) - 6)}
			if r.IntN(2) == 0 {
				q.Answer, q.AnsweredAt = "已答复", at(today.AddDays(-r.IntN(8)))
			}
			c.Requests = append(c.Requests, q)
		}
		if r.IntN(7) == 0 {
			o := SupervisionOrder{ID: "o1", IssuedAt: at(today.AddDays(-5)), Due: today.AddDays(r.IntN(10) - 5)}
			if r.IntN(2) == 0 {
				o.Response, o.RespondedAt = "已报告", at(today.AddDays(-r.IntN(6)))
			}
			c.Orders = append(c.Orders, o)
		}
		out[i] = c
	}
	out[3] = nil // skipped
	return out
}

func TestSupervise_Oracle(t *testing.T) {
	t.Parallel()
	cal := deadline.Official()
	for _, today := range []deadline.Date{deadline.MustParseDate("2026-06-15"), deadline.MustParseDate("2026-12-28"), deadline.MustParseDate("2025-09-30")} {
		for seed := range uint64(4) {
			t.Run(fmt.Sprintf("%s/seed%d", today, seed), func(t *testing.T) {
				t.Parallel()
				cases := oracleCases(seed, 400, today)
				for _, cfg := range []SupervisionConfig{{}, {ApproachingWorkdays: 1}, {DueLimit: 7}, {ApproachingWorkdays: 6, DueLimit: 1}} {
					want, err := superviseOracle(cases, today, cal, cfg)
					require.NoError(t, err)
					got, err := Supervise(cases, today, cal, cfg)
					require.NoError(t, err)
					wb, err := json.Marshal(want)
					require.NoError(t, err)
					gb, err := json.Marshal(got)
					require.NoError(t, err)
					require.JSONEq(t, string(wb), string(gb), "%+v", cfg)
					require.Equal(t, len(want.Unclassified), len(got.Unclassified))
					if today.Year == 2026 && today.Month == 12 {
						require.Positive(t, got.UnclassifiedTotal, "due dates past the calendar's end")
					}
					require.True(t, got.AddsUp(), "%+v", cfg)
					require.NotZero(t, got.Rights)
					require.NotZero(t, got.Unassigned.Total())
					require.NotZero(t, got.PartyTasks.Total())
				}
			})
		}
	}
}

func TestMedianAge(t *testing.T) {
	t.Parallel()
	today := deadline.MustParseDate("2025-03-31")
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		var filed []DateCount
		var ages []int
		for range r.IntN(6) {
			d, n := today.AddDays(-r.IntN(10)), r.IntN(4)
			filed = append(filed, DateCount{Date: d, N: n})
			for range n {
				ages = append(ages, today.Sub(d))
			}
		}
		require.Equal(t, oracleMedian(ages).String(), medianAge(filed, today).String(), "%v", filed)
	}
}
