// Package desk is the enforcement desk's service layer: every action a
// judge, the chief or a party can take on the court's cases, plans, trips,
// messages and calendar, with the access rules (Visible, Need, OwnJudge,
// ViewForParty). The caller comes in as a *Principal; the package knows
// nothing of HTTP, so the JSON API, the pages, jobs or a vendor's own
// front end share it.
package desk

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/courtkit/zhixing/examples/server/internal/serverdb"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
	"github.com/courtkit/zhixing/planning"
)

// Desk is the enforcement desk's service layer: every action a JSON handler
// (or, later, a page) can take, with the access rules of the signed-in
// Principal. It holds no request state.
type Desk struct {
	// Store holds the cases; Outbox and Plans are its outbox and plan store.
	// Supervision is read from Store in one place (supervisionView).
	Store  *sqlstore.Store
	Outbox notify.Outbox
	Plans  planning.PlanStore
	Policy notify.Policy
	// Audit, when set, records every change made through the desk and
	// every sign-in.
	Audit enforcement.AuditLog
	// DB is the server's own tables.
	DB *serverdb.DB
	// Rules and Settings are the deployment's; a court may replace them
	// (Court.Rules, Court.Settings).
	Rules    *enforcement.RuleSet
	Settings enforcement.Settings
	// Now is the clock; BcryptCost the cost of new password hashes (0:
	// bcrypt's default).
	Now        func() time.Time
	BcryptCost int
	Log        *slog.Logger

	// courts is the deployment's courts (see SetCourts), courtIdx them by
	// code, home the default court's code.
	courts   []*Court
	courtIdx map[string]*Court
	home     string

	// Views keeps computed views (see NewViewCache).
	// QueryCodeKey is the key parties' query codes and one-time code
	// hashes are derived from (see LoadQueryCodeKey).
	QueryCodeKey []byte
	// DemoOTP, when set, is told each one-time code sent, so that a demo
	// court without phones can be walked through. Never set it for a
	// real court.
	DemoOTP func(c *enforcement.Case, p enforcement.Party, code string)

	Views *ViewCache
	// DueListed caps the flagged items the chief's report lists, the most
	// urgent first (0 lists them all).
	DueListed int

	staffMu     sync.Mutex
	staffCache  map[string]notify.Recipient
	staffCourts map[string]string // user id → court code

	cal   atomic.Pointer[deadline.Calendar]
	calMu sync.Mutex // serialises calendar changes
	// calSeq is the sequence number of the last calendar change in use
	// (table server_calendar); calRevs holds each court's revision
	// (int64) when it was last checked against the database (see
	// SyncCalendar).
	calSeq  atomic.Int64
	calRevs sync.Map
}

// Today is the date in China now.
func (d *Desk) Today() deadline.Date { return deadline.DateOf(d.Now()) }

// Visible reports whether p may see case c at all.
func (d *Desk) Visible(p *Principal, c *enforcement.Case) bool {
	if p == nil || c.Court != d.CourtFor(p) {
		return false
	}
	switch p.Role {
	case RoleChief:
		return true
	case RoleJudge:
		return c.JudgeID == p.UserID
	case RoleParty:
		return c.ID == p.CaseID
	}
	return false
}

// Need returns ErrUnauthenticated without a Principal and ErrForbidden if
// p's role is not among roles.
func Need(p *Principal, roles ...Role) error {
	if p == nil {
		return ErrUnauthenticated
	}
	for _, r := range roles {
		if p.Role == r {
			return nil
		}
	}
	return ErrForbidden
}

// NotFound is an enforcement.ErrNotFound for the thing what with id.
func NotFound(what, id string) error {
	return fmt.Errorf("%s %s: %w", what, id, enforcement.ErrNotFound)
}

