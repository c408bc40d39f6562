package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/courtkit/zhixing/examples/server/internal/serverdb"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// Start starts the background jobs: the relay from the case store's event
// log to the outbox, the SMS dispatcher, and the judges' daily digest. They
// stop when ctx is cancelled; the returned channel is closed once all have
// returned (the dispatcher records or releases the message in flight first).
func (a *app) Start(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	every := func(name string, d time.Duration, fn func(context.Context) error) {
		if d <= 0 {
			return
		}
		wg.Go(func() {
			t := time.NewTicker(d)
			defer t.Stop()
			for {
				if err := fn(ctx); err != nil && ctx.Err() == nil {
					a.log.Warn("job failed", "job", name, "err", err)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		})
	}
	every("relay", a.cfg.DispatchPoll, func(ctx context.Context) error { _, err := a.relayOnce(ctx); return err })
	every("digest", a.cfg.RemindEvery, func(ctx context.Context) error {
		if err := a.desk.RefreshCalendar(ctx); err != nil {
			return err
		}
		_, err := a.digestOnce(ctx)
		return err
	})
	if a.dispatcher != nil && a.cfg.DispatchPoll > 0 {
		wg.Go(func() {
			if err := a.dispatcher.Run(ctx); err != nil {
				a.log.Error("dispatcher stopped", "err", err)
			}
		})
	}
	go func() { wg.Wait(); close(done) }()
	return done
}

// relayOnce drafts the messages for the events logged since the relay's
// cursor and puts them in the outbox (notify.Relay over the store's own
// cursor). The store's Draft hook already drafts each change's messages in
// its transaction; the relay catches up on events written without it
// (another process, an import, a draft that failed). Drafting is
// deterministic and the outbox keeps one message per idempotency key, so
// several instances may relay the same events without sending anything
// twice; the cursor only saves work.
func (a *app) relayOnce(ctx context.Context) (int, error) {
	n := 0
	for _, r := range a.relays {
		k, err := r.Once(ctx, a.desk.Now())
		n += k
		if err != nil {
			return n, fmt.Errorf("relay of %s: %w", r.Court, err)
		}
	}
	return n, nil
}

// newRelay builds one relay per court that takes cases, over the store's
// event log and cursor, each with its court's drafter. Each cursor is
// named after its court, so that the courts keep their own place. The
// position the server kept in its own table (server_cursor, before the
// store had cursors) is carried over once, to the default court's relay,
// so an upgraded server does not draft the whole log again.
func (a *app) newRelay(ctx context.Context) error {
	if a.desk.Outbox == nil {
		return nil
	}
	a.relays = nil
	var home *notify.Relay
	for _, court := range a.desk.CaseCourts() {
		r := &notify.Relay{
			Log: a.store, Cases: a.store, Drafter: a.desk.Drafter(court), Outbox: a.desk.Outbox, Cursor: a.store,
			Name: "server.relay/" + court, Court: court,
			OnDraftError: func(caseID string, err error) {
				// A message that cannot be drafted must not block the others.
				a.log.Warn("draft failed", "court", court, "case", caseID, "err", err)
			},
		}
		a.relays = append(a.relays, r)
		if court == a.desk.DefaultCourt() {
			home = r
		}
	}
	if home == nil {
		return nil
	}
	var old int64
	err := a.db.QueryRow(ctx, `SELECT seq FROM server_cursor WHERE name = 'relay'`).Scan(&old)
	if serverdb.IsNoRows(err) || old == 0 {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the old relay cursor: %w", err)
	}
	return a.store.SetCursor(ctx, home.Name, old)
}

// recheck is the dispatcher's send-time check (notify.CheckFunc): a
// message about a case is measured against the case as it stands now
// (the party's opt-out and number, the case's state) and cancelled with
// the reason when it no longer applies; a message about no case (a
// digest, an opt-out confirmation) or about something that is not a case
// in the store (an itinerary's group, "itinerary/…") goes.
func (a *app) recheck(ctx context.Context, m notify.Message) (string, error) {
	if m.CaseID == "" {
		return "", nil
	}
	c, err := a.store.Get(ctx, m.CaseID)
	if errors.Is(err, enforcement.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return notify.RecheckCase(m, c), nil
}
