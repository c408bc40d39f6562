package planning

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// ErrInvalidConfig means a [CoordinationConfig] field is unusable. It is
// matched by a *ConfigError with errors.Is.
var ErrInvalidConfig = errors.New("planning: invalid coordination config")

// ConfigError is one problem with a [CoordinationConfig].
type ConfigError struct {
	Field  string // e.g. "HomeDivisionPrefixes[1]"
	Reason string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("planning: coordination config: %s: %s", e.Field, e.Reason)
}

// Unwrap returns ErrInvalidConfig.
func (e *ConfigError) Unwrap() error { return ErrInvalidConfig }

// Defaults used when a [CoordinationConfig] field is zero.
const (
	DefaultSlackHalfDays = 1
	DefaultMaxDistanceKm = 5.0
)

// CoordinationConfig tunes [Coordinate]. Its zero value means the documented
// defaults. The slices and maps are only read during a call.
//
// # Time model
//
// Time is measured in half-days (半天) in China Standard Time: the morning
// (上午) runs from 00:00 to 12:00 and the afternoon (下午) from 12:00 to
// 24:00. A trip touches every half-day from the one holding its Start to the
// one holding its End, both included; a trip ending at 12:00 sharp therefore
// touches the afternoon too, so trips whose intervals merely touch always
// coincide. Two trips coincide when their half-day ranges overlap once each
// range is extended by SlackHalfDays at its end, that is when the gap between
// them is at most SlackHalfDays half-days. With the default slack of 1, trips
// on the same half-day or on adjacent half-days (a morning and the following
// afternoon, or an afternoon and the next morning) coincide.
//
// # Place model
//
// Two trips are close when their division codes are equal and non-empty, or
// when both have coordinates at most MaxDistanceKm apart (great-circle
// distance, [DistanceKm]). Either is enough, so trips to neighbouring
// districts a short drive apart are matched, and so are trips to one district
// whose coordinates are unknown.
type CoordinationConfig struct {
	// SlackHalfDays is the largest gap, in half-days, between two trips that
	// still coincide. Zero means DefaultSlackHalfDays (1, adjacent
	// half-days); a negative value means no slack: only trips that share a
	// half-day coincide.
	SlackHalfDays int
	// MaxDistanceKm is the largest distance between two trips' coordinates
	// that still counts as close. Zero means DefaultMaxDistanceKm (5 km); a
	// negative value turns distance matching off, leaving division codes.
	MaxDistanceKm float64
	// HomeDivisionPrefixes lists the division code prefixes of the court's
	// own jurisdiction (辖区), e.g. "3101" for the districts of Shanghai or
	// "310115" for 浦东新区 alone. A trip whose division code matches none of
	// them is out of area, and its group gets a [Delegation] suggestion. Empty
	// means every division is home and nothing is suggested for delegation.
	HomeDivisionPrefixes []string
	// DivisionNames maps division codes to names for summaries, e.g.
	// "310115" → "浦东新区". A code without a name is shown bare.
	DivisionNames map[string]string
}

// Validate reports every problem with c at once, as *ConfigError values
// joined with errors.Join.
func (c CoordinationConfig) Validate() error {
	var errs []error
	if math.IsNaN(c.MaxDistanceKm) || math.IsInf(c.MaxDistanceKm, 0) {
		errs = append(errs, &ConfigError{Field: "MaxDistanceKm", Reason: fmt.Sprintf("%v is not a finite number", c.MaxDistanceKm)})
	}
	for i, p := range c.HomeDivisionPrefixes {
		if reason := divisionPrefixProblem(p, false); reason != "" {
			errs = append(errs, &ConfigError{Field: fmt.Sprintf("HomeDivisionPrefixes[%d]", i), Reason: fmt.Sprintf("%q: %s", p, reason)})
		}
	}
	return errors.Join(errs...)
}

