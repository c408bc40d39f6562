package main

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

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
	"github.com/courtkit/zhixing/planning"
)

// desk is the enforcement desk's service layer: every action a JSON handler
// (or, later, a page) can take, with the access rules of the signed-in
// principal. It holds no request state.
type desk struct {
	court     string
	courtName string
	store     *sqlstore.Store
	outbox    notify.Outbox
	plans     planning.PlanStore
	drafter   *notify.Drafter
	policy    notify.Policy
	db        *sqldb
	rules     *enforcement.RuleSet
	settings  enforcement.Settings
	now       func() time.Time
	log       *slog.Logger

	views *viewCache
	// dueListed caps the flagged items the chief's report lists (see
	// config.DueListed).
	dueListed int

	staffMu    sync.Mutex
	staffCache map[string]notify.Recipient

	cal   atomic.Pointer[deadline.Calendar]
	calMu sync.Mutex // serialises calendar changes
	// calSeq is the sequence number of the last calendar change in use
	// (table server_calendar); calRev is the court's revision when it was
	// last checked against the database (see syncCalendar).
	calSeq, calRev atomic.Int64
}

func (d *desk) env() enforcement.Env {
	return enforcement.Env{Calendar: d.cal.Load(), Rules: d.rules, Settings: d.settings}
}

func (d *desk) today() deadline.Date { return deadline.DateOf(d.now()) }

// visible reports whether p may see case c at all.
func (d *desk) visible(p *principal, c *enforcement.Case) bool {
	if p == nil || c.Court != d.court {
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

// need returns errUnauthenticated without a principal and errForbidden if
// p's role is not among roles.
func need(p *principal, roles ...Role) error {
	if p == nil {
		return errUnauthenticated
	}
	for _, r := range roles {
		if p.Role == r {
			return nil
		}
	}
	return errForbidden
}

func notFound(what, id string) error {
	return fmt.Errorf("%s %s: %w", what, id, enforcement.ErrNotFound)
}

// get returns case id if p may see it; a case p may not see is not found.
func (d *desk) get(ctx context.Context, p *principal, id string) (*enforcement.Case, error) {
	if p == nil {
		return nil, errUnauthenticated
	}
	c, err := d.store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !d.visible(p, c) {
		return nil, notFound("case", id)
	}
	return c, nil
}

// change applies fn to case id as the handling judge p: the case must be
// visible to p and p must be one of roles. fn runs inside the store's
// optimistic transaction.
func (d *desk) change(ctx context.Context, p *principal, id string, roles []Role, fn func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error)) (*enforcement.Case, error) {
	if p == nil {
		return nil, errUnauthenticated
	}
	env, now := d.env(), d.now()
	c, _, err := d.store.Update(ctx, id, func(c *enforcement.Case) ([]enforcement.Event, error) {
		if !d.visible(p, c) {
			return nil, notFound("case", id)
		}
		if err := need(p, roles...); err != nil {
			return nil, err
		}
		return fn(c, env, now)
	})
	return c, err
}

// caseByNumber finds the case with the canonical number n.
func (d *desk) caseByNumber(ctx context.Context, n string) (*enforcement.Case, error) {
	cs, err := d.store.Find(ctx, enforcement.CaseFilter{Court: d.court, Number: n, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, notFound("case", n)
	}
	return cs[0], nil
}

// listCases lists the cases p may see.
func (d *desk) listCases(ctx context.Context, p *principal, f enforcement.CaseFilter) ([]*enforcement.Case, error) {
	if p == nil {
		return nil, errUnauthenticated
	}
	f.Court = d.court
	switch p.Role {
	case RoleParty:
		c, err := d.get(ctx, p, p.CaseID)
		if err != nil {
			return nil, err
		}
		return []*enforcement.Case{c}, nil
	case RoleJudge:
		if f.JudgeID != "" && f.JudgeID != p.UserID {
			return nil, errForbidden
		}
		f.JudgeID = p.UserID
	}
	return d.store.Find(ctx, f)
}

const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789" // no 0/O, 1/I

// randomCode returns n characters from codeAlphabet.
func randomCode(n int) string {
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

func newID(prefix string) string { return prefix + "-" + strings.ToLower(randomCode(10)) }

// createCase files a new case. A judge files for themself; the chief for
// any judge of the court.
func (d *desk) createCase(ctx context.Context, p *principal, c *enforcement.Case) (*enforcement.Case, error) {
	if err := need(p, RoleJudge, RoleChief); err != nil {
		return nil, err
	}
	if p.Role == RoleJudge {
		if c.JudgeID == "" {
			c.JudgeID = p.UserID
		}
		if c.JudgeID != p.UserID {
			return nil, errForbidden
		}
	}
	if c.JudgeID != "" {
		ok, err := d.isJudge(ctx, c.JudgeID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, &inputError{Fields: []fieldError{{"judge_id", "unknown_judge", "承办法官不存在"}}}
		}
	}
	if c.ID == "" {
		c.ID = newID("case")
	}
	c.Court = d.court
	if c.QueryCode == "" {
		c.QueryCode = randomCode(8)
	}
	evs, err := enforcement.File(c, d.env(), d.now(), p.actor())
	if err != nil {
		return nil, err
	}
	if err := d.store.Create(ctx, c, evs); err != nil {
		return nil, err
	}
	return d.store.Get(ctx, c.ID)
}

func (d *desk) recordNode(ctx context.Context, p *principal, id string, n enforcement.Node) (*enforcement.Case, error) {
	if n.ID == "" {
		n.ID = newID("node")
	}
	n.Actor = p.actor()
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		n.At = now
		return c.RecordNode(n, env, now)
	})
}

func (d *desk) recordMeasure(ctx context.Context, p *principal, id string, m enforcement.Measure) (*enforcement.Case, error) {
	if m.ID == "" {
		m.ID = newID("m")
	}
	m.Actor = p.actor()
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		m.At = now
		return c.RecordMeasure(m, env, now)
	})
}

