package memory_test

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/memory"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// The doubles below each have one bug a store written on another database
// has been seen to have; TestSuiteCatchesBrokenStores shows that the
// conformance suites fail on each, in the case named for the bug, and only
// there.

// foldedIDs keys cases case-insensitively, as a MariaDB table under its
// default collation (utf8mb4_general_ci) does.
type foldedIDs struct {
	*memory.Store
	mu  sync.Mutex
	ids map[string]string // folded ID → stored ID
}

func (s *foldedIDs) Create(ctx context.Context, c *enforcement.Case, events []enforcement.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ids[strings.ToLower(c.ID)]; ok {
		return enforcement.ErrConflict
	}
	if err := s.Store.Create(ctx, c, events); err != nil {
		return err
	}
	s.ids[strings.ToLower(c.ID)] = c.ID
	return nil
}

func (s *foldedIDs) stored(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if got, ok := s.ids[strings.ToLower(id)]; ok {
		return got
	}
	return id
}

func (s *foldedIDs) Get(ctx context.Context, id string) (*enforcement.Case, error) {
	return s.Store.Get(ctx, s.stored(id))
}

func (s *foldedIDs) Update(ctx context.Context, id string, fn enforcement.UpdateFunc) (*enforcement.Case, []enforcement.Event, error) {
	return s.Store.Update(ctx, s.stored(id), fn)
}

// findByID orders Find by ID alone, forgetting the filing date.
type findByID struct{ *memory.Store }

func (s findByID) Find(ctx context.Context, f enforcement.CaseFilter) ([]*enforcement.Case, error) {
	limit, offset := f.Limit, f.Offset
	f.Limit, f.Offset = 0, 0
	cs, err := s.Store.Find(ctx, f)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(cs, func(a, b *enforcement.Case) int { return strings.Compare(a.ID, b.ID) })
	cs = cs[min(offset, len(cs)):]
	if limit > 0 {
		cs = cs[:min(limit, len(cs))]
	}
	return cs, nil
}

// computedDue indexes due items under their computed date, ignoring the
// judge's override.
type computedDue struct{ *memory.Store }

func (s computedDue) DueItems(ctx context.Context, f enforcement.DueFilter) ([]enforcement.DueRef, error) {
	if !f.WarnedBy.IsZero() {
		return s.Store.DueItems(ctx, f) // reminder dates are not the bug
	}
	before := f.DueBefore
	f.DueBefore, f.Limit = enforcement.DueFilter{}.DueBefore, 0
	all, err := s.Store.DueItems(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []enforcement.DueRef
	for _, r := range all {
		if before.IsZero() || !r.Item.Computed.After(before) {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b enforcement.DueRef) int { return a.Item.Computed.Compare(b.Item.Computed) })
	return out, nil
}

// listByID orders the outbox's List by ID, not by creation.
type listByID struct{ *memory.Outbox }

func (o listByID) List(ctx context.Context, f notify.Filter) ([]notify.Message, error) {
	limit := f.Limit
	f.Limit = 0
	ms, err := o.Outbox.List(ctx, f)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ms, func(a, b notify.Message) int { return strings.Compare(a.ID, b.ID) })
	if limit > 0 {
		ms = ms[:min(limit, len(ms))]
	}
	return ms, nil
}

// lateCommits numbers events when they are written but shows them only a
// moment later, as a database sequence without a lock around the appends
// does: a lower number can become visible after a higher one.
type lateCommits struct {
	*memory.Store
	mu      sync.Mutex
	next    int64
	visible []enforcement.Event
}

func (s *lateCommits) log(events []enforcement.Event) []enforcement.Event {
	s.mu.Lock()
	out := slices.Clone(events)
	for i := range out {
		s.next++
		out[i].Seq = s.next
	}
	s.mu.Unlock()
	time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond) // the commit
	s.mu.Lock()
	defer s.mu.Unlock()
	s.visible = append(s.visible, out...)
	return out
}

func (s *lateCommits) Create(ctx context.Context, c *enforcement.Case, events []enforcement.Event) error {
	if err := s.Store.Create(ctx, c, events); err != nil {
		return err
	}
	s.log(events)
	return nil
}

func (s *lateCommits) Update(ctx context.Context, id string, fn enforcement.UpdateFunc) (*enforcement.Case, []enforcement.Event, error) {
	c, evs, err := s.Store.Update(ctx, id, fn)
	if err != nil {
		return nil, nil, err
	}
	return c, s.log(evs), nil
}

func (s *lateCommits) EventsAfter(ctx context.Context, after int64, limit int) ([]enforcement.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []enforcement.Event
	for _, e := range s.visible {
		if e.Seq > after {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b enforcement.Event) int { return int(a.Seq - b.Seq) })
	if limit > 0 {
		out = out[:min(limit, len(out))]
	}
	return out, nil
}

// brokenStores runs a suite on each double; the child process of
// TestSuiteCatchesBrokenStores runs one of them.
var brokenStores = map[string]struct {
	run      func(t *testing.T)
	failures []string // the suite cases that must fail, and only they
}{
	"folded IDs": {func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) storetest.Store { return &foldedIDs{Store: memory.New(), ids: map[string]string{}} })
	}, []string{"IDsCompareExactly"}},
	"Find by ID": {func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) storetest.Store { return findByID{memory.New()} })
	}, []string{"FindOrderedByFilingDateThenID"}},
	"due index on computed dates": {func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) storetest.Store { return computedDue{memory.New()} })
	}, []string{"DueItemsUseOverride"}},
	"List by ID": {func(t *testing.T) {
		storetest.RunOutbox(t, func(t *testing.T) notify.Outbox { return listByID{memory.NewOutbox()} })
	}, []string{"ListOldestFirst"}},
	"late commits": {func(t *testing.T) {
		storetest.RunRelay(t, func(t *testing.T) storetest.RelayStores {
			s := &lateCommits{Store: memory.New()}
			return storetest.RelayStores{Store: s, Cursor: s.Store, Outbox: memory.NewOutbox()}
		})
	}, []string{"ConcurrentAppendsReadInOrder"}},
}

// TestSuiteCatchesBrokenStores runs the suites on each broken double in a
// child process (a failing suite fails its test) and requires exactly the
// case named for the double's bug to fail.
func TestSuiteCatchesBrokenStores(t *testing.T) {
	if name := os.Getenv("ZHIXING_BROKEN_STORE"); name != "" {
		brokenStores[name].run(t)
		return
	}
	t.Parallel()
	failed := regexp.MustCompile(`--- FAIL: TestSuiteCatchesBrokenStores/(\S+)`)
	for name, b := range brokenStores {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestSuiteCatchesBrokenStores$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), "ZHIXING_BROKEN_STORE="+name)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "the suite passes a store with the bug:\n%s", out)
			var got []string
			for _, m := range failed.FindAllStringSubmatch(string(out), -1) {
				got = append(got, m[1])
			}
			require.Equal(t, b.failures, got, "the suite cases that fail:\n%s", out)
		})
	}
}