// IsHomeDivision reports whether division code lies within the court's own
// jurisdiction, that is whether it starts with one of HomeDivisionPrefixes.
// With no prefixes configured every code is home. An empty code (place
// known only by coordinates) is treated as home, since nothing can be said
// about it.
func (c CoordinationConfig) IsHomeDivision(code string) bool {
	if code == "" || len(c.HomeDivisionPrefixes) == 0 {
		return true
	}
	for _, p := range c.HomeDivisionPrefixes {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}

// slack returns the slack in half-days, clamped so that adding it to a
// half-day index cannot overflow.
func (c CoordinationConfig) slack() int64 {
	switch {
	case c.SlackHalfDays == 0:
		return DefaultSlackHalfDays
	case c.SlackHalfDays < 0:
		return 0
	default:
		return min(int64(c.SlackHalfDays), 1<<40)
	}
}

// maxDistanceKm returns the distance limit, or a negative number when
// distance matching is off.
func (c CoordinationConfig) maxDistanceKm() float64 {
	if c.MaxDistanceKm == 0 {
		return DefaultMaxDistanceKm
	}
	return c.MaxDistanceKm
}

// Window is a closed span of time.
type Window struct {
	Start, End time.Time
}

// Group is a coordination group: trips of different judges that coincide in
// time and place, directly or through a chain of other trips in the group,
// with a suggestion to pool them (集约出行).
//
// A group is a connected component of the graph whose edges join two trips of
// different judges that coincide in time and are close in place (see
// [CoordinationConfig]). A judge's own trips are never joined to each other
// directly, but one judge may have several trips in a group when other
// judges' trips link them: judge A's morning and afternoon trips both overlap
// judge B's all-day trip, so all three travel as one.
type Group struct {
	// ID is "tg-" and 16 hex digits, a hash of the set of member trip IDs
	// only: the same trips give the same ID whatever the input order, and
	// across runs, so callers can tell a suggestion they have already sent.
	ID string
	// Trips are the member trips, sorted by Start, then ID.
	Trips []Trip
	// Judges are the distinct judge IDs, in the order of their first trip.
	Judges []string
	// Window is the union span: from the earliest Start to the latest End.
	Window Window
	// Common is the window in which all member trips are under way, from
	// the latest Start to the earliest End; nil when there is no such
	// instant (trips of a chain, or trips that only share a half-day).
	Common *Window
	// Stops are the distinct places, in the order of their first visit.
	Stops []Stop
	// Delegations suggest handing out-of-area tasks to the local court, one
	// per out-of-area division, in stop order; nil when all are home.
	Delegations []Delegation
	// Summary is a one-line Chinese suggestion for the judges and their
	// leaders, e.g. "张法官、李法官 11月27日上午 均赴浦东新区(310115) 办案，建议合并出行".
	Summary string
}

// Stop is one distinct place of a group. Places are the same stop when their
// division code and address text (trimmed) are equal.
type Stop struct {
	Place   Place     // the first trip's place, with coordinates from the first trip that has them
	Start   time.Time // the earliest Start of the trips to this place
	TripIDs []string  // the trips to this place, in group order
}

// Delegation is the option of entrusting the task to the court of the place
// (执行事项委托, see rule E22 for the entrusted court's time limits) instead
// of travelling out of the court's jurisdiction.
type Delegation struct {
	Division string   // the target division code, e.g. "320505"
	Name     string   // the division's name from DivisionNames, or ""
	TripIDs  []string // the trips to that division, in group order
}

// Coordinate groups trips that can be pooled and returns the groups ordered
// by Window.Start, then ID. Trips that pair with no other trip are left out.
// It returns an error, and no groups, when the config or any trip is invalid
// (every problem is reported) or two trips share an ID.
//
// Coordinate builds the components with a union-find in two sweeps over the
// trips in start order. Trips with the same division code that are under way
// at one half-day all overlap each other, so once two judges are among them
// they are one component, and each trip is merged a bounded number of times.
// Trips with coordinates are bucketed into grid cells of MaxDistanceKm and
// compared only with trips under way in neighbouring cells. The trips are
// put in start order by a radix sort on the second (a comparison sort when
// they span more than half a million years), so the whole runs in
// O(n log n) time, plus the pairs met within neighbouring cells, which stay
// few unless very many trips are under way at once within MaxDistanceKm of
// each other. An O(n²) pairwise version is the oracle it is tested against.
//
// trips is only read during the call; the groups do not share memory with
// it. Coordinate keeps its working memory (tens of megabytes for 100,000
// trips) in a sync.Pool between calls, and is safe for concurrent use.
func Coordinate(trips []Trip, cfg CoordinationConfig) ([]Group, error) {
	sc := getScratch()
	defer putScratch(sc)
	in, err := prepareTrips(trips, cfg, sc)
	if err != nil {
		return nil, err
	}
	uf := newUnionFind(len(trips), sc)
	in.sweepDivisions(uf)
	in.sweepGrid(uf)
	return in.groups(uf, cfg), nil
}

// coordinatePairwise is the reference version of [Coordinate]: it tests every
// pair of trips, in O(n²) time, and returns the same groups. It exists to
// check Coordinate against and to measure it by (export_test.go gives the
// tests CoordinatePairwise).
func coordinatePairwise(trips []Trip, cfg CoordinationConfig) ([]Group, error) {
	sc := getScratch()
	defer putScratch(sc)
	in, err := prepareTrips(trips, cfg, sc)
	if err != nil {
		return nil, err
	}
	uf := newUnionFind(len(trips), sc)
	maxKm := cfg.maxDistanceKm()
	for i := range in.trips {
		for j := i + 1; j < len(in.trips); j++ {
			a, b := &in.trips[i], &in.trips[j]
			if a.JudgeID == b.JudgeID || in.h0[i] > in.h1[j] || in.h0[j] > in.h1[i] {
				continue
			}
			sameDiv := a.Place.Division != "" && a.Place.Division == b.Place.Division
			near := maxKm >= 0 && a.Place.HasCoords && b.Place.HasCoords && DistanceKm(a.Place, b.Place) <= maxKm
			if sameDiv || near {
				uf.union(int32(i), int32(j))
			}
		}
	}
	return in.groups(uf, cfg), nil
}

// tripInput is the validated trips with their half-day ranges. trips is the
// caller's slice, only read during the call; groups copy what they keep.
type tripInput struct {
	trips  []Trip
	idHash []uint64     // hashString of each trip's ID
	h0     []int64      // first half-day touched
	h1     []int64      // last half-day touched, plus the slack
	judge  []int32      // interned JudgeID
	div    []int32      // interned Place.Division, -1 when empty
	pt     [][3]float64 // the point on the sphere, when hasPt
	hasPt  []bool       // whether the trip has coordinates
	nDivs  int
	// sorted is what ordering and grouping members needs of each trip, so
	// that they do not load whole trips, ordered by the second of Start
	// (see sortByStart); byStart is the trip indices in that order, which
	// is also h0 order.
	sorted  []memberKey
	byStart []int32
	maxKm   float64 // negative when distance matching is off

	judgeIDs *stringTable // the interned judge IDs
	divHome  []bool       // by interned division: whether it is home

	// Scratch for building groups, by interned judge and division: the
	// number (plus one) of the last group that saw it, and its position.
	judgeMark, divMark, divPos []int32
	names                      []byte
	sc                         *scratch
}

func prepareTrips(trips []Trip, cfg CoordinationConfig, sc *scratch) (*tripInput, error) {
	var errs []error
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	idHash := sc.u64.zeroed(len(trips))
	n := len(trips)
	in := &tripInput{
		trips:  trips,
		idHash: idHash,
		h0:     sc.i64.take(n),
		h1:     sc.i64.take(n),
		judge:  sc.i32.take(n),
		div:    sc.i32.take(n),
		pt:     sc.pts.take(n),
		hasPt:  sc.bools.take(n),
		maxKm:  cfg.maxDistanceKm(),
		sc:     sc,
	}
	slack := cfg.slack()
	judges := newStringTable(len(trips)/2, sc)
	divs := newStringTable(len(trips)/16, sc)
	keys := sc.keys.take(n)
	// One pass over the trips validates them and takes all that the
	// sweeps and groups need of them but the trips themselves, since
	// reading the trips again costs a cache miss per trip each time.
	var invalid []int32 // trips with problems, in order, with their errors
	var tripErrs []error
	for i := range trips {
		t := &trips[i]
		if t.ID != "" {
			idHash[i] = hashString(t.ID)
		}
		if err := t.Validate(); err != nil {
			invalid = append(invalid, int32(i))
			tripErrs = append(tripErrs, err)
		}
		if len(invalid) > 0 {
			continue
		}
		in.h0[i] = halfDay(t.Start)
		in.h1[i] = halfDay(t.End) + slack
		in.judge[i] = judges.intern(t.JudgeID)
		in.div[i] = -1
		if d := t.Place.Division; d != "" {
			in.div[i] = divs.intern(d)
		}
		if in.hasPt[i] = t.Place.HasCoords; in.hasPt[i] {
			in.pt[i] = toXYZ(t.Place)
		}
		keys[i] = memberKey{
			sec: t.Start.Unix(), nsec: int32(t.Start.Nanosecond()), pre: idChunk(t.ID),
			trip: int32(i), hash: idHash[i], judge: in.judge[i], div: in.div[i],
		}
	}
	// Report each trip's problems, then its duplicate ID, in trip order.
	dups := findDuplicates(trips, idHash, sc)
	for len(invalid) > 0 || len(dups) > 0 {
		if len(dups) == 0 || len(invalid) > 0 && invalid[0] <= dups[0].trip {
			errs = append(errs, fmt.Errorf("trip %d: %w", invalid[0], tripErrs[0]))
			invalid, tripErrs = invalid[1:], tripErrs[1:]
			continue
		}
		d := dups[0]
		dups = dups[1:]
		errs = append(errs, fmt.Errorf("trip %d: %w", d.trip, &TripError{TripID: trips[d.trip].ID, Field: "ID", Reason: fmt.Sprintf("also used by trip %d", d.first), Err: ErrDuplicateTrip}))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("planning: coordinate trips: %w", errors.Join(errs...))
	}
	in.nDivs = int(divs.n)
	in.judgeIDs = judges
	in.divHome = sc.bools.take(int(divs.n))
	for d := range divs.n {
		in.divHome[d] = cfg.IsHomeDivision(string(divs.key(d)))
	}
	in.sorted = sortByStart(keys, trips, sc)
	in.byStart = sc.i32.take(n)
	for r, k := range in.sorted {
		in.byStart[r] = k.trip
	}
	in.judgeMark = sc.i32.zeroed(int(judges.n))
	in.divMark = sc.i32.zeroed(int(divs.n))
	in.divPos = sc.i32.take(int(divs.n))
	return in, nil
}

// halfDay returns the index of the China Standard Time half-day holding t,
// counted from the Unix epoch's morning.
func halfDay(t time.Time) int64 {
	const offset, length = 8 * 3600, 12 * 3600
	s := t.Unix() + offset
	q := s / length
	if s%length < 0 {
		q--
	}
	return q
}

// sweepDivisions joins trips of different judges that share a division code
// and coincide. Within one division the trips under way at a half-day all
// overlap each other, so once they include two judges they are all one
// component; a clique sweep therefore needs each trip to be merged once.
func (in *tripInput) sweepDivisions(uf *unionFind) {
	// A stable counting sort by division of the trips in start order.
	start := in.sc.i32.zeroed(in.nDivs + 1)
	for _, d := range in.div {
		if d >= 0 {
			start[d+1]++
		}
	}
	for d := range in.nDivs {
		start[d+1] += start[d]
	}
	order := in.sc.i32.take(int(start[in.nDivs]))
	fill := in.sc.i32.take(in.nDivs)
	copy(fill, start)
	for _, i := range in.byStart {
		if d := in.div[i]; d >= 0 {
			order[fill[d]] = i
			fill[d]++
		}
	}
	cs := newCliqueSweep(in, uf)
	for d := range in.nDivs {
		cs.reset()
		for _, i := range order[start[d]:start[d+1]] {
			cs.add(i)
		}
	}
}

// cliqueSweep holds the trips under way in one division during a sweep by
// start half-day. Merged trips are all in one component (the one holding
// rep); pending trips are not yet known to be joined to anything, and while
// any are pending all active trips belong to a single judge.
type cliqueSweep struct {
	in       *tripInput
	uf       *unionFind
	heap     minHeap // active trips by h1
	count    []int32 // active trips per judge
	distinct int     // judges with an active trip
	pending  []int32 // may hold expired trips, skipped on merge
	isMerged []bool  // by trip
	merged   int     // active merged trips
	rep      int32   // a trip in the merged component
	touched  []int32 // judges whose count is non-zero, for reset
}

func newCliqueSweep(in *tripInput, uf *unionFind) *cliqueSweep {
	return &cliqueSweep{
		in:       in,
		uf:       uf,
		heap:     minHeap{key: in.h1},
		count:    in.sc.i32.zeroed(len(in.trips)),
		isMerged: in.sc.bools.zeroed(len(in.trips)),
	}
}

func (s *cliqueSweep) reset() {
	for _, j := range s.touched {
		s.count[j] = 0
	}
	s.touched = s.touched[:0]
	s.heap.items = s.heap.items[:0]
	s.pending = s.pending[:0]
	s.distinct, s.merged = 0, 0
}

func (s *cliqueSweep) add(x int32) {
	in := s.in
	h0 := in.h0[x]
	for s.heap.len() > 0 && in.h1[s.heap.peek()] < h0 {
		e := s.heap.pop()
		j := in.judge[e]
		s.count[j]--
		if s.count[j] == 0 {
			s.distinct--
		}
		if s.isMerged[e] {
			s.merged--
		}
	}
	j := in.judge[x]
	if s.count[j] == 0 {
		s.distinct++
		s.touched = append(s.touched, j)
	}
	s.count[j]++
	s.heap.push(x)
	if s.distinct < 2 {
		s.pending = append(s.pending, x)
		return
	}
	// Two judges are under way: every active trip is adjacent to some
	// active trip of another judge, so all of them join x.
	if s.merged > 0 {
		s.uf.union(x, s.rep)
	}
	for _, p := range s.pending {
		if in.h1[p] >= h0 {
			s.uf.union(x, p)
			s.isMerged[p] = true
			s.merged++
		}
	}
	s.pending = s.pending[:0]
	s.rep = x
	s.isMerged[x] = true
	s.merged++
}

// sweepGrid joins trips of different judges whose coordinates are at most
// maxKm apart and that coincide. Coordinates become points on a sphere in
// three dimensions, bucketed into cubes whose side is the straight-line
// (chord) length of maxKm; a point's neighbours within maxKm lie in its own
// cube or the 26 around it, with no special case at the poles or the 180°
// meridian.
//
// It is one long function on purpose: it is the hot loop of Coordinate
// (100,000 trips in under 100 ms), and its phases share slabs of pooled
// scratch memory that helper calls would have to pass around or escape.
func (in *tripInput) sweepGrid(uf *unionFind) {
	if in.maxKm < 0 {
		return
	}
	chord := 2 * earthRadiusKm
	if in.maxKm < math.Pi*earthRadiusKm {
		chord = 2 * earthRadiusKm * math.Sin(in.maxKm/(2*earthRadiusKm))
	}
	// Cells no smaller than 10 m keep every cell index within ±2^20, so a
	// cell's three biased indices pack into 21 bits each of one key, and a
	// neighbour's key is the cell's key plus a constant; larger cells only
	// mean more candidates.
	side := max(chord*(1+1e-9)+1e-9, 0.01)
	tol := 1e-6*chord*chord + 1e-12

	const bias = 1 << 20
	pack := func(x, y, z int64) uint64 {
		return uint64(x+bias)<<42 | uint64(y+bias)<<21 | uint64(z+bias)
	}
	// Entries go in start order. The trips are read in input order and
	// each entry is written to its place, because gathering trips in start
	// order costs a cache miss per trip.
	sc := in.sc
	at := sc.i32.zeroed(len(in.trips)) // by trip: position plus one
	for i, has := range in.hasPt {
		if has {
			at[i] = 1
		}
	}
	withCoords := int32(0)
	for _, i := range in.byStart {
		if at[i] != 0 {
			withCoords++
			at[i] = withCoords
		}
	}
	var (
		entries = sc.entries.take(int(withCoords))
		cells   = newCellTable(int(withCoords), sc)
		keys    = sc.u64.take(int(withCoords))[:0] // by cell number
	)
	for i, has := range in.hasPt {
		if !has {
			continue
		}
		v := in.pt[i]
		k := pack(int64(math.Floor(v[0]/side)), int64(math.Floor(v[1]/side)), int64(math.Floor(v[2]/side)))
		c, added := cells.intern(k)
		if added {
			keys = append(keys, k)
		}
		entries[at[i]-1] = gridEntry{pt: v, h0: in.h0[i], h1: in.h1[i], trip: int32(i), judge: in.judge[i], cell: c}
	}
	if len(entries) < 2 {
		return
	}
	// Renumber the cells in key order, which is (x, y, z) order. The
	// neighbours of a cell at offset (dx, dy) are then the cells with keys
	// in [key+d-1, key+d+1] for d = dx<<42 + dy<<21: at most three cells
	// with consecutive numbers, found for all cells by one merge pass per
	// offset instead of 27 hash lookups per cell.
	sorted := sc.u64.take(len(keys))
	copy(sorted, keys)
	slices.Sort(sorted)
	rank := sc.i32.take(len(keys))
	for r, k := range sorted {
		rank[cells.get(k)] = int32(r)
	}
	for k := range entries {
		entries[k].cell = rank[entries[k].cell]
	}
	runs := sc.runs.take(9 * len(sorted))
	for o := range 9 {
		d := int64(o/3-1)<<42 + int64(o%3-1)<<21
		p := 0
		for c, k := range sorted {
			lo := uint64(int64(k) + d - 1)
			for p < len(sorted) && sorted[p] < lo {
				p++
			}
			q := p
			for q < len(sorted) && sorted[q] <= lo+2 {
				q++
			}
			runs[9*c+o] = cellRun{int32(p), int32(q)}
		}
	}

	// Each cell's trips under way form a list threaded through next,
	// newest first; expired trips are unlinked as the scan meets them.
	// joined[c] is a trip whose component holds every trip in cell c's
	// list, or -1 if that is not known; a cell whose trips are all in x's
	// component already has nothing to add and is not scanned, which keeps
	// crowded cells from being scanned over and over.
	head := sc.i32.take(len(keys))
	joined := sc.i32.take(len(keys))
	for c := range head {
		head[c], joined[c] = -1, -1
	}
	next := sc.i32.take(len(entries))
	for xi := range entries {
		x := &entries[xi]
		rx := uf.find(x.trip)
		for _, r := range runs[9*x.cell : 9*x.cell+9] {
			for c := r.lo; c < r.hi; c++ {
				if j := joined[c]; j >= 0 && uf.find(j) == rx {
					continue
				}
				all := true
				link := &head[c]
				for yi := *link; yi >= 0; yi = *link {
					y := &entries[yi]
					if y.h1 < x.h0 {
						*link = next[yi] // no longer under way
						continue
					}
					link = &next[yi]
					ry := uf.find(y.trip)
					if ry != rx && y.judge != x.judge && in.near(x.pt, y.pt, x.trip, y.trip, chord, tol) {
						rx = uf.union(rx, ry)
						ry = rx
					}
					all = all && ry == rx
				}
				if all {
					joined[c] = x.trip
				} else {
					joined[c] = -1
				}
			}
		}
		c := x.cell
		if head[c] < 0 {
			joined[c] = x.trip
		} else if j := joined[c]; j >= 0 && uf.find(j) != uf.find(x.trip) {
			joined[c] = -1
		}
		next[xi] = head[c]
		head[c] = int32(xi)
	}
}

// gridEntry is what the grid sweep needs of a trip with coordinates, kept
// together so that scanning a cell touches one array.
type gridEntry struct {
	pt    [3]float64
	h0    int64
	h1    int64
	trip  int32
	judge int32
	cell  int32
}

// cellRun is a range [lo, hi) of grid cell numbers.
type cellRun struct{ lo, hi int32 }
