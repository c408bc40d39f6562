package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// RelayStores is what the relay suite exercises: a case store with its
// event log, where the relay keeps its cursor, and the outbox it fills.
type RelayStores struct {
	Store  Store
	Cursor notify.Cursor
	Outbox notify.Outbox
}

// RunRelay runs the conformance suite of the event log as a [notify.Relay]
// reads it: cursors that never move back, appends read in commit order
// while they run concurrently, and a relay that crashes between reading the
// log and writing the outbox, and between writing the outbox and saving its
// cursor, losing nothing and queuing nothing twice. open must return new,
// empty stores for each call.
func RunRelay(t *testing.T, open func(t *testing.T) RelayStores) {
	t.Run("CursorNeverMovesBack", func(t *testing.T) { testCursor(t, open(t)) })
	t.Run("ConcurrentAppendsReadInOrder", func(t *testing.T) { testConcurrentAppends(t, open(t)) })
	t.Run("RelayCrashLosesNothingSendsNothingTwice", func(t *testing.T) { testRelayCrash(t, open(t)) })
}

func testCursor(t *testing.T, s RelayStores) {
	ctx := t.Context()
	got, err := s.Cursor.Cursor(ctx, "relay")
	require.NoError(t, err)
	require.Zero(t, got, "a cursor never saved is at 0")
	require.NoError(t, s.Cursor.SetCursor(ctx, "relay", 5))
	require.NoError(t, s.Cursor.SetCursor(ctx, "relay", 3))
	require.NoError(t, s.Cursor.SetCursor(ctx, "other", 9))
	got, err = s.Cursor.Cursor(ctx, "relay")
	require.NoError(t, err)
	require.EqualValues(t, 5, got, "a cursor never moves back")
	got, err = s.Cursor.Cursor(ctx, "other")
	require.NoError(t, err)
	require.EqualValues(t, 9, got, "cursors are kept by name")
}

// testConcurrentAppends has writers append events to different cases (and
// so, on a SQL store, different rows and courts) while a reader follows the
// log with a cursor, as a relay does. A log whose sequence numbers can
// commit out of order makes the reader step over an event for good.
func testConcurrentAppends(t *testing.T, s RelayStores) {
	ctx := t.Context()
	const writers, each = 6, 25
	for w := range writers {
		c := NewCase(fmt.Sprintf("c%d", w), fmt.Sprintf("沪%02d", w+1), "j1", w+1)
		require.NoError(t, s.Store.Create(ctx, c, nil))
	}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				var err error
				// A store may answer a busy database with ErrConflict;
				// the change is then simply made again.
				for try := 0; try == 0 || errors.Is(err, enforcement.ErrConflict) && try < 20; try++ {
					_, _, err = s.Store.Update(ctx, fmt.Sprintf("c%d", w), func(c *enforcement.Case) ([]enforcement.Event, error) {
						return []enforcement.Event{event(c, enforcement.EventNodeRecorded, fmt.Sprint(i))}, nil
					})
				}
				if err != nil {
					t.Errorf("append: %v", err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	seen := map[string]bool{}
	var cursor int64
	read := func() {
		evs, err := s.Store.EventsAfter(ctx, cursor, 7)
		require.NoError(t, err)
		for _, e := range evs {
			require.Greater(t, e.Seq, cursor, "events come in Seq order")
			require.False(t, seen[e.ID], "event %s read twice", e.ID)
			seen[e.ID] = true
			cursor = e.Seq
		}
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		read()
	}
	for before := -1; before != len(seen); {
		before = len(seen)
		read()
	}
	require.Len(t, seen, writers*each, "a reader following the log with a cursor saw every event")
}

// failingPutter fails the Put calls after the first ok ones, as a process
// dying between drafting and writing the outbox does.
type failingPutter struct {
	notify.Putter
	ok int
}

func (p *failingPutter) Put(ctx context.Context, msgs ...notify.Message) error {
	if p.ok == 0 {
		return errCrash
	}
	p.ok--
	return p.Putter.Put(ctx, msgs...)
}

// failingCursor fails every save, as a process dying after writing the
// outbox but before saving its place does.
type failingCursor struct{ c notify.Cursor }

func (f failingCursor) Cursor(ctx context.Context, name string) (int64, error) {
	return f.c.Cursor(ctx, name)
}

func (failingCursor) SetCursor(context.Context, string, int64) error { return errCrash }

func testRelayCrash(t *testing.T, s RelayStores) {
	ctx := t.Context()
	tpls, err := notify.DefaultTemplates(notify.Config{Signature: "【测试法院】", Contact: "诉讼服务热线12368", QuerySite: "zxgk.court.gov.cn"})
	require.NoError(t, err)
	drafter := &notify.Drafter{Templates: tpls, Policy: notify.Policy{}}
	const cases = 5
	var want []string
	for i := range cases {
		c := NewCase(fmt.Sprintf("c%d", i), "沪01", "j1", i+1)
		evs := []enforcement.Event{event(c, enforcement.EventCaseFiled, c.ID)}
		require.NoError(t, s.Store.Create(ctx, c, evs))
		msgs, err := drafter.Draft(c, evs, base)
		require.NoError(t, err)
		for _, m := range msgs {
			want = append(want, m.IdempotencyKey)
		}
	}
	require.NotEmpty(t, want, "the filing notices are drafted")
	slices.Sort(want)

	relay := func(out notify.Putter, cur notify.Cursor) *notify.Relay {
		return &notify.Relay{Log: s.Store, Cases: s.Store, Drafter: drafter, Outbox: out, Cursor: cur, Batch: 2}
	}
	// Dies after writing the first case's messages, before the rest.
	_, err = relay(&failingPutter{Putter: s.Outbox, ok: 1}, s.Cursor).Once(ctx, base)
	require.ErrorIs(t, err, errCrash)
	at, err := s.Cursor.Cursor(ctx, notify.DefaultRelayCursor)
	require.NoError(t, err)
	require.Zero(t, at, "the cursor does not pass events whose messages were not written")

	// Writes everything, dies before saving its place.
	_, err = relay(s.Outbox, failingCursor{s.Cursor}).Once(ctx, base)
	require.ErrorIs(t, err, errCrash)

	// Restarted: relays everything again, and the outbox keeps each once.
	n, err := relay(s.Outbox, s.Cursor).Once(ctx, base)
	require.NoError(t, err)
	require.Equal(t, len(want), n)
	n, err = relay(s.Outbox, s.Cursor).Once(ctx, base)
	require.NoError(t, err)
	require.Zero(t, n, "nothing after the cursor is left to relay")

	stored, err := s.Outbox.List(ctx, notify.Filter{})
	require.NoError(t, err)
	var got []string
	for _, m := range stored {
		got = append(got, m.IdempotencyKey)
	}
	slices.Sort(got)
	require.Equal(t, want, got, "every message is queued, and each once")
}
