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
// log to the outbox, the SMS dispatcher, and the reminder scheduler. They
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
	every("reminders", a.cfg.RemindEvery, func(ctx context.Context) error {
		if err := a.desk.RefreshCalendar(ctx); err != nil {
			return err
		}
		_, err := a.remindOnce(ctx)
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

const relayBatch = 200

// relayOnce drafts the messages for the events logged since the relay's
// cursor and puts them in the outbox. The store's Draft hook already drafts
// each change's messages in its transaction; the relay catches up on events
// written without it (another process, an import, a draft that failed). Drafting is deterministic and the
// outbox keeps one message per idempotency key, so several instances may
// relay the same events without sending anything twice; the cursor only
// saves work.
func (a *app) relayOnce(ctx context.Context) (int, error) {
	if a.desk.Outbox == nil {
		return 0, nil
	}
	a.relayMu.Lock()
	defer a.relayMu.Unlock()
	var cursor int64
	err := a.db.QueryRow(ctx, `SELECT seq FROM server_cursor WHERE name = 'relay'`).Scan(&cursor)
	if err != nil && !serverdb.IsNoRows(err) {
		return 0, err
	}
	total := 0
	for {
		evs, err := a.store.EventsAfter(ctx, cursor, relayBatch)
		if err != nil || len(evs) == 0 {
			return total, err
		}
		byCase := map[string][]enforcement.Event{}
		var order []string
		for _, e := range evs {
			if e.Court != a.desk.Court {
				continue
			}
			if _, ok := byCase[e.CaseID]; !ok {
				order = append(order, e.CaseID)
			}
			byCase[e.CaseID] = append(byCase[e.CaseID], e)
		}
		now := a.desk.Now()
		for _, id := range order {
			c, err := a.store.Get(ctx, id)
			if errors.Is(err, enforcement.ErrNotFound) {
				continue
			}
			if err != nil {
				return total, err
			}
			msgs, err := a.desk.Drafter.Draft(c, byCase[id], now)
			if err != nil {
				// A message that cannot be drafted must not block the others.
				a.log.Warn("draft failed", "case", id, "err", err)
				continue
			}
			if len(msgs) > 0 {
				if err := a.desk.Outbox.Put(ctx, msgs...); err != nil {
					return total, fmt.Errorf("relay put: %w", err)
				}
				total += len(msgs)
			}
		}
		cursor = evs[len(evs)-1].Seq
		if _, err := a.db.Exec(ctx, `INSERT INTO server_cursor (name, seq) VALUES ('relay', ?)
			ON CONFLICT (name) DO UPDATE SET seq = CASE WHEN excluded.seq > server_cursor.seq THEN excluded.seq ELSE server_cursor.seq END`, cursor); err != nil {
			return total, err
		}
		if len(evs) < relayBatch {
			return total, nil
		}
	}
}

// remindOnce drafts a deadline reminder to the judge for every open due item
// that is approaching, due today or overdue. The idempotency key holds the
// day and the level, so running it every few minutes, on several instances,
// sends one reminder per item, level and day.
func (a *app) remindOnce(ctx context.Context) (int, error) {
	if a.desk.Outbox == nil {
		return 0, nil
	}
	today := a.desk.Today()
	// Only items within a month can be approaching (3 working days, or a
	// holiday block before them); reading fewer rows keeps the job cheap.
	refs, err := a.store.DueItems(ctx, enforcement.DueFilter{Court: a.desk.Court, OpenOnly: true, DueBefore: today.AddDays(30)})
	if err != nil {
		return 0, err
	}
	cl, err := enforcement.Classify(refs, today, a.desk.Calendar(), 0)
	if err != nil {
		return 0, err
	}
	byCase := map[string][]enforcement.DueFlag{}
	var order []string
	for _, f := range cl.Flagged {
		if _, ok := byCase[f.CaseID]; !ok {
			order = append(order, f.CaseID)
		}
		byCase[f.CaseID] = append(byCase[f.CaseID], f)
	}
	now := a.desk.Now()
	n := 0
	for _, id := range order {
		c, err := a.store.Get(ctx, id)
		if err != nil {
			continue
		}
		var msgs []notify.Message
		for _, f := range byCase[id] {
			item, ok := c.Due(f.DueID)
			if !ok || !item.IsOpen() {
				continue
			}
			m, ok, err := a.desk.Drafter.DraftReminder(c, item, f.Level, today, now)
			if err != nil {
				a.log.Warn("draft reminder", "case", id, "due", f.DueID, "err", err)
				continue
			}
			if ok {
				msgs = append(msgs, m)
			}
		}
		if len(msgs) > 0 {
			if err := a.desk.Outbox.Put(ctx, msgs...); err != nil {
				return n, err
			}
			n += len(msgs)
		}
	}
	return n, nil
}
