package planning

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
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
// compared only with trips under way in neighbouring cells. Sorting is a
// counting sort over half-days when the trips span a few weeks, so the
// whole runs in O(n log n) time, plus the pairs met within neighbouring
// cells, which stay few unless very many trips are under way at once within
// MaxDistanceKm of each other. [CoordinatePairwise] is the oracle it is
// tested against.
//
// trips is only read during the call; the groups do not share memory with
// it.
func Coordinate(trips []Trip, cfg CoordinationConfig) ([]Group, error) {
	in, err := prepareTrips(trips, cfg)
	if err != nil {
		return nil, err
	}
	uf := newUnionFind(len(trips))
	in.sweepDivisions(uf)
	in.sweepGrid(uf)
	return in.groups(uf, cfg), nil
}

// CoordinatePairwise is the reference version of [Coordinate]: it tests every
// pair of trips, in O(n²) time, and returns the same groups. It exists to
// check Coordinate against and to measure it by.
func CoordinatePairwise(trips []Trip, cfg CoordinationConfig) ([]Group, error) {
	in, err := prepareTrips(trips, cfg)
	if err != nil {
		return nil, err
	}
	uf := newUnionFind(len(trips))
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
	idHash []uint64 // hashString of each trip's ID
	h0     []int64  // first half-day touched
	h1     []int64  // last half-day touched, plus the slack
	judge  []int32  // interned JudgeID
	div    []int32  // interned Place.Division, -1 when empty
	nDivs  int
	// startSec and startNsec are each trip's Start, for sorting members
	// without loading whole trips.
	startSec  []int64
	startNsec []int32
	// byStart is the trip indices ordered by h0, then index.
	byStart []int32
	maxKm   float64 // negative when distance matching is off

	// Scratch for building groups, by interned judge and division: the
	// number (plus one) of the last group that saw it, and its position.
	judgeMark, divMark, divPos []int32
}

