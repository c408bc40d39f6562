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
//
// # Weekly plans
//
// A [Plan] is a judge's work plan for an ISO [Week] (周工作计划, Monday to
// Sunday, China Standard Time), keyed by judge and week ([PlanID]). Its
// [Item] values are tasks, hearings or interviews (约谈) and field trips
// (a trip item carries a [Trip], so [Plan.Trips] feeds [Coordinate]); an
// item names the case it works on and may link the [enforcement.DueItem]
// it is meant to meet. [Plan.AddItem], [Plan.UpdateItem], [Plan.MoveItem],
// [Plan.RemoveItem] and [Plan.Submit] check every problem at once (an end
// before a start, an item or trip outside the week, a case the judge does
// not have, a due item not on that case) and return a *[PlanError] that
// lists them, leaving the plan unchanged. Once a plan is submitted every
// change is kept in History as a [Revision] with who, when, what changed
// and the previous item.
//
// Plans are stored through the [PlanStore] port with optimistic versions;
// stores report enforcement.ErrNotFound and enforcement.ErrConflict, the
// same sentinels as the case store.
//
// # Reminders and warning levels
//
// [Reminders] merges a judge's plans with the open due items of their
// cases into an [Agenda] for today, the rest of this week and next week,
// most urgent first. Levels are [enforcement.LevelOf] (normal, approaching
// within [ReminderConfig].ApproachingWorkdays working days, due today,
// overdue), counted on the official working-day calendar, so 调休 make-up
// workdays count and holiday blocks do not. Entries carry flags: a due item
// no plan item links is [FlagUnplanned], one planned after its due date
// [FlagTooLate]. A due date near today that the calendar does not cover
// does not fail the agenda: the entry is shown as approaching and flagged
// [FlagNotCovered], with the calendar's error in Entry.Err. [ChiefAgenda]
// gives the chief the same per judge, with counts per level. A party's own
// right (enforcement.DueItem.IsRight: an objection window, the
// application to the higher court) is never on a judge's agenda nor in
// the counts.
//
// # Calendar feeds
//
// [Feed] renders a judge's due items and plans as an iCalendar (RFC 5545)
// feed for phones and desktop calendars: due dates as all-day events with
// alarms on their warning dates and on the day [enforcement.ApproachingFrom]
// says the item turns approaching (the day the agenda shows it so, also
// for a due date on a rest day), a party's right as an event marked
// 【当事人权利】 without alarms, plan items as timed events in
// Asia/Shanghai (the feed carries its VTIMEZONE). UIDs are stable and
// SEQUENCE is the owning case's or plan's version, so a moved deadline
// updates the subscriber's event instead of duplicating it.
package planning
