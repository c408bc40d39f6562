package enforcement

import (
	"context"
	"strings"

	"github.com/courtkit/zhixing/deadline"
)

// CaseListFilter selects and pages a judge's case list (我的案件). Zero
// fields do not filter; Court is required.
type CaseListFilter struct {
	Court   string
	JudgeID string
	// Query keeps the cases whose number or a party's name contains it,
	// compared as [SearchTerm] folds both sides: "沪01执101" finds
	// （2026）沪01执101号.
	Query  string
	Status Status
	// DueFrom and DueTo keep the cases whose next due date
	// ([Case.NextDue]) lies within them (a zero bound is open); with
	// either set, a case without an open due item is left out.
	DueFrom, DueTo deadline.Date
	// Held keeps the cases with a message held for the judge's
	// confirmation (notify's StateHeld) in the store's outbox; a store
	// without an outbox holds none.
	Held bool
	// AwaitingOpinion keeps the cases with an opinion solicitation (征询)
	// not yet answered.
	AwaitingOpinion bool
	// OpenRequests keeps the cases with a party request not yet answered.
	OpenRequests bool
	Limit        int // 0 means no limit
	Offset       int
}

// CaseListRow is one case of a list page and its count of held messages.
type CaseListRow struct {
	Case *Case
	Held int
}

// CaseListPage is a page of a case list: the rows of the page and the
// number of cases that match in all.
type CaseListPage struct {
	Rows  []CaseListRow
	Total int
}

// CaseLister is an optional capability of stores that list a judge's cases
// by next due date without reading every case of the court.
type CaseLister interface {
	// ListCases returns the page of cases matching f, ordered by next due
	// date (cases without an open due item last), then by ID; Limit and
	// Offset page through that order and Total counts every match. The
	// caller owns the returned cases. Safe for concurrent use.
	ListCases(ctx context.Context, f CaseListFilter) (CaseListPage, error)
}

// NextDue returns the earliest date in force ([DueItem.Due]) of the
// case's open due items, and false when none is open.
func (c *Case) NextDue() (deadline.Date, bool) {
	var next deadline.Date
	found := false
	for _, d := range c.DueItems {
		if !d.IsOpen() {
			continue
		}
		if due := d.Due(); !found || due.Before(next) {
			next, found = due, true
		}
	}
	return next, found
}

// SearchText returns what [CaseListFilter.Query] is matched against: the
// case number and the parties' names, each folded by [SearchTerm], one a
// line.
func (c *Case) SearchText() string {
	parts := []string{SearchTerm(c.Number.String())}
	for _, p := range c.Parties {
		if t := SearchTerm(p.Name); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n")
}

// SearchTerm folds s for matching: lower case, without spaces, brackets of
// either width and the 号 that ends a case number, so that a number found
// on paper matches however it was typed.
func SearchTerm(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r', '\u3000', '(', ')', '（', '）', '〔', '〕', '[', ']', '【', '】', '号':
			return -1
		}
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// Matches reports whether c passes f's case filters, given its count of
// held messages; paging is not applied. Stores without an index use it.
func (f CaseListFilter) Matches(c *Case, held int) bool {
	if c.Court != f.Court || (f.JudgeID != "" && c.JudgeID != f.JudgeID) {
		return false
	}
	if f.Status != "" && c.Status != f.Status {
		return false
	}
	if q := SearchTerm(f.Query); q != "" && !strings.Contains(c.SearchText(), q) {
		return false
	}
	if !f.DueFrom.IsZero() || !f.DueTo.IsZero() {
		next, ok := c.NextDue()
		if !ok || (!f.DueFrom.IsZero() && next.Before(f.DueFrom)) || (!f.DueTo.IsZero() && next.After(f.DueTo)) {
			return false
		}
	}
	if f.Held && held == 0 {
		return false
	}
	if f.AwaitingOpinion && !c.hasOpenSolicitation() {
		return false
	}
	if f.OpenRequests && !c.hasOpenRequest() {
		return false
	}
	return true
}

func (c *Case) hasOpenSolicitation() bool {
	for _, s := range c.Solicitations {
		if s.Answer == nil {
			return true
		}
	}
	return false
}

func (c *Case) hasOpenRequest() bool {
	for _, r := range c.Requests {
		if !r.IsAnswered() {
			return true
		}
	}
	return false
}
