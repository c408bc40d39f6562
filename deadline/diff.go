package deadline

// DayChange is a date whose kind or name differs between two calendars.
// A side on which the date is not covered has the zero DayInfo (Kind 0).
type DayChange struct {
	Date          Date
	Before, After DayInfo
}

// Diff returns, in date order, every date covered by old or new whose
// [DayInfo] differs between them: the days a newly loaded schedule or closure
// changes. Deadlines computed on old that depend on one of these dates (or
// were provisional) should be recomputed on new.
func Diff(old, new *Calendar) []DayChange {
	of, ol := old.Coverage()
	nf, nl := new.Coverage()
	first, last := of, ol
	switch {
	case first.IsZero():
		first, last = nf, nl
	case !nf.IsZero():
		if nf.Before(first) {
			first = nf
		}
		if nl.After(last) {
			last = nl
		}
	}
	if first.IsZero() {
		return nil
	}
	var out []DayChange
	for d := first; !d.After(last); d = d.AddDays(1) {
		b, _ := old.Day(d)
		a, _ := new.Day(d)
		if a != b {
			out = append(out, DayChange{Date: d, Before: b, After: a})
		}
	}
	return out
}
