package desk

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// CasePageSize is how many cases a page of the case list shows.
const CasePageSize = 50

// CaseListQuery is a request for the case list (我的案件), as the page's
// filter form and the API's query string carry it.
type CaseListQuery struct {
	// Q searches case numbers and party names.
	Q string `json:"q,omitempty"`
	// Status is "open", "closed" or "" for both.
	Status string `json:"status,omitempty"`
	// Level keeps the cases whose next due item has this warning level
	// today: overdue, due_today, approaching or normal.
	Level           string `json:"level,omitempty"`
	Held            bool   `json:"held,omitempty"`
	AwaitingOpinion bool   `json:"awaiting_opinion,omitempty"`
	OpenRequests    bool   `json:"open_requests,omitempty"`
	// Judge narrows the chief's list to one judge; a judge sees their own.
	Judge string `json:"judge,omitempty"`
	// Number is a case number, matched exactly after parsing.
	Number string `json:"number,omitempty"`
	// Page counts from 1. Limit and Offset, when Limit is set, page
	// instead (Limit 0 with HasLimit lists every case).
	Page     int  `json:"page,omitempty"`
	Limit    int  `json:"-"`
	Offset   int  `json:"-"`
	HasLimit bool `json:"-"`
}

// ParseCaseListQuery reads a case-list request from URL query values: q,
// status, level, held, awaiting_opinion, open_requests, judge, number,
// page, and the API's limit and offset. Every problem is reported at its
// field, in Chinese.
func ParseCaseListQuery(v url.Values) (CaseListQuery, error) {
	q := CaseListQuery{Q: v.Get("q"), Status: v.Get("status"), Level: v.Get("level"), Judge: v.Get("judge"), Number: v.Get("number"), Page: 1}
	var ie InputError
	if utf8.RuneCountInString(q.Q) > 64 {
		ie.Add("q", "too_long", "搜索内容不超过64个字")
	}
	if len(q.Judge) > 128 {
		ie.Add("judge", "too_long", "承办法官不超过128个字符")
	}
	switch q.Status {
	case "", "open", "closed":
	default:
		ie.Add("status", "invalid", "案件状态须为 open（在办）或 closed（已结）")
	}
	if q.Level != "" {
		var l enforcement.Level
		if l.UnmarshalText([]byte(q.Level)) != nil {
			ie.Add("level", "invalid", "预警等级须为 overdue、due_today、approaching 或 normal")
		}
	}
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"held", &q.Held}, {"awaiting_opinion", &q.AwaitingOpinion}, {"open_requests", &q.OpenRequests}} {
		switch v.Get(f.name) {
		case "", "0", "false":
		case "1", "true", "on":
			*f.dst = true
		default:
			ie.Add(f.name, "invalid", "须为 1 或 0")
		}
	}
	if q.Number != "" {
		n, err := enforcement.ParseCaseNumber(q.Number)
		if err != nil {
			ie.Add("number", "invalid_case_number", "案号格式有误，应如（2026）沪01执123号："+q.Number)
		}
		q.Number = n.String()
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100_000 {
			ie.Add("page", "invalid", "页码须为正整数："+s)
		}
		q.Page = n
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 10000 {
			ie.Add("limit", "invalid_number", "每页条数须为 0 至 10000 的整数："+s)
		}
		q.Limit, q.HasLimit = n, true
	}
	if s := v.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			ie.Add("offset", "invalid_number", "起始位置须为不小于 0 的整数："+s)
		}
		q.Offset = n
	}
	return q, ie.Err()
}

// CaseRow is one case of the list, as the page and the API show it.
type CaseRow struct {
	ID          string        `json:"id"`
	Number      string        `json:"number"`
	JudgeID     string        `json:"judge_id"`
	Status      string        `json:"status"`
	Key         bool          `json:"key"`
	FiledOn     deadline.Date `json:"filed_on"`
	Applicants  []string      `json:"applicants"`
	Respondents []string      `json:"respondents"`
	// NextDue is the date in force of the earliest open due item, zero
	// when none is open; NextTitle what is due then.
	NextDue   deadline.Date `json:"next_due,omitzero"`
	NextTitle string        `json:"next_title,omitempty"`
	// Level is the warning level of the next due item today, "" when
	// none is open or the calendar cannot tell.
	Level           string `json:"level,omitempty"`
	LevelZh         string `json:"level_zh,omitempty"`
	Held            int    `json:"held"`
	AwaitingOpinion bool   `json:"awaiting_opinion"`
	OpenRequests    int    `json:"open_requests"`

	level enforcement.Level
}

// Lv returns the row's warning level, for the page's level mark.
func (r CaseRow) Lv() enforcement.Level { return r.level }

// CaseList is a page of the case list.
type CaseList struct {
	Rows    []CaseRow `json:"rows"`
	Total   int       `json:"total"`
	Page    int       `json:"page"`
	Pages   int       `json:"pages"`
	PerPage int       `json:"per_page"`
	// Cases are the page's cases in full, in the order of Rows.
	Cases []*enforcement.Case `json:"-"`
}

