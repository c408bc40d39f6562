package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// TestLoad measures the judge's reminders, the chief's supervision report
// and the chief's agenda over loopback with the demo court scaled to 10,000
// cases over 20 judges, on SQLite and, when ZHIXING_TEST_PG is set, on
// PostgreSQL. It runs only with ZHIXING_LOAD=1:
//
//	ZHIXING_LOAD=1 go test -skip TestBrowser -run 'TestLoad$' -v ./examples/server
//
// Each endpoint is called by 50 concurrent clients, each sending its next
// request as soon as the last one is answered, until 2,000 requests have
// been answered or 30 seconds have passed, whichever comes first; every
// request has a 10 s timeout. Each endpoint runs in three modes: "warm"
// (the view cache on and nothing written: every answer is a validated
// cache hit, the steady state), "cold" (the cache on and a writer recording
// a node on an open case every 100 ms, so every view is computed again
// after each write) and "uncached" (the cache off: every request computes).
// ZHIXING_LOAD_CASES, ZHIXING_LOAD_JUDGES, ZHIXING_LOAD_CLIENTS,
// ZHIXING_LOAD_REQUESTS, ZHIXING_LOAD_WRITE_MS (the writer's interval),
// ZHIXING_LOAD_ONLY (an endpoint's name) and ZHIXING_LOAD_MODES (e.g.
// "warm,cold") change the defaults.
func TestLoad(t *testing.T) {
	if os.Getenv("ZHIXING_LOAD") != "1" {
		t.Skip("ZHIXING_LOAD not set to 1; skipping the load test")
	}
	n := envInt(t, "ZHIXING_LOAD_CASES", 10_000)
	judges := envInt(t, "ZHIXING_LOAD_JUDGES", bulkJudges)
	clients := envInt(t, "ZHIXING_LOAD_CLIENTS", 50)
	requests := envInt(t, "ZHIXING_LOAD_REQUESTS", 2_000)
	writeEvery := time.Duration(envInt(t, "ZHIXING_LOAD_WRITE_MS", 100)) * time.Millisecond
	const window = 30 * time.Second
	only := os.Getenv("ZHIXING_LOAD_ONLY")
	modes := strings.Split(cmp.Or(os.Getenv("ZHIXING_LOAD_MODES"), "warm,cold,uncached"), ",")

	var table []loadResult
	la0 := loadAvg()
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			e := start(t, b)
			t0 := time.Now()
			require.NoError(t, e.app.seedBulk(t.Context(), n, judges))
			t.Logf("%s: seeded %d cases over %d judges in %v", b.name, n, judges, time.Since(t0).Round(time.Millisecond))
			// A production PostgreSQL database is vacuumed and analysed by
			// autovacuum; so is this one before measuring, so that the
			// planner has statistics and the covering indexes are read
			// without visiting the tables. SQLite analyses nothing by
			// itself, and neither the store nor the server asks it to, so
			// its database is measured as it is.
			if e.app.store.Dialect() == sqlstore.Postgres {
				_, err := e.app.store.DB().ExecContext(t.Context(), "VACUUM ANALYZE")
				require.NoError(t, err)
			}
			open, err := e.app.store.Find(t.Context(), enforcement.CaseFilter{Court: e.app.desk.DefaultCourt(), Status: enforcement.StatusOpen})
			require.NoError(t, err)
			w := &loadWriter{e: e, cases: open}
			judge, chief := e.login("judge-li"), e.login("chief")
			for _, tc := range []struct {
				name string
				c    *client
				path string
			}{
				{"judge reminders", judge, "/api/v1/reminders"},
				{"chief supervision", chief, "/api/v1/supervision"},
				{"chief agenda", chief, "/api/v1/reminders"},
			} {
				if only != "" && tc.name != only {
					continue
				}
				for _, mode := range modes {
					e.app.desk.Views = desk.NewViewCache(256)
					if mode == "uncached" {
						e.app.desk.Views = nil
					}
					var stop func() int
					if mode == "cold" {
						stop = w.run(writeEvery)
					}
					r := loadRun(t, e, tc.c.token, tc.path, clients, requests, window, 0)
					if stop != nil {
						r.writes = stop()
					}
					if v := e.app.desk.Views; v != nil {
						r.computed = int(v.Computed())
					}
					r.store, r.endpoint, r.mode, r.cases, r.judges = b.name, tc.name, mode, n, judges
					t.Logf("%s", r.line())
					table = append(table, r)
				}
			}
		})
	}
	fmt.Printf("\nload test: %d clients, at most %d requests or %v per endpoint and mode; cold: a node recorded every %v; load average before: %s, after: %s\n",
		clients, requests, window, writeEvery, la0, loadAvg())
	fmt.Println("| store | endpoint | mode | cases | judges | requests | errors | writes | computed | median | p99 | max | throughput | response |")
	fmt.Println("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range table {
		fmt.Println(r.line())
	}
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// loadWriter records network-inquiry nodes (网络查控) on open cases, one
// after another through the desk, as their judges would, so that each
// write raises the court's revision and the next read computes its view.
type loadWriter struct {
	e     *env
	cases []*enforcement.Case
	next  int
}