// Get returns case id if p may see it; a case p may not see is not found.
func (d *Desk) Get(ctx context.Context, p *Principal, id string) (*enforcement.Case, error) {
	if p == nil {
		return nil, ErrUnauthenticated
	}
	c, err := d.Store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !d.Visible(p, c) {
		return nil, NotFound("case", id)
	}
	return c, nil
}

// change applies fn to case id as the handling judge p: the case must be
// visible to p and p must be one of roles. fn runs inside the store's
// optimistic transaction.
func (d *Desk) change(ctx context.Context, p *Principal, id string, roles []Role, fn func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error)) (*enforcement.Case, error) {
	if p == nil {
		return nil, ErrUnauthenticated
	}
	if p.Role == RoleSupervisor {
		return nil, ErrReadOnly
	}
	return d.changeIf(ctx, p, id, func(c *enforcement.Case) error {
		if !d.Visible(p, c) {
			return NotFound("case", id)
		}
		return Need(p, roles...)
	}, fn)
}

// changeIf applies fn to case id when allow lets p change it; allow and fn
// run inside the store's optimistic transaction.
func (d *Desk) changeIf(ctx context.Context, p *Principal, id string, allow func(c *enforcement.Case) error, fn func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error)) (*enforcement.Case, error) {
	if p == nil {
		return nil, ErrUnauthenticated
	}
	now := d.Now()
	var before, after *enforcement.Case
	var events []enforcement.Event
	c, _, err := d.Store.Update(ctx, id, func(c *enforcement.Case) ([]enforcement.Event, error) {
		if err := allow(c); err != nil {
			return nil, err
		}
		b := c.Clone()
		evs, err := fn(c, d.Env(c.Court), now)
		if err == nil {
			before, after, events = b, c.Clone(), evs
		}
		return evs, err
	})
	if err == nil && after != nil {
		d.recordCase(ctx, p, before, after, events)
	}
	return c, err
}

// CaseByNumber finds the case with the canonical number n, of any court
// (the court's code is part of the number).
func (d *Desk) CaseByNumber(ctx context.Context, n string) (*enforcement.Case, error) {
	cs, err := d.Store.Find(ctx, enforcement.CaseFilter{Number: n, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, NotFound("case", n)
	}
	return cs[0], nil
}

// ListCases lists the cases p may see.
func (d *Desk) ListCases(ctx context.Context, p *Principal, f enforcement.CaseFilter) ([]*enforcement.Case, error) {
	if p == nil {
		return nil, ErrUnauthenticated
	}
	f.Court = d.CourtFor(p)
	switch p.Role {
	case RoleParty:
		c, err := d.Get(ctx, p, p.CaseID)
		if err != nil {
			return nil, err
		}
		return []*enforcement.Case{c}, nil
	case RoleJudge:
		if f.JudgeID != "" && f.JudgeID != p.UserID {
			return nil, ErrForbidden
		}
		f.JudgeID = p.UserID
	}
	return d.Store.Find(ctx, f)
}

const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" // no 0/O, 1/I

// RandomCode returns n characters from codeAlphabet.
func RandomCode(n int) string {
	var b strings.Builder
	for range n {
		i, err := rand.Int(rand.Reader, big.NewInt(int64(len(codeAlphabet))))
		if err != nil {
			panic(err)
		}
		b.WriteByte(codeAlphabet[i.Int64()])
	}
	return b.String()
}

// NewID returns a new random ID with prefix.
func NewID(prefix string) string { return prefix + "-" + strings.ToLower(RandomCode(10)) }

// CreateCase files a new case. A judge files for themself; the chief for
// any judge of the court.
func (d *Desk) CreateCase(ctx context.Context, p *Principal, c *enforcement.Case) (*enforcement.Case, error) {
	evs, err := d.fileCase(ctx, p, c)
	if err != nil {
		return nil, err
	}
	if err := d.Store.Create(ctx, c, evs); err != nil {
		return nil, err
	}
	d.recordCase(ctx, p, nil, c, evs)
	return d.Store.Get(ctx, c.ID)
}

// fileCase checks a filing by p and files c (enforcement.File), without
// storing it; CreateCase and PreviewCase share it.
func (d *Desk) fileCase(ctx context.Context, p *Principal, c *enforcement.Case) ([]enforcement.Event, error) {
	if err := Need(p, RoleJudge, RoleChief); err != nil {
		return nil, err
	}
	if p.Role == RoleJudge {
		if c.JudgeID == "" {
			c.JudgeID = p.UserID
		}
		if c.JudgeID != p.UserID {
			return nil, ErrForbidden
		}
	}
	if c.JudgeID != "" {
		ok, err := d.IsJudgeOf(ctx, d.CourtFor(p), c.JudgeID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, &InputError{Fields: []FieldError{{"judge_id", "unknown_judge", "承办法官不存在"}}}
		}
	}
	if err := d.checkFiling(c); err != nil {
		return nil, err
	}
	if c.ID == "" {
		c.ID = NewID("case")
	}
	c.Court = d.CourtFor(p)
	if d.court(c.Court).High {
		return nil, ErrForbidden
	}
	if !c.Number.IsZero() && c.Number.Court != c.Court {
		// Case numbers carry their court's code; a number of another
		// court would be found by that court's parties.
		return nil, BadField("number", "court_mismatch", fmt.Sprintf("案号中的法院代字（%s）与本院代字（%s）不一致", c.Number.Court, c.Court))
	}
	// Each party has its own query code (PartyCode); a case-level code
	// is no longer issued.
	c.QueryCode = ""
	return enforcement.File(c, d.Env(c.Court), d.Now(), p.Actor())
}

// RecordNode records a procedural node of case id; the handling judge only.
func (d *Desk) RecordNode(ctx context.Context, p *Principal, id string, n enforcement.Node) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge}, d.nodeChange(p, n))
}

