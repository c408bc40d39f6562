package planning_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/planning"
)

// mkTrip builds a valid trip of judge on November day, from hour h0 to h1
// (China time), to division div (may be empty when coords are given).
func mkTrip(id, judge string, day, h0, h1 int, div string) planning.Trip {
	return planning.Trip{
		ID: id, JudgeID: judge, JudgeName: judge,
		Start: novAt(day, h0, 0), End: novAt(day, h1, 0),
		Place: planning.Place{Address: div + "某路", Division: div},
	}
}

// withCoords returns t with coordinates.
func withCoords(t planning.Trip, lat, lng float64) planning.Trip {
	t.Place.Lat, t.Place.Lng, t.Place.HasCoords = lat, lng, true
	return t
}

// memberIDs returns each group's trip IDs.
func memberIDs(groups []planning.Group) [][]string {
	out := [][]string{}
	for _, g := range groups {
		var ids []string
		for _, t := range g.Trips {
			ids = append(ids, t.ID)
		}
		out = append(out, ids)
	}
	return out
}

// Pudong points about 3 km apart, and one about 50 km away (Jinshan).
const (
	zhangjiangLat, zhangjiangLng = 31.2050, 121.6000
	nearbyLat, nearbyLng         = 31.2320, 121.6000 // 3.0 km north
	jinshanLat, jinshanLng       = 30.7400, 121.3400
)

