package planning

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// Index structures of the coordination sweep: hash tables of grid cells and
// division codes, union-find, a min-heap and the half-day ordering.

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

func newCellTable(hint int, sc *scratch) *cellTable {
	bits := uint(4)
	for 1<<bits < hint+hint/2 { // at most two thirds full
		bits++
	}
	t := &cellTable{slots: sc.cells.take(1 << bits), shift: 64 - bits}
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

// get returns the number of k, which must have been interned.
func (t *cellTable) get(k uint64) int32 {
	mask := uint64(len(t.slots) - 1)
	for i := t.slot(k); ; i = (i + 1) & mask {
		if s := &t.slots[i]; s.key == k {
			return s.val
		}
	}
}

// stringTable numbers distinct strings by open addressing on their
// hashes. Each slot holds 32 bits of the hash and the string's number; the
// strings themselves are copied into one byte array, so a probe compares
// against a compact, cache-friendly copy and the garbage collector has
// nothing to scan.
type stringTable struct {
	slots []stringSlot
	keys  []byte   // the strings, one after another
	ends  []uint32 // by number: the end of its string in keys
	shift uint
	n     int32
}

type stringSlot struct {
	tag uint32 // the low 32 bits of the hash
	id  int32  // the string's number plus one; 0 when the slot is empty
}

func newStringTable(hint int, sc *scratch) *stringTable {
	bits := uint(4)
	for 1<<bits < 2*hint {
		bits++
	}
	return &stringTable{
		slots: sc.strs.zeroed(1 << bits),
		keys:  sc.bytes.take(8 * hint)[:0],
		ends:  sc.u32.take(hint)[:0],
		shift: 64 - bits,
	}
}

// key returns the string numbered id.
func (t *stringTable) key(id int32) []byte {
	lo := uint32(0)
	if id > 0 {
		lo = t.ends[id-1]
	}
	return t.keys[lo:t.ends[id]]
}

// intern returns the number of s, numbering it if it is new. The table
// doubles when half full.
func (t *stringTable) intern(s string) int32 {
	h := hashString(s)
	mask := uint64(len(t.slots) - 1)
	for k := h >> t.shift; ; k = (k + 1) & mask {
		sl := &t.slots[k]
		if sl.id == 0 {
			*sl = stringSlot{tag: uint32(h), id: t.n + 1}
			t.keys = append(t.keys, s...)
			t.ends = append(t.ends, uint32(len(t.keys)))
			t.n++
			if int(t.n) > len(t.slots)/2 {
				t.grow()
			}
			return t.n - 1
		}
		if sl.tag == uint32(h) && string(t.key(sl.id-1)) == s {
			return sl.id - 1
		}
	}
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

func (t *stringTable) grow() {
	old := t.slots
	t.shift--
	t.slots = make([]stringSlot, 2*len(old))
	mask := uint64(len(t.slots) - 1)
	for _, sl := range old {
		if sl.id == 0 {
			continue
		}
		k := hashString(string(t.key(sl.id-1))) >> t.shift
		for t.slots[k].id != 0 {
			k = (k + 1) & mask
		}
		t.slots[k] = sl
	}
}

// duplicate is a trip whose ID an earlier trip already uses.
type duplicate struct {
	trip, first int32
}

// findDuplicates returns the trips whose non-empty ID an earlier trip
// already uses, in trip order, each with the first trip using it. hash
// holds hashString of each ID. The trips are bucketed by the top bits of
// their hashes, about one to a bucket, and only trips within a bucket are
// compared, so no trip is read unless its hash is shared.
func findDuplicates(trips []Trip, hash []uint64, sc *scratch) []duplicate {
	bits := uint(1)
	for 1<<bits < len(trips) {
		bits++
	}
	start := sc.i32.zeroed(1<<bits + 1)
	for i, h := range hash {
		if trips[i].ID != "" {
			start[h>>(64-bits)+1]++
		}
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	order := sc.i32.take(int(start[len(start)-1]))
	fill := start[:len(start)-1]
	for i, h := range hash {
		if trips[i].ID != "" {
			b := h >> (64 - bits)
			order[fill[b]] = int32(i)
			fill[b]++
		}
	}
	// fill[b] is now the end of bucket b and the start of bucket b+1.
	var dups []duplicate
	var firsts []int32
	lo := int32(0)
	for _, hi := range fill {
		if hi-lo > 1 {
			firsts = firsts[:0]
			for _, i := range order[lo:hi] { // in trip order
				first := int32(-1)
				for _, f := range firsts {
					if hash[f] == hash[i] && trips[f].ID == trips[i].ID {
						first = f
						break
					}
				}
				if first < 0 {
					firsts = append(firsts, i)
				} else {
					dups = append(dups, duplicate{trip: i, first: first})
				}
			}
		}
		lo = hi
	}
	slices.SortFunc(dups, func(a, b duplicate) int { return cmp.Compare(a.trip, b.trip) })
	return dups
}

// sortByStart orders keys by Start in place, and returns it: by the second
// with a stable radix sort when the trips span less than a few thousand
// years, so that keys starting in the same second stay in input order (the
// groups order those by the nanosecond and ID themselves, see
// [insertionSortMembers]), and by Start, then ID, with a comparison sort
// otherwise.
func sortByStart(keys []memberKey, trips []Trip, sc *scratch) []memberKey {
	out := keys
	if len(out) < 2 {
		return out
	}
	lo, hi := out[0].sec, out[0].sec
	for _, k := range out {
		lo, hi = min(lo, k.sec), max(hi, k.sec)
	}
	const digit = 11
	span := uint64(hi - lo)
	passes := (bits.Len64(span) + digit - 1) / digit
	if hi-lo < 0 || passes > 4 { // the difference overflowed, or is too wide
		slices.SortFunc(out, func(a, b memberKey) int { return compareMembers(&a, &b, trips) })
		return out
	}
	tmp := sc.keys.take(len(out))
	var count [1 << digit]int32
	for p := range passes {
		shift := uint(p * digit)
		clear(count[:])
		for k := range out {
			count[(uint64(out[k].sec-lo)>>shift)&(1<<digit-1)]++
		}
		sum := int32(0)
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for k := range out {
			d := (uint64(out[k].sec-lo) >> shift) & (1<<digit - 1)
			tmp[count[d]] = out[k]
			count[d]++
		}
		out, tmp = tmp, out
	}
	return out
}

// insertionSortMembers orders m by Start, then ID. It is linear when m is
// ordered by the second already, as [sortByStart] leaves it, but for the
// rare keys starting in the same second.
func insertionSortMembers(m []memberKey, trips []Trip) {
	for a := 1; a < len(m); a++ {
		for b := a; b > 0 && compareMembers(&m[b], &m[b-1], trips) < 0; b-- {
			m[b], m[b-1] = m[b-1], m[b]
		}
	}
}

// compareMembers orders member keys by Start, then ID.
func compareMembers(a, b *memberKey, trips []Trip) int {
	if a.sec != b.sec {
		return cmp.Compare(a.sec, b.sec)
	}
	if a.nsec != b.nsec {
		return cmp.Compare(a.nsec, b.nsec)
	}
	if a.pre != b.pre {
		return cmp.Compare(a.pre, b.pre)
	}
	return strings.Compare(trips[a.trip].ID, trips[b.trip].ID)
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
	sinLat, cosLat := math.Sincos(p.Lat * rad)
	sinLng, cosLng := math.Sincos(p.Lng * rad)
	return [3]float64{
		earthRadiusKm * cosLat * cosLng,
		earthRadiusKm * cosLat * sinLng,
		earthRadiusKm * sinLat,
	}
}

// unionFind is a disjoint-set forest with union by size and path halving.
type unionFind struct {
	parent []int32
	size   []int32
}

func newUnionFind(n int, sc *scratch) *unionFind {
	u := &unionFind{parent: sc.i32.take(n), size: sc.i32.take(n)}
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
