package main

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLoad measures the judge's reminders and the chief's supervision
// endpoints over loopback with the demo scaled to 10,000 cases (set
// ZHIXING_LOAD_CASES to change it). It runs only with ZHIXING_LOAD=1:
//
//	ZHIXING_LOAD=1 go test -run TestLoad -v ./examples/server
func TestLoad(t *testing.T) {
	if os.Getenv("ZHIXING_LOAD") != "1" {
		t.Skip("ZHIXING_LOAD not set to 1; skipping the load test")
	}
	n := 10_000
	if v := os.Getenv("ZHIXING_LOAD_CASES"); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(t, err)
	}
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			e := start(t, b)
			t0 := time.Now()
			require.NoError(t, e.app.seedBulk(t.Context(), n))
			t.Logf("%s: seeded %d cases in %v", b.name, n, time.Since(t0).Round(time.Millisecond))
			judge, chief := e.login("judge-li"), e.login("chief")
			const requests, workers = 40, 4
			only := os.Getenv("ZHIXING_LOAD_ONLY")
			for _, tc := range []struct {
				name string
				c    *client
				path string
			}{
				{"judge reminders (agenda)", judge, "/api/v1/reminders"},
				{"judge due index", judge, "/api/v1/due"},
				{"judge due index, 30 days", judge, "/api/v1/due?due_before=" + testNow.AddDate(0, 0, 30).Format("2006-01-02")},
				{"chief supervision", chief, "/api/v1/supervision"},
				{"chief agenda", chief, "/api/v1/reminders"},
			} {
				if only != "" && tc.name != only {
					continue
				}
				lat := make([]time.Duration, 0, requests)
				var mu sync.Mutex
				var wg sync.WaitGroup
				jobs := make(chan struct{}, requests)
				for range requests {
					jobs <- struct{}{}
				}
				close(jobs)
				for range workers {
					wg.Go(func() {
						for range jobs {
							s := time.Now()
							st, _ := tc.c.raw("GET", tc.path, nil)
							d := time.Since(s)
							if st != http.StatusOK {
								t.Errorf("%s: status %d", tc.path, st)
							}
							mu.Lock()
							lat = append(lat, d)
							mu.Unlock()
						}
					})
				}
				wg.Wait()
				slices.Sort(lat)
				p := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
				fmt.Printf("load %-8s %-26s cases=%d requests=%d workers=%d median=%v p99=%v\n", b.name, tc.name, n, requests, workers,
					p(0.5).Round(time.Microsecond), p(0.99).Round(time.Microsecond))
			}
		})
	}
}