// nodeChange is the change that records node n by p.
func (d *Desk) nodeChange(p *Principal, n enforcement.Node) func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
	if n.ID == "" {
		n.ID = NewID("node")
	}
	n.Actor = p.Actor()
	return func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		n.At = now
		return c.RecordNode(n, env, now)
	}
}

// RecordMeasure records an enforcement measure on case id; the handling judge only.
func (d *Desk) RecordMeasure(ctx context.Context, p *Principal, id string, m enforcement.Measure) (*enforcement.Case, error) {
	return d.RecordMeasureConfirmed(ctx, p, id, m, Confirm{})
}

// RecordMeasureConfirmed is RecordMeasure with the confirmations ok of
// unusual values.
func (d *Desk) RecordMeasureConfirmed(ctx context.Context, p *Principal, id string, m enforcement.Measure, ok Confirm) (*enforcement.Case, error) {
	fn, err := d.measureChange(p, m, ok)
	if err != nil {
		return nil, err
	}
	return d.change(ctx, p, id, []Role{RoleJudge}, fn)
}

// measureChange checks measure m and returns the change that records it by p.
func (d *Desk) measureChange(p *Principal, m enforcement.Measure, ok Confirm) (func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error), error) {
	if err := d.checkMeasure(m); err != nil {
		return nil, err
	}
	if m.ID == "" {
		m.ID = NewID("m")
	}
	m.Actor = p.Actor()
	return func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		m.At = now
		evs, err := c.RecordMeasure(m, env, now)
		if err == nil {
			err = checkRecovered(c, "amount", ok)
		}
		return evs, err
	}, nil
}

// RecordMeasureResult records the result of measure mid of case id. When
// the update carries an effective or end date (the end date a bank or
// registry reported), it goes through enforcement.Case.UpdateMeasure,
// which also recomputes the measure's expiry item and its warnings.
func (d *Desk) RecordMeasureResult(ctx context.Context, p *Principal, id, mid string, u enforcement.MeasureUpdate) (*enforcement.Case, error) {
	return d.RecordMeasureResultConfirmed(ctx, p, id, mid, u, Confirm{})
}

