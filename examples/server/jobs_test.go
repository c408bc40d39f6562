package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/notify"
)

// The reminder job drafts one reminder per item, level and day however often
// it runs, and the judges receive them.
func TestJob_RemindersOncePerDay(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		ctx := t.Context()
		count := func() int {
			ms, err := e.app.desk.Outbox.List(ctx, notify.Filter{})
			require.NoError(t, err)
			n := 0
			for _, m := range ms {
				if m.Template == notify.KeyDeadlineReminder {
					n++
				}
			}
			return n
		}
		n, err := e.app.remindOnce(ctx)
		require.NoError(t, err)
		require.Positive(t, n, "the demo has overdue and approaching items")
		first := count()
		require.Equal(t, n, first)
		_, err = e.app.remindOnce(ctx)
		require.NoError(t, err)
		require.Equal(t, first, count(), "running again drafts nothing new")

		e.dispatch()
		var toJudge bool
		for _, o := range e.sender.all() {
			toJudge = toJudge || o.Template == notify.KeyDeadlineReminder && o.To == "13900000002"
		}
		require.True(t, toJudge, "judge-li is reminded")

		e.clock.Add(24 * time.Hour)
		_, err = e.app.remindOnce(ctx)
		require.NoError(t, err)
		require.Greater(t, count(), first, "a new day brings new reminders for what is still open")
	})
}