func TestCoordinate_Grouping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		trips []planning.Trip
		cfg   planning.CoordinationConfig
		want  [][]string
	}{
		{"EmptyInput", nil, planning.CoordinationConfig{}, [][]string{}},
		{"SingleTrip", []planning.Trip{mkTrip("a", "j1", 27, 9, 11, "310115")}, planning.CoordinationConfig{}, [][]string{}},
		{"SameHalfDaySameDivision", []planning.Trip{
			mkTrip("a", "j1", 27, 9, 10, "310115"),
			mkTrip("b", "j2", 27, 10, 11, "310115"),
		}, planning.CoordinationConfig{}, [][]string{{"a", "b"}}},
		{"ChainThroughAdjacentHalfDays", []planning.Trip{
			mkTrip("c", "j3", 28, 9, 11, "310115"),
			mkTrip("a", "j1", 27, 9, 11, "310115"),
			mkTrip("b", "j2", 27, 14, 16, "310115"),
		}, planning.CoordinationConfig{}, [][]string{{"a", "b", "c"}}},
		{"ChainBrokenWithoutSlack", []planning.Trip{
			mkTrip("a", "j1", 27, 9, 11, "310115"),
			mkTrip("b", "j2", 27, 14, 16, "310115"),
			mkTrip("c", "j3", 28, 9, 11, "310115"),
		}, planning.CoordinationConfig{SlackHalfDays: -1}, [][]string{}},
		{"TouchingIntervalsWithoutSlack", []planning.Trip{
			mkTrip("a", "j1", 27, 10, 12, "310115"),
			mkTrip("b", "j2", 27, 12, 13, "310115"),
		}, planning.CoordinationConfig{SlackHalfDays: -1}, [][]string{{"a", "b"}}},
		{"SameHalfDayWithoutSlack", []planning.Trip{
			mkTrip("a", "j1", 27, 8, 9, "310115"),
			mkTrip("b", "j2", 27, 10, 11, "310115"),
		}, planning.CoordinationConfig{SlackHalfDays: -1}, [][]string{{"a", "b"}}},
		{"GapOfTwoHalfDaysDefaultSlack", []planning.Trip{
			mkTrip("a", "j1", 27, 9, 10, "310115"),
			mkTrip("b", "j2", 28, 9, 10, "310115"),
		}, planning.CoordinationConfig{}, [][]string{}},
		{"GapOfTwoHalfDaysSlackTwo", []planning.Trip{
			mkTrip("a", "j1", 27, 9, 10, "310115"),
			mkTrip("b", "j2", 28, 9, 10, "310115"),
		}, planning.CoordinationConfig{SlackHalfDays: 2}, [][]string{{"a", "b"}}},
		{"DifferentDivisionsNoCoords", []planning.Trip{
			mkTrip("a", "j1", 27, 9, 10, "310115"),
			mkTrip("b", "j2", 27, 9, 10, "310112"),
		}, planning.CoordinationConfig{}, [][]string{}},
		{"DifferentDivisionsWithinDistance", []planning.Trip{
			withCoords(mkTrip("a", "j1", 27, 9, 10, "310115"), zhangjiangLat, zhangjiangLng),
			withCoords(mkTrip("b", "j2", 27, 9, 10, "310112"), nearbyLat, nearbyLng),
		}, planning.CoordinationConfig{}, [][]string{{"a", "b"}}},
		{"DifferentDivisionsBeyondConfiguredDistance", []planning.Trip{
			withCoords(mkTrip("a", "j1", 27, 9, 10, "310115"), zhangjiangLat, zhangjiangLng),
			withCoords(mkTrip("b", "j2", 27, 9, 10, "310112"), nearbyLat, nearbyLng),
		}, planning.CoordinationConfig{MaxDistanceKm: 2}, [][]string{}},
		{"DistanceMatchingOff", []planning.Trip{
			withCoords(mkTrip("a", "j1", 27, 9, 10, "310115"), zhangjiangLat, zhangjiangLng),
			withCoords(mkTrip("b", "j2", 27, 9, 10, "310112"), nearbyLat, nearbyLng),
		}, planning.CoordinationConfig{MaxDistanceKm: -1}, [][]string{}},
		{"SameDivisionFarApart", []planning.Trip{
			withCoords(mkTrip("a", "j1", 27, 9, 10, "310115"), zhangjiangLat, zhangjiangLng),
			withCoords(mkTrip("b", "j2", 27, 9, 10, "310115"), jinshanLat, jinshanLng),
		}, planning.CoordinationConfig{}, [][]string{{"a", "b"}}},
		{"CoordsOnlyWithinDistance", []planning.Trip{
			withCoords(mkTrip("a", "j1", 27, 9, 10, ""), zhangjiangLat, zhangjiangLng),
			withCoords(mkTrip("b", "j2", 27, 9, 10, ""), nearbyLat, nearbyLng),
		}, planning.CoordinationConfig{}, [][]string{{"a", "b"}}},
		{"CoordsOnlyFarApart", []planning.Trip{
			withCoords(mkTrip("a", "j1", 27, 9, 10, ""), zhangjiangLat, zhangjiangLng),
			withCoords(mkTrip("b", "j2", 27, 9, 10, ""), jinshanLat, jinshanLng),
		}, planning.CoordinationConfig{}, [][]string{}},
		{"SameJudgeNeverPairsWithItself", []planning.Trip{
			withCoords(mkTrip("a", "j1", 27, 9, 10, "310115"), zhangjiangLat, zhangjiangLng),
			withCoords(mkTrip("b", "j1", 27, 9, 10, "310115"), zhangjiangLat, zhangjiangLng),
		}, planning.CoordinationConfig{}, [][]string{}},
		{"SameJudgeTwiceThroughAnother", []planning.Trip{
			mkTrip("a1", "j1", 27, 9, 10, "310115"),
			mkTrip("a2", "j1", 27, 10, 11, "310115"),
			mkTrip("b", "j2", 27, 9, 11, "310115"),
		}, planning.CoordinationConfig{}, [][]string{{"a1", "b", "a2"}}},
		{"ExpiredTripOfSameJudgeStaysOut", []planning.Trip{
			mkTrip("a1", "j1", 27, 9, 10, "310115"),
			mkTrip("a2", "j1", 27, 14, 15, "310115"),
			mkTrip("b", "j2", 28, 9, 10, "310115"),
		}, planning.CoordinationConfig{}, [][]string{{"a2", "b"}}},
		{"SeparateGroupsOrderedByStart", []planning.Trip{
			mkTrip("p1", "j1", 29, 9, 10, "310112"),
			mkTrip("p2", "j2", 29, 9, 10, "310112"),
			mkTrip("q1", "j1", 27, 9, 10, "310115"),
			mkTrip("q2", "j3", 27, 9, 10, "310115"),
		}, planning.CoordinationConfig{}, [][]string{{"q1", "q2"}, {"p1", "p2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := planning.Coordinate(tt.trips, tt.cfg)
			require.NoError(t, err)
			require.Equal(t, tt.want, memberIDs(got))
			base, err := planning.CoordinatePairwise(tt.trips, tt.cfg)
			require.NoError(t, err)
			require.Equal(t, base, got)
		})
	}
}