func (d *desk) recordMeasureResult(ctx context.Context, p *principal, id, mid string, u enforcement.MeasureUpdate) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if _, ok := c.Measure(mid); !ok {
			return nil, notFound("measure", mid)
		}
		return c.RecordMeasureResult(mid, u, p.actor(), now)
	})
}

func (d *desk) overrideDue(ctx context.Context, p *principal, id, did string, date deadline.Date, reason string) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if _, ok := c.Due(did); !ok {
			return nil, notFound("due item", did)
		}
		return c.OverrideDue(did, date, reason, p.actor(), now)
	})
}

func (d *desk) completeDue(ctx context.Context, p *principal, id, did string, on deadline.Date) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if _, ok := c.Due(did); !ok {
			return nil, notFound("due item", did)
		}
		return c.CompleteDue(did, on, p.actor(), now)
	})
}

// preconditions returns the closure checklist; staff only.
func (d *desk) preconditions(ctx context.Context, p *principal, id string, mode enforcement.ClosureMode, on deadline.Date) ([]enforcement.Precondition, error) {
	if err := need(p, RoleJudge, RoleChief); err != nil {
		return nil, err
	}
	c, err := d.get(ctx, p, id)
	if err != nil {
		return nil, err
	}
	return c.ClosurePreconditions(mode, on, d.env()), nil
}

func (d *desk) closeCase(ctx context.Context, p *principal, id string, mode enforcement.ClosureMode, on deadline.Date, reason string) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		return c.Close(mode, on, reason, p.actor(), env, now)
	})
}

func (d *desk) solicit(ctx context.Context, p *principal, id string, s enforcement.Solicitation) (*enforcement.Case, error) {
	if s.ID == "" {
		s.ID = newID("sol")
	}
	if s.ReplyCode == "" {
		s.ReplyCode = randomCode(4)
	}
	s.By = p.actor()
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		s.At = now
		if s.AskedOn.IsZero() {
			s.AskedOn = deadline.DateOf(now)
		}
		return c.SolicitOpinion(s, env, now)
	})
}

// recordOpinion records an applicant's opinion: by the judge (phone, in
// person) or by the applicant themself on the web.
func (d *desk) recordOpinion(ctx context.Context, p *principal, id, sid string, o enforcement.Opinion) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge, RoleParty}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		var sol *enforcement.Solicitation
		for i := range c.Solicitations {
			if c.Solicitations[i].ID == sid {
				sol = &c.Solicitations[i]
			}
		}
		if sol == nil {
			return nil, notFound("solicitation", sid)
		}
		o.ReceivedAt = now
		if p.Role == RoleParty {
			if p.PartyID == "" || p.PartyID != sol.PartyID {
				return nil, errForbidden
			}
			o.Channel, o.RecordedBy = "web", ""
		} else {
			o.RecordedBy = p.actor()
			if o.Channel == "" {
				o.Channel = "phone"
			}
		}
		return c.RecordOpinion(sid, o, env, now)
	})
}

// receiveRequest records a party's request: sent by the party on the web, or
// taken down by the judge from a call or visit.
func (d *desk) receiveRequest(ctx context.Context, p *principal, id string, r enforcement.Request) (*enforcement.Case, error) {
	if r.ID == "" {
		r.ID = newID("req")
	}
	return d.change(ctx, p, id, []Role{RoleJudge, RoleParty}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if p.Role == RoleParty {
			if p.PartyID == "" {
				return nil, errForbidden
			}
			r.PartyID, r.Channel = p.PartyID, "web"
		}
		r.ReceivedAt = now
		return c.ReceiveRequest(r, env, now)
	})
}

// updateParty changes a party's mobile number, SMS opt-out or wrong-number
// mark: the case's judge any of them, as a party asks or a failed delivery
// shows; a party only its own opt-out (退订), on the web.
func (d *desk) updateParty(ctx context.Context, p *principal, id, pid string, u enforcement.PartyUpdate) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge, RoleParty}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		if p.Role == RoleParty && (p.PartyID == "" || p.PartyID != pid || u.Mobile != nil || u.WrongNumber != nil) {
			return nil, errForbidden
		}
		return c.UpdateParty(pid, u, p.actor(), now)
	})
}

