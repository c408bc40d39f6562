package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

var benchToday = deadline.MustParseDate("2026-06-15")

// genCases returns n seeded cases of court 沪01 over 40 judges, each with 10
// due items: most open and due in the coming months, some done, about 5%
// overdue.
func genCases(n int) []*enforcement.Case { return genCourtCases(n, "沪01", "") }

// genCourtCases is genCases for court, with IDs and judges prefixed by
// prefix.
func genCourtCases(n int, court, prefix string) []*enforcement.Case {
	r := rand.New(rand.NewPCG(0xdead, 0x1337))
	out := make([]*enforcement.Case, n)
	for i := range out {
		c := storetest.NewCase(fmt.Sprintf("%sc%06d", prefix, i), court, fmt.Sprintf("%sj%02d", prefix, r.IntN(40)), i+1)
		c.Key = r.IntN(50) == 0
		if r.IntN(4) == 0 {
			c.Status = enforcement.StatusClosed
		}
		c.AmountApplied = decimal.New(int64(r.IntN(10_000_000)), -2)
		c.AmountRecovered = decimal.New(int64(r.IntN(1_000_000)), -2)
		c.DueItems = make([]enforcement.DueItem, 10)
		for j := range c.DueItems {
			due := benchToday.AddDays(r.IntN(200) - 10)
			st := enforcement.DueOpen
			if r.IntN(3) == 0 {
				st = enforcement.DueDone
			}
			c.DueItems[j] = enforcement.DueItem{ID: fmt.Sprintf("rule%d@n", j), Rule: fmt.Sprintf("rule%d", j), Title: "节点", Computed: due, Status: st}
		}
		out[i] = c
	}
	return out
}

// benchSupervision loads 100,000 cases (1M due items) and measures the
// chief's whole report, as the server serves it. The baseline loads every
// case and runs enforcement.Supervise over them, as a store without the
// due-item index must; zhixing runs enforcement.SuperviseFrom over the
// store, listing the 500 most urgent items (as the server asks) and, in
// zhixing-all, every flagged item.
func benchSupervision(b *testing.B, s *sqlstore.Store) {
	ctx := context.Background()
	start := time.Now()
	cases := genCases(100_000)
	require.NoError(b, s.Import(ctx, cases))
	b.Logf("bulk-loaded %d cases (%d due items) in %v", len(cases), 10*len(cases), time.Since(start))
	// A production database is vacuumed and analysed (autovacuum); so is
	// this one before measuring, so the planner has statistics and the
	// covering indexes can be read without visiting the table.
	maint := "ANALYZE"
	if s.Dialect() == sqlstore.Postgres {
		maint = "VACUUM ANALYZE"
	}
	_, err := s.DB().ExecContext(ctx, maint)
	require.NoError(b, err)
	cal := deadline.Official()
	var baseNs float64
	b.Run("baseline", func(b *testing.B) {
		for b.Loop() {
			all, err := s.Find(ctx, enforcement.CaseFilter{Court: "沪01"})
			require.NoError(b, err)
			_, err = enforcement.Supervise(all, benchToday, cal, enforcement.SupervisionConfig{DueLimit: 500})
			require.NoError(b, err)
		}
		baseNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(baseNs/1e6, "ms/report")
	})
	for _, c := range []struct {
		name  string
		limit int
	}{{"zhixing", 500}, {"zhixing-all", 0}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_, err := enforcement.SuperviseFrom(ctx, s, "沪01", benchToday, cal, enforcement.SupervisionConfig{DueLimit: c.limit})
				require.NoError(b, err)
			}
			ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(ns/1e6, "ms/report")
			if baseNs > 0 {
				b.ReportMetric(baseNs/ns, "x-vs-baseline")
			}
		})
	}
}

func BenchmarkSupervision_SQLite(b *testing.B)   { benchSupervision(b, openSQLite(b)) }
func BenchmarkSupervision_Postgres(b *testing.B) { benchSupervision(b, openPG(b)) }

type noopSender struct{ n atomic.Int64 }

func (s *noopSender) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	s.n.Add(1)
	return notify.Receipt{ProviderID: o.IdempotencyKey}, nil
}

// benchDispatch measures messages dispatched per second from the SQL outbox
// to a no-op sender. The baseline is one dispatcher claiming one message per
// transaction; zhixing runs workers dispatchers claiming batches of 100, as
// several server instances would (claims never overlap).
func benchDispatch(b *testing.B, open func(testing.TB) *sqlstore.Store, workers int) {
	const n = 5000
	run := func(b *testing.B, batch, workers int) float64 {
		var total time.Duration
		for b.Loop() {
			b.StopTimer()
			s := open(b)
			var msgs []notify.Message
			for i := range n {
				msgs = append(msgs, storetest.NewMessage(i, time.Time{}))
			}
			require.NoError(b, s.Outbox().Put(context.Background(), msgs...))
			sender := &noopSender{}
			b.StartTimer()
			start := time.Now()
			done := make(chan error, workers)
			for range workers {
				go func() {
					d := &notify.Dispatcher{Outbox: s.Outbox(), Sender: sender, BatchSize: batch, Lease: time.Minute}
					for {
						k, err := d.RunOnce(context.Background())
						if err != nil {
							done <- err
							return
						}
						if k == 0 {
							done <- nil
							return
						}
					}
				}()
			}
			for range workers {
				require.NoError(b, <-done)
			}
			total += time.Since(start)
			require.EqualValues(b, n, sender.n.Load())
		}
		rate := float64(n) * float64(b.N) / total.Seconds()
		b.ReportMetric(rate, "msgs/s")
		return rate
	}
	var base float64
	b.Run("baseline", func(b *testing.B) { base = run(b, 1, 1) })
	b.Run("zhixing", func(b *testing.B) {
		rate := run(b, 100, workers)
		if base > 0 {
			b.ReportMetric(rate/base, "x-vs-baseline")
		}
	})
}

func BenchmarkDispatch_SQLite(b *testing.B) {
	// SQLite has one writer: more dispatchers only wait for the lock.
	benchDispatch(b, func(tb testing.TB) *sqlstore.Store { return openSQLite(tb) }, 1)
}

func BenchmarkDispatch_Postgres(b *testing.B) {
	benchDispatch(b, func(tb testing.TB) *sqlstore.Store { return openPG(tb) }, 16)
}