func TestCoordinate_GroupFields(t *testing.T) {
	t.Parallel()
	trips := []planning.Trip{
		mkTrip("b", "j2", 27, 10, 12, "320508"),
		mkTrip("a", "j1", 27, 9, 11, "320508"),
		mkTrip("c", "j3", 27, 11, 15, "310115"),
		mkTrip("d", "j4", 27, 11, 12, "320508"),
	}
	trips[2].Place.Lat, trips[2].Place.Lng, trips[2].Place.HasCoords = 31.3, 120.6, true
	trips[3].Place.Lat, trips[3].Place.Lng, trips[3].Place.HasCoords = 31.3, 120.6, true
	cfg := planning.CoordinationConfig{
		HomeDivisionPrefixes: []string{"3101"},
		DivisionNames:        map[string]string{"320508": "姑苏区"},
	}
	groups, err := planning.Coordinate(trips, cfg)
	require.NoError(t, err)
	require.Len(t, groups, 1)
	g := groups[0]
	require.Equal(t, []string{"a", "b", "c", "d"}, memberIDs(groups)[0])
	require.Equal(t, []string{"j1", "j2", "j3", "j4"}, g.Judges)
	require.Equal(t, planning.Window{Start: novAt(27, 9, 0), End: novAt(27, 15, 0)}, g.Window)
	require.Equal(t, &planning.Window{Start: novAt(27, 11, 0), End: novAt(27, 11, 0)}, g.Common, "touching at 11:00")
	require.Len(t, g.Stops, 2)
	require.Equal(t, []string{"a", "b", "d"}, g.Stops[0].TripIDs)
	require.True(t, g.Stops[0].Place.HasCoords, "coordinates filled from trip d")
	require.Equal(t, novAt(27, 9, 0), g.Stops[0].Start)
	require.Equal(t, []string{"c"}, g.Stops[1].TripIDs)
	require.Equal(t, []planning.Delegation{{Division: "320508", Name: "姑苏区", TripIDs: []string{"a", "b", "d"}}}, g.Delegations)
	require.Equal(t, "j1、j2、j3、j4 11月27日上午至下午 均赴姑苏区(320508)、310115 办案，建议合并出行；姑苏区(320508)不在本院辖区，也可委托当地法院办理（执行事项委托）", g.Summary)

	t.Run("NoDelegationWithoutHomePrefixes", func(t *testing.T) {
		t.Parallel()
		groups, err := planning.Coordinate(trips, planning.CoordinationConfig{})
		require.NoError(t, err)
		require.Nil(t, groups[0].Delegations)
	})
	t.Run("NoDelegationAtHome", func(t *testing.T) {
		t.Parallel()
		groups, err := planning.Coordinate(trips, planning.CoordinationConfig{HomeDivisionPrefixes: []string{"31", "3205"}})
		require.NoError(t, err)
		require.Nil(t, groups[0].Delegations)
	})
	t.Run("IDIndependentOfInputOrder", func(t *testing.T) {
		t.Parallel()
		rev := slices.Clone(trips)
		slices.Reverse(rev)
		again, err := planning.Coordinate(rev, cfg)
		require.NoError(t, err)
		require.Equal(t, groups, again)
		require.Regexp(t, `^tg-[0-9a-f]{16}$`, g.ID)
	})
	t.Run("SharesNoMemoryWithCaller", func(t *testing.T) {
		t.Parallel()
		in := slices.Clone(trips)
		out, err := planning.Coordinate(in, cfg)
		require.NoError(t, err)
		in[0].ID, in[1].Place.Division = "changed", "310101"
		require.Equal(t, groups, out)
		wantIn := slices.Clone(in)
		out[0].Trips[0].ID = "changed too"
		require.Equal(t, wantIn, in)
	})
}

