package sqlstore

import (
	"encoding/json"
	"errors"
	"fmt"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// caseDoc is a case as stored in cases.doc, identity numbers in full.
type caseDoc struct {
	V               int               `json:"v"`
	ID              string            `json:"id"`
	Number          string            `json:"number"`
	Court           string            `json:"court"`
	Cause           string            `json:"cause,omitempty"`
	Source          sourceDoc         `json:"source"`
	NonLitigation   bool              `json:"non_litigation,omitempty"`
	Parties         []partyDoc        `json:"parties"`
	AmountApplied   string            `json:"amount_applied"`
	AmountRecovered string            `json:"amount_recovered"`
	ReceivedOn      string            `json:"received_on,omitempty"`
	FiledOn         string            `json:"filed_on"`
	JudgeID         string            `json:"judge_id"`
	Key             bool              `json:"key,omitempty"`
	Status          string            `json:"status"`
	QueryCode       string            `json:"query_code,omitempty"`
	Nodes           []nodeDoc         `json:"nodes"`
	Measures        []measureDoc      `json:"measures"`
	DueItems        []dueDoc          `json:"due_items"`
	Deductions      []deductionDoc    `json:"deductions"`
	Solicitations   []solicitationDoc `json:"solicitations"`
	Requests        []requestDoc      `json:"requests"`
	Orders          []orderDoc        `json:"orders"`
	Closure         *closureDoc       `json:"closure,omitempty"`
	// Since the period for applying (CPL art. 250) was computed at filing.
	LimitationEvents   []limitationDoc `json:"limitation_events,omitempty"`
	ApplicationPeriod  *appPeriodDoc   `json:"application_period,omitempty"`
	LateAcknowledgedBy string          `json:"late_acknowledged_by,omitempty"`
	// Withdrawn is empty in documents written before records could be
	// withdrawn.
	Withdrawn []withdrawalDoc `json:"withdrawn,omitempty"`
	Version   int64           `json:"version"`
	UpdatedAt string          `json:"updated_at,omitempty"`
}

type sourceDoc struct {
	Title          string   `json:"title,omitempty"`
	Number         string   `json:"number,omitempty"`
	Issuer         string   `json:"issuer,omitempty"`
	EffectiveOn    string   `json:"effective_on,omitempty"`
	PerformanceDue string   `json:"performance_due,omitempty"`
	Instalments    []string `json:"instalments,omitempty"`
}

// limitationDoc is a fact that interrupts or suspends the period for
// applying, its kind by its text code.
type limitationDoc struct {
	Kind  string `json:"kind"`
	On    string `json:"on"`
	Until string `json:"until,omitempty"`
	Note  string `json:"note,omitempty"`
}

// appPeriodDoc is the period for applying as computed at filing.
type appPeriodDoc struct {
	Version  string         `json:"version,omitempty"`
	Basis    string         `json:"basis,omitempty"`
	Received string         `json:"received,omitempty"`
	Runs     []periodRunDoc `json:"runs"`
	Late     []string       `json:"late"`
}

type periodRunDoc struct {
	Label       string    `json:"label,omitempty"`
	Start       string    `json:"start,omitempty"`
	End         string    `json:"end,omitempty"`
	Provisional bool      `json:"provisional,omitempty"`
	Waived      bool      `json:"waived,omitempty"`
	Steps       []stepDoc `json:"steps"`
}

type partyDoc struct {
	ID          string `json:"id"`
	Role        string `json:"role"`
	Kind        string `json:"kind"`
	Name        string `json:"name"`
	IDNumber    string `json:"id_number,omitempty"`
	Mobile      string `json:"mobile,omitempty"`
	OptOut      bool   `json:"opt_out,omitempty"`
	WrongNumber bool   `json:"wrong_number,omitempty"`
	CodeGen     int    `json:"code_generation,omitempty"`
}

type nodeDoc struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Date   string `json:"date"`
	At     string `json:"at,omitempty"`
	Actor  string `json:"actor,omitempty"`
	Note   string `json:"note,omitempty"`
	Urgent bool   `json:"urgent,omitempty"`
	// PartyID, Ref and Finding are empty in documents written before
	// nodes had them.
	PartyID string `json:"party_id,omitempty"`
	Ref     string `json:"ref,omitempty"`
	Finding string `json:"finding,omitempty"`
}

type measureDoc struct {
	ID          string `json:"id"`
	Node        string `json:"node"`
	Kind        string `json:"kind"`
	Property    string `json:"property,omitempty"`
	Target      string `json:"target,omitempty"`
	Amount      string `json:"amount"`
	TakenOn     string `json:"taken_on,omitempty"`
	EffectiveOn string `json:"effective_on,omitempty"`
	ExpiresOn   string `json:"expires_on,omitempty"`
	Outcome     string `json:"outcome,omitempty"`
	Result      string `json:"result,omitempty"`
	RenewalOf   string `json:"renewal_of,omitempty"`
	At          string `json:"at,omitempty"`
	Actor       string `json:"actor,omitempty"`
}

