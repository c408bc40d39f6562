package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// NoticeIn is the text of a State Council holiday notice
// (国务院办公厅关于20XX年部分节假日安排的通知) and the year it schedules.
type NoticeIn struct {
	Year int    `json:"year"`
	Text string `json:"text"`
}

// NoticeDayView is one day a notice names: a day off or a make-up working
// day.
type NoticeDayView struct {
	Date   deadline.Date `json:"date"`
	Name   string        `json:"name"`
	OffDay bool          `json:"off_day"`
}

// NoticePreview is what loading a notice would do: the days it names and
// every open due item of the court whose date would move or become
// definite. Nothing is changed.
type NoticePreview struct {
	Year          int             `json:"year"`
	Days          []NoticeDayView `json:"days"`
	CoverageFirst deadline.Date   `json:"coverage_first"`
	CoverageLast  deadline.Date   `json:"coverage_last"`
	Moves         []MoveView      `json:"moves"`
}

// maxNoticeText bounds the notice text accepted; a notice is about 2 KB.
const maxNoticeText = 64 << 10

// noticeCalendar reads in and returns the current calendar with its year
// loaded, and the days it names. Problems are *InputError on field "text"
// (or "year") in Chinese, quoting the fragment that could not be read.
func (d *Desk) noticeCalendar(cur *deadline.Calendar, in NoticeIn) (*deadline.Calendar, []NoticeDayView, error) {
	var ie InputError
	today := d.Today()
	if in.Year < today.Year-1 || in.Year > today.Year+2 {
		ie.Add("year", "invalid_year", fmt.Sprintf("年份须在 %d 至 %d 之间", today.Year-1, today.Year+2))
	}
	switch {
	case strings.TrimSpace(in.Text) == "":
		ie.Add("text", "required", "请粘贴国务院办公厅节假日安排通知的全文")
	case len(in.Text) > maxNoticeText:
		ie.Add("text", "too_long", fmt.Sprintf("通知内容过长（不超过 %d KB）", maxNoticeText>>10))
	}
	if err := ie.Err(); err != nil {
		return nil, nil, err
	}
	days, err := deadline.ParseNotice(in.Year, in.Text)
	if err != nil {
		return nil, nil, noticeInputError(err)
	}
	next, err := cur.WithNotice(in.Year, in.Text)
	if err != nil {
		return nil, nil, noticeInputError(err)
	}
	out := make([]NoticeDayView, len(days))
	for i, nd := range days {
		out[i] = NoticeDayView{Date: nd.Date, Name: nd.Name, OffDay: nd.OffDay}
	}
	return next, out, nil
}

var weekdayZh = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// noticeInputError turns the errors of deadline.ParseNotice and
// Calendar.WithNotice into field problems in Chinese.
func noticeInputError(err error) error {
	var we *deadline.NoticeWeekdayError
	var ne *deadline.NoticeError
	var le *deadline.LoadError
	switch {
	case errors.As(err, &we):
		return BadField("text", "notice_weekday", fmt.Sprintf("“%s”中%d年%d月%d日标注为%s，但该日是%s，请核对通知原文",
			we.Fragment, we.Date.Year, int(we.Date.Month), we.Date.Day, we.Written, weekdayZh[we.Actual]))
	case errors.As(err, &ne) && errors.Is(err, deadline.ErrNoticeConflict):
		return BadField("text", "notice_conflict", fmt.Sprintf("同一日期前后矛盾（既放假又上班，或属于两个节日）：“%s”", ne.Fragment))
	case errors.As(err, &ne) && ne.Fragment != "":
		return BadField("text", "notice_unreadable", fmt.Sprintf("无法识别这段文字中的日期：“%s”", ne.Fragment))
	case errors.As(err, &ne):
		return BadField("text", "notice_unreadable", "无法识别通知内容（须为国务院办公厅节假日安排通知的文字）")
	case errors.As(err, &le):
		var ie InputError
		for _, p := range le.Problems {
			ie.Add("text", "invalid_schedule", "通知所列日期与日历不一致："+p.Msg)
		}
		return ie.Err()
	}
	return err
}

// PreviewNotice reads a holiday notice and lists what loading it would
// change: its days, and every open due item of the court that would move or
// become definite. Nothing is changed. Chief only.
func (d *Desk) PreviewNotice(ctx context.Context, p *Principal, in NoticeIn) (NoticePreview, error) {
	if err := Need(p, RoleChief); err != nil {
		return NoticePreview{}, err
	}
	next, days, err := d.noticeCalendar(d.cal.Load(), in)
	if err != nil {
		return NoticePreview{}, err
	}
	out := NoticePreview{Year: in.Year, Days: days, Moves: []MoveView{}}
	out.CoverageFirst, out.CoverageLast = next.Coverage()
	cs, err := d.Store.Find(ctx, enforcement.CaseFilter{Court: d.CourtFor(p)})
	if err != nil {
		return NoticePreview{}, err
	}
	for _, c := range cs {
		if len(c.OpenDueItems()) == 0 {
			continue
		}
		rules, prov := d.RulesOf(c.Court)
		moves, err := enforcement.Recalculate(c, rules, next, prov, noticeReason(in.Year))
		if err != nil {
			return NoticePreview{}, err
		}
		for _, m := range moves {
			out.Moves = append(out.Moves, moveView(c, m))
		}
	}
	return out, nil
}

func noticeReason(year int) string {
	return fmt.Sprintf("载入国务院办公厅%d年节假日安排", year)
}

// LoadNotice loads the year of a holiday notice into the court's calendar,
// after the same checks as PreviewNotice, and moves the due dates it
// changes: each case records a due-moved event (actor "calendar"), which is
// how the judges learn of it. The change is recorded so that every instance,
// and this one after a restart, replays it. Chief only.
func (d *Desk) LoadNotice(ctx context.Context, p *Principal, in NoticeIn) (CalendarChange, error) {
	if err := Need(p, RoleChief); err != nil {
		return CalendarChange{}, err
	}
	body, err := json.Marshal(in)
	if err != nil {
		return CalendarChange{}, err
	}
	return d.changeCalendar(ctx, d.CourtFor(p), "notice", body, func(c *deadline.Calendar) (*deadline.Calendar, error) {
		next, _, err := d.noticeCalendar(c, in)
		return next, err
	}, noticeReason(in.Year))
}

// Closures returns the court closure days of the calendar in date order.
// Anyone may ask.
func (d *Desk) Closures() []ClosureIn {
	var out []ClosureIn
	for _, c := range d.cal.Load().Closures() {
		out = append(out, ClosureIn{Date: c.Date, Reason: c.Reason})
	}
	return out
}

// RemoveClosure reopens a day closed by AddClosure (entered in error, or
// the closure was called off) and moves the due dates it changes back.
// Chief only.
func (d *Desk) RemoveClosure(ctx context.Context, p *Principal, date deadline.Date) (CalendarChange, error) {
	if err := Need(p, RoleChief); err != nil {
		return CalendarChange{}, err
	}
	closed := false
	for _, c := range d.cal.Load().Closures() {
		closed = closed || c.Date == date
	}
	if !closed {
		return CalendarChange{}, BadField("date", "not_closed", "该日不是法院停止办公日")
	}
	body, _ := json.Marshal(ClosureIn{Date: date})
	return d.changeCalendar(ctx, d.CourtFor(p), "closure_removed", body, func(*deadline.Calendar) (*deadline.Calendar, error) {
		recs, err := d.calendarRecords(ctx)
		if err != nil {
			return nil, err
		}
		return replay(append(recs, calRecord{kind: "closure_removed", body: string(body)}))
	}, "法院恢复办公")
}
