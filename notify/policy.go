package notify

import (
	"fmt"
	"slices"
	"time"

	"github.com/courtkit/zhixing/enforcement"
)

// Action is what the policy does with a message. Its value is a stable text
// code; the zero Action is unset.
type Action string

// Actions.
const (
	ActionAuto Action = "auto" // queue it to be sent (after quiet hours)
	ActionHold Action = "hold" // hold it for the judge to confirm, edit or cancel
	ActionNone Action = "none" // do not notify
)

// Rule says what to do with the messages about events of one kind, and
// optionally only for one measure kind or one recipient role. Empty Measure
// and Role match any.
type Rule struct {
	Event   enforcement.EventKind
	Measure enforcement.MeasureKind // for measure events only
	Role    RecipientRole
	Action  Action
	// Urgent exempts the messages from quiet hours.
	Urgent bool
}

func (r Rule) matches(kind enforcement.EventKind, measure enforcement.MeasureKind, role RecipientRole) bool {
	return r.Event == kind && (r.Measure == "" || r.Measure == measure) && (r.Role == "" || r.Role == role)
}

func (r Rule) specificity() int {
	n := 0
	if r.Measure != "" {
		n += 2 // a measure is more specific than a role
	}
	if r.Role != "" {
		n++
	}
	return n
}

// DefaultRules returns the rules used for every message no court rule
// matches.
// They follow the process-disclosure rules (D1–D5: parties are told every
// node, measure, suspension and closure) with one reservation:
//
//   - Case filed (立案告知): applicant and respondent, automatically.
//   - Measure recorded and measure result (措施告知): the applicant
//     automatically; the respondent held for the judge's confirmation,
//     because a notice of a seizure or freeze may be delayed until it is
//     executed where early disclosure would defeat it (D7), and only the
//     judge knows whether the other accounts and assets are secured yet.
//   - Opinion solicited (终本前征询意见): the applicant, automatically.
//   - Opinion recorded: the applicant (acknowledgement) and the judge,
//     automatically.
//   - Request received: the judge; request answered: the applicant and the
//     respondent (whichever asked is drafted for), automatically.
//   - Supervision ordered (督办): the judge; supervision answered: the
//     chief, automatically.
//   - Case suspended, resumed, closed: applicant and respondent,
//     automatically.
//   - Node recorded: applicant and respondent, automatically, for the
//     nodes the drafter has a notice for (执行通知书, 报告财产令, 拍卖公告,
//     执行款发放, 终本后财产查询).
//   - Query code reset (查询码重置): the party whose code it is,
//     automatically.
//
// Everything else (due items, party updated, any role not listed) is not
// notified: the judges' reminders about due items come from
// the planning package. No default is urgent.
func DefaultRules() []Rule { return slices.Clone(defaultRules) }

var defaultRules = []Rule{
	{Event: enforcement.EventCaseFiled, Role: RecipientApplicant, Action: ActionAuto},
	{Event: enforcement.EventCaseFiled, Role: RecipientRespondent, Action: ActionAuto},
	{Event: enforcement.EventMeasureRecorded, Role: RecipientApplicant, Action: ActionAuto},
	{Event: enforcement.EventMeasureRecorded, Role: RecipientRespondent, Action: ActionHold},
	{Event: enforcement.EventMeasureResult, Role: RecipientApplicant, Action: ActionAuto},
	{Event: enforcement.EventMeasureResult, Role: RecipientRespondent, Action: ActionHold},
	{Event: enforcement.EventOpinionSolicited, Role: RecipientApplicant, Action: ActionAuto},
	{Event: enforcement.EventOpinionRecorded, Role: RecipientApplicant, Action: ActionAuto},
	{Event: enforcement.EventOpinionRecorded, Role: RecipientJudge, Action: ActionAuto},
	{Event: enforcement.EventRequestReceived, Role: RecipientJudge, Action: ActionAuto},
	{Event: enforcement.EventRequestAnswered, Role: RecipientApplicant, Action: ActionAuto},
	{Event: enforcement.EventRequestAnswered, Role: RecipientRespondent, Action: ActionAuto},
	{Event: enforcement.EventSupervisionOrdered, Role: RecipientJudge, Action: ActionAuto},
	{Event: enforcement.EventSupervisionAnswered, Role: RecipientChief, Action: ActionAuto},
	{Event: enforcement.EventCaseSuspended, Role: RecipientApplicant, Action: ActionAuto},
	{Event: enforcement.EventCaseSuspended, Role: RecipientRespondent, Action: ActionAuto},
	{Event: enforcement.EventCaseResumed, Role: RecipientApplicant, Action: ActionAuto},
	{Event: enforcement.EventCaseResumed, Role: RecipientRespondent, Action: ActionAuto},
	{Event: enforcement.EventCaseClosed, Role: RecipientApplicant, Action: ActionAuto},
	{Event: enforcement.EventCaseClosed, Role: RecipientRespondent, Action: ActionAuto},
	{Event: enforcement.EventNodeRecorded, Role: RecipientApplicant, Action: ActionAuto},
	{Event: enforcement.EventNodeRecorded, Role: RecipientRespondent, Action: ActionAuto},
	{Event: enforcement.EventQueryCodeReset, Role: RecipientApplicant, Action: ActionAuto},
	{Event: enforcement.EventQueryCodeReset, Role: RecipientRespondent, Action: ActionAuto},
	// A correction goes to whoever was told of the withdrawn record.
	{Event: enforcement.EventWithdrawn, Role: RecipientApplicant, Action: ActionAuto},
	{Event: enforcement.EventWithdrawn, Role: RecipientRespondent, Action: ActionAuto},
	{Event: enforcement.EventWithdrawn, Role: RecipientInterested, Action: ActionAuto},
}