// RecordMeasureResultConfirmed is RecordMeasureResult with the
// confirmations ok of unusual values.
func (d *Desk) RecordMeasureResultConfirmed(ctx context.Context, p *Principal, id, mid string, u enforcement.MeasureUpdate, ok Confirm) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if _, found := c.Measure(mid); !found {
			return nil, NotFound("measure", mid)
		}
		if u.EffectiveOn != nil && u.EffectiveOn.After(d.Today()) {
			return nil, BadField("effective_on", "date_in_future", "措施生效日期不能晚于今天（"+d.Today().String()+"）："+u.EffectiveOn.String())
		}
		var evs []enforcement.Event
		var err error
		if u.ExpiresOn != nil || u.EffectiveOn != nil {
			evs, err = c.UpdateMeasure(mid, u, env, p.Actor(), now)
		} else {
			evs, err = c.RecordMeasureResult(mid, u, p.Actor(), now)
		}
		if err != nil {
			return nil, err
		}
		if m, found := c.Measure(mid); found {
			if fe := controlTerm(m); fe != nil {
				return nil, &InputError{Fields: fe}
			}
		}
		if err := checkRecovered(c, "amount", ok); err != nil {
			return nil, err
		}
		return evs, nil
	})
}

// CompleteDue marks due item did of case id done on a date.
func (d *Desk) CompleteDue(ctx context.Context, p *Principal, id, did string, on deadline.Date) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if _, ok := c.Due(did); !ok {
			return nil, NotFound("due item", did)
		}
		if err := d.checkDone(on); err != nil {
			return nil, err
		}
		return c.CompleteDue(did, on, p.Actor(), now)
	})
}

// Preconditions returns the closure checklist; staff only.
func (d *Desk) Preconditions(ctx context.Context, p *Principal, id string, mode enforcement.ClosureMode, on deadline.Date) ([]enforcement.Precondition, error) {
	if err := Need(p, RoleJudge, RoleChief, RoleSupervisor); err != nil {
		return nil, err
	}
	// A division head or the high court's supervisor reads an overseen
	// case's checklist as the case itself (ReadCase).
	c, _, err := d.ReadCase(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return c.ClosurePreconditions(mode, on, d.Env(c.Court)), nil
}

// CloseCase closes case id in mode on a date.
func (d *Desk) CloseCase(ctx context.Context, p *Principal, id string, mode enforcement.ClosureMode, on deadline.Date, reason string) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		return c.Close(mode, on, reason, p.Actor(), env, now)
	})
}

// Solicit asks a party of case id for their opinion (征询意见).
func (d *Desk) Solicit(ctx context.Context, p *Principal, id string, s enforcement.Solicitation) (*enforcement.Case, error) {
	if s.ID == "" {
		s.ID = NewID("sol")
	}
	if s.ReplyCode == "" {
		s.ReplyCode = RandomCode(4)
	}
	s.By = p.Actor()
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		s.At = now
		if s.AskedOn.IsZero() {
			s.AskedOn = deadline.DateOf(now)
		}
		return c.SolicitOpinion(s, env, now)
	})
}

// RecordOpinion records an applicant's opinion: by the judge (phone, in
// person) or by the applicant themself on the web.
func (d *Desk) RecordOpinion(ctx context.Context, p *Principal, id, sid string, o enforcement.Opinion) (*enforcement.Case, error) {
	if err := CheckText("text", o.Text, MaxNote, true); err != nil {
		return nil, err
	}
	return d.change(ctx, p, id, []Role{RoleJudge, RoleParty}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		var sol *enforcement.Solicitation
		for i := range c.Solicitations {
			if c.Solicitations[i].ID == sid {
				sol = &c.Solicitations[i]
			}
		}
		if sol == nil {
			return nil, NotFound("solicitation", sid)
		}
		o.ReceivedAt = now
		if p.Role == RoleParty {
			if err := actAs(p, c, sol.PartyID, now); err != nil {
				return nil, err
			}
			o.Channel, o.RecordedBy = "web", ""
		} else {
			o.RecordedBy = p.Actor()
			if o.Channel == "" {
				o.Channel = "phone"
			}
		}
		return c.RecordOpinion(sid, o, env, now)
	})
}

