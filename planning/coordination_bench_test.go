package planning_test

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/courtkit/zhixing/planning"
)

// nationalWeek returns n trips in one working week spread over China the
// way a national batch looks: about 2,800 county-level areas, each with its
// own cluster of addresses, n/3 judges, most trips with a division code and
// most with coordinates.
func nationalWeek(n int) []planning.Trip {
	r := rand.New(rand.NewSource(0xdead1337))
	provinces := []int{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65}
	type area struct {
		code     string
		lat, lng float64
	}
	areas := make([]area, 2800)
	for i := range areas {
		areas[i] = area{
			code: fmt.Sprintf("%02d%04d", provinces[r.Intn(len(provinces))], 100+r.Intn(9000)),
			lat:  22 + r.Float64()*24,
			lng:  85 + r.Float64()*40,
		}
	}
	cst := time.FixedZone("CST", 8*3600)
	monday := time.Date(2024, 11, 25, 0, 0, 0, 0, cst)
	trips := make([]planning.Trip, n)
	for i := range trips {
		a := areas[r.Intn(len(areas))]
		start := monday.Add(time.Duration(r.Intn(5))*24*time.Hour + 8*time.Hour + time.Duration(r.Intn(9*60))*time.Minute)
		tr := planning.Trip{
			ID:      fmt.Sprintf("trip-%06d", i),
			JudgeID: fmt.Sprintf("judge-%05d", r.Intn(n/3+1)),
			Start:   start,
			End:     start.Add(time.Duration(60+r.Intn(5*60)) * time.Minute),
		}
		if r.Intn(10) != 0 {
			tr.Place.Division = a.code
		}
		if tr.Place.Division == "" || r.Intn(10) < 7 {
			tr.Place.Lat = a.lat + (r.Float64()-0.5)*0.2
			tr.Place.Lng = a.lng + (r.Float64()-0.5)*0.2
			tr.Place.HasCoords = true
		}
		trips[i] = tr
	}
	return trips
}

// denseWeek returns n trips in one week all within Shanghai: 16 districts
// and coordinates over about 100 × 100 km, so that nearly everything chains
// into one group and each grid cell holds many trips under way at once.
func denseWeek(n int) []planning.Trip {
	trips := nationalWeek(n)
	r := rand.New(rand.NewSource(0xdead1337))
	for i := range trips {
		trips[i].Place = planning.Place{
			Division:  fmt.Sprintf("3101%02d", 1+r.Intn(16)),
			Lat:       30.7 + r.Float64()*0.9,
			Lng:       120.9 + r.Float64()*1.0,
			HasCoords: true,
		}
	}
	return trips
}

// BenchmarkCoordinate compares the sweep with the pairwise version where the
// latter is still practical, and times the sweep alone on a national week of
// 100,000 trips.
func BenchmarkCoordinate(b *testing.B) {
	cfg := planning.CoordinationConfig{HomeDivisionPrefixes: []string{"3101"}}
	for _, n := range []int{1000, 5000} {
		trips := nationalWeek(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			var baseNs float64
			b.Run("baseline", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := planning.CoordinatePairwise(trips, cfg); err != nil {
						b.Fatal(err)
					}
				}
				baseNs = float64(b.Elapsed()) / float64(b.N)
			})
			b.Run("zhixing", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := planning.Coordinate(trips, cfg); err != nil {
						b.Fatal(err)
					}
				}
				if ns := float64(b.Elapsed()) / float64(b.N); baseNs > 0 && ns > 0 {
					b.ReportMetric(baseNs/ns, "x-vs-baseline")
				}
			})
		})
	}
	for _, c := range []struct {
		name  string
		trips []planning.Trip
	}{
		{"n=100000/zhixing", nationalWeek(100_000)},
		{"n=100000-dense/zhixing", denseWeek(100_000)},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var groups int
			for b.Loop() {
				gs, err := planning.Coordinate(c.trips, cfg)
				if err != nil {
					b.Fatal(err)
				}
				groups = len(gs)
			}
			b.ReportMetric(float64(groups), "groups")
		})
	}
}
