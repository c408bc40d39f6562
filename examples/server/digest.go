package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/courtkit/zhixing/examples/server/internal/desk"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// parseClock parses a time of day "08:30" into a digest schedule.
func parseClock(s string) (notify.DigestSchedule, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hour, err1 := strconv.Atoi(h)
	minute, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hour < 0 || hour > 23 || minute < 0 || minute > 59 || len(m) != 2 {
		return notify.DigestSchedule{}, fmt.Errorf("%q: want a time of day such as 08:30", s)
	}
	if hour == 0 && minute == 0 {
		// The schedule's zero value means 08:30; a minute past midnight
		// is the closest to midnight it can say.
		minute = 1
	}
	return notify.DigestSchedule{Hour: hour, Minute: minute}, nil
}

// digestOnce drafts each judge's daily digest (每日待办汇总) of their
// overdue, due-today and approaching items, once the day's digest is due
// (notify.DigestSchedule.IsDue: from the configured hour, China time, on
// working days, and on rest days only for a judge with an item expiring
// that day). A preservation measure (查封, 扣押, 冻结) expiring today also
// goes out on its own, as a reminder, besides being counted in the
// digest. The digest's idempotency key is per judge and day and the
// reminder's per item, level and day, so however often the job runs, on
// however many instances, and across restarts, a judge gets one digest a
// day. Each court's judges get their court's digest. It returns the number
// of messages put in the outbox.
func (a *app) digestOnce(ctx context.Context) (int, error) {
	if a.desk.Outbox == nil {
		return 0, nil
	}
	// Judges created through another instance since the directory was
	// read must get their digest too.
	a.desk.ForgetStaff()
	n := 0
	for _, court := range a.desk.CaseCourts() {
		k, err := a.digestCourt(ctx, court)
		n += k
		if err != nil {
			return n, fmt.Errorf("court %s: %w", court, err)
		}
	}
	return n, nil
}

// digestCourt is digestOnce for the judges of court.
func (a *app) digestCourt(ctx context.Context, court string) (int, error) {
	now := a.desk.Now()
	today := deadline.DateOf(now)
	cal := a.desk.Calendar()
	sched := a.cfg.Digest
	// Only items within a month can be approaching (3 working days, or a
	// holiday block before them); reading fewer rows keeps the job cheap.
	refs, err := a.store.DueItems(ctx, enforcement.DueFilter{Court: court, OpenOnly: true, DueBefore: today.AddDays(30)})
	if err != nil {
		return 0, err
	}
	// A party's own right is not the judge's work: the digest leaves it
	// out (notify.DigestItem.Right).
	rights := map[[2]string]bool{}
	for _, r := range refs {
		if r.Item.IsRight() {
			rights[[2]string{r.CaseID, r.Item.ID}] = true
		}
	}
	cl, err := enforcement.Classify(refs, today, cal, 0)
	if err != nil {
		return 0, err
	}
	byJudge := map[string][]enforcement.DueFlag{}
	var judges []string
	for _, f := range cl.Flagged {
		if f.JudgeID == "" {
			continue
		}
		if _, ok := byJudge[f.JudgeID]; !ok {
			judges = append(judges, f.JudgeID)
		}
		byJudge[f.JudgeID] = append(byJudge[f.JudgeID], f)
	}
	moved, err := a.desk.UntoldMoves(ctx, court)
	if err != nil {
		return 0, err
	}
	for jid := range moved {
		if _, ok := byJudge[jid]; !ok && jid != "" {
			judges = append(judges, jid)
		}
	}
	slices.Sort(judges)
	n := 0
	for _, jid := range judges {
		judge, ok := a.desk.Staff(jid)
		if !ok {
			continue
		}
		flags := byJudge[jid]
		items := make([]notify.DigestItem, len(flags))
		for i, f := range flags {
			items[i] = notify.DigestItem{CaseNo: f.Number, Title: f.Title, Due: f.Due, Level: f.Level, Preservation: a.isPreservationExpiry(court, f),
				Right: rights[[2]string{f.CaseID, f.DueID}]}
		}
		due, err := sched.IsDue(now, cal, items)
		if err != nil {
			return n, err
		}
		if !due {
			continue
		}
		var msgs []notify.Message
		if urgent := notify.SplitUrgent(items, today); len(urgent) > 0 {
			ms, err := a.urgentReminders(ctx, flags, urgent, today)
			if err != nil {
				return n, err
			}
			msgs = append(msgs, ms...)
		}
		m, tell, err := a.digest(ctx, court, judge, today, items, moved[jid])
		if err != nil {
			return n, err
		}
		if m != nil {
			msgs = append(msgs, *m)
		}
		if len(msgs) > 0 {
			if err := a.desk.Outbox.Put(ctx, msgs...); err != nil {
				return n, err
			}
			n += len(msgs)
		}
		if err := a.desk.MarkMovesTold(ctx, tell, now); err != nil {
			return n, err
		}
	}
	return n, nil
}