// ReceiveRequest records a party's request: sent by the party on the web, or
// taken down by the judge from a call or visit.
func (d *Desk) ReceiveRequest(ctx context.Context, p *Principal, id string, r enforcement.Request) (*enforcement.Case, error) {
	if err := CheckText("text", r.Text, MaxNote, true); err != nil {
		return nil, err
	}
	if r.ID == "" {
		r.ID = NewID("req")
	}
	return d.change(ctx, p, id, []Role{RoleJudge, RoleParty}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if p.Role == RoleParty {
			if err := actAs(p, c, "", now); err != nil {
				return nil, err
			}
			r.PartyID, r.Channel = p.PartyID, "web"
		}
		r.ReceivedAt = now
		return c.ReceiveRequest(r, env, now)
	})
}

// UpdateParty changes a party's mobile number, SMS opt-out or wrong-number
// mark: the case's judge any of them, as a party asks or a failed delivery
// shows; a party only its own opt-out (退订), on the web.
func (d *Desk) UpdateParty(ctx context.Context, p *Principal, id, pid string, u enforcement.PartyUpdate) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge, RoleParty}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if p.Role == RoleParty {
			if u.Mobile != nil || u.WrongNumber != nil {
				return nil, ErrForbidden
			}
			if err := actAs(p, c, pid, now); err != nil {
				return nil, err
			}
		}
		return c.UpdateParty(pid, u, p.Actor(), now)
	})
}

// AnswerRequest answers a party's request rid of case id.
func (d *Desk) AnswerRequest(ctx context.Context, p *Principal, id, rid, answer string) (*enforcement.Case, error) {
	if err := CheckText("answer", answer, MaxNote, true); err != nil {
		return nil, err
	}
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		return c.AnswerRequest(rid, answer, p.Actor(), now)
	})
}

// IssueSupervision issues a supervision order on case id: the chief of its
// court, the head of its judge's division or a high court's supervisor
// (MayOrder).
func (d *Desk) IssueSupervision(ctx context.Context, p *Principal, id string, o enforcement.SupervisionOrder) (*enforcement.Case, error) {
	if err := CheckText("text", o.Text, MaxNote, true); err != nil {
		return nil, err
	}
	if o.ID == "" {
		o.ID = NewID("sup")
	}
	o.IssuedBy = p.Actor()
	allow := func(c *enforcement.Case) error {
		switch {
		case d.MayOrder(p, c):
			return nil
		case d.Visible(p, c) || d.Oversees(p, c):
			return ErrForbidden
		}
		return NotFound("case", id)
	}
	return d.changeIf(ctx, p, id, allow, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		o.IssuedAt = now
		return c.IssueSupervision(o, now)
	})
}

// AnswerSupervision answers supervision order oid of case id; the handling judge.
func (d *Desk) AnswerSupervision(ctx context.Context, p *Principal, id, oid, response string) (*enforcement.Case, error) {
	if err := CheckText("response", response, MaxNote, true); err != nil {
		return nil, err
	}
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		return c.AnswerSupervision(oid, response, p.Actor(), now)
	})
}

// revisionKey is the context key of the court's revision read when a
// request came in.
type revisionKey struct{}

// courtRevision is a court's revision as read when a request came in.
type courtRevision struct {
	court string
	rev   int64
}

// WithRevision returns ctx carrying the revision rev of court, as read (by
// SyncCalendar) when a request came in; the views of that court computed
// for the request are checked against it.
func WithRevision(ctx context.Context, court string, rev int64) context.Context {
	return context.WithValue(ctx, revisionKey{}, courtRevision{court, rev})
}