// withdrawalDoc is a node or measure withdrawn (enforcement.Withdrawal).
type withdrawalDoc struct {
	Node      *nodeDoc    `json:"node,omitempty"`
	Measure   *measureDoc `json:"measure,omitempty"`
	Reason    string      `json:"reason"`
	Actor     string      `json:"actor,omitempty"`
	At        string      `json:"at,omitempty"`
	Cancelled []string    `json:"cancelled,omitempty"`
	Reopened  []string    `json:"reopened,omitempty"`
	// StatusBefore, StatusAfter and Period are set when a node that
	// changed the case's state was withdrawn.
	StatusBefore string        `json:"status_before,omitempty"`
	StatusAfter  string        `json:"status_after,omitempty"`
	Period       *deductionDoc `json:"period,omitempty"`
}

func nodeToDoc(n enforcement.Node) nodeDoc {
	return nodeDoc{ID: n.ID, Kind: string(n.Kind), Date: dateText(n.Date), At: timeText(n.At), Actor: n.Actor, Note: n.Note, Urgent: n.Urgent,
		PartyID: n.PartyID, Ref: n.Ref, Finding: string(n.Finding)}
}

func (n nodeDoc) node(d *decoder) enforcement.Node {
	return enforcement.Node{ID: n.ID, Kind: enforcement.NodeKind(n.Kind), Date: d.date("nodes.date", n.Date), At: d.time("nodes.at", n.At),
		Actor: n.Actor, Note: n.Note, Urgent: n.Urgent, PartyID: n.PartyID, Ref: n.Ref, Finding: enforcement.Finding(n.Finding)}
}

func measureToDoc(m enforcement.Measure) measureDoc {
	return measureDoc{ID: m.ID, Node: string(m.Node), Kind: string(m.Kind), Property: string(m.Property), Target: m.Target,
		Amount: moneyText(m.Amount), TakenOn: dateText(m.TakenOn), EffectiveOn: dateText(m.EffectiveOn), ExpiresOn: dateText(m.ExpiresOn),
		Outcome: string(m.Outcome), Result: m.Result, RenewalOf: m.RenewalOf, At: timeText(m.At), Actor: m.Actor}
}

func (m measureDoc) measure(d *decoder) enforcement.Measure {
	return enforcement.Measure{ID: m.ID, Node: enforcement.NodeKind(m.Node), Kind: enforcement.MeasureKind(m.Kind), Property: enforcement.PropertyKind(m.Property),
		Target: m.Target, Amount: d.money("measures.amount", m.Amount), TakenOn: d.date("measures.taken_on", m.TakenOn),
		EffectiveOn: d.date("measures.effective_on", m.EffectiveOn), ExpiresOn: d.date("measures.expires_on", m.ExpiresOn),
		Outcome: enforcement.Outcome(m.Outcome), Result: m.Result, RenewalOf: m.RenewalOf, At: d.time("measures.at", m.At), Actor: m.Actor}
}

func withdrawalToDoc(w enforcement.Withdrawal) withdrawalDoc {
	out := withdrawalDoc{Reason: w.Reason, Actor: w.Actor, At: timeText(w.At), Cancelled: cloneStrings(w.Cancelled), Reopened: cloneStrings(w.Reopened),
		StatusBefore: string(w.StatusBefore), StatusAfter: string(w.StatusAfter)}
	if p := w.Period; p != nil {
		out.Period = &deductionDoc{Kind: p.Kind, From: dateText(p.From), To: dateText(p.To), Ref: p.Ref}
	}
	if w.Node != nil {
		n := nodeToDoc(*w.Node)
		out.Node = &n
	}
	if w.Measure != nil {
		m := measureToDoc(*w.Measure)
		out.Measure = &m
	}
	return out
}

func (x withdrawalDoc) withdrawal(d *decoder) enforcement.Withdrawal {
	out := enforcement.Withdrawal{Reason: x.Reason, Actor: x.Actor, At: d.time("withdrawn.at", x.At), Cancelled: cloneStrings(x.Cancelled), Reopened: cloneStrings(x.Reopened),
		StatusBefore: enforcement.Status(x.StatusBefore), StatusAfter: enforcement.Status(x.StatusAfter)}
	if p := x.Period; p != nil {
		out.Period = &enforcement.Deduction{Kind: p.Kind, From: d.date("withdrawn.period.from", p.From), To: d.date("withdrawn.period.to", p.To), Ref: p.Ref}
	}
	if x.Node != nil {
		n := x.Node.node(d)
		out.Node = &n
	}
	if x.Measure != nil {
		m := x.Measure.measure(d)
		out.Measure = &m
	}
	return out
}

