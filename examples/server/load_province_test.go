package main

import (
	"bufio"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// TestLoadProvince measures the server against a province's database: 20
// courts of 50,000 cases each (1M cases, some 6M due items) on PostgreSQL,
// and one court of 50,000 cases on SQLite. The server is configured for
// the first court (沪01); the other courts' rows sit in the same tables.
// Each court has 50 judges: its 50,000 cases are filed over two years, and
// a judge takes about 500 cases a year (see bulkJudges), so a judge has
// 1,000 cases, some 370 of them open. It runs only with ZHIXING_LOAD=1:
//
//	ZHIXING_LOAD=1 ZHIXING_TEST_PG='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
//	  go test -skip TestBrowser -run 'TestLoadProvince$' -v -timeout 3h ./examples/server
//
// The databases are kept between runs, so only the first run seeds them:
// on PostgreSQL the database zhixing_load (ZHIXING_LOAD_DB; created on the
// server of ZHIXING_TEST_PG if missing), on SQLite the file
// zhixing_load.db in the system's temporary directory (ZHIXING_LOAD_SQLITE).
// A run counts each court's cases and imports only the missing batches
// (Store.Import, 2,500 cases a batch), so an interrupted seeding resumes.
// Drop them when done: DROP DATABASE zhixing_load, and rm the file.
//
// The judge's reminders (of the judge with the most items due soon, see
// busiestJudge) and the chief's report (see TestLoad) run with 50 clients
// in the modes of ZHIXING_LOAD_MODES (default "uncached,cold,paced";
// "none" only seeds): "uncached" has the view cache off and each client
// sends its next request as soon as it has its answer; "cold" is the same
// with the cache on and a node recorded every 100 ms; "paced" has the
// cache off and each client sends a request a second
// (ZHIXING_LOAD_PACE_MS), as fifty people each refreshing their page every
// second would; the high court's overview of every court in the
// database ("overview store") is what GET /api/v1/overview reads, one
// Store.TallyCourts, called by the 50 clients directly (the server is
// configured for the demo's courts, not the twenty seeded). Besides the latencies, each run reports the process's
// peak resident memory (VmRSS, sampled every 50 ms) and Go heap in use
// (the clients run in the same process, but discard what they read), and
// the CPU time per request of the process and of the PostgreSQL backends.
// ZHIXING_LOAD_COURTS, ZHIXING_LOAD_CASES, ZHIXING_LOAD_JUDGES,
// ZHIXING_LOAD_BACKENDS ("postgres,sqlite"), ZHIXING_LOAD_ONLY ("judge
// reminders", "chief supervision", "chief supervision, page" — the report
// with ?limit=100 — or "overview store") and the variables
// of TestLoad change the defaults; ZHIXING_LOAD_CPUPROFILE names a folder
// for a CPU profile of each view and mode.
func TestLoadProvince(t *testing.T) {
	if os.Getenv("ZHIXING_LOAD") != "1" {
		t.Skip("ZHIXING_LOAD not set to 1; skipping the load test")
	}
	perCourt := envInt(t, "ZHIXING_LOAD_CASES", 50_000)
	// Each judge files about 500 cases a year, as in TestLoad, and the
	// bulk cases are filed over two years: 50 judges a court.
	judges := envInt(t, "ZHIXING_LOAD_JUDGES", max(1, perCourt/1000))
	clients := envInt(t, "ZHIXING_LOAD_CLIENTS", 50)
	requests := envInt(t, "ZHIXING_LOAD_REQUESTS", 2_000)
	writeEvery := time.Duration(envInt(t, "ZHIXING_LOAD_WRITE_MS", 100)) * time.Millisecond
	const window = 30 * time.Second
	only := os.Getenv("ZHIXING_LOAD_ONLY")
	modes := strings.Split(cmp.Or(os.Getenv("ZHIXING_LOAD_MODES"), "uncached,cold,paced"), ",")
	pace := time.Duration(envInt(t, "ZHIXING_LOAD_PACE_MS", 1000)) * time.Millisecond
	var table []loadResult
	la0 := loadAvg()
	for _, name := range strings.Split(cmp.Or(os.Getenv("ZHIXING_LOAD_BACKENDS"), "postgres,sqlite"), ",") {
		t.Run(name, func(t *testing.T) {
			var b backend
			courts := 1
			switch name {
			case "postgres":
				b = backend{name, provinceDB}
				courts = envInt(t, "ZHIXING_LOAD_COURTS", 20)
			case "sqlite":
				path := cmp.Or(os.Getenv("ZHIXING_LOAD_SQLITE"), filepath.Join(os.TempDir(), "zhixing_load.db"))
				b = backend{name, func(*testing.T) string { return path }}
			default:
				t.Fatalf("ZHIXING_LOAD_BACKENDS: unknown backend %q", name)
			}
			e := start(t, b)
			seeded := seedProvince(t, e, courts, perCourt, judges)
			if seeded && e.app.store.Dialect() == sqlstore.Postgres {
				t0 := time.Now()
				_, err := e.app.store.DB().ExecContext(t.Context(), "VACUUM ANALYZE")
				require.NoError(t, err)
				t.Logf("vacuumed and analysed in %v", time.Since(t0).Round(time.Second))
			}
			w := &loadWriter{e: e, cases: openCases(t, e, 2_000)}
			judge, chief := e.login(busiestJudge(t, e)), e.login("chief")
			for _, tc := range []struct {
				name string
				c    *client
				path string
			}{
				{"judge reminders", judge, "/api/v1/reminders"},
				{"chief supervision", chief, "/api/v1/supervision"},
				{"chief supervision, page", chief, "/api/v1/supervision?limit=100"},
			} {
				if only != "" && tc.name != only {
					continue
				}
				for _, mode := range modes {
					if mode == "" || mode == "none" {
						continue
					}
					e.app.desk.Views = desk.NewViewCache(256)
					var every time.Duration
					switch mode {
					case "uncached":
						e.app.desk.Views = nil
					case "paced":
						e.app.desk.Views, every = nil, pace
					case "cold":
					default:
						t.Fatalf("ZHIXING_LOAD_MODES: unknown mode %q", mode)
					}
					var stop func() int
					if mode == "cold" {
						stop = w.run(writeEvery)
					}
					mem, cpu := sampleMemory(), measureCPU(t, e)
					stopProfile := cpuProfile(t, b.name+"-"+tc.name+"-"+mode)
					r := loadRun(t, e, tc.c.token, tc.path, clients, requests, window, every)
					stopProfile()
					r.rss, r.heap = mem()
					r.goCPU, r.dbCPU = cpu(r.requests + r.errors)
					if stop != nil {
						r.writes = stop()
					}
					if v := e.app.desk.Views; v != nil {
						r.computed = int(v.Computed())
					}
					r.store, r.endpoint, r.mode, r.cases, r.judges = b.name, tc.name, mode, courts*perCourt, judges
					t.Logf("%s", r.lineMem())
					table = append(table, r)
				}
			}
			if only == "" || only == "overview store" {
				// The high court's overview (GET /api/v1/overview,
				// Desk.Overview) of every court in the database: one
				// Store.TallyCourts (summary rows only, with each court's
				// unanswered requests and open orders), called by the
				// clients directly, as the server configured for the
				// demo's courts would ask for only two of them.
				today := e.app.desk.Today()
				through := approachingThrough(t, e.app.desk.Calendar(), today)
				get := func(ctx context.Context) (int, int, error) {
					ts, err := e.app.store.TallyCourts(ctx, today, through)
					if err != nil {
						return 0, 0, err
					}
					if len(ts) < courts {
						return 0, 0, fmt.Errorf("%d courts tallied, want %d", len(ts), courts)
					}
					return http.StatusOK, len(ts), nil
				}
				mem, cpu := sampleMemory(), measureCPU(t, e)
				r := loadRunFunc(t, "TallyCourts", get, clients, requests, window, 0)
				r.rss, r.heap = mem()
				r.goCPU, r.dbCPU = cpu(r.requests + r.errors)
				r.bytes = 0
				r.store, r.endpoint, r.mode, r.cases, r.judges = b.name, "overview store", "uncached", courts*perCourt, judges
				t.Logf("%s", r.lineMem())
				table = append(table, r)
			}
		})
	}
	fmt.Printf("\nprovince load test: %d clients, at most %d requests or %v per endpoint and mode; cold: a node recorded every %v; paced: a request every %v from each client; load average before: %s, after: %s\n",
		clients, requests, window, writeEvery, pace, la0, loadAvg())
	fmt.Println("| store | endpoint | mode | cases | judges | requests | errors | writes | computed | median | p99 | max | throughput | response | peak RSS | peak heap | CPU/request: Go | PostgreSQL |")
	fmt.Println("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range table {
		fmt.Println(r.lineMem())
	}
}

// lineMem is line with the peak resident memory and heap.
func (r loadResult) lineMem() string {
	mb := func(n uint64) string { return fmt.Sprintf("%d MB", n>>20) }
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	db := "—"
	if r.dbCPU > 0 {
		db = ms(r.dbCPU)
	}
	return r.line() + fmt.Sprintf(" %s | %s | %s | %s |", mb(r.rss), mb(r.heap), ms(r.goCPU), db)
}

// measureCPU starts counting the CPU time of this process (server and
// clients) and of the PostgreSQL backends serving the province database;
// the returned function gives each per request, for n requests. The
// machine is shared, so latencies depend on what else runs; CPU time per
// request does much less, and gives the throughput two dedicated cores
// would reach.
func measureCPU(t *testing.T, e *env) func(n int) (goCPU, dbCPU time.Duration) {
	t.Helper()
	pg := e.app.store.Dialect() == sqlstore.Postgres
	backends := func() time.Duration {
		if !pg {
			return 0
		}
		rows, err := e.app.store.DB().QueryContext(t.Context(), `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
		require.NoError(t, err)
		defer rows.Close()
		var sum time.Duration
		for rows.Next() {
			var pid int
			require.NoError(t, rows.Scan(&pid))
			sum += procCPU(fmt.Sprintf("/proc/%d/stat", pid))
		}
		return sum
	}
	go0, db0 := procCPU("/proc/self/stat"), backends()
	return func(n int) (time.Duration, time.Duration) {
		g, d := procCPU("/proc/self/stat")-go0, backends()-db0
		if n == 0 {
			return 0, 0
		}
		return g / time.Duration(n), max(0, d) / time.Duration(n)
	}
}

// procCPU returns the user and system CPU time of the process whose
// /proc stat file is path, 0 if it cannot be read (a backend that has
// exited). The clock tick is 100 Hz on Linux.
func procCPU(path string) time.Duration {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	// The fields after the command name (which may hold spaces) start
	// after its closing parenthesis; utime and stime are the 12th and
	// 13th of them.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	var u, st int64
	fmt.Sscan(f[11], &u)
	fmt.Sscan(f[12], &st)
	return time.Duration(u+st) * 10 * time.Millisecond
}

// busiestJudge returns the judge of the server's court with the most open
// due items in the next five weeks, the longest reminders. The bulk cases
// go to judge i%50 and are filed on day i%700, so each judge's cases fall
// on 14 filing days and their items on few dates: on a given day some
// judges' reminders are short and others long; the test takes the
// longest.
func busiestJudge(t *testing.T, e *env) string {
	t.Helper()
	today := e.app.desk.Today()
	q := `SELECT judge_id FROM due_items WHERE court = ? AND is_open = ? AND due_on <= ? AND judge_id LIKE ? GROUP BY judge_id ORDER BY COUNT(*) DESC, judge_id LIMIT 1`
	if e.app.store.Dialect() == sqlstore.Postgres {
		q = `SELECT judge_id FROM due_items WHERE court = $1 AND is_open = $2 AND due_on <= $3 AND judge_id LIKE $4 GROUP BY judge_id ORDER BY COUNT(*) DESC, judge_id LIMIT 1`
	}
	var judge string
	require.NoError(t, e.app.store.DB().QueryRowContext(t.Context(), q, e.app.desk.DefaultCourt(), true, today.AddDays(35).String(), "judge-%").Scan(&judge))
	t.Logf("the judge with the most open items due in five weeks: %s", judge)
	return judge
}

// approachingThrough returns the last date after today that
// enforcement.LevelOf calls approaching, as Store.TallyCourts wants it.
func approachingThrough(t *testing.T, cal *deadline.Calendar, today deadline.Date) deadline.Date {
	t.Helper()
	through := today
	for d := today.AddDays(1); ; d = d.AddDays(1) {
		l, err := enforcement.LevelOf(cal, d, today, 0)
		if err != nil || l != enforcement.LevelApproaching {
			return through
		}
		through = d
	}
}

// provinceDB returns the DSN of the province database on the server of
// ZHIXING_TEST_PG, creating the database if it is missing.
func provinceDB(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("ZHIXING_TEST_PG")
	if dsn == "" {
		t.Skip("ZHIXING_TEST_PG not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable); skipping PostgreSQL")
	}
	name := cmp.Or(os.Getenv("ZHIXING_LOAD_DB"), "zhixing_load")
	admin, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	defer admin.Close()
	var exists bool
	require.NoError(t, admin.QueryRowContext(t.Context(), `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists))
	if !exists {
		_, err := admin.ExecContext(t.Context(), "CREATE DATABASE "+name)
		require.NoError(t, err)
	}
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String()
}

// provinceCourt returns the code of court k of the province: 沪01 (the
// server's) for 0, then 沪02, 沪03 and so on.
// cpuProfile writes the process's CPU profile of one run, until the
// function it returns is called, to ZHIXING_LOAD_CPUPROFILE/name.pprof
// when that folder is set (go tool pprof reads it).
func cpuProfile(t *testing.T, name string) func() {
	dir := os.Getenv("ZHIXING_LOAD_CPUPROFILE")
	if dir == "" {
		return func() {}
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	f, err := os.Create(filepath.Join(dir, strings.NewReplacer(" ", "_", ",", "").Replace(name)+".pprof"))
	require.NoError(t, err)
	require.NoError(t, pprof.StartCPUProfile(f))
	return func() {
		pprof.StopCPUProfile()
		require.NoError(t, f.Close())
	}
}

func provinceCourt(k int) string { return fmt.Sprintf("沪%02d", k+1) }

// seedProvince brings the database to courts courts of perCourt bulk cases
// each (see seedBulk), importing only the batches a court lacks, and
// reports whether it imported any. The cases of a batch are generated
// once, for the server's court, and relabelled for each other court: IDs,
// numbers and judges become the court's own, the rest is the same.
func seedProvince(t *testing.T, e *env, courts, perCourt, nJudges int) bool {
	t.Helper()
	ctx := t.Context()
	a := e.app
	require.Equal(t, provinceCourt(0), a.desk.DefaultCourt(), "the server's court")
	have := make([]int, courts)
	for k := range courts {
		q := `SELECT COUNT(*) FROM cases WHERE court = ? AND id LIKE ?`
		if a.store.Dialect() == sqlstore.Postgres {
			q = `SELECT COUNT(*) FROM cases WHERE court = $1 AND id LIKE $2`
		}
		require.NoError(t, a.store.DB().QueryRowContext(ctx, q, provinceCourt(k), "%bulk-%").Scan(&have[k]))
	}
	judges := []string{"judge-li", "judge-zhang", "judge-chen"}
	for k := len(judges); k < nJudges; k++ {
		judges = append(judges, fmt.Sprintf("judge-%02d", k+1))
	}
	if have[0] == 0 {
		// The server's court's judges sign in; the others' judges are
		// only names on their cases.
		for _, id := range judges[3:] {
			u := desk.User{ID: id, Court: a.desk.DefaultCourt(), Role: desk.RoleJudge, Name: "法官" + strings.TrimPrefix(id, "judge-"), Mobile: "139000001" + strings.TrimPrefix(id, "judge-")}
			require.NoError(t, a.desk.CreateUser(ctx, u, "demo-"+u.ID))
		}
	}
	const batch = 2_500
	today := a.desk.Today()
	env := a.desk.Env(a.desk.DefaultCourt())
	seeded := false
	t0 := time.Now()
	for start := 0; start < perCourt; start += batch {
		end := min(start+batch, perCourt)
		var missing []int
		for k := range courts {
			if have[k] < end {
				missing = append(missing, k)
			}
		}
		if len(missing) == 0 {
			continue
		}
		cases := bulkBatch(t, start, end, judges, today, env)
		for _, k := range missing {
			court := provinceCourt(k)
			for i, c := range cases {
				n := start + i
				c.Court = court
				c.ID = fmt.Sprintf("bulk-%d", n)
				if k > 0 {
					c.ID = fmt.Sprintf("%s-bulk-%d", court, n)
				}
				num, err := enforcement.ParseCaseNumber(fmt.Sprintf("（%d）%s执%d号", c.Number.Year, court, 10000+n))
				require.NoError(t, err)
				c.Number = num
				c.JudgeID = judges[n%len(judges)]
				if k > 0 {
					c.JudgeID = fmt.Sprintf("%s-%s", court, c.JudgeID)
				}
			}
			require.NoError(t, a.store.Import(ctx, cases), "court %s, cases %d to %d", court, start, end)
			seeded = true
		}
		t.Logf("seeded cases %d to %d of %d courts in %v", start, end, len(missing), time.Since(t0).Round(time.Second))
	}
	return seeded
}

// bulkBatch generates bulk cases start to end of the server's court on
// every core.
func bulkBatch(t *testing.T, start, end int, judges []string, today deadline.Date, env enforcement.Env) []*enforcement.Case {
	t.Helper()
	cases := make([]*enforcement.Case, end-start)
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := start + w; i < end; i += workers {
				c, err := bulkCase(provinceCourt(0), i, judges, today, env)
				if err != nil {
					errs[w] = err
					return
				}
				cases[i-start] = c
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	return cases
}

// openCases returns up to n open cases of the server's court, for the
// writer.
func openCases(t *testing.T, e *env, n int) []*enforcement.Case {
	t.Helper()
	page, err := e.app.store.ListCases(t.Context(), enforcement.CaseListFilter{Court: e.app.desk.DefaultCourt(), Status: enforcement.StatusOpen, Limit: n})
	require.NoError(t, err)
	var out []*enforcement.Case
	for _, r := range page.Rows {
		out = append(out, r.Case)
	}
	require.NotEmpty(t, out)
	return out
}

// sampleMemory samples the process's resident memory and Go heap in use
// every 50 ms until the returned function is called, which returns their
// peaks in bytes.
func sampleMemory() func() (rss, heap uint64) {
	done := make(chan struct{})
	var peakRSS, peakHeap uint64
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapInuse)
			peakRSS = max(peakRSS, residentMemory())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() (uint64, uint64) {
		close(done)
		wg.Wait()
		return peakRSS, peakHeap
	}
}

// residentMemory returns the process's resident set size (VmRSS), or 0
// where /proc is missing.
func residentMemory() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			var kb uint64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
			return kb * 1024
		}
	}
	return 0
}
