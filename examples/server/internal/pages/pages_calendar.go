package pages

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
)

// calendarView is the chief's calendar page: paste a State Council holiday
// notice, check it and the deadlines it moves, load it; enter or remove
// court closure days.
type calendarView struct {
	Year int
	// YearText is the year as typed, when it is not a number.
	YearText  string
	Text      string
	TextError []string
	YearError []string
	// Preview is set after a preview: the text was read and can be loaded.
	Preview *desk.NoticePreview
	// Loaded is set after the notice was loaded.
	Loaded *desk.CalendarChange
	Months []monthView
	Moves  []moveRow
	// Definite counts the moves that make a provisional date definite.
	Definite int

	CoverageFirst, CoverageLast deadline.Date
	Closures                    []desk.ClosureIn
	ClosureDate, ClosureReason  string
	ClosureError                []string
}

// moveRow is a due item that moves, with its judge's name.
type moveRow struct {
	desk.MoveView
	JudgeName string
}

// Shift says how far the item moves, in words.
func (m moveRow) Shift() string {
	switch {
	case m.ShiftDays > 0:
		return fmt.Sprintf("推后 %d 天", m.ShiftDays)
	case m.ShiftDays < 0:
		return fmt.Sprintf("提前 %d 天", -m.ShiftDays)
	}
	return "日期不变"
}

// monthView is one month of the calendar drawn for checking a notice.
type monthView struct {
	Title string
	Weeks [][]dayCell
}

// dayCell is one day of a month grid; Day 0 is padding.
type dayCell struct {
	Day   int
	Class string // off, work, weekend or ""
	Mark  string // 休 or 班
	Label string // the day in words, for screen readers and tooltips
}

var weekdayHead = []string{"一", "二", "三", "四", "五", "六", "日"}

// WeekdayHead is the header of the month grids, Monday first.
func (calendarView) WeekdayHead() []string { return weekdayHead }

// buildMonths draws every month that holds a day of the notice, Monday
// first, with days off and make-up working days marked.
func buildMonths(days []desk.NoticeDayView) []monthView {
	byDate := map[deadline.Date]desk.NoticeDayView{}
	var months []deadline.Date
	for _, d := range days {
		byDate[d.Date] = d
		first := deadline.NewDate(d.Date.Year, d.Date.Month, 1)
		if len(months) == 0 || months[len(months)-1] != first {
			months = append(months, first)
		}
	}
	var out []monthView
	for _, first := range months {
		mv := monthView{Title: fmt.Sprintf("%d年%d月", first.Year, int(first.Month))}
		week := make([]dayCell, (int(first.Weekday())+6)%7)
		for d := first; d.Month == first.Month; d = d.AddDays(1) {
			c := dayCell{Day: d.Day, Label: fmt.Sprintf("%d月%d日", int(d.Month), d.Day)}
			if nd, ok := byDate[d]; ok {
				c.Class, c.Mark = "work", "班"
				what := "调休上班"
				if nd.OffDay {
					c.Class, c.Mark, what = "off", "休", "放假"
				}
				c.Label += " " + strings.TrimSpace(nd.Name+" "+what)
			} else if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
				c.Class = "weekend"
			}
			week = append(week, c)
			if len(week) == 7 {
				mv.Weeks = append(mv.Weeks, week)
				week = nil
			}
		}
		if len(week) > 0 {
			for len(week) < 7 {
				week = append(week, dayCell{})
			}
			mv.Weeks = append(mv.Weeks, week)
		}
		out = append(out, mv)
	}
	return out
}

// calendarBase fills what every state of the page shows.
func (pg *pages) calendarBase(v *calendarView) {
	v.CoverageFirst, v.CoverageLast = pg.desk.Calendar().Coverage()
	v.Closures = pg.desk.Closures()
	if v.Year == 0 {
		// The first year the calendar does not cover, within the years a
		// notice may be for.
		today := pg.desk.Today()
		v.Year = today.Year + 1
		if y := v.CoverageLast.Year + 1; y >= today.Year-1 && y <= today.Year+2 {
			v.Year = y
		}
	}
}

func (pg *pages) renderCalendar(w http.ResponseWriter, r *http.Request, status int, v calendarView, flash string) error {
	pg.calendarBase(&v)
	return pg.render(w, r, status, "calendar", page{Title: "节假日安排与停止办公日", Nav: "calendar", Flash: flash, Data: v})
}

// needChief sends a judge to their week and refuses anyone else.
func needChief(w http.ResponseWriter, r *http.Request, p *desk.Principal) (bool, error) {
	if err := desk.Need(p, desk.RoleChief); err != nil {
		if p != nil && p.Role == desk.RoleJudge && r.Method == http.MethodGet {
			http.Redirect(w, r, "/week", http.StatusSeeOther)
			return false, nil
		}
		return false, err
	}
	return true, nil
}

func (pg *pages) calendarPage(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if ok, err := needChief(w, r, p); !ok {
		return err
	}
	return pg.renderCalendar(w, r, http.StatusOK, calendarView{}, "")
}