// dueDoc is a due item, in a case document and on its own in
// due_items.doc (then with V set). Its names for the fields of headDoc
// are headDoc's, so that a dueDoc decodes as a headDoc too.
type dueDoc struct {
	V                int          `json:"v,omitempty"`
	ID               string       `json:"id"`
	Rule             string       `json:"rule"`
	Title            string       `json:"title"`
	RuleVersion      string       `json:"rule_version,omitempty"`
	Owner            string       `json:"owner"`
	Severity         string       `json:"severity"`
	Basis            string       `json:"basis,omitempty"`
	Trigger          string       `json:"trigger,omitempty"`
	TriggerRef       string       `json:"trigger_ref,omitempty"`
	Computed         string       `json:"computed"`
	Deadline         string       `json:"deadline,omitempty"`
	Steps            []stepDoc    `json:"steps"`
	CalcBasis        []string     `json:"calc_basis"`
	Provisional      bool         `json:"provisional,omitempty"`
	AwaitingCalendar bool         `json:"awaiting_calendar,omitempty"`
	Warnings         []string     `json:"warnings"`
	Override         *overrideDoc `json:"override,omitempty"`
	Status           string       `json:"status"`
	DoneOn           string       `json:"done_on,omitempty"`
	Internal         bool         `json:"internal,omitempty"`
	Right            string       `json:"right,omitempty"`
	RightAction      string       `json:"right_action,omitempty"`
}

type stepDoc struct {
	Code string `json:"code"`
	Date string `json:"date"`
	Text string `json:"text,omitempty"`
}

type overrideDoc struct {
	Date      string `json:"date"`
	Reason    string `json:"reason,omitempty"`
	By        string `json:"by,omitempty"`
	At        string `json:"at,omitempty"`
	Status    string `json:"status,omitempty"`
	DecidedBy string `json:"decided_by,omitempty"`
	DecidedAt string `json:"decided_at,omitempty"`
	Note      string `json:"note,omitempty"`
}

// headDoc is what the supervision report shows of a due item, in
// due_items.head: a dueDoc without the explanation and the trigger. It
// keeps Right, so that reports leave a party's rights out of a judge's
// overdue counts, and AwaitingCalendar, so that they mark the items
// without a definite date. Heads written before it had them read as
// tasks with a definite date; the next update of their case rewrites them.
type headDoc struct {
	V                int          `json:"v"`
	ID               string       `json:"id"`
	Rule             string       `json:"rule"`
	Title            string       `json:"title"`
	Owner            string       `json:"owner"`
	Severity         string       `json:"severity"`
	Computed         string       `json:"computed"`
	Provisional      bool         `json:"provisional,omitempty"`
	AwaitingCalendar bool         `json:"awaiting_calendar,omitempty"`
	Override         *overrideDoc `json:"override,omitempty"`
	Status           string       `json:"status"`
	DoneOn           string       `json:"done_on,omitempty"`
	Internal         bool         `json:"internal,omitempty"`
	Right            string       `json:"right,omitempty"`
}

type deductionDoc struct {
	Kind string `json:"kind"`
	From string `json:"from"`
	To   string `json:"to,omitempty"`
	Ref  string `json:"ref,omitempty"`
}

type solicitationDoc struct {
	ID        string `json:"id"`
	PartyID   string `json:"party_id"`
	ReplyCode string `json:"reply_code,omitempty"`
	Purpose   string `json:"purpose"`
	Summary   string `json:"summary,omitempty"`
	AskedOn   string `json:"asked_on"`
	At        string `json:"at,omitempty"`
	By        string `json:"by,omitempty"`
	ReplyBy   string `json:"reply_by,omitempty"`
	// ReplyByProvisional marks a ReplyBy computed beyond the calendar.
	ReplyByProvisional bool        `json:"reply_by_provisional,omitempty"`
	Answer             *opinionDoc `json:"answer,omitempty"`
}

type opinionDoc struct {
	Choice     string `json:"choice"`
	Text       string `json:"text,omitempty"`
	Channel    string `json:"channel,omitempty"`
	ReceivedAt string `json:"received_at,omitempty"`
	RecordedBy string `json:"recorded_by,omitempty"`
}

type requestDoc struct {
	ID         string `json:"id"`
	PartyID    string `json:"party_id,omitempty"`
	Channel    string `json:"channel,omitempty"`
	Text       string `json:"text"`
	ReceivedAt string `json:"received_at,omitempty"`
	RecordBy   string `json:"record_by,omitempty"`
	ResolveBy  string `json:"resolve_by,omitempty"`
	// Provisional marks RecordBy and ResolveBy computed beyond the calendar.
	Provisional bool   `json:"provisional,omitempty"`
	Answer      string `json:"answer,omitempty"`
	AnsweredBy  string `json:"answered_by,omitempty"`
	AnsweredAt  string `json:"answered_at,omitempty"`
}

type orderDoc struct {
	ID          string `json:"id"`
	IssuedBy    string `json:"issued_by"`
	IssuedAt    string `json:"issued_at,omitempty"`
	Text        string `json:"text"`
	Due         string `json:"due,omitempty"`
	Response    string `json:"response,omitempty"`
	RespondedBy string `json:"responded_by,omitempty"`
	RespondedAt string `json:"responded_at,omitempty"`
}

type closureDoc struct {
	Mode   string            `json:"mode"`
	On     string            `json:"on"`
	Reason string            `json:"reason,omitempty"`
	By     string            `json:"by,omitempty"`
	At     string            `json:"at,omitempty"`
	Checks []preconditionDoc `json:"checks"`
	Unmet  []string          `json:"unmet"`
}