func prepareTrips(trips []Trip, cfg CoordinationConfig) (*tripInput, error) {
	var errs []error
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	ids := newStringTable(len(trips))
	idHash := make([]uint64, len(trips))
	for i := range trips {
		t := &trips[i]
		if err := t.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("trip %d: %w", i, err))
		}
		if t.ID == "" {
			continue
		}
		idHash[i] = hashString(t.ID)
		if _, j, added := ids.internHash(idHash[i], t.ID, int32(i), func(j int32) string { return trips[j].ID }); !added {
			errs = append(errs, fmt.Errorf("trip %d: %w", i, &TripError{TripID: t.ID, Field: "ID", Reason: fmt.Sprintf("also used by trip %d", j), Err: ErrDuplicateTrip}))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("planning: coordinate trips: %w", errors.Join(errs...))
	}
	n := len(trips)
	in := &tripInput{
		trips:  trips,
		idHash: idHash,
		h0:     make([]int64, n),
		h1:     make([]int64, n),
		judge:  make([]int32, n),
		div:    make([]int32, n),
		maxKm:  cfg.maxDistanceKm(),

		startSec:  make([]int64, n),
		startNsec: make([]int32, n),
	}
	slack := cfg.slack()
	judges := newStringTable(len(trips) / 4)
	divs := newStringTable(len(trips) / 16)
	judgeOf := func(j int32) string { return trips[j].JudgeID }
	divOf := func(j int32) string { return trips[j].Place.Division }
	for i := range in.trips {
		t := &in.trips[i]
		in.startSec[i], in.startNsec[i] = t.Start.Unix(), int32(t.Start.Nanosecond())
		in.h0[i] = halfDay(t.Start)
		in.h1[i] = halfDay(t.End) + slack
		in.judge[i], _, _ = judges.intern(t.JudgeID, int32(i), judgeOf)
		in.div[i] = -1
		if d := t.Place.Division; d != "" {
			in.div[i], _, _ = divs.intern(d, int32(i), divOf)
		}
	}
	in.nDivs = int(divs.n)
	in.byStart = orderByHalfDay(in.h0)
	in.judgeMark = make([]int32, judges.n)
	in.divMark = make([]int32, divs.n)
	in.divPos = make([]int32, divs.n)
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
	start := make([]int32, in.nDivs+1)
	for _, d := range in.div {
		if d >= 0 {
			start[d+1]++
		}
	}
	for d := range in.nDivs {
		start[d+1] += start[d]
	}
	order := make([]int32, start[in.nDivs])
	fill := slices.Clone(start[:in.nDivs])
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
		count:    make([]int32, len(in.trips)),
		isMerged: make([]bool, len(in.trips)),
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
	// An entry is what the sweep needs of a trip, kept together so that
	// scanning a cell touches one array.
	type entry struct {
		pt    [3]float64
		h0    int64
		h1    int64
		trip  int32
		judge int32
		cell  int32
	}
	// Entries go in start order. The trips are read in input order and
	// each entry is written to its place, because gathering trips in start
	// order costs a cache miss per trip.
	at := make([]int32, len(in.trips)) // by trip: position plus one
	for i := range in.trips {
		if in.trips[i].Place.HasCoords {
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
		entries = make([]entry, withCoords)
		cells   = newCellTable(int(withCoords))
		keys    []uint64 // by cell number
	)
	for i := range in.trips {
		p := &in.trips[i].Place
		if !p.HasCoords {
			continue
		}
		v := toXYZ(*p)
		k := pack(int64(math.Floor(v[0]/side)), int64(math.Floor(v[1]/side)), int64(math.Floor(v[2]/side)))
		c, added := cells.intern(k)
		if added {
			keys = append(keys, k)
		}
		entries[at[i]-1] = entry{pt: v, h0: in.h0[i], h1: in.h1[i], trip: int32(i), judge: in.judge[i], cell: c}
	}
	if len(entries) < 2 {
		return
	}
	// Renumber the cells in key order, which is (x, y, z) order. The
	// neighbours of a cell at offset (dx, dy) are then the cells with keys
	// in [key+d-1, key+d+1] for d = dx<<42 + dy<<21: at most three cells
	// with consecutive numbers, found for all cells by one merge pass per
	// offset instead of 27 hash lookups per cell.
	byKey := make([]int32, len(keys))
	for c := range byKey {
		byKey[c] = int32(c)
	}
	slices.SortFunc(byKey, func(a, b int32) int { return cmp.Compare(keys[a], keys[b]) })
	rank := make([]int32, len(keys))
	sorted := make([]uint64, len(keys))
	for r, c := range byKey {
		rank[c] = int32(r)
		sorted[r] = keys[c]
	}
	for k := range entries {
		entries[k].cell = rank[entries[k].cell]
	}
	type run struct{ lo, hi int32 } // cell numbers [lo, hi)
	runs := make([]run, 9*len(sorted))
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
			runs[9*c+o] = run{int32(p), int32(q)}
		}
	}

	// Each cell's trips under way form a list threaded through next,
	// newest first; expired trips are unlinked as the scan meets them.
	// joined[c] is a trip whose component holds every trip in cell c's
	// list, or -1 if that is not known; a cell whose trips are all in x's
	// component already has nothing to add and is not scanned, which keeps
	// crowded cells from being scanned over and over.
	head := make([]int32, len(keys))
	joined := make([]int32, len(keys))
	for c := range head {
		head[c], joined[c] = -1, -1
	}
	next := make([]int32, len(entries))
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

// cellTable maps packed cell keys to cell numbers by open addressing, with
// a multiplicative hash; cheaper than a Go map for dense integer keys.
type cellTable struct {
	slots []cellSlot
	shift uint
	n     int32
}

type cellSlot struct {
	key uint64
	val int32 // -1 when the slot is empty
}

func newCellTable(hint int) *cellTable {
	bits := uint(4)
	for 1<<bits < hint+hint/2 { // at most two thirds full
		bits++
	}
	t := &cellTable{slots: make([]cellSlot, 1<<bits), shift: 64 - bits}
	for i := range t.slots {
		t.slots[i].val = -1
	}
	return t
}

func (t *cellTable) slot(k uint64) uint64 { return (k * 0x9e3779b97f4a7c15) >> t.shift }