func TestCoordinate_SummaryWindow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		a, b         planning.Trip
		wantInSuffix string
	}{
		{"Morning", mkTrip("a", "张法官", 27, 9, 10, "310115"), mkTrip("b", "李法官", 27, 9, 12, "310115"), "张法官、李法官 11月27日上午 均赴"},
		{"AfternoonEndingAtMidnight", mkTrip("a", "张法官", 27, 13, 14, "310115"), mkTrip("b", "李法官", 27, 15, 24, "310115"), "张法官、李法官 11月27日下午 均赴"},
		{"AcrossDays", mkTrip("a", "张法官", 27, 15, 16, "310115"), mkTrip("b", "李法官", 28, 9, 10, "310115"), "张法官、李法官 11月27日下午至11月28日上午 均赴"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			groups, err := planning.Coordinate([]planning.Trip{tt.a, tt.b}, planning.CoordinationConfig{})
			require.NoError(t, err)
			require.Len(t, groups, 1)
			require.Equal(t, tt.wantInSuffix+"310115 办案，建议合并出行", groups[0].Summary)
		})
	}
}

func TestCoordinate_Errors(t *testing.T) {
	t.Parallel()
	good := mkTrip("a", "j1", 27, 9, 10, "310115")
	bad := mkTrip("b", "", 27, 10, 9, "3101")
	dup := mkTrip("a", "j2", 27, 9, 10, "310115")
	cfg := planning.CoordinationConfig{MaxDistanceKm: math.Inf(1), HomeDivisionPrefixes: []string{"3", "31x"}}

	groups, err := planning.Coordinate([]planning.Trip{good, bad, dup}, cfg)
	require.Nil(t, groups)
	for _, want := range []error{planning.ErrInvalidConfig, planning.ErrTripNoJudge, planning.ErrTripEndBeforeStart, planning.ErrInvalidDivision, planning.ErrDuplicateTrip} {
		require.ErrorIs(t, err, want)
	}
	var ce *planning.ConfigError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "MaxDistanceKm", ce.Field)
	require.Len(t, cfg.Validate().(interface{ Unwrap() []error }).Unwrap(), 3)

	_, err = planning.CoordinatePairwise([]planning.Trip{good, dup}, planning.CoordinationConfig{})
	var te *planning.TripError
	require.ErrorAs(t, err, &te)
	require.Equal(t, "a", te.TripID)
	require.ErrorIs(t, te, planning.ErrDuplicateTrip)
}

func TestCoordinationConfig_IsHomeDivision(t *testing.T) {
	t.Parallel()
	cfg := planning.CoordinationConfig{HomeDivisionPrefixes: []string{"3101", "320505"}}
	require.True(t, cfg.IsHomeDivision("310115"))
	require.True(t, cfg.IsHomeDivision("320505"))
	require.False(t, cfg.IsHomeDivision("320508"))
	require.True(t, cfg.IsHomeDivision(""), "unknown division counts as home")
	require.True(t, planning.CoordinationConfig{}.IsHomeDivision("650102"), "no prefixes: everything is home")
}