type preconditionDoc struct {
	Key     string `json:"key"`
	Title   string `json:"title,omitempty"`
	Basis   string `json:"basis,omitempty"`
	Article string `json:"article,omitempty"`
	Met     bool   `json:"met,omitempty"`
	Status  string `json:"status,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

// supDoc is the part of a case that the chief's request and order lists
// read, in cases.sup_doc, so that they need not decode whole cases.
type supDoc struct {
	V        int          `json:"v"`
	Requests []requestDoc `json:"requests,omitempty"`
	Orders   []orderDoc   `json:"orders,omitempty"`
}

// MarshalCase returns the stored form of c: the JSON document this package
// keeps in its cases table, versioned and with every identity number in
// full (unlike c's own JSON, which masks them). Stores of other kinds may
// keep cases in this form; [UnmarshalCase] reads it back, and reads the
// form this package wrote before documents were versioned too.
func MarshalCase(c *enforcement.Case) ([]byte, error) {
	if c == nil {
		return nil, errors.New("sqlstore: marshal case: nil case")
	}
	doc, err := caseToDoc(c)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: marshal case %s: %w", c.ID, err)
	}
	return json.Marshal(doc)
}

// UnmarshalCase returns the case stored as b by [MarshalCase]. On error
// the case is nil. A document of a newer format version than this code
// reads is an error matching [ErrDocumentVersion].
func UnmarshalCase(b []byte) (*enforcement.Case, error) {
	var doc caseDoc
	if err := decodeDoc(b, &doc, upgradeLegacyCase); err != nil {
		return nil, fmt.Errorf("sqlstore: unmarshal case: %w", err)
	}
	c, err := doc.toCase()
	if err != nil {
		return nil, fmt.Errorf("sqlstore: unmarshal case %s: %w", doc.ID, err)
	}
	return c, nil
}

// upgradeLegacyCase turns a legacy case tree, {"case": {...},
// "id_numbers": {party ID: number}} with the case's identity numbers
// blanked, into a version-1 case tree.
func upgradeLegacyCase(m map[string]any) error {
	inner, ok := m["case"].(map[string]any)
	if !ok {
		return errors.New("legacy case document without a case")
	}
	ids, _ := m["id_numbers"].(map[string]any)
	parties, _ := inner["parties"].([]any)
	for _, p := range parties {
		pm, ok := p.(map[string]any)
		if !ok {
			continue
		}
		pm["id_number"] = ""
		if id, ok := pm["id"].(string); ok {
			if n, ok := ids[id].(string); ok {
				pm["id_number"] = n
			}
		}
	}
	clear(m)
	for k, v := range inner {
		m[k] = v
	}
	return nil
}

func caseToDoc(c *enforcement.Case) (caseDoc, error) {
	var err error
	doc := caseDoc{
		V: docVersion, ID: c.ID, Number: text(c.Number, &err), Court: c.Court, Cause: c.Cause,
		Source: sourceDoc{Title: c.Source.Title, Number: c.Source.Number, Issuer: c.Source.Issuer,
			EffectiveOn: dateText(c.Source.EffectiveOn), PerformanceDue: dateText(c.Source.PerformanceDue),
			Instalments: dateTexts(c.Source.Instalments)},
		NonLitigation: c.NonLitigation,
		Parties: mapSlice(c.Parties, func(p enforcement.Party) partyDoc {
			return partyDoc{ID: p.ID, Role: text(p.Role, &err), Kind: text(p.Kind, &err), Name: p.Name, IDNumber: p.IDNumber.Reveal(),
				Mobile: p.Mobile, OptOut: p.OptOut, WrongNumber: p.WrongNumber, CodeGen: p.CodeGeneration}
		}),
		AmountApplied: moneyText(c.AmountApplied), AmountRecovered: moneyText(c.AmountRecovered),
		ReceivedOn: dateText(c.ReceivedOn), FiledOn: dateText(c.FiledOn), JudgeID: c.JudgeID, Key: c.Key,
		Status: string(c.Status), QueryCode: c.QueryCode,
		Nodes:    mapSlice(c.Nodes, nodeToDoc),
		Measures: mapSlice(c.Measures, measureToDoc),
		DueItems: mapSlice(c.DueItems, dueToDoc),
		Deductions: mapSlice(c.Deductions, func(d enforcement.Deduction) deductionDoc {
			return deductionDoc{Kind: d.Kind, From: dateText(d.From), To: dateText(d.To), Ref: d.Ref}
		}),
		Solicitations: mapSlice(c.Solicitations, func(s enforcement.Solicitation) solicitationDoc {
			d := solicitationDoc{ID: s.ID, PartyID: s.PartyID, ReplyCode: s.ReplyCode, Purpose: string(s.Purpose), Summary: s.Summary,
				AskedOn: dateText(s.AskedOn), At: timeText(s.At), By: s.By, ReplyBy: dateText(s.ReplyBy), ReplyByProvisional: s.ReplyByProvisional}
			if a := s.Answer; a != nil {
				d.Answer = &opinionDoc{Choice: string(a.Choice), Text: a.Text, Channel: a.Channel, ReceivedAt: timeText(a.ReceivedAt), RecordedBy: a.RecordedBy}
			}
			return d
		}),
		Requests: mapSlice(c.Requests, requestToDoc),
		Orders:   mapSlice(c.Orders, orderToDoc),
		LimitationEvents: mapSlice(c.LimitationEvents, func(e enforcement.LimitationEvent) limitationDoc {
			return limitationDoc{Kind: string(e.Kind), On: dateText(e.On), Until: dateText(e.Until), Note: e.Note}
		}),
		ApplicationPeriod:  appPeriodToDoc(c.ApplicationPeriod),
		LateAcknowledgedBy: c.LateAcknowledgedBy,
		Withdrawn:          mapSlice(c.Withdrawn, withdrawalToDoc),
		Version:            c.Version,
		UpdatedAt:          timeText(c.UpdatedAt),
	}
	if cl := c.Closure; cl != nil {
		doc.Closure = &closureDoc{Mode: string(cl.Mode), On: dateText(cl.On), Reason: cl.Reason, By: cl.By, At: timeText(cl.At),
			Checks: mapSlice(cl.Checks, func(p enforcement.Precondition) preconditionDoc {
				return preconditionDoc{Key: p.Key, Title: p.Title, Basis: p.Basis, Article: p.Article, Met: p.Met, Status: string(p.Status), Detail: p.Detail}
			}),
			Unmet: cloneStrings(cl.Unmet)}
	}
	return doc, err
}

func (doc *caseDoc) toCase() (*enforcement.Case, error) {
	var d decoder
	c := &enforcement.Case{
		ID: doc.ID, Court: doc.Court, Cause: doc.Cause,
		Source: enforcement.SourceDocument{Title: doc.Source.Title, Number: doc.Source.Number, Issuer: doc.Source.Issuer,
			EffectiveOn: d.date("source.effective_on", doc.Source.EffectiveOn), PerformanceDue: d.date("source.performance_due", doc.Source.PerformanceDue),
			Instalments: d.dates("source.instalments", doc.Source.Instalments)},
		NonLitigation: doc.NonLitigation,
		Parties: mapSlice(doc.Parties, func(p partyDoc) enforcement.Party {
			out := enforcement.Party{ID: p.ID, Name: p.Name, IDNumber: enforcement.NewIDNumber(p.IDNumber), Mobile: p.Mobile, OptOut: p.OptOut, WrongNumber: p.WrongNumber, CodeGeneration: p.CodeGen}
			d.text("parties.role", p.Role, &out.Role)
			d.text("parties.kind", p.Kind, &out.Kind)
			return out
		}),
		AmountApplied: d.money("amount_applied", doc.AmountApplied), AmountRecovered: d.money("amount_recovered", doc.AmountRecovered),
		ReceivedOn: d.date("received_on", doc.ReceivedOn), FiledOn: d.date("filed_on", doc.FiledOn), JudgeID: doc.JudgeID, Key: doc.Key,
		Status: enforcement.Status(doc.Status), QueryCode: doc.QueryCode,
		Nodes:    mapSlice(doc.Nodes, func(n nodeDoc) enforcement.Node { return n.node(&d) }),
		Measures: mapSlice(doc.Measures, func(m measureDoc) enforcement.Measure { return m.measure(&d) }),
		DueItems: mapSlice(doc.DueItems, func(x dueDoc) enforcement.DueItem { return x.item(&d) }),
		Deductions: mapSlice(doc.Deductions, func(x deductionDoc) enforcement.Deduction {
			return enforcement.Deduction{Kind: x.Kind, From: d.date("deductions.from", x.From), To: d.date("deductions.to", x.To), Ref: x.Ref}
		}),
		Solicitations: mapSlice(doc.Solicitations, func(s solicitationDoc) enforcement.Solicitation {
			out := enforcement.Solicitation{ID: s.ID, PartyID: s.PartyID, ReplyCode: s.ReplyCode, Purpose: enforcement.ClosureMode(s.Purpose),
				Summary: s.Summary, AskedOn: d.date("solicitations.asked_on", s.AskedOn), At: d.time("solicitations.at", s.At), By: s.By,
				ReplyBy: d.date("solicitations.reply_by", s.ReplyBy), ReplyByProvisional: s.ReplyByProvisional}
			if a := s.Answer; a != nil {
				out.Answer = &enforcement.Opinion{Choice: enforcement.OpinionChoice(a.Choice), Text: a.Text, Channel: a.Channel,
					ReceivedAt: d.time("solicitations.answer.received_at", a.ReceivedAt), RecordedBy: a.RecordedBy}
			}
			return out
		}),
		Requests: mapSlice(doc.Requests, func(x requestDoc) enforcement.Request { return x.request(&d) }),
		Orders:   mapSlice(doc.Orders, func(x orderDoc) enforcement.SupervisionOrder { return x.order(&d) }),
		LimitationEvents: mapSlice(doc.LimitationEvents, func(e limitationDoc) enforcement.LimitationEvent {
			return enforcement.LimitationEvent{Kind: enforcement.LimitationKind(e.Kind), On: d.date("limitation_events.on", e.On),
				Until: d.date("limitation_events.until", e.Until), Note: e.Note}
		}),
		ApplicationPeriod:  doc.ApplicationPeriod.period(&d),
		LateAcknowledgedBy: doc.LateAcknowledgedBy,
		Withdrawn:          mapSlice(doc.Withdrawn, func(x withdrawalDoc) enforcement.Withdrawal { return x.withdrawal(&d) }),
		Version:            doc.Version,
		UpdatedAt:          d.time("updated_at", doc.UpdatedAt),
	}
	d.text("number", doc.Number, &c.Number)
	if cl := doc.Closure; cl != nil {
		c.Closure = &enforcement.ClosureRecord{Mode: enforcement.ClosureMode(cl.Mode), On: d.date("closure.on", cl.On), Reason: cl.Reason, By: cl.By,
			At: d.time("closure.at", cl.At),
			Checks: mapSlice(cl.Checks, func(p preconditionDoc) enforcement.Precondition {
				return enforcement.Precondition{Key: p.Key, Title: p.Title, Basis: p.Basis, Article: p.Article, Met: p.Met,
					Status: enforcement.CheckStatus(p.Status), Detail: p.Detail}
			}),
			Unmet: cloneStrings(cl.Unmet)}
	}
	if d.err != nil {
		return nil, d.err
	}
	return c, nil
}

func stepsToDoc(ss []deadline.Step) []stepDoc {
	return mapSlice(ss, func(s deadline.Step) stepDoc {
		return stepDoc{Code: string(s.Code), Date: dateText(s.Date), Text: s.Text}
	})
}

func stepsOf(d *decoder, field string, ss []stepDoc) []deadline.Step {
	return mapSlice(ss, func(s stepDoc) deadline.Step {
		return deadline.Step{Code: deadline.StepCode(s.Code), Date: d.date(field, s.Date), Text: s.Text}
	})
}

func appPeriodToDoc(p *enforcement.ApplicationPeriod) *appPeriodDoc {
	if p == nil {
		return nil
	}
	return &appPeriodDoc{Version: p.Version, Basis: p.Basis, Received: dateText(p.Received),
		Runs: mapSlice(p.Runs, func(r enforcement.PeriodRun) periodRunDoc {
			return periodRunDoc{Label: r.Label, Start: dateText(r.Start), End: dateText(r.End), Provisional: r.Provisional, Waived: r.Waived,
				Steps: stepsToDoc(r.Steps)}
		}),
		Late: cloneStrings(p.Late)}
}

func (p *appPeriodDoc) period(d *decoder) *enforcement.ApplicationPeriod {
	if p == nil {
		return nil
	}
	return &enforcement.ApplicationPeriod{Version: p.Version, Basis: p.Basis, Received: d.date("application_period.received", p.Received),
		Runs: mapSlice(p.Runs, func(r periodRunDoc) enforcement.PeriodRun {
			return enforcement.PeriodRun{Label: r.Label, Start: d.date("application_period.runs.start", r.Start),
				End: d.date("application_period.runs.end", r.End), Provisional: r.Provisional, Waived: r.Waived,
				Steps: stepsOf(d, "application_period.runs.steps.date", r.Steps)}
		}),
		Late: cloneStrings(p.Late)}
}

func cloneStrings(s []string) []string { return mapSlice(s, func(x string) string { return x }) }

func overrideToDoc(o *enforcement.Override) *overrideDoc {
	if o == nil {
		return nil
	}
	return &overrideDoc{Date: dateText(o.Date), Reason: o.Reason, By: o.By, At: timeText(o.At),
		Status: string(o.Status), DecidedBy: o.DecidedBy, DecidedAt: timeText(o.DecidedAt), Note: o.Note}
}

func (o *overrideDoc) override(d *decoder) *enforcement.Override {
	if o == nil {
		return nil
	}
	return &enforcement.Override{Date: d.date("override.date", o.Date), Reason: o.Reason, By: o.By, At: d.time("override.at", o.At),
		Status: enforcement.OverrideStatus(o.Status), DecidedBy: o.DecidedBy, DecidedAt: d.time("override.decided_at", o.DecidedAt), Note: o.Note}
}

func dueToDoc(x enforcement.DueItem) dueDoc {
	return dueDoc{ID: x.ID, Rule: x.Rule, Title: x.Title, RuleVersion: x.RuleVersion, Owner: x.Owner, Severity: string(x.Severity),
		Basis: x.Basis, Trigger: dateText(x.Trigger), TriggerRef: x.TriggerRef, Computed: dateText(x.Computed), Deadline: timeText(x.Deadline),
		Steps:     stepsToDoc(x.Steps),
		CalcBasis: cloneStrings(x.CalcBasis), Provisional: x.Provisional, AwaitingCalendar: x.AwaitingCalendar, Warnings: dateTexts(x.Warnings),
		Override: overrideToDoc(x.Override), Status: string(x.Status), DoneOn: dateText(x.DoneOn), Internal: x.Internal,
		Right: string(x.Right), RightAction: x.RightAction}
}

func (x *dueDoc) item(d *decoder) enforcement.DueItem {
	return enforcement.DueItem{ID: x.ID, Rule: x.Rule, Title: x.Title, RuleVersion: x.RuleVersion, Owner: x.Owner,
		Severity: enforcement.Severity(x.Severity), Basis: x.Basis, Trigger: d.date("due.trigger", x.Trigger), TriggerRef: x.TriggerRef,
		Computed: d.date("due.computed", x.Computed), Deadline: d.time("due.deadline", x.Deadline),
		Steps:     stepsOf(d, "due.steps.date", x.Steps),
		CalcBasis: cloneStrings(x.CalcBasis), Provisional: x.Provisional, AwaitingCalendar: x.AwaitingCalendar, Warnings: d.dates("due.warnings", x.Warnings),
		Override: x.Override.override(d), Status: enforcement.DueStatus(x.Status), DoneOn: d.date("due.done_on", x.DoneOn), Internal: x.Internal,
		Right: enforcement.RightKind(x.Right), RightAction: x.RightAction}
}

func headToDoc(x enforcement.DueItem) headDoc {
	return headDoc{V: docVersion, ID: x.ID, Rule: x.Rule, Title: x.Title, Owner: x.Owner, Severity: string(x.Severity),
		Computed: dateText(x.Computed), Provisional: x.Provisional, AwaitingCalendar: x.AwaitingCalendar, Override: overrideToDoc(x.Override),
		Status: string(x.Status), DoneOn: dateText(x.DoneOn), Internal: x.Internal, Right: string(x.Right)}
}

func (h *headDoc) item(d *decoder) enforcement.DueItem {
	return enforcement.DueItem{ID: h.ID, Rule: h.Rule, Title: h.Title, Owner: h.Owner, Severity: enforcement.Severity(h.Severity),
		Computed: d.date("computed", h.Computed), Provisional: h.Provisional, AwaitingCalendar: h.AwaitingCalendar, Override: h.Override.override(d),
		Status: enforcement.DueStatus(h.Status), DoneOn: d.date("done_on", h.DoneOn), Internal: h.Internal, Right: enforcement.RightKind(h.Right)}
}

func requestToDoc(r enforcement.Request) requestDoc {
	return requestDoc{ID: r.ID, PartyID: r.PartyID, Channel: r.Channel, Text: r.Text, ReceivedAt: timeText(r.ReceivedAt),
		RecordBy: dateText(r.RecordBy), ResolveBy: dateText(r.ResolveBy), Provisional: r.Provisional, Answer: r.Answer, AnsweredBy: r.AnsweredBy, AnsweredAt: timeText(r.AnsweredAt)}
}

func (r *requestDoc) request(d *decoder) enforcement.Request {
	return enforcement.Request{ID: r.ID, PartyID: r.PartyID, Channel: r.Channel, Text: r.Text, ReceivedAt: d.time("requests.received_at", r.ReceivedAt),
		RecordBy: d.date("requests.record_by", r.RecordBy), ResolveBy: d.date("requests.resolve_by", r.ResolveBy), Provisional: r.Provisional, Answer: r.Answer,
		AnsweredBy: r.AnsweredBy, AnsweredAt: d.time("requests.answered_at", r.AnsweredAt)}
}

func orderToDoc(o enforcement.SupervisionOrder) orderDoc {
	return orderDoc{ID: o.ID, IssuedBy: o.IssuedBy, IssuedAt: timeText(o.IssuedAt), Text: o.Text, Due: dateText(o.Due), Response: o.Response,
		RespondedBy: o.RespondedBy, RespondedAt: timeText(o.RespondedAt)}
}

func (o *orderDoc) order(d *decoder) enforcement.SupervisionOrder {
	return enforcement.SupervisionOrder{ID: o.ID, IssuedBy: o.IssuedBy, IssuedAt: d.time("orders.issued_at", o.IssuedAt), Text: o.Text,
		Due: d.date("orders.due", o.Due), Response: o.Response, RespondedBy: o.RespondedBy, RespondedAt: d.time("orders.responded_at", o.RespondedAt)}
}

// encodeDue returns due item x as stored in due_items.doc.
func encodeDue(x enforcement.DueItem) ([]byte, error) {
	doc := dueToDoc(x)
	doc.V = docVersion
	return json.Marshal(doc)
}

// briefDoc is what a judge's reminders read of a due item, in
// due_items.brief (migration 0018): its dueDoc without the explanation
// (Steps and CalcBasis), which is most of a document's bytes. It decodes
// as a briefDueDoc.
type briefDoc struct {
	dueDoc
	Steps     []stepDoc `json:"steps,omitempty"`
	CalcBasis []string  `json:"calc_basis,omitempty"`
}

// encodeBrief returns what due_items.brief holds of due item x.
func encodeBrief(x enforcement.DueItem) ([]byte, error) {
	doc := briefDoc{dueDoc: dueToDoc(x)}
	doc.V = docVersion
	return json.Marshal(doc)
}

// decodeDue returns the due item stored as b in due_items.doc.
func decodeDue(b []byte) (enforcement.DueItem, error) {
	var doc dueDoc
	if err := decodeDoc(b, &doc, nil); err != nil {
		return enforcement.DueItem{}, err
	}
	var d decoder
	x := doc.item(&d)
	return x, d.err
}

// skipJSON is a document field read past without decoding it.
type skipJSON struct{}

// UnmarshalJSONFrom implements jsonv2.UnmarshalerFrom: the value is
// skipped by the tokenizer, never decoded.
func (skipJSON) UnmarshalJSONFrom(d *jsontext.Decoder) error { return d.SkipValue() }

// UnmarshalJSON implements json.Unmarshaler.
func (skipJSON) UnmarshalJSON([]byte) error { return nil }

// briefDueDoc is a dueDoc read without its explanation: the shallower
// fields hide the embedded ones.
type briefDueDoc struct {
	dueDoc
	Steps     skipJSON `json:"steps"`
	CalcBasis skipJSON `json:"calc_basis"`
}

// listed decodes b, a document read for a listing (a due item, its
// head, a case's requests and orders), into dst with the JSON v2 decoder,
// about twice as fast as encoding/json on these documents and with a
// sixth of its garbage. It takes only what this package writes: members
// named exactly as dst's fields, each once, in valid UTF-8. Anything else
// (a name in another case, an unknown or repeated member, invalid UTF-8)
// it refuses, and the callers then decode with encoding/json, whose
// readings of those differ from v2's (with names matched ignoring case, a
// member named "At" beside "at" could win in v2 and lose in
// encoding/json). So what a document decodes to does not depend on the
// decoder (FuzzDecodeBriefDue, FuzzDecodeHead, FuzzDecodeSup).
func listed(b []byte, dst any) error {
	return jsonv2.Unmarshal(b, dst, listedOptions)
}

// listedOptions are the options of listed.
var listedOptions = jsonv2.RejectUnknownMembers(true)

// decodeBriefDue returns the due item stored as b, in due_items.brief or
// (rows written before it) due_items.doc, without its Steps and CalcBasis
// (enforcement.DueFilter.Brief), which a doc's are skipped unread.
func decodeBriefDue(b []byte) (enforcement.DueItem, error) {
	if v, err := versionOf(b); err != nil || v != docVersion {
		// Legacy or newer: the full path upgrades or refuses it.
		x, err := decodeDue(b)
		x.Steps, x.CalcBasis = nil, nil
		return x, err
	}
	var doc briefDueDoc
	if listed(b, &doc) != nil {
		doc = briefDueDoc{}
		if err := json.Unmarshal(b, &doc); err != nil {
			return enforcement.DueItem{}, err
		}
	}
	return doc.item()
}

// item returns the due item of doc, without its explanation.
func (doc briefDueDoc) item() (enforcement.DueItem, error) {
	var d decoder
	x := doc.dueDoc.item(&d)
	x.Steps, x.CalcBasis = nil, nil
	return x, d.err
}

// encodeHead returns what due_items.head holds of due item x.
func encodeHead(x enforcement.DueItem) ([]byte, error) { return json.Marshal(headToDoc(x)) }

// decodeHead returns the due item with the fields of a head, read from
// due_items.head or, for rows written before that column, from
// due_items.doc. It runs once per due item of a supervision report, so the
// current format is decoded without probing for the version first.
func decodeHead(b []byte) (enforcement.DueItem, error) {
	var doc headDoc
	if err := listed(b, &doc); err != nil || doc.V != docVersion {
		doc = headDoc{}
		if err := decodeDoc(b, &doc, nil); err != nil {
			return enforcement.DueItem{}, err
		}
	}
	var d decoder
	x := doc.item(&d)
	return x, d.err
}

// encodeSup returns what cases.sup_doc holds of c, "" when c has neither
// requests nor orders.
func encodeSup(c *enforcement.Case) (string, error) {
	if len(c.Requests) == 0 && len(c.Orders) == 0 {
		return "", nil
	}
	b, err := json.Marshal(supDoc{V: docVersion, Requests: mapSlice(c.Requests, requestToDoc), Orders: mapSlice(c.Orders, orderToDoc)})
	return string(b), err
}

// decodeSup returns the requests and orders stored as b in cases.sup_doc.
// The chief's report reads it for every case with a request or an order,
// so the current format is decoded as listed items are.
func decodeSup(b []byte) ([]enforcement.Request, []enforcement.SupervisionOrder, error) {
	var doc supDoc
	if v, err := versionOf(b); err != nil || v != docVersion || listed(b, &doc) != nil {
		doc = supDoc{}
		if err := decodeDoc(b, &doc, nil); err != nil {
			return nil, nil, err
		}
	}
	return doc.items()
}

// items returns the requests and orders of doc.
func (doc supDoc) items() ([]enforcement.Request, []enforcement.SupervisionOrder, error) {
	var d decoder
	rs := mapSlice(doc.Requests, func(x requestDoc) enforcement.Request { return x.request(&d) })
	os := mapSlice(doc.Orders, func(x orderDoc) enforcement.SupervisionOrder { return x.order(&d) })
	if d.err != nil {
		return nil, nil, d.err
	}
	return rs, os, nil
}