// Calendar returns the working-day calendar in use.
func (d *Desk) Calendar() *deadline.Calendar { return d.cal.Load() }

// stamp reads what the kept views are checked against: the court's
// revision, read when the request came in (see withCalendar) or now, and
// the calendar in use, brought up to date with it. A view computed next is
// computed from data at least as new as the revision.
func (d *Desk) stamp(ctx context.Context, court string) (viewStamp, error) {
	cr, ok := ctx.Value(revisionKey{}).(courtRevision)
	rev := cr.rev
	if !ok || cr.court != court {
		var err error
		if rev, err = d.SyncCalendar(ctx, court); err != nil {
			return viewStamp{}, err
		}
	}
	return viewStamp{rev: rev, cal: d.cal.Load()}, nil
}

// Supervision is the chief's report over every case of the court, read
// from the store's indexes (enforcement.SuperviseFrom); it is kept while
// nothing changes (see ViewCache).
func (d *Desk) Supervision(ctx context.Context, p *Principal) (enforcement.Report, error) {
	if err := Need(p, RoleChief); err != nil {
		return enforcement.Report{}, err
	}
	return d.courtReport(ctx, d.CourtFor(p))
}

// ReportMore counts what a report leaves out of each of its lists.
type ReportMore struct {
	Due          int `json:"due"`
	Unclassified int `json:"unclassified"`
	KeyCases     int `json:"key_cases"`
	Requests     int `json:"requests"`
	Orders       int `json:"orders"`
}

// SupervisionPage is the chief's report with each list cut to its first
// limit entries, the most urgent (limit ≤ 0: as Supervision, the flagged
// and unclassified items up to DueListed, the other lists whole), and
// what each list leaves out. The flagged and unclassified items are read
// only as far as listed; counts and figures are the whole court's.
func (d *Desk) SupervisionPage(ctx context.Context, p *Principal, limit int) (enforcement.Report, ReportMore, error) {
	if err := Need(p, RoleChief); err != nil {
		return enforcement.Report{}, ReportMore{}, err
	}
	due := d.DueListed
	if limit > 0 && (due <= 0 || limit < due) {
		due = limit
	}
	rep, err := d.courtReportListing(ctx, d.CourtFor(p), due)
	if err != nil {
		return enforcement.Report{}, ReportMore{}, err
	}
	rep, more := PageOf(rep, limit)
	return rep, more, nil
}

// PageOf returns rep with each of its lists cut to the first limit
// entries, the most urgent (limit ≤ 0: rep whole), and what each list of
// the report returned leaves out. The counts and figures are rep's.
func PageOf(rep enforcement.Report, limit int) (enforcement.Report, ReportMore) {
	more := ReportMoreOf(rep)
	if limit > 0 {
		rep.Due = cut(rep.Due, limit, &more.Due)
		rep.Unclassified = cut(rep.Unclassified, limit, &more.Unclassified)
		rep.KeyCases = cut(rep.KeyCases, limit, &more.KeyCases)
		rep.Requests = cut(rep.Requests, limit, &more.Requests)
		rep.Orders = cut(rep.Orders, limit, &more.Orders)
	}
	return rep, more
}

// ReportMoreOf counts the flagged and unclassified items rep does not
// list; its other lists are whole.
func ReportMoreOf(rep enforcement.Report) ReportMore {
	return ReportMore{Due: rep.DueTotal() - len(rep.Due), Unclassified: rep.UnclassifiedTotal - len(rep.Unclassified)}
}

// cut returns the first n of xs, counting the rest in more.
func cut[T any](xs []T, n int, more *int) []T {
	if len(xs) <= n {
		return xs
	}
	*more += len(xs) - n
	return xs[:n:n]
}

