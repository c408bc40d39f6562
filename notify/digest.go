package notify

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// DigestItem is a due item a judge's daily digest (每日待办汇总) counts
// and may list.
type DigestItem struct {
	CaseNo string // 案号
	Title  string // the node or time limit, e.g. 财产调查
	Due    deadline.Date
	Level  enforcement.Level
	// Preservation marks the expiry of a preservation measure (查封, 扣押,
	// 冻结 期限届满): when it expires the same day it may go out on its own
	// (see [SplitUrgent]).
	Preservation bool
	// Right marks a party's own right (enforcement.DueItem.IsRight), such
	// as the applicant's application to the higher court: it is not the
	// judge's work, so the digest neither counts nor lists it.
	Right bool
}

// judgesWork returns the items that are the judge's work: items without
// the parties' rights.
func judgesWork(items []DigestItem) []DigestItem {
	return slices.DeleteFunc(slices.Clone(items), func(it DigestItem) bool { return it.Right })
}

// DigestSchedule says when judges get their digest. The zero value means
// 08:30 China time on working days, listing 3 items.
type DigestSchedule struct {
	// Hour and Minute are the time of day, China time; both zero mean
	// 08:30.
	Hour, Minute int
	// MaxItems is how many of the most urgent items the digest lists;
	// zero means 3.
	MaxItems int
}

func (s DigestSchedule) withDefaults() DigestSchedule {
	if s.Hour == 0 && s.Minute == 0 {
		s.Hour, s.Minute = 8, 30
	}
	if s.MaxItems <= 0 {
		s.MaxItems = 3
	}
	return s
}

// IsDue reports whether the digest of the day of now (China time) is due
// at now: at or after the scheduled time, on a working day of cal, or on a
// rest day only when one of items expires that day (a party's right does
// not count, see [DigestItem.Right]). The caller sends at
// most one digest per judge and day (the digest's key is per day, so the
// outbox keeps one).
func (s DigestSchedule) IsDue(now time.Time, cal *deadline.Calendar, items []DigestItem) (bool, error) {
	s = s.withDefaults()
	local := now.In(deadline.China)
	if local.Hour()*60+local.Minute() < s.Hour*60+s.Minute {
		return false, nil
	}
	today := deadline.DateOf(now)
	work, err := cal.IsWorkday(today)
	if err != nil {
		return false, fmt.Errorf("notify: digest schedule: %w", err)
	}
	if work {
		return true, nil
	}
	return slices.ContainsFunc(items, func(it DigestItem) bool { return it.Due == today && !it.Right }), nil
}

// SplitUrgent separates the preservation measures that expire on day today
// (which may be sent at once, each on its own, e.g. as a
// [Drafter.DraftReminder]) from the items the digest carries. The digest
// still counts every item.
func SplitUrgent(items []DigestItem, today deadline.Date) (urgent []DigestItem) {
	for _, it := range items {
		if it.Preservation && it.Due == today && !it.Right {
			urgent = append(urgent, it)
		}
	}
	return urgent
}

// mostUrgentFirst orders items by level (most urgent first), then due
// date, then case number and title.
func mostUrgentFirst(a, b DigestItem) int {
	return cmp.Or(cmp.Compare(b.Level, a.Level), a.Due.Compare(b.Due), strings.Compare(a.CaseNo, b.CaseNo), strings.Compare(a.Title, b.Title))
}

// DraftDigest drafts judge's digest of items for day today, to be sent at
// once: the counts by warning level, most urgent first, and the
// s.MaxItems most urgent items, as many as fit {items}. The template's
// worst case is checked against the segment limit when it is loaded, so
// a digest always fits. The key is per judge and day, so drafting it
// again the same day yields the same message. The parties' rights
// ([DigestItem.Right]) are left out. It drafts nothing (ok is false) when
// no item is left or the judge has no number.
func (d *Drafter) DraftDigest(court string, judge Recipient, today deadline.Date, items []DigestItem, s DigestSchedule, now time.Time) (Message, bool, error) {
	items = judgesWork(items)
	if len(items) == 0 || judge.Mobile == "" {
		return Message{}, false, nil
	}
	s = s.withDefaults()
	sorted := items
	slices.SortFunc(sorted, mostUrgentFirst)
	v := Vars{VarJudge: judge.Name, VarDate: formatDate(today, today), VarCounts: digestCounts(sorted),
		VarItems: digestList(sorted[:min(s.MaxItems, len(sorted))], today, varSpecs[varIndex(VarItems)].Max)}
	judge.Role = RecipientJudge
	c := &enforcement.Case{Court: court}
	e := enforcement.Event{ID: "digest/" + judge.ID() + "/" + today.String(), Kind: "digest", Court: court}
	m, err := d.render(c, e, judge, KeyDigest, v, now)
	if err != nil {
		return Message{}, false, err
	}
	if err := m.Queue("scheduler", now, now); err != nil {
		return Message{}, false, err
	}
	return m, true, nil
}

// digestCounts reads "已超期2件，今日到期1件，临期3件" for items sorted most
// urgent first.
func digestCounts(items []DigestItem) string {
	var parts []string
	for i := 0; i < len(items); {
		j := i
		for j < len(items) && items[j].Level == items[i].Level {
			j++
		}
		parts = append(parts, fmt.Sprintf("%s%d件", items[i].Level.Chinese(), j-i))
		i = j
	}
	return strings.Join(parts, "，")
}

// digestList lists items as "（2025）沪01执1号财产调查(3月5日)；…", whole items
// only, within max UTF-16 units.
func digestList(items []DigestItem, today deadline.Date, max int) string {
	var b strings.Builder
	for _, it := range items {
		s := fmt.Sprintf("%s%s(%s)", it.CaseNo, it.Title, formatDate(it.Due, today))
		if b.Len() > 0 {
			s = "；" + s
		}
		if utf16Len(b.String()+s) > max {
			break
		}
		b.WriteString(s)
	}
	if b.Len() == 0 {
		return "详见系统"
	}
	return b.String()
}