// randomTrips returns n valid trips drawn from r. The tripShape controls how
// clustered judges, places and times are, so that components of every size
// appear.
type tripShape struct {
	judges    int     // distinct judges
	divisions int     // distinct division codes
	centres   int     // distinct coordinate centres
	spreadDeg float64 // coordinate jitter around a centre, degrees
	halfDays  int     // distinct start half-days
	world     bool    // centres anywhere on Earth, poles and 180° included
}

func randomTrips(r *rand.Rand, n int, s tripShape) []planning.Trip {
	cst := time.FixedZone("CST", 8*3600)
	base := time.Date(2024, 11, 25, 0, 0, 0, 0, cst)
	type point struct{ lat, lng float64 }
	centres := make([]point, s.centres)
	for i := range centres {
		if s.world {
			centres[i] = point{r.Float64()*180 - 90, r.Float64()*360 - 180}
			if i%3 == 0 {
				centres[i] = point{89.99 * float64(1-2*(i%2)), 179.99}
			}
		} else {
			centres[i] = point{30.7 + r.Float64()*0.9, 120.9 + r.Float64()*1.0}
		}
	}
	trips := make([]planning.Trip, n)
	for i := range trips {
		start := base.Add(time.Duration(r.Intn(s.halfDays))*12*time.Hour + time.Duration(r.Intn(12*60))*time.Minute)
		end := start.Add(time.Duration(r.Intn(8*60)) * time.Minute)
		if r.Intn(20) == 0 {
			end = start.Add(time.Duration(r.Intn(3*24)) * time.Hour)
		}
		tr := planning.Trip{
			ID:      fmt.Sprintf("t%05d", i),
			JudgeID: fmt.Sprintf("j%03d", r.Intn(s.judges)),
			Start:   start, End: end,
		}
		if r.Intn(4) != 0 {
			tr.Place.Division = fmt.Sprintf("3101%02d", 1+r.Intn(s.divisions))
		}
		if tr.Place.Division == "" || r.Intn(3) != 0 {
			c := centres[r.Intn(len(centres))]
			tr.Place.Lat = math.Max(-90, math.Min(90, c.lat+(r.Float64()-0.5)*s.spreadDeg))
			tr.Place.Lng = c.lng + (r.Float64()-0.5)*s.spreadDeg
			if tr.Place.Lng > 180 {
				tr.Place.Lng -= 360
			}
			tr.Place.HasCoords = true
		}
		trips[i] = tr
	}
	return trips
}

// TestCoordinate_MatchesPairwise checks the sweep against the pairwise
// version on random inputs: the same components, hence the same groups.
func TestCoordinate_MatchesPairwise(t *testing.T) {
	t.Parallel()
	shapes := map[string]tripShape{
		"Spread":          {judges: 200, divisions: 16, centres: 500, spreadDeg: 0.05, halfDays: 14},
		"ClusteredPlaces": {judges: 50, divisions: 3, centres: 4, spreadDeg: 0.1, halfDays: 14},
		"ClusteredTimes":  {judges: 50, divisions: 16, centres: 100, spreadDeg: 0.05, halfDays: 2},
		"FewJudges":       {judges: 2, divisions: 2, centres: 3, spreadDeg: 0.08, halfDays: 4},
		"OneJudge":        {judges: 1, divisions: 1, centres: 1, spreadDeg: 0.01, halfDays: 1},
		"World":           {judges: 20, divisions: 5, centres: 30, spreadDeg: 0.2, halfDays: 6, world: true},
	}
	configs := []planning.CoordinationConfig{
		{},
		{SlackHalfDays: -1},
		{SlackHalfDays: 3, MaxDistanceKm: 1},
		{MaxDistanceKm: -1},
		{MaxDistanceKm: 30},
		{MaxDistanceKm: 25000},
	}
	for name, s := range shapes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewSource(0xdead1337))
			for _, n := range []int{0, 1, 2, 3, 5, 10, 30, 100, 300, 1000} {
				for ci, cfg := range configs {
					trips := randomTrips(r, n, s)
					want, err := planning.CoordinatePairwise(trips, cfg)
					require.NoError(t, err)
					got, err := planning.Coordinate(trips, cfg)
					require.NoError(t, err)
					require.Equal(t, want, got, "n=%d config %d", n, ci)
					for _, g := range got {
						require.GreaterOrEqual(t, len(g.Judges), 2)
					}
				}
			}
		})
	}
}

