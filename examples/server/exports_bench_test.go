package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// BenchmarkChiefExport measures the chief's exports over the demo court
// scaled to ZHIXING_BENCH_CASES cases (100,000 by default) over 20 judges,
// on SQLite and, when ZHIXING_TEST_PG is set, on PostgreSQL: building the
// export for the period from the first of January to today and writing it
// as .xlsx or CSV, as GET /api/v1/exports/{kind} does. Each sub-benchmark
// reports the median and the 99th percentile of its iterations; the target
// for the per-judge figures is under 1 s. Seeding takes minutes:
//
//	go test -run '^$' -bench BenchmarkChiefExport -benchtime 50x ./examples/server
func BenchmarkChiefExport(b *testing.B) {
	n := 100_000
	if v := os.Getenv("ZHIXING_BENCH_CASES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("ZHIXING_BENCH_CASES: %v", err)
		}
	}
	dsns := []struct{ name, dsn string }{{"sqlite", filepath.Join(b.TempDir(), "zhixing.db")}}
	if os.Getenv("ZHIXING_TEST_PG") != "" {
		dsns = append(dsns, struct{ name, dsn string }{"postgres", benchPG(b)})
	}
	for _, db := range dsns {
		b.Run(db.name, func(b *testing.B) {
			cfg := defaultConfig()
			cfg.DB, cfg.Demo, cfg.Now = db.dsn, true, newClock(testNow).Now
			cfg.Sender, cfg.BcryptCost = &fakeSender{}, bcrypt.MinCost
			cfg.RemindEvery, cfg.DispatchPoll = 0, 0
			_, a, err := newServer(b.Context(), cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer a.Close()
			t0 := time.Now()
			if err := a.seedBulk(b.Context(), n, bulkJudges); err != nil {
				b.Fatal(err)
			}
			if a.store.Dialect() == sqlstore.Postgres {
				if _, err := a.store.DB().ExecContext(b.Context(), "VACUUM ANALYZE"); err != nil {
					b.Fatal(err)
				}
			}
			b.Logf("%s: seeded %d cases over %d judges in %v", db.name, n, bulkJudges, time.Since(t0).Round(time.Second))
			chief := &desk.Principal{Role: desk.RoleChief, UserID: "chief"}
			per, err := a.desk.ParsePeriod("2026-01-01", "")
			if err != nil {
				b.Fatal(err)
			}
			for _, tc := range []struct {
				kind   desk.ExportKind
				format string
			}{{desk.ExportJudges, desk.FormatXLSX}, {desk.ExportJudges, desk.FormatCSV}, {desk.ExportOverdue, desk.FormatXLSX}, {desk.ExportKeyCases, desk.FormatXLSX}} {
				b.Run(string(tc.kind)+"-"+tc.format, func(b *testing.B) {
					b.ReportAllocs()
					var took []time.Duration
					rows := 0
					for b.Loop() {
						t0 := time.Now()
						t, err := a.desk.Export(b.Context(), chief, tc.kind, per)
						if err == nil {
							if tc.format == desk.FormatCSV {
								err = desk.WriteCSV(io.Discard, t)
							} else {
								err = desk.WriteXLSX(io.Discard, t)
							}
						}
						if err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(t0))
						rows = len(t.Rows)
					}
					slices.Sort(took)
					q := func(p float64) time.Duration { return took[min(len(took)-1, int(p*float64(len(took))))] }
					b.ReportMetric(float64(q(0.5).Microseconds())/1000, "median-ms")
					b.ReportMetric(float64(q(0.99).Microseconds())/1000, "p99-ms")
					b.ReportMetric(float64(rows), "rows")
				})
			}
		})
	}
}

// benchPG creates a schema of its own on ZHIXING_TEST_PG and returns a DSN
// pointing at it; the schema is dropped at the end.
func benchPG(b *testing.B) string {
	dsn := os.Getenv("ZHIXING_TEST_PG")
	var r [6]byte
	rand.Read(r[:])
	schema := "zb_" + hex.EncodeToString(r[:])
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		b.Fatal(err)
	}
	v := u.Query()
	v.Set("search_path", schema)
	u.RawQuery = v.Encode()
	return u.String()
}