// intern returns k's cell number, numbering k if it is new. The table is
// sized for half as many keys again as it can be given, so it never fills.
func (t *cellTable) intern(k uint64) (c int32, added bool) {
	mask := uint64(len(t.slots) - 1)
	for i := t.slot(k); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.val < 0 {
			s.key, s.val = k, t.n
			t.n++
			return s.val, true
		}
		if s.key == k {
			return s.val, false
		}
	}
}

// stringTable numbers distinct strings by open addressing on their FNV-1a
// hashes. It keeps no strings, only for each the index of the trip it was
// first seen in, so it is smaller than a map and gives the garbage collector
// nothing to scan; key(first) recovers the string to compare on a hash match.
type stringTable struct {
	slots []stringSlot
	shift uint
	n     int32
}

type stringSlot struct {
	hash  uint64
	first int32 // the trip the string was first seen in
	id    int32 // -1 when the slot is empty
}

func newStringTable(hint int) *stringTable {
	bits := uint(4)
	for 1<<bits < 2*hint {
		bits++
	}
	t := &stringTable{slots: make([]stringSlot, 1<<bits), shift: 64 - bits}
	for i := range t.slots {
		t.slots[i].id = -1
	}
	return t
}

// intern returns the number of s and the trip it was first seen in, and
// whether it was added now, with trip i as its first. The table doubles
// when half full.
func (t *stringTable) intern(s string, i int32, key func(int32) string) (id, first int32, added bool) {
	return t.internHash(hashString(s), s, i, key)
}

// hashString is FNV-1a with a final multiply, since FNV's high bits, which
// pick the slot, mix poorly on their own.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for k := 0; k < len(s); k++ {
		h ^= uint64(s[k])
		h *= 1099511628211
	}
	h ^= h >> 29
	return h * 0x9e3779b97f4a7c15
}

// internHash is intern with h = hashString(s) already computed.
func (t *stringTable) internHash(h uint64, s string, i int32, key func(int32) string) (id, first int32, added bool) {
	mask := uint64(len(t.slots) - 1)
	for k := h >> t.shift; ; k = (k + 1) & mask {
		sl := &t.slots[k]
		if sl.id < 0 {
			*sl = stringSlot{hash: h, first: i, id: t.n}
			t.n++
			if int(t.n) > len(t.slots)/2 {
				t.grow()
			}
			return t.n - 1, i, true
		}
		if sl.hash == h && key(sl.first) == s {
			return sl.id, sl.first, false
		}
	}
}

func (t *stringTable) grow() {
	old := t.slots
	t.shift--
	t.slots = make([]stringSlot, 2*len(old))
	for i := range t.slots {
		t.slots[i].id = -1
	}
	mask := uint64(len(t.slots) - 1)
	for _, sl := range old {
		if sl.id < 0 {
			continue
		}
		k := sl.hash >> t.shift
		for t.slots[k].id >= 0 {
			k = (k + 1) & mask
		}
		t.slots[k] = sl
	}
}

// orderByHalfDay returns the indices of h0 ordered by value, then index: a
// counting sort when the values span few half-days (a week's plans), a
// comparison sort otherwise.
func orderByHalfDay(h0 []int64) []int32 {
	order := make([]int32, len(h0))
	if len(h0) == 0 {
		return order
	}
	lo, hi := slices.Min(h0), slices.Max(h0)
	if span := uint64(hi - lo); span > uint64(4*len(h0)+64) {
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(h0[a], h0[b]) })
		return order
	}
	start := make([]int32, hi-lo+2)
	for _, h := range h0 {
		start[h-lo+1]++
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	for i, h := range h0 {
		order[start[h-lo]] = int32(i)
		start[h-lo]++
	}
	return order
}

// near reports whether trips x and y are at most maxKm apart. It decides by
// the chord between their points when that is clear by a margin, and by
// [DistanceKm], as the pairwise version does, when it is close.
func (in *tripInput) near(p, q [3]float64, x, y int32, chord, tol float64) bool {
	dx, dy, dz := p[0]-q[0], p[1]-q[1], p[2]-q[2]
	d2 := dx*dx + dy*dy + dz*dz
	switch {
	case d2 < chord*chord-tol:
		return true
	case d2 > chord*chord+tol:
		return false
	}
	return DistanceKm(in.trips[x].Place, in.trips[y].Place) <= in.maxKm
}