func TestCoordinate_ErrorLeavesNoGroups(t *testing.T) {
	t.Parallel()
	_, err := planning.Coordinate([]planning.Trip{{}}, planning.CoordinationConfig{})
	require.True(t, errors.Is(err, planning.ErrTripNoID))
}

// FuzzCoordinate checks the sweep against the pairwise version on trips
// decoded from bytes, seven bytes a trip, so the fuzzer can place trips on
// the boundaries of half-days, divisions and distances.
func FuzzCoordinate(f *testing.F) {
	f.Add([]byte{}, int8(0), uint8(0))                                         // empty input
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 1, 1, 2, 3, 4, 5, 6}, int8(0), uint8(0)) // same place, two judges
	f.Add([]byte{0, 1, 20, 1, 0, 0, 0, 1, 1, 21, 1, 0, 0, 0}, int8(-1), uint8(5))
	f.Add([]byte("chains of trips across adjacent half-days in pudong"), int8(2), uint8(30))
	f.Fuzz(func(t *testing.T, data []byte, slack int8, km uint8) {
		cst := time.FixedZone("CST", 8*3600)
		base := time.Date(2024, 11, 25, 0, 0, 0, 0, cst)
		var trips []planning.Trip
		for k := 0; k+7 <= len(data) && len(trips) < 64; k += 7 {
			b := data[k : k+7]
			start := base.Add(time.Duration(b[2]) * time.Hour)
			tr := planning.Trip{
				ID:      fmt.Sprintf("t%d", len(trips)),
				JudgeID: fmt.Sprintf("j%d", b[0]%4),
				Start:   start,
				End:     start.Add(time.Duration(b[3]%16) * time.Hour),
			}
			if b[1]%3 != 0 {
				tr.Place.Division = fmt.Sprintf("3101%02d", b[1]%4+1)
			}
			if b[1]%3 != 1 {
				tr.Place.Lat = 31 + float64(b[4])/1000 + float64(b[6]%8)*0.01
				tr.Place.Lng = 121 + float64(b[5])/1000
				tr.Place.HasCoords = true
			}
			trips = append(trips, tr)
		}
		cfg := planning.CoordinationConfig{SlackHalfDays: int(slack % 4), MaxDistanceKm: float64(km%40) - 5}
		want, err := planning.CoordinatePairwise(trips, cfg)
		require.NoError(t, err)
		got, err := planning.Coordinate(trips, cfg)
		require.NoError(t, err)
		require.Equal(t, want, got)
	})
}

func TestCoordinate_DuplicateIDsEachReportTheFirstUse(t *testing.T) {
	t.Parallel()
	trips := []planning.Trip{
		mkTrip("a", "j1", 27, 9, 10, "310115"),
		mkTrip("b", "j2", 27, 9, 10, "310115"),
		mkTrip("a", "j3", 27, 9, 10, "310115"),
		mkTrip("b", "", 27, 9, 10, "310115"),
		mkTrip("a", "j4", 27, 9, 10, "310115"),
	}
	_, err := planning.Coordinate(trips, planning.CoordinationConfig{})
	require.Error(t, err)
	var msgs []string
	for _, e := range err.(interface{ Unwrap() error }).Unwrap().(interface{ Unwrap() []error }).Unwrap() {
		msgs = append(msgs, e.Error())
	}
	require.Len(t, msgs, 4)
	require.Contains(t, msgs[0], "trip 2:")
	require.Contains(t, msgs[0], "also used by trip 0")
	require.Contains(t, msgs[1], "trip 3:")
	require.ErrorIs(t, err, planning.ErrTripNoJudge)
	require.Contains(t, msgs[2], "trip 3:")
	require.Contains(t, msgs[2], "also used by trip 1")
	require.Contains(t, msgs[3], "trip 4:")
	require.Contains(t, msgs[3], "also used by trip 0")
}