func (d *desk) answerRequest(ctx context.Context, p *principal, id, rid, answer string) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		return c.AnswerRequest(rid, answer, p.actor(), now)
	})
}

func (d *desk) issueSupervision(ctx context.Context, p *principal, id string, o enforcement.SupervisionOrder) (*enforcement.Case, error) {
	if o.ID == "" {
		o.ID = newID("sup")
	}
	o.IssuedBy = p.actor()
	return d.change(ctx, p, id, []Role{RoleChief}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		o.IssuedAt = now
		return c.IssueSupervision(o, now)
	})
}

func (d *desk) answerSupervision(ctx context.Context, p *principal, id, oid, response string) (*enforcement.Case, error) {
	return d.change(ctx, p, id, []Role{RoleJudge}, func(c *enforcement.Case, env enforcement.Env, now time.Time) ([]enforcement.Event, error) {
		return c.AnswerSupervision(oid, response, p.actor(), now)
	})
}

// stamp reads what the kept views are checked against: the court's
// revision, read when the request came in (see withCalendar) or now, and
// the calendar in use, brought up to date with it. A view computed next is
// computed from data at least as new as the revision.
func (d *desk) stamp(ctx context.Context) (viewStamp, error) {
	rev, ok := ctx.Value(revKey{}).(int64)
	if !ok {
		var err error
		if rev, err = d.syncCalendar(ctx); err != nil {
			return viewStamp{}, err
		}
	}
	return viewStamp{rev: rev, cal: d.cal.Load()}, nil
}

// supervisionView is the chief's report over every case of the court, read
// from the store's indexes (enforcement.SuperviseFrom), with its JSON; it is
// kept while nothing changes (see viewCache).
func (d *desk) supervisionView(ctx context.Context, p *principal) (enforcement.Report, []byte, error) {
	if err := need(p, RoleChief); err != nil {
		return enforcement.Report{}, nil, err
	}
	st, err := d.stamp(ctx)
	if err != nil {
		return enforcement.Report{}, nil, err
	}
	today := d.today()
	v, b, err := d.views.get(viewKey{view: "supervision", day: today}, st, func() (any, []byte, error) {
		rep, err := enforcement.SuperviseFrom(ctx, d.store, d.court, today, st.cal, enforcement.SupervisionConfig{DueLimit: d.dueListed})
		if err != nil {
			return nil, nil, err
		}
		b, err := encodeJSON(rep)
		return rep, b, err
	})
	if err != nil {
		return enforcement.Report{}, nil, err
	}
	return v.(enforcement.Report), b, nil
}

// supervision is the chief's report (see supervisionView).
func (d *desk) supervision(ctx context.Context, p *principal) (enforcement.Report, error) {
	rep, _, err := d.supervisionView(ctx, p)
	return rep, err
}

// supervisionJSON is the chief's report as the API sends it.
func (d *desk) supervisionJSON(ctx context.Context, p *principal) ([]byte, error) {
	_, b, err := d.supervisionView(ctx, p)
	return b, err
}

// dueFlags classifies the open due items of p's cases (a judge's own, or
// every case for the chief) on today, from the store's due index; with
// before set, only the items due by then are read and counted.
func (d *desk) dueFlags(ctx context.Context, p *principal, judge string, before deadline.Date) (enforcement.Classification, error) {
	if err := need(p, RoleJudge, RoleChief); err != nil {
		return enforcement.Classification{}, err
	}
	if p.Role == RoleJudge {
		if judge != "" && judge != p.UserID {
			return enforcement.Classification{}, errForbidden
		}
		judge = p.UserID
	}
	refs, err := d.store.DueItems(ctx, enforcement.DueFilter{Court: d.court, JudgeID: judge, OpenOnly: true, DueBefore: before})
	if err != nil {
		return enforcement.Classification{}, err
	}
	return enforcement.Classify(refs, d.today(), d.cal.Load(), 0)
}

// staff returns the notify recipient of a court user, for the drafter. The
// drafter runs inside the store's transactions, so users are read from a
// cache rather than from the database; forgetStaff clears it when users
// change.
func (d *desk) staff(id string) (notify.Recipient, bool) {
	d.staffMu.Lock()
	defer d.staffMu.Unlock()
	if d.staffCache == nil {
		us, err := (&auth{db: d.db}).listUsers(context.Background(), d.court)
		if err != nil {
			return notify.Recipient{}, false
		}
		d.staffCache = map[string]notify.Recipient{}
		for _, u := range us {
			d.staffCache[u.ID] = notify.Recipient{UserID: u.ID, Name: u.Name, Mobile: u.Mobile}
		}
	}
	r, ok := d.staffCache[id]
	return r, ok
}

func (d *desk) forgetStaff() {
	d.staffMu.Lock()
	defer d.staffMu.Unlock()
	d.staffCache = nil
}

// isJudge reports whether id is a judge of the court.
func (d *desk) isJudge(ctx context.Context, id string) (bool, error) {
	u, _, err := (&auth{db: d.db}).getUser(ctx, id)
	if errors.Is(err, enforcement.ErrNotFound) {
		return false, nil
	}
	return err == nil && u.Role == RoleJudge && u.Court == d.court, err
}