// noticeForm reads the notice form; the text is kept as pasted.
func noticeForm(r *http.Request) (desk.NoticeIn, calendarView) {
	in := desk.NoticeIn{Text: r.PostFormValue("text")}
	v := calendarView{Text: in.Text}
	typed := strings.TrimSpace(r.PostFormValue("year"))
	y, err := strconv.Atoi(typed)
	if err == nil {
		in.Year, v.Year = y, y
	} else if len(typed) <= 64 {
		v.YearText = typed
	}
	return in, v
}

// yearProblem says what is wrong with a year typed as text.
func yearProblem(typed string) string {
	if typed == "" {
		return "请填写通知所属年份"
	}
	return "年份应为四位数字，如 2027：" + typed
}

// inputProblems splits the field problems of err between the text and the
// year; ok is false when err is not about the input.
func inputProblems(err error, v *calendarView) bool {
	if !errors.Is(err, desk.ErrBadInput) {
		return false
	}
	for _, f := range respond.Fields(err) {
		if f.Field == "year" {
			v.YearError = append(v.YearError, f.MessageZh)
		} else {
			v.TextError = append(v.TextError, f.MessageZh)
		}
	}
	return true
}

func (pg *pages) moveRows(r *http.Request, moves []desk.MoveView, v *calendarView) {
	names := pg.judgeNames(r)
	for _, m := range moves {
		name := names[m.JudgeID]
		if name == "" {
			name = m.JudgeID
		}
		v.Moves = append(v.Moves, moveRow{MoveView: m, JudgeName: name})
		if m.Definite {
			v.Definite++
		}
	}
}

func (pg *pages) previewNotice(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if ok, err := needChief(w, r, p); !ok {
		return err
	}
	in, v := noticeForm(r)
	if v.Year == 0 {
		v.YearError = []string{yearProblem(v.YearText)}
		return pg.renderCalendar(w, r, http.StatusBadRequest, v, "")
	}
	pv, err := pg.desk.PreviewNotice(r.Context(), p, in)
	if err != nil {
		if inputProblems(err, &v) {
			return pg.renderCalendar(w, r, http.StatusBadRequest, v, "")
		}
		return err
	}
	v.Preview = &pv
	v.Months = buildMonths(pv.Days)
	pg.moveRows(r, pv.Moves, &v)
	return pg.renderCalendar(w, r, http.StatusOK, v, "")
}

func (pg *pages) loadNotice(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if ok, err := needChief(w, r, p); !ok {
		return err
	}
	in, v := noticeForm(r)
	if v.Year == 0 {
		v.YearError = []string{yearProblem(v.YearText)}
		return pg.renderCalendar(w, r, http.StatusBadRequest, v, "")
	}
	ch, err := pg.desk.LoadNotice(r.Context(), p, in)
	if err != nil {
		if inputProblems(err, &v) {
			return pg.renderCalendar(w, r, http.StatusBadRequest, v, "")
		}
		return err
	}
	v.Loaded = &ch
	v.Text = ""
	pg.moveRows(r, ch.Moves, &v)
	flash := fmt.Sprintf("已载入%d年节假日安排，%d 项期限已重新计算。", in.Year, len(ch.Moves))
	return pg.renderCalendar(w, r, http.StatusOK, v, flash)
}

func (pg *pages) addClosure(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if ok, err := needChief(w, r, p); !ok {
		return err
	}
	v := calendarView{ClosureDate: strings.TrimSpace(r.PostFormValue("date")), ClosureReason: strings.TrimSpace(r.PostFormValue("reason"))}
	d, err := deadline.ParseDate(v.ClosureDate)
	if err != nil {
		v.ClosureError = []string{"日期无效，格式为 YYYY-MM-DD"}
		return pg.renderCalendar(w, r, http.StatusBadRequest, v, "")
	}
	if _, err := pg.desk.AddClosure(r.Context(), p, desk.ClosureIn{Date: d, Reason: v.ClosureReason}); err != nil {
		row := respond.Lookup(err)
		if row.Status >= 500 || row.Status == http.StatusForbidden || row.Status == http.StatusUnauthorized {
			return err
		}
		for _, f := range respond.Fields(err) {
			v.ClosureError = append(v.ClosureError, f.MessageZh)
		}
		if len(v.ClosureError) == 0 {
			v.ClosureError = []string{row.Message}
		}
		return pg.renderCalendar(w, r, http.StatusBadRequest, v, "")
	}
	return back(w, r, "/calendar", "closed")
}

func (pg *pages) removeClosure(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if ok, err := needChief(w, r, p); !ok {
		return err
	}
	d, err := deadline.ParseDate(r.PathValue("date"))
	if err != nil {
		return desk.BadField("date", "invalid_date", "日期无效")
	}
	if _, err := pg.desk.RemoveClosure(r.Context(), p, d); err != nil {
		return err
	}
	return back(w, r, "/calendar", "reopened")
}