// courtReport is the report of court, kept while nothing changes, whoever
// asks: the callers check who may read it.
func (d *Desk) courtReport(ctx context.Context, court string) (enforcement.Report, error) {
	return d.courtReportListing(ctx, court, d.DueListed)
}

// courtReportListing is courtReport listing at most due flagged and
// unclassified items (0: all); each listing is kept apart.
func (d *Desk) courtReportListing(ctx context.Context, court string, due int) (enforcement.Report, error) {
	st, err := d.stamp(ctx, court)
	if err != nil {
		return enforcement.Report{}, err
	}
	today := d.Today()
	v, err := d.Views.get(viewKey{court: court, view: "supervision", day: today, limit: due}, st, func() (any, error) {
		rep, err := enforcement.SuperviseFrom(ctx, d.Store, court, today, st.cal, enforcement.SupervisionConfig{DueLimit: due})
		return rep, err
	})
	if err != nil {
		return enforcement.Report{}, err
	}
	return v.(enforcement.Report), nil
}

// DueFlags classifies the open due items of p's cases (a judge's own, or
// every case for the chief) on today, from the store's due index; with
// before set, only the items due by then are read and counted.
func (d *Desk) DueFlags(ctx context.Context, p *Principal, judge string, before deadline.Date) (enforcement.Classification, error) {
	if err := Need(p, RoleJudge, RoleChief); err != nil {
		return enforcement.Classification{}, err
	}
	if p.Role == RoleJudge {
		if judge != "" && judge != p.UserID {
			return enforcement.Classification{}, ErrForbidden
		}
		judge = p.UserID
	}
	refs, err := d.Store.DueItems(ctx, enforcement.DueFilter{Court: d.CourtFor(p), JudgeID: judge, OpenOnly: true, DueBefore: before})
	if err != nil {
		return enforcement.Classification{}, err
	}
	return enforcement.Classify(refs, d.Today(), d.cal.Load(), 0)
}

// Staff returns the notify recipient of a user of any court, for the
// drafters (user ids are unique across the deployment). The
// drafter runs inside the store's transactions, so users are read from a
// cache rather than from the database; forgetStaff clears it when users
// change.
func (d *Desk) Staff(id string) (notify.Recipient, bool) {
	d.staffMu.Lock()
	defer d.staffMu.Unlock()
	if d.staffCache == nil {
		us, err := d.ListUsers(context.Background(), "")
		if err != nil {
			return notify.Recipient{}, false
		}
		d.staffCache, d.staffCourts = map[string]notify.Recipient{}, map[string]string{}
		for _, u := range us {
			d.staffCache[u.ID] = notify.Recipient{UserID: u.ID, Name: u.Name, Mobile: u.Mobile}
			d.staffCourts[u.ID] = u.Court
		}
	}
	r, ok := d.staffCache[id]
	return r, ok
}

// staffCourt returns the court of user id, from the staff directory (see
// Staff), and whether the user is known.
func (d *Desk) staffCourt(id string) (string, bool) {
	if _, ok := d.Staff(id); !ok {
		return "", false
	}
	d.staffMu.Lock()
	defer d.staffMu.Unlock()
	c, ok := d.staffCourts[id]
	return c, ok
}

// ForgetStaff drops the cached staff directory, so that the next Staff
// call reads the users again: jobs call it so that users created through
// another instance are known.
func (d *Desk) ForgetStaff() { d.forgetStaff() }

func (d *Desk) forgetStaff() {
	d.staffMu.Lock()
	defer d.staffMu.Unlock()
	d.staffCache = nil
}

// IsJudgeOf reports whether id is a judge of court.
func (d *Desk) IsJudgeOf(ctx context.Context, court, id string) (bool, error) {
	u, _, err := d.GetUser(ctx, id)
	if errors.Is(err, enforcement.ErrNotFound) {
		return false, nil
	}
	return err == nil && u.Role == RoleJudge && u.Court == court, err
}