func toXYZ(p Place) [3]float64 {
	const rad = math.Pi / 180
	lat, lng := p.Lat*rad, p.Lng*rad
	return [3]float64{
		earthRadiusKm * math.Cos(lat) * math.Cos(lng),
		earthRadiusKm * math.Cos(lat) * math.Sin(lng),
		earthRadiusKm * math.Sin(lat),
	}
}

// unionFind is a disjoint-set forest with union by size and path halving.
type unionFind struct {
	parent []int32
	size   []int32
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), size: make([]int32, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
		u.size[i] = 1
	}
	return u
}

func (u *unionFind) find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// union joins the sets of a and b and returns the root of the result.
func (u *unionFind) union(a, b int32) int32 {
	a, b = u.find(a), u.find(b)
	if a == b {
		return a
	}
	if u.size[a] < u.size[b] {
		a, b = b, a
	}
	u.parent[b] = a
	u.size[a] += u.size[b]
	return a
}

// minHeap is a binary heap of trip indices ordered by key.
type minHeap struct {
	items []int32
	key   []int64
}

func (h *minHeap) len() int    { return len(h.items) }
func (h *minHeap) peek() int32 { return h.items[0] }
func (h *minHeap) less(i, j int) bool {
	return h.key[h.items[i]] < h.key[h.items[j]]
}

func (h *minHeap) push(x int32) {
	h.items = append(h.items, x)
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *minHeap) pop() int32 {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < last && h.less(l, m) {
			m = l
		}
		if r < last && h.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
	return top
}

