// Package planning turns a judge's work into a schedule: weekly work plans,
// reminders with warning levels, calendar feeds, and pooled field trips
// (集约出行).
//
// # Pooled field trips
//
// A [Trip] is a judge's field trip (外出办案). [Coordinate] finds trips of
// different judges that coincide in time (the same or adjacent half-days by
// default) and place (the same administrative division code, or coordinates
// within a few kilometres) and returns them as [Group] values: who travels,
// the shared window, the stops in time order, a Chinese one-line summary and,
// for trips outside the court's jurisdiction, the option of entrusting the
// task to the local court (执行事项委托). Drafting the messages to judges and
// their leaders is left to package notify.
//
// No legal rule governs pooling trips (reference ambiguity A18); the time
// and distance thresholds are configuration, see [CoordinationConfig].
//
// The package is pure: it reads no clock, does no I/O and keeps no state
// between calls.
package planning
