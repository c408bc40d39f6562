package planning

import "sync"

// scratch is the working memory of one Coordinate call: the half-day
// ranges, sort keys, hash tables, union-find and grid of the sweeps. It is
// reused across calls through scratchPool, so that a call on a large batch
// does not ask the runtime for tens of megabytes of fresh, zeroed memory
// each time, and the garbage collector has that much less to do. Every
// element type is free of pointers, and nothing a [Group] holds points into
// scratch memory.
type scratch struct {
	i32     slab[int32]
	i64     slab[int64]
	u64     slab[uint64]
	u32     slab[uint32]
	bytes   slab[byte]
	bools   slab[bool]
	keys    slab[memberKey]
	entries slab[gridEntry]
	pts     slab[[3]float64]
	runs    slab[cellRun]
	cells   slab[cellSlot]
	strs    slab[stringSlot]
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// putScratch returns sc to the pool once nothing refers to its memory.
func putScratch(sc *scratch) {
	sc.i32.reset()
	sc.i64.reset()
	sc.u64.reset()
	sc.u32.reset()
	sc.bytes.reset()
	sc.bools.reset()
	sc.keys.reset()
	sc.entries.reset()
	sc.pts.reset()
	sc.runs.reset()
	sc.cells.reset()
	sc.strs.reset()
	scratchPool.Put(sc)
}

// slab hands out consecutive pieces of one buffer. A call that needs more
// than the buffer holds gets the rest from the runtime, and the next call
// after reset finds a buffer large enough for all of it.
type slab[T any] struct {
	buf  []T
	used int // handed out from buf since reset
	need int // asked for since reset
	want int // the size of the buffer to make at the next take
}

// take returns n elements whose contents are undefined.
func (s *slab[T]) take(n int) []T {
	if s.want > 0 {
		s.buf, s.want = make([]T, s.want), 0
	}
	s.need += n
	if s.used+n > len(s.buf) {
		return make([]T, n)
	}
	r := s.buf[s.used : s.used+n : s.used+n]
	s.used += n
	return r
}

// zeroed returns n zero elements.
func (s *slab[T]) zeroed(n int) []T {
	r := s.take(n)
	clear(r)
	return r
}

func (s *slab[T]) reset() {
	if s.need > len(s.buf) {
		s.buf, s.want = nil, s.need
	}
	s.used, s.need = 0, 0
}