// CaseList returns the page of the case list q asks for, ordered by next
// due date: a judge's own cases, any judge's for the chief, and a party's
// one case.
func (d *Desk) CaseList(ctx context.Context, p *Principal, q CaseListQuery) (CaseList, error) {
	if p == nil {
		return CaseList{}, ErrUnauthenticated
	}
	f := enforcement.CaseListFilter{Court: d.CourtFor(p), JudgeID: q.Judge, Query: q.Q, Status: enforcement.Status(q.Status),
		Held: q.Held, AwaitingOpinion: q.AwaitingOpinion, OpenRequests: q.OpenRequests}
	switch p.Role {
	case RoleJudge:
		if f.JudgeID != "" && f.JudgeID != p.UserID {
			return CaseList{}, ErrForbidden
		}
		f.JudgeID = p.UserID
	case RoleChief:
	case RoleParty:
		return d.partyCaseList(ctx, p)
	default:
		return CaseList{}, ErrForbidden
	}
	today, cal := d.Today(), d.Calendar()
	if q.Level != "" {
		var l enforcement.Level
		if err := l.UnmarshalText([]byte(q.Level)); err != nil {
			return CaseList{}, BadField("level", "invalid", "预警等级须为 overdue、due_today、approaching 或 normal")
		}
		f.DueFrom, f.DueTo = levelDates(cal, today, l)
	}
	out := CaseList{Page: max(q.Page, 1), PerPage: CasePageSize}
	if q.HasLimit {
		f.Limit, f.Offset, out.PerPage = q.Limit, q.Offset, q.Limit
	} else {
		f.Limit, f.Offset = CasePageSize, (out.Page-1)*CasePageSize
	}
	page, err := d.listCases(ctx, f, q)
	if err != nil {
		return CaseList{}, err
	}
	out.Total = page.Total
	if out.PerPage > 0 {
		out.Pages = (out.Total + out.PerPage - 1) / out.PerPage
	}
	out.Rows = make([]CaseRow, 0, len(page.Rows))
	for _, r := range page.Rows {
		out.Rows = append(out.Rows, caseRow(r, cal, today))
		out.Cases = append(out.Cases, r.Case)
	}
	return out, nil
}

// listCases asks the store for f's page. A case number (q.Number) is
// searched for as text and then matched exactly, since the folded
// （2026）沪01执1号 is also part of （2026）沪01执10号.
func (d *Desk) listCases(ctx context.Context, f enforcement.CaseListFilter, q CaseListQuery) (enforcement.CaseListPage, error) {
	if q.Number == "" {
		return d.Store.ListCases(ctx, f)
	}
	all := f
	all.Query, all.Limit, all.Offset = q.Number, 0, 0
	page, err := d.Store.ListCases(ctx, all)
	if err != nil {
		return page, err
	}
	term := enforcement.SearchTerm(q.Q)
	rows := page.Rows[:0]
	for _, r := range page.Rows {
		if r.Case.Number.String() == q.Number && strings.Contains(r.Case.SearchText(), term) {
			rows = append(rows, r)
		}
	}
	page.Rows, page.Total = rows[min(f.Offset, len(rows)):], len(rows)
	if f.Limit > 0 && len(page.Rows) > f.Limit {
		page.Rows = page.Rows[:f.Limit]
	}
	return page, nil
}

// partyCaseList is a party's list: their one case.
func (d *Desk) partyCaseList(ctx context.Context, p *Principal) (CaseList, error) {
	c, err := d.Get(ctx, p, p.CaseID)
	if err != nil {
		return CaseList{}, err
	}
	return CaseList{Rows: []CaseRow{caseRow(enforcement.CaseListRow{Case: c}, d.Calendar(), d.Today())},
		Cases: []*enforcement.Case{c}, Total: 1, Page: 1, Pages: 1, PerPage: CasePageSize}, nil
}

func caseRow(r enforcement.CaseListRow, cal *deadline.Calendar, today deadline.Date) CaseRow {
	c := r.Case
	row := CaseRow{ID: c.ID, Number: c.Number.String(), JudgeID: c.JudgeID, Status: string(c.Status), Key: c.Key,
		FiledOn: c.FiledOn, Applicants: []string{}, Respondents: []string{}, Held: r.Held}
	for _, pt := range c.Applicants() {
		row.Applicants = append(row.Applicants, pt.Name)
	}
	for _, pt := range c.Respondents() {
		row.Respondents = append(row.Respondents, pt.Name)
	}
	if next, ok := c.NextDue(); ok {
		row.NextDue = next
		for _, it := range c.OpenDueItems() {
			if it.Due() == next {
				row.NextTitle = it.Title
				break
			}
		}
		if l, err := enforcement.LevelOf(cal, next, today, 0); err == nil {
			row.level, row.Level, row.LevelZh = l, l.String(), l.Chinese()
		}
	}
	for _, s := range c.Solicitations {
		if s.Answer == nil {
			row.AwaitingOpinion = true
		}
	}
	for _, rq := range c.Requests {
		if !rq.IsAnswered() {
			row.OpenRequests++
		}
	}
	return row
}

// levelDates returns the range of next due dates whose warning level is
// l today: a level only rises as the due date nears (see
// enforcement.LevelOf), so each level is one run of dates.
func levelDates(cal *deadline.Calendar, today deadline.Date, l enforcement.Level) (from, to deadline.Date) {
	// last is the last date that is still approaching (today when none is).
	last := today
	for d := today.AddDays(1); d.Before(today.AddDays(enforcement.DefaultApproachingWorkdays*7 + 31)); d = d.AddDays(1) {
		if lv, err := enforcement.LevelOf(cal, d, today, 0); err != nil || lv != enforcement.LevelApproaching {
			break
		}
		last = d
	}
	switch l {
	case enforcement.LevelOverdue:
		return deadline.Date{}, today.AddDays(-1)
	case enforcement.LevelDueToday:
		return today, today
	case enforcement.LevelApproaching:
		if last == today {
			// None is approaching: an empty range.
			return today.AddDays(1), today
		}
		return today.AddDays(1), last
	}
	return last.AddDays(1), deadline.Date{}
}
