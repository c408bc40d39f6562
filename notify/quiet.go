package notify

import (
	"fmt"
	"time"

	"github.com/courtkit/zhixing/deadline"
)

// WorkdayFunc reports whether d is a working day. A calendar's method value
// fits: (*deadline.Calendar).IsWorkday.
type WorkdayFunc func(d deadline.Date) (bool, error)

// Default quiet hours: no SMS to parties from 21:00 to 08:00 China Standard
// Time.
const (
	DefaultQuietStart = 21 * time.Hour
	DefaultQuietEnd   = 8 * time.Hour
)

// QuietHours is when parties are not sent SMS. The zero value means the
// defaults: 21:00 to 08:00 in China Standard Time ([deadline.China]), for
// parties only, on every day of the week.
type QuietHours struct {
	// Off disables quiet hours.
	Off bool
	// Start and End are the quiet period's bounds as offsets from
	// midnight; Start after End means the period spans midnight. Both zero
	// means the defaults, DefaultQuietStart and DefaultQuietEnd.
	Start, End time.Duration
	// Location is the time zone of Start and End; nil means deadline.China.
	Location *time.Location
	// Staff also applies quiet hours to judges, chiefs and leaders. Off by
	// default: court staff get their reminders at once.
	Staff bool
	// Workday, when set, also keeps non-urgent messages to parties off
	// non-working days (weekends, holidays): they go out at End on the next
	// working day. Unset by default, because a filing or measure notice is
	// information the party should have promptly (D4: "及时", same-day
	// push recommended), and a text on a Saturday morning is no intrusion.
	// Pass a calendar's IsWorkday to enable it.
	Workday WorkdayFunc
}

func (q QuietHours) bounds() (start, end time.Duration, loc *time.Location) {
	start, end, loc = q.Start, q.End, q.Location
	if start == 0 && end == 0 {
		start, end = DefaultQuietStart, DefaultQuietEnd
	}
	if loc == nil {
		loc = deadline.China
	}
	return start, end, loc
}

// Applies reports whether quiet hours hold for a message to r; urgent
// messages are exempt.
func (q QuietHours) Applies(r Recipient, urgent bool) bool {
	return !q.Off && !urgent && (r.Role.IsParty() || q.Staff)
}

// Next returns the earliest time at or after t at which a message to r may
// be sent: t itself outside quiet hours, otherwise the end of the quiet
// period (the next day's End if t is after Start). With Workday set, a
// time on a non-working day moves to End on the next working day. An error
// from Workday (a date the calendar does not cover) is returned with a zero
// time; callers should hold such a message rather than guess.
func (q QuietHours) Next(t time.Time, r Recipient, urgent bool) (time.Time, error) {
	if !q.Applies(r, urgent) {
		return t, nil
	}
	start, end, loc := q.bounds()
	lt := t.In(loc)
	y, mo, d := lt.Date()
	midnight := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	tod := lt.Sub(midnight)
	next := t
	switch {
	case start == end:
		// An empty quiet period.
	case start > end: // spans midnight, e.g. 21:00–08:00
		if tod >= start {
			next = time.Date(y, mo, d+1, 0, 0, 0, 0, loc).Add(end)
		} else if tod < end {
			next = midnight.Add(end)
		}
	default: // within a day, e.g. 12:00–14:00
		if tod >= start && tod < end {
			next = midnight.Add(end)
		}
	}
	if q.Workday == nil || !r.Role.IsParty() {
		return next, nil
	}
	// A year has at most a few runs of non-working days, the longest
	// (Spring Festival or National Day with weekends) under two weeks.
	for range 60 {
		ny, nm, nd := next.In(loc).Date()
		ok, err := q.Workday(deadline.NewDate(ny, nm, nd))
		if err != nil {
			return time.Time{}, fmt.Errorf("notify: quiet hours after %s: %w", t.Format(time.RFC3339), err)
		}
		if ok {
			return next, nil
		}
		next = time.Date(ny, nm, nd+1, 0, 0, 0, 0, loc).Add(end)
	}
	return time.Time{}, fmt.Errorf("notify: quiet hours after %s: no working day within 60 days", t.Format(time.RFC3339))
}