// run starts writing every interval until the returned stop is called;
// stop returns the number of writes made.
func (w *loadWriter) run(every time.Duration) (stop func() int) {
	ctx, cancel := context.WithCancel(w.e.t.Context())
	done := make(chan int)
	go func() {
		n := 0
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				done <- n
				return
			case <-tick.C:
			}
			c := w.cases[w.next%len(w.cases)]
			w.next++
			p := &desk.Principal{Role: desk.RoleJudge, UserID: c.JudgeID}
			_, err := w.e.app.desk.RecordNode(ctx, p, c.ID, enforcement.Node{Kind: enforcement.NodeNetworkInquiry, Date: w.e.app.desk.Today()})
			if err != nil && ctx.Err() == nil {
				w.e.t.Errorf("load writer: case %s: %v", c.ID, err)
			}
			if err == nil {
				n++
			}
		}
	}()
	return func() int { cancel(); return <-done }
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	require.NoError(t, err, name)
	return n
}

// loadResult is one endpoint's figures.
type loadResult struct {
	store, endpoint  string
	mode             string
	writes, computed int // writes made and views computed during the run
	cases, judges    int
	requests, errors int
	median, p99, max time.Duration
	throughput       float64 // answered requests per second
	bytes            int     // size of one response
	elapsed          time.Duration
	rss, heap        uint64        // peak resident memory and Go heap in use, bytes (TestLoadProvince)
	goCPU, dbCPU     time.Duration // CPU time per request of this process and of the PostgreSQL backends (TestLoadProvince)
}

func (r loadResult) line() string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	computed := "all"
	if r.mode != "uncached" && !strings.HasPrefix(r.mode, "paced") {
		computed = fmt.Sprint(r.computed)
	}
	return fmt.Sprintf("| %s | %s | %s | %d | %d | %d | %d | %d | %s | %s | %s | %s | %.0f/s | %d KB |", r.store, r.endpoint, r.mode, r.cases, r.judges,
		r.requests, r.errors, r.writes, computed, ms(r.median), ms(r.p99), ms(r.max), r.throughput, r.bytes/1024)
}

// loadRun sends GET path with token from clients concurrent clients, each
// waiting for its answer before the next request, until requests answers
// or window has passed; it returns the latencies' median, 99th percentile
// and maximum and the throughput.
func loadRun(t *testing.T, e *env, token, path string, clients, requests int, window, pace time.Duration) loadResult {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}, Timeout: 10 * time.Second}
	defer hc.CloseIdleConnections()
	get := func(ctx context.Context) (int, int, error) {
		req, err := http.NewRequestWithContext(ctx, "GET", e.srv.URL+path, nil)
		if err != nil {
			return 0, 0, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := hc.Do(req)
		if err != nil {
			return 0, 0, err
		}
		defer resp.Body.Close()
		n, err := io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, int(n), err
	}
	return loadRunFunc(t, path, get, clients, requests, window, pace)
}

// loadRunFunc is loadRun for any request: get answers an HTTP status, the
// size of the answer and an error. With pace > 0 each client sends a
// request every pace (the clients' starts spread over the first one), as
// people at their screens do, instead of the next as soon as the last is
// answered; a client whose answer comes later than pace sends the next at
// once.
func loadRunFunc(t *testing.T, path string, get func(context.Context) (int, int, error), clients, requests int, window, pace time.Duration) loadResult {
	t.Helper()
	// One request first, to check the answer and warm the connection pool
	// and the database's page cache.
	st, size, err := get(t.Context())
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st, path)

	ctx, cancel := context.WithTimeout(t.Context(), window)
	defer cancel()
	var issued, failed atomic.Int64
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := range clients {
		wg.Go(func() {
			next := t0.Add(pace * time.Duration(w) / time.Duration(clients))
			for ctx.Err() == nil && issued.Add(1) <= int64(requests) {
				if pace > 0 {
					select {
					case <-time.After(time.Until(next)):
					case <-ctx.Done():
						return
					}
					next = next.Add(pace)
				}
				s := time.Now()
				st, _, err := get(ctx)
				d := time.Since(s)
				if ctx.Err() != nil {
					return // cut off by the window: not counted
				}
				if err != nil || st != http.StatusOK {
					failed.Add(1)
					continue
				}
				lat[w] = append(lat[w], d)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(t0)
	all := slices.Concat(lat...)
	slices.Sort(all)
	require.NotEmpty(t, all, "no request answered")
	q := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	if f := failed.Load(); f > 0 {
		t.Errorf("%s: %d requests failed", path, f)
	}
	return loadResult{requests: len(all), errors: int(failed.Load()), median: q(0.5), p99: q(0.99), max: all[len(all)-1],
		throughput: float64(len(all)) / elapsed.Seconds(), bytes: size, elapsed: elapsed}
}