// digest drafts judge's digest for day today, with the due dates calendar
// changes moved that the judge has not been told of yet (desk.UntoldMoves),
// and returns it (nil if there is none to put) and the moves it tells,
// which the caller marks told once it is in the outbox. A judge gets one
// digest a day: when the day's digest went out before the moves were
// recorded, they wait for the next day's. A digest with moves that is in
// the outbox already (put before a crash, before the moves were marked
// told) tells them without being put again. A judge without a mobile
// number gets no digest and is told nothing: the moves stay on the week
// page.
func (a *app) digest(ctx context.Context, court string, judge notify.Recipient, today deadline.Date, items []notify.DigestItem, moves []desk.DueMove) (*notify.Message, []desk.DueMove, error) {
	sched, now := a.cfg.Digest, a.desk.Now()
	dr := a.desk.Drafter(court)
	if dr == nil {
		return nil, nil, nil
	}
	plain, hasPlain, err := dr.DraftDigest(court, judge, today, items, sched, now)
	if err != nil {
		a.log.Warn("draft digest", "judge", judge.UserID, "err", err)
		return nil, nil, nil
	}
	told, err := a.desk.MovesToldOn(ctx, court, judge.UserID, today)
	if err != nil {
		return nil, nil, err
	}
	if len(moves) == 0 || judge.Mobile == "" {
		if !hasPlain || told {
			return nil, nil, nil // no digest, or today's went out with moves
		}
		return &plain, nil, nil
	}
	m, ok, err := dr.DraftDigestMoves(court, judge, today, items, desk.DigestMoves(moves), sched, now)
	if err != nil || !ok {
		if err != nil {
			a.log.Warn("draft digest", "judge", judge.UserID, "err", err)
		}
		return nil, nil, nil
	}
	if _, err := a.desk.Outbox.Get(ctx, m.ID); err == nil {
		return nil, moves, nil // put before a crash: the moves are told
	} else if !errors.Is(err, notify.ErrNotFound) {
		return nil, nil, err
	}
	if told {
		return nil, nil, nil // today's digest told other moves
	}
	if hasPlain {
		if _, err := a.desk.Outbox.Get(ctx, plain.ID); err == nil {
			return nil, nil, nil // today's digest went out without them
		} else if !errors.Is(err, notify.ErrNotFound) {
			return nil, nil, err
		}
	}
	return &m, moves, nil
}

// isPreservationExpiry reports whether f is the term end of a preservation
// measure (a rule marked expiry, such as seizure.deposit_expiry) of court's
// rules.
func (a *app) isPreservationExpiry(court string, f enforcement.DueFlag) bool {
	rules, _ := a.desk.RulesOf(court)
	return slices.ContainsFunc(rules.Rules, func(r enforcement.Rule) bool { return r.Key == f.Rule && r.Expiry })
}

// urgentReminders drafts a reminder of its own for each preservation
// measure among flags that expires today (listed in urgent).
func (a *app) urgentReminders(ctx context.Context, flags []enforcement.DueFlag, urgent []notify.DigestItem, today deadline.Date) ([]notify.Message, error) {
	var out []notify.Message
	for _, f := range flags {
		if f.Due != today || !slices.ContainsFunc(urgent, func(it notify.DigestItem) bool { return it.CaseNo == f.Number && it.Title == f.Title }) {
			continue
		}
		c, err := a.store.Get(ctx, f.CaseID)
		if err != nil {
			return nil, err
		}
		item, ok := c.Due(f.DueID)
		if !ok || !item.IsOpen() {
			continue
		}
		dr := a.desk.Drafter(c.Court)
		if dr == nil {
			continue
		}
		m, ok, err := dr.DraftReminder(c, item, f.Level, today, a.desk.Now())
		if err != nil {
			a.log.Warn("draft reminder", "case", f.CaseID, "due", f.DueID, "err", err)
			continue
		}
		if ok {
			out = append(out, m)
		}
	}
	return out, nil
}