// groups turns the components of uf with two or more trips into groups.
func (in *tripInput) groups(uf *unionFind, cfg CoordinationConfig) []Group {
	// Bucket the members of each component by a counting sort on the root.
	n := len(in.trips)
	slot := make([]int32, n) // by root: group number plus one
	var sizes []int32
	for i := range n {
		r := uf.find(int32(i))
		if uf.size[r] < 2 {
			continue
		}
		if slot[r] == 0 {
			sizes = append(sizes, uf.size[r])
			slot[r] = int32(len(sizes))
		}
	}
	offset := make([]int32, len(sizes)+1)
	for k, sz := range sizes {
		offset[k+1] = offset[k] + sz
	}
	members := make([]int32, offset[len(sizes)])
	fill := slices.Clone(offset[:len(sizes)])
	for _, i := range in.byStart { // members come out nearly sorted by Start
		r := uf.find(i)
		if k := slot[r]; k > 0 {
			members[fill[k-1]] = i
			fill[k-1]++
		}
	}
	// Order each group's members, then copy the trips out in input order
	// into one array cut into the groups' slices: scattered writes cost
	// fewer cache misses than gathering trips in start order.
	dest := slot // reused: by trip, its index in all plus one
	clear(dest)
	for k := range sizes {
		m := members[offset[k]:offset[k+1]]
		in.sortMembers(m)
		for j, i := range m {
			dest[i] = offset[k] + int32(j) + 1
		}
	}
	all := make([]Trip, len(members))
	for i := range in.trips {
		if d := dest[i]; d > 0 {
			all[d-1] = in.trips[i]
		}
	}
	out := make([]Group, len(sizes))
	for k := range sizes {
		lo, hi := offset[k], offset[k+1]
		out[k] = in.group(int32(2*k+1), members[lo:hi], all[lo:hi:hi], cfg)
	}
	slices.SortFunc(out, func(a, b Group) int {
		if c := a.Window.Start.Compare(b.Window.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// sortMembers orders trip indices m by Start, then ID.
func (in *tripInput) sortMembers(m []int32) {
	slices.SortFunc(m, func(a, b int32) int {
		if c := cmp.Compare(in.startSec[a], in.startSec[b]); c != 0 {
			return c
		}
		if c := cmp.Compare(in.startNsec[a], in.startNsec[b]); c != 0 {
			return c
		}
		return strings.Compare(in.trips[a].ID, in.trips[b].ID)
	})
}

// group builds a group from its sorted members m and their trips. mark and
// mark+1 are unique to the group, for the scratch marks in in.
func (in *tripInput) group(mark int32, m []int32, trips []Trip, cfg CoordinationConfig) Group {
	g := Group{ID: in.groupID(m), Trips: trips}

	g.Window = Window{Start: trips[0].Start, End: trips[0].End}
	common := g.Window
	judges := 0
	for _, i := range m {
		if j := in.judge[i]; in.judgeMark[j] != mark {
			in.judgeMark[j] = mark
			judges++
		}
	}
	g.Judges = make([]string, 0, judges)
	var names strings.Builder
	for k, t := range trips {
		if t.End.After(g.Window.End) {
			g.Window.End = t.End
		}
		if t.Start.After(common.Start) {
			common.Start = t.Start
		}
		if t.End.Before(common.End) {
			common.End = t.End
		}
		if j := in.judge[m[k]]; in.judgeMark[j] != mark+1 {
			in.judgeMark[j] = mark + 1
			g.Judges = append(g.Judges, t.JudgeID)
			if names.Len() > 0 {
				names.WriteString("、")
			}
			names.WriteString(cmp.Or(strings.TrimSpace(t.JudgeName), t.JudgeID))
		}
	}
	if !common.End.Before(common.Start) {
		g.Common = &common
	}

	// Number the stops and delegations of each trip first, then cut every
	// TripIDs list from one backing array per kind.
	type stopKey struct {
		div  int32
		addr string
	}
	var stopAt keyIndexer[stopKey]
	stopOf := make([]int32, 2*len(trips)) // stop, then delegation (-1 for home)
	delegOf := stopOf[len(trips):]
	var stopN, delegN []int
	for k, t := range trips {
		s, ok := stopAt.index(stopKey{in.div[m[k]], strings.TrimSpace(t.Place.Address)})
		if !ok {
			g.Stops = append(g.Stops, Stop{Place: t.Place, Start: t.Start})
			stopN = append(stopN, 0)
		}
		stopOf[k] = int32(s)
		stopN[s]++
		st := &g.Stops[s]
		if !st.Place.HasCoords && t.Place.HasCoords {
			st.Place.Lat, st.Place.Lng, st.Place.HasCoords = t.Place.Lat, t.Place.Lng, true
		}
		delegOf[k] = -1
		if cfg.IsHomeDivision(t.Place.Division) {
			continue
		}
		d := in.div[m[k]]
		if in.divMark[d] != mark {
			in.divMark[d] = mark
			in.divPos[d] = int32(len(g.Delegations))
			g.Delegations = append(g.Delegations, Delegation{Division: t.Place.Division, Name: cfg.DivisionNames[t.Place.Division]})
			delegN = append(delegN, 0)
		}
		delegOf[k] = in.divPos[d]
		delegN[in.divPos[d]]++
	}
	ids := make([]string, len(trips)+sumInts(delegN))
	for s, n := range stopN {
		g.Stops[s].TripIDs, ids = ids[:0:n], ids[n:]
	}
	for d, n := range delegN {
		g.Delegations[d].TripIDs, ids = ids[:0:n], ids[n:]
	}
	for k, t := range trips {
		st := &g.Stops[stopOf[k]]
		st.TripIDs = append(st.TripIDs, t.ID)
		if d := delegOf[k]; d >= 0 {
			g.Delegations[d].TripIDs = append(g.Delegations[d].TripIDs, t.ID)
		}
	}
	g.Summary = groupSummary(g, names.String(), cfg)
	return g
}

func sumInts(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// keyIndexer numbers distinct keys in order of arrival. Groups are usually
// small, so it scans a slice and builds a map only past a few keys.
type keyIndexer[K comparable] struct {
	keys []K
	m    map[K]int
}

// index returns k's number and whether k was seen before, numbering it if not.
func (x *keyIndexer[K]) index(k K) (int, bool) {
	if x.m != nil {
		if i, ok := x.m[k]; ok {
			return i, true
		}
		x.m[k] = len(x.keys)
	} else {
		for i, kk := range x.keys {
			if kk == k {
				return i, true
			}
		}
	}
	x.keys = append(x.keys, k)
	if x.m == nil && len(x.keys) > 16 {
		x.m = make(map[K]int, 2*len(x.keys))
		for i, kk := range x.keys {
			x.m[kk] = i
		}
	}
	return len(x.keys) - 1, false
}

// groupID hashes the IDs of members m. Each ID's hash goes through the
// SplitMix64 finaliser and the results are added, so the group ID depends on
// the set of trip IDs and not on their order, without sorting.
func (in *tripInput) groupID(m []int32) string {
	var sum uint64
	for _, i := range m {
		h := in.idHash[i]
		h ^= h >> 30
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 27
		h *= 0x94d049bb133111eb
		h ^= h >> 31
		sum += h
	}
	const digits = "0123456789abcdef"
	b := []byte("tg-0000000000000000")
	for i := len(b) - 1; i >= 3; i-- {
		b[i] = digits[sum&15]
		sum >>= 4
	}
	return string(b)
}

// groupSummary renders the Chinese one-line suggestion; names are the judges'
// names, already joined.
func groupSummary(g Group, names string, cfg CoordinationConfig) string {
	var b strings.Builder
	b.WriteString(names)
	b.WriteString(" ")
	b.WriteString(windowLabel(g.Window))
	b.WriteString(" 均赴")
	var places keyIndexer[string]
	for _, s := range g.Stops {
		p := placeLabel(s.Place, cfg)
		if _, seen := places.index(p); seen {
			continue
		}
		if len(places.keys) > 1 {
			b.WriteString("、")
		}
		b.WriteString(p)
	}
	b.WriteString(" 办案，建议合并出行")
	if len(g.Delegations) > 0 {
		b.WriteString("；")
		for k, d := range g.Delegations {
			if k > 0 {
				b.WriteString("、")
			}
			b.WriteString(placeLabel(Place{Division: d.Division}, cfg))
		}
		b.WriteString("不在本院辖区，也可委托当地法院办理（执行事项委托）")
	}
	return b.String()
}

func placeLabel(p Place, cfg CoordinationConfig) string {
	switch {
	case p.Division == "":
		return cmp.Or(strings.TrimSpace(p.Address), fmt.Sprintf("(%.4f,%.4f)", p.Lat, p.Lng))
	case cfg.DivisionNames[p.Division] != "":
		return cfg.DivisionNames[p.Division] + "(" + p.Division + ")"
	default:
		return p.Division
	}
}

// windowLabel renders a window by half-days in China Standard Time, e.g.
// "11月27日上午", "11月27日上午至下午" or "11月27日下午至11月28日上午". A
// window ending at 12:00 or 24:00 sharp ends in the half-day before.
func windowLabel(w Window) string {
	end := w.End
	if end.After(w.Start) {
		end = end.Add(-time.Nanosecond)
	}
	// China Standard Time, as deadline.China; China has no DST since 1991.
	const offset = 8 * 3600
	s, e := w.Start.UTC().Add(offset*time.Second), end.UTC().Add(offset*time.Second)
	sy, sm, sd := s.Date()
	ey, em, ed := e.Date()
	b := make([]byte, 0, 48)
	day := func(m time.Month, d int) {
		b = strconv.AppendInt(b, int64(m), 10)
		b = append(b, "月"...)
		b = strconv.AppendInt(b, int64(d), 10)
		b = append(b, "日"...)
	}
	half := func(t time.Time) {
		if t.Hour() < 12 {
			b = append(b, "上午"...)
		} else {
			b = append(b, "下午"...)
		}
	}
	day(sm, sd)
	half(s)
	sameDay := sy == ey && sm == em && sd == ed
	if sameDay && (s.Hour() < 12) == (e.Hour() < 12) {
		return string(b)
	}
	b = append(b, "至"...)
	if !sameDay {
		day(em, ed)
	}
	half(e)
	return string(b)
}