// Policy is a court's delivery policy: which messages go out by
// themselves, which wait for the judge, which are not sent, and when
// parties may be texted. The zero Policy means the defaults: [DefaultRules]
// and the default QuietHours.
type Policy struct {
	// Rules are the court's own rules. For a message, the most specific
	// court rule that matches (measure and role, then measure, then role,
	// then event kind only; the first of equals) decides; only if none
	// matches do the [DefaultRules] decide the same way. A court that wants all
	// measure notices sent at once adds
	// {Event: EventMeasureRecorded, Action: ActionAuto} (and the same for
	// EventMeasureResult).
	Rules []Rule
	// Quiet is when parties are not texted.
	Quiet QuietHours
}

// Decision is the policy's answer for one message.
type Decision struct {
	Action Action
	Urgent bool
	// Skip is set when the message must not be sent because of the
	// recipient (opt-out, wrong number, no number); Action is then
	// ActionNone but the message is recorded as skipped.
	Skip SkipReason
	// Rule is the rule that decided, zero if none matched.
	Rule Rule
}

// Decide returns what to do with a message about an event of kind (and,
// for a measure event, measure kind measure) to r. A recipient who opted
// out, whose number is marked wrong or who has none is never sent
// anything: Decide reports the skip reason whatever the rules say (unless
// the rules say not to notify at all).
func (p Policy) Decide(kind enforcement.EventKind, measure enforcement.MeasureKind, r Recipient) Decision {
	rule, ok := pick(p.Rules, kind, measure, r.Role)
	if !ok {
		rule, ok = pick(defaultRules, kind, measure, r.Role)
	}
	if !ok || rule.Action == ActionNone || rule.Action == "" {
		return Decision{Action: ActionNone, Rule: rule}
	}
	d := Decision{Action: rule.Action, Urgent: rule.Urgent, Rule: rule}
	if s := SkipReasonFor(r); s != "" {
		d.Action, d.Skip = ActionNone, s
	}
	return d
}

func pick(rules []Rule, kind enforcement.EventKind, measure enforcement.MeasureKind, role RecipientRole) (Rule, bool) {
	best, found := Rule{}, false
	for _, r := range rules {
		if r.matches(kind, measure, role) && (!found || r.specificity() > best.specificity()) {
			best, found = r, true
		}
	}
	return best, found
}

// NotBefore returns when a message to r may be sent if it is released at
// t: see [QuietHours.Next].
func (p Policy) NotBefore(t time.Time, r Recipient, urgent bool) (time.Time, error) {
	return p.Quiet.Next(t, r, urgent)
}

// Route applies the policy to drafted message m about an event of kind
// (measure kind measure) at now, and returns the decision:
//
//   - ActionAuto: m is queued, not before the end of quiet hours;
//   - ActionHold: m is held for the judge;
//   - ActionNone with a skip reason: m is marked skipped, to be stored so
//     the case shows why the party was not told;
//   - ActionNone without one: m is unchanged and should not be stored.
//
// m.Urgent is set from the rule (or kept if the drafter set it). If quiet
// hours cannot be computed (see [QuietHours.Next]) m is held instead, with
// the reason in its history, and the error is returned with the decision.
// On any other error m is unchanged.
func (p Policy) Route(m *Message, kind enforcement.EventKind, measure enforcement.MeasureKind, now time.Time) (Decision, error) {
	if m.State != StateDrafted {
		return Decision{}, m.deny("route", "")
	}
	d := p.Decide(kind, measure, m.Recipient)
	switch {
	case d.Skip != "":
		return d, m.Skip(d.Skip, "policy", now)
	case d.Action == ActionHold:
		m.Urgent = m.Urgent || d.Urgent
		return d, m.Hold("policy", now, "")
	case d.Action == ActionAuto:
		urgent := m.Urgent || d.Urgent
		at, err := p.NotBefore(now, m.Recipient, urgent)
		m.Urgent = urgent
		if err != nil {
			d.Action = ActionHold
			if herr := m.Hold("policy", now, "quiet hours: "+err.Error()); herr != nil {
				return d, herr
			}
			return d, fmt.Errorf("notify: route message %s: %w", m.ID, err)
		}
		return d, m.Queue("policy", now, at)
	}
	return d, nil
}

// Confirm confirms held message m for the judge by at now, queued not
// before the end of quiet hours.
func (p Policy) Confirm(m *Message, by string, now time.Time) error {
	at, err := p.NotBefore(now, m.Recipient, m.Urgent)
	if err != nil {
		return fmt.Errorf("notify: confirm message %s: %w", m.ID, err)
	}
	return m.Confirm(by, now, at)
}
