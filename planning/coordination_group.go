package planning

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Building groups, their windows, stops, delegations, IDs and summaries
// from the connected components of the sweep.

// groups turns the components of uf with two or more trips into groups.
func (in *tripInput) groups(uf *unionFind, cfg CoordinationConfig) []Group {
	// Bucket the members of each component by a counting sort on the root.
	n := len(in.trips)
	sc := in.sc
	slot := sc.i32.zeroed(n) // by root: group number plus one
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
	offset := sc.i32.zeroed(len(sizes) + 1)
	for k, sz := range sizes {
		offset[k+1] = offset[k] + sz
	}
	keys := sc.keys.take(int(offset[len(sizes)]))
	fill := sc.i32.take(len(sizes))
	copy(fill, offset)
	for _, key := range in.sorted { // members come out ordered by the second
		r := uf.find(key.trip)
		if k := slot[r]; k > 0 {
			keys[fill[k-1]] = key
			fill[k-1]++
		}
	}
	// Order each group's members, then copy the trips out in input order
	// into one array cut into the groups' slices: scattered writes cost
	// fewer cache misses than gathering trips in start order.
	dest := slot // reused: by trip, its index in all plus one
	clear(dest)
	for k := range sizes {
		mk := keys[offset[k]:offset[k+1]]
		insertionSortMembers(mk, in.trips)
		for j, key := range mk {
			dest[key.trip] = offset[k] + int32(j) + 1
		}
	}
	all := make([]Trip, len(keys))
	for i := range in.trips {
		if d := dest[i]; d > 0 {
			all[d-1] = in.trips[i]
		}
	}
	out := make([]Group, len(sizes))
	for k := range sizes {
		lo, hi := offset[k], offset[k+1]
		out[k] = in.group(int32(2*k+1), keys[lo:hi], all[lo:hi:hi], cfg)
	}
	slices.SortFunc(out, func(a, b Group) int {
		if c := a.Window.Start.Compare(b.Window.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// memberKey is a trip's sort key: its Start, and the first eight bytes of
// its ID, big-endian, so that comparing pre orders many IDs without reading
// them.
// It also carries what building the group needs of the trip.
type memberKey struct {
	sec   int64
	pre   uint64
	nsec  int32
	trip  int32
	hash  uint64 // hashString of the ID
	judge int32  // interned JudgeID
	div   int32  // interned Place.Division, -1 when empty
}

// idChunk returns the first eight bytes of id, big-endian and padded with
// zeros. Comparing two chunks gives the order of the IDs when they differ;
// when they are equal the IDs may still differ.
func idChunk(id string) uint64 {
	var c uint64
	for k := range 8 {
		c <<= 8
		if k < len(id) {
			c |= uint64(id[k])
		}
	}
	return c
}

// group builds a group from its sorted members m and their trips. mark and
// mark+1 are unique to the group, for the scratch marks in in.
func (in *tripInput) group(mark int32, m []memberKey, trips []Trip, cfg CoordinationConfig) Group {
	g := Group{ID: in.groupID(m), Trips: trips}

	g.Window = Window{Start: trips[0].Start, End: trips[0].End}
	common := g.Window
	judges := 0
	for _, key := range m {
		if j := key.judge; in.judgeMark[j] != mark {
			in.judgeMark[j] = mark
			judges++
		}
	}
	g.Judges = make([]string, 0, judges)
	names := in.names[:0] // the judges' names, joined
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
		if j := m[k].judge; in.judgeMark[j] != mark+1 {
			in.judgeMark[j] = mark + 1
			g.Judges = append(g.Judges, t.JudgeID)
			if len(names) > 0 {
				names = append(names, "、"...)
			}
			if name := strings.TrimSpace(t.JudgeName); name != "" {
				names = append(names, name...)
			} else {
				names = append(names, in.judgeIDs.key(j)...) // t.JudgeID, from compact storage
			}
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
	stopOf := in.sc.i32.take(2 * len(trips)) // stop, then delegation (-1 for home)
	delegOf := stopOf[len(trips):]
	var stopN, delegN []int
	for k, t := range trips {
		s, ok := stopAt.index(stopKey{m[k].div, strings.TrimSpace(t.Place.Address)})
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
		d := m[k].div
		if d < 0 || in.divHome[d] {
			continue
		}
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
	in.names = names
	g.Summary = groupSummary(g, names, cfg)
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
func (in *tripInput) groupID(m []memberKey) string {
	var sum uint64
	for _, key := range m {
		h := key.hash
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
func groupSummary(g Group, names []byte, cfg CoordinationConfig) string {
	var b strings.Builder
	b.Grow(len(names) + 96)
	b.Write(names)
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
