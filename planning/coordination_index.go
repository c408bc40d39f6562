package planning

import (
	"cmp"
	"math"
	"slices"
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