// TestCoordinate_MemberOrder checks that members are ordered by Start to the
// nanosecond, then ID, whether the trips span a week (sorted by the second
// with a radix sort, ties broken per group) or a million years (a comparison
// sort).
func TestCoordinate_MemberOrder(t *testing.T) {
	t.Parallel()
	cst := time.FixedZone("CST", 8*3600)
	at := func(base time.Time, nsec int) time.Time { return base.Add(time.Duration(nsec)) }
	week := time.Date(2024, 11, 25, 9, 0, 0, 0, cst)
	far := time.Unix(1<<45, 0).In(cst) // beyond what the radix sort takes
	for name, extra := range map[string][]planning.Trip{
		"week": nil,
		"wide": {
			{ID: "x1", JudgeID: "jx", Start: time.Unix(-1<<45, 0), End: time.Unix(-1<<45, 0).Add(time.Hour), Place: planning.Place{Division: "310101"}},
			{ID: "x2", JudgeID: "jy", Start: far, End: far.Add(time.Hour), Place: planning.Place{Division: "310101"}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			trips := []planning.Trip{
				{ID: "d", JudgeID: "j1", Start: at(week, 5), End: week.Add(time.Hour), Place: planning.Place{Division: "310115"}},
				{ID: "c", JudgeID: "j2", Start: at(week, 5), End: week.Add(time.Hour), Place: planning.Place{Division: "310115"}},
				{ID: "b", JudgeID: "j3", Start: at(week, 0), End: week.Add(time.Hour), Place: planning.Place{Division: "310115"}},
				{ID: "a", JudgeID: "j1", Start: at(week, 7), End: week.Add(time.Hour), Place: planning.Place{Division: "310115"}},
				{ID: "e", JudgeID: "j2", Start: week.Add(-time.Second), End: week.Add(time.Hour), Place: planning.Place{Division: "310115"}},
			}
			groups, err := planning.Coordinate(append(trips, extra...), planning.CoordinationConfig{})
			require.NoError(t, err)
			require.Len(t, groups, 1)
			var ids []string
			for _, tr := range groups[0].Trips {
				ids = append(ids, tr.ID)
			}
			require.Equal(t, []string{"e", "b", "c", "d", "a"}, ids)
		})
	}
}

// TestCoordinate_Concurrent runs Coordinate from several goroutines at once,
// as a server does, and checks each answer against a serial one: calls
// share pooled working memory, never at the same time, and no group keeps
// a reference to it.
func TestCoordinate_Concurrent(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(7))
	shape := tripShape{judges: 40, divisions: 8, centres: 60, spreadDeg: 0.05, halfDays: 10}
	inputs := make([][]planning.Trip, 8)
	want := make([][]planning.Group, len(inputs))
	for k := range inputs {
		inputs[k] = randomTrips(r, 200+100*k, shape)
		var err error
		want[k], err = planning.CoordinatePairwise(inputs[k], planning.CoordinationConfig{})
		require.NoError(t, err)
	}
	got := make([][]planning.Group, len(inputs))
	var wg sync.WaitGroup
	for k := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				gs, err := planning.Coordinate(inputs[k], planning.CoordinationConfig{})
				if err != nil {
					t.Error(err)
					return
				}
				got[k] = gs
			}
		}()
	}
	wg.Wait()
	for k := range inputs {
		require.Equal(t, want[k], got[k], "input %d", k)
	}
}
