package notify

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Template keys: one per message the library drafts. A template set must hold
// exactly these keys.
const (
	KeyFilingApplicant  = "filing.applicant"  // 立案告知 to the applicant
	KeyFilingRespondent = "filing.respondent" // 立案告知 to the respondent
	KeyMeasureNotice    = "measure.notice"    // 措施告知: a measure and its result
	KeyMeasureMoney     = "measure.money"     // 措施告知 for a measure on money (冻结, 扣划)
	KeyMeasurePrompt    = "measure.prompt"    // tells the judge a measure notice waits for confirmation
	KeyOpinionSolicit   = "opinion.solicit"   // 终本前征询申请执行人意见
	KeyReplyAck         = "reply.ack"         // acknowledges a party's reply
	KeyDeadlineReminder = "deadline.reminder" // 节点期限提醒 to the judge
	KeyItineraryJudge   = "itinerary.judge"   // 集约出行 suggestion to a judge
	KeyItineraryLeader  = "itinerary.leader"  // 集约出行 suggestion to the judges' leader
	KeySupervision      = "supervision.order" // 督办 to the judge
	KeyRequestAnswer    = "request.answer"    // answer to a party's request
	KeyClosureCheck     = "closure.check"     // 终本后定期查询结果 to the applicant
	KeyClosureOutcome   = "closure.outcome"   // 结案告知 to the parties
	KeyOptOutConfirm    = "optout.confirm"    // 退订确认: confirms an opt-out reply

	KeyOpinionJudge        = "opinion.judge"         // tells the judge the applicant answered a solicitation
	KeyRequestReceived     = "request.received"      // tells the judge a party's request (诉求) came in
	KeySupervisionAnswered = "supervision.answered"  // tells the issuer a 督办 order was answered
	KeyCaseSuspended       = "case.suspended"        // 中止执行 (or 暂缓, 和解) to the parties
	KeyCaseResumed         = "case.resumed"          // 恢复执行 to the parties
	KeyNodeExecutionNotice = "node.execution_notice" // 执行通知书 issued, to the parties
	KeyNodePropertyReport  = "node.property_report"  // 报告财产令 issued, to the parties
	KeyNodeAuction         = "node.auction"          // 拍卖公告 published, to the parties
	KeyNodeDisbursed       = "node.disbursed"        // 执行款发放, to the parties
	KeyDigest              = "digest.judge"          // 每日待办汇总: a judge's daily digest
	KeyDigestMoves         = "digest.moves"          // the daily digest with the due dates a calendar change moved (期限变动)
	KeyQueryCodeReset      = "query_code.reset"      // a party's new 查询码 after the judge reset it
	KeyPartyOTP            = "party.otp"             // the one-time code a party asked for to act on the web
	KeyRecordWithdrawn     = "record.withdrawn"      // 更正: a record a party was told of was withdrawn as recorded by mistake
)

// Variable names, used as placeholders ({case_no}) in template texts and as
// keys of [Vars]. Each has a kind and a maximum length, see [VarSpecs].
//
// Staff names are bare: {judge} and {judges} hold names (李明; 王五、赵六)
// and the template writes the title after them ({judge}法官：), so a value
// with the title would read 李明法官法官. Where a template follows {judge}
// or {judges} with 法官, Render drops a 法官 the value already ends with (and
// one before each 、 of a list). {leader} is addressed as given, title
// included (王庭长).
const (
	VarPartyName  = "party_name" // the addressee's name (a party; masked by policy)
	VarApplicant  = "applicant"  // 申请执行人 name (masked by policy)
	VarRespondent = "respondent" // 被执行人 name (masked by policy)
	VarCaseNo     = "case_no"    // 案号, e.g. （2024）沪01执123号
	VarJudge      = "judge"      // the handling judge's bare name (李明, not 李明法官), never masked; the text adds 法官
	VarPhone      = "phone"      // how to reach the judge or clerk
	VarNodes      = "nodes"      // key nodes and time limits, a short list
	VarQueryCode  = "query_code" // the party's 查询码 for the web
	VarIDNumber   = "id_number"  // the addressee's ID number (always masked)
	VarSignIn     = "sign_in"    // how a party signs in to follow the case: 身份证号…及查询码…, or 查询码… without an ID number
	VarAddressee  = "addressee"  // whom a notice is for, by role: 申请执行人, 被执行人 (never masked)
	VarMeasure    = "measure"    // the measure: 查封, 冻结, 扣划, 拍卖 …
	VarTarget     = "target"     // what the measure was taken on: 房产, 银行存款 …
	VarResult     = "result"     // its result: 已完成, 未发现财产 …
	VarAmount     = "amount"     // an amount in yuan, formatted (12,345.00)
	VarReplyCode  = "reply_code" // the short code a reply must start with (K7Q2)
	VarDueDate    = "due_date"   // a due date, formatted for reading
	VarNode       = "node"       // a node's name: 财产调查, 终本约谈 …
	VarLevel      = "level"      // a warning level: 黄色预警, 红色预警, 已超期
	VarDate       = "date"       // a date, formatted for reading
	VarPlace      = "place"      // where a field trip goes
	VarJudges     = "judges"     // the other judges of a coinciding trip, bare names (王五、赵六); the text adds 法官
	VarLeader     = "leader"     // the leader addressed (庭长, 局长)
	VarSupervisor = "supervisor" // who issued a 督办
	VarReplyBy    = "reply_by"   // when a 督办 must be answered
	VarRequest    = "request"    // a party's request, summarised
	VarAnswer     = "answer"     // the court's answer to it
	VarChoice     = "choice"     // the choice a party replied with: 同意, 不同意
	VarOutcome    = "outcome"    // the closing mode: 执行完毕, 终结本次执行程序 …
	VarNextStep   = "next_step"  // what a party may do after closure, e.g. 申请恢复执行 after 终本
	VarCounts     = "counts"     // a digest's counts by warning level: 已超期2件，临期3件
	VarItems      = "items"      // a digest's most urgent items
	VarMoves      = "moves"      // a digest's due dates moved by a calendar change
	VarOTP        = "otp"        // a one-time code (6 digits), never logged

	// Config variables come from [Config], not from [Vars]; they are
	// inlined when templates are loaded.
	VarContact   = "contact"    // Config.Contact
	VarQuerySite = "query_site" // Config.QuerySite
)

// VarKind says how a variable's value is treated when rendered. The zero
// VarKind is unset.
type VarKind uint8

// Variable kinds.
const (
	KindText      VarKind = iota + 1 // shown as given
	KindPartyName                    // a party's name, masked as MaskPolicy says
	KindIDNumber                     // an ID number, always masked
	KindAmount                       // an amount, masked as MaskPolicy says
	KindConfig                       // taken from Config when loading
)

// VarSpec describes a template variable.
type VarSpec struct {
	Name string
	Kind VarKind
	// Max is the longest value allowed, in UTF-16 code units (the unit of
	// UCS-2 SMS). Loading uses it to bound every template's length.
	Max int
	// Truncate says a longer value is cut to Max, ending in "…"; otherwise
	// a longer value is an error when rendering. Identifiers (case number,
	// codes, dates) are never truncated.
	Truncate bool
}

var varSpecs = [...]VarSpec{
	{VarPartyName, KindPartyName, 30, true},
	{VarApplicant, KindPartyName, 30, true},
	{VarRespondent, KindPartyName, 30, true},
	{VarCaseNo, KindText, 24, false},
	{VarJudge, KindText, 8, false},
	{VarPhone, KindText, 20, false},
	{VarNodes, KindText, 90, true},
	{VarQueryCode, KindText, 12, false},
	{VarIDNumber, KindIDNumber, 18, false},
	{VarSignIn, KindText, 36, false},
	{VarAddressee, KindText, 12, false},
	{VarMeasure, KindText, 10, false},
	{VarTarget, KindText, 30, true},
	{VarResult, KindText, 20, true},
	{VarAmount, KindAmount, 18, false},
	{VarReplyCode, KindText, 6, false},
	{VarDueDate, KindText, 15, false}, // 2027年12月22日（暂定）
	{VarNode, KindText, 16, true},
	{VarLevel, KindText, 6, false},
	{VarDate, KindText, 11, false},
	{VarPlace, KindText, 20, true},
	{VarJudges, KindText, 30, true},
	{VarLeader, KindText, 8, false},
	{VarSupervisor, KindText, 12, false},
	{VarReplyBy, KindText, 11, false},
	{VarRequest, KindText, 30, true},
	{VarAnswer, KindText, 100, true},
	{VarChoice, KindText, 8, false},
	{VarOutcome, KindText, 10, false},
	{VarNextStep, KindText, 30, true},
	{VarCounts, KindText, 40, false},
	{VarItems, KindText, 150, true},
	{VarMoves, KindText, 120, true},
	{VarOTP, KindText, 6, false},
	{VarContact, KindConfig, 0, false},
	{VarQuerySite, KindConfig, 0, false},
}

// VarSpecs returns the specification of every template variable.
func VarSpecs() []VarSpec {
	out := make([]VarSpec, len(varSpecs))
	copy(out, varSpecs[:])
	return out
}

func varIndex(name string) int {
	for i := range varSpecs {
		if varSpecs[i].Name == name {
			return i
		}
	}
	return -1
}

// Audience is who a message is for. The zero Audience is unset.
type Audience uint8

// Audiences.
const (
	AudienceApplicant  Audience = iota + 1 // 申请执行人
	AudienceRespondent                     // 被执行人
	AudienceParty                          // either party
	AudienceJudge                          // the handling judge (承办法官)
	AudienceLeader                         // a judge's leader (庭长, 局长)
)

var audienceText = [...]string{"", "applicant", "respondent", "party", "judge", "leader"}

// String returns the audience's text code, e.g. "applicant".
func (a Audience) String() string {
	if int(a) < len(audienceText) && a != 0 {
		return audienceText[a]
	}
	return fmt.Sprintf("Audience(%d)", uint8(a))
}

// MarshalText returns the audience's text code.
func (a Audience) MarshalText() ([]byte, error) {
	if a == 0 || int(a) >= len(audienceText) {
		return nil, fmt.Errorf("notify: invalid audience %d", uint8(a))
	}
	return []byte(audienceText[a]), nil
}

// UnmarshalText parses an audience's text code.
func (a *Audience) UnmarshalText(b []byte) error {
	for i := 1; i < len(audienceText); i++ {
		if string(b) == audienceText[i] {
			*a = Audience(i)
			return nil
		}
	}
	return fmt.Errorf("notify: unknown audience %q", b)
}

// TemplateSpec is what the library expects of the template for a key: its
// audience, the variables it may use and those it must use.
type TemplateSpec struct {
	Key      string
	Audience Audience
	Vars     []string // variables the text may use; the drafting code supplies them all
	Required []string // variables the text must use
}

// Variables every party notice may use.
var partyVars = []string{VarPartyName, VarCaseNo, VarJudge, VarPhone, VarContact, VarQuerySite}

func with(base []string, more ...string) []string {
	return append(append([]string(nil), base...), more...)
}

var templateSpecs = [...]TemplateSpec{
	{KeyFilingApplicant, AudienceApplicant,
		with(partyVars, VarRespondent, VarNodes, VarQueryCode, VarSignIn),
		[]string{VarCaseNo, VarJudge, VarPhone, VarNodes, VarSignIn}},
	{KeyFilingRespondent, AudienceRespondent,
		with(partyVars, VarApplicant, VarNodes, VarQueryCode, VarSignIn),
		[]string{VarCaseNo, VarJudge, VarPhone, VarNodes, VarSignIn}},
	{KeyMeasureNotice, AudienceParty,
		with(partyVars, VarMeasure, VarTarget, VarResult, VarDate),
		[]string{VarCaseNo, VarMeasure, VarResult}},
	{KeyMeasureMoney, AudienceParty,
		with(partyVars, VarMeasure, VarTarget, VarResult, VarAmount, VarDate),
		[]string{VarCaseNo, VarMeasure, VarAmount, VarResult}},
	{KeyMeasurePrompt, AudienceJudge,
		[]string{VarJudge, VarCaseNo, VarMeasure, VarTarget, VarResult, VarAddressee, VarDate},
		[]string{VarCaseNo, VarMeasure}},
	{KeyOpinionSolicit, AudienceApplicant,
		with(partyVars, VarRespondent, VarReplyCode, VarDueDate),
		[]string{VarCaseNo, VarReplyCode, VarDueDate}},
	{KeyReplyAck, AudienceParty,
		with(partyVars, VarChoice, VarReplyCode),
		[]string{VarCaseNo, VarChoice}},
	{KeyDeadlineReminder, AudienceJudge,
		[]string{VarJudge, VarCaseNo, VarNode, VarDueDate, VarLevel},
		[]string{VarCaseNo, VarNode, VarDueDate, VarLevel}},
	{KeyItineraryJudge, AudienceJudge,
		[]string{VarJudge, VarDate, VarPlace, VarJudges},
		[]string{VarDate, VarPlace, VarJudges}},
	{KeyItineraryLeader, AudienceLeader,
		[]string{VarLeader, VarDate, VarPlace, VarJudges},
		[]string{VarDate, VarPlace, VarJudges}},
	{KeySupervision, AudienceJudge,
		[]string{VarJudge, VarCaseNo, VarNode, VarDueDate, VarLevel, VarSupervisor, VarReplyBy},
		[]string{VarCaseNo, VarSupervisor}},
	{KeyRequestAnswer, AudienceParty,
		with(partyVars, VarRequest, VarAnswer),
		[]string{VarCaseNo, VarAnswer}},
	{KeyClosureCheck, AudienceApplicant,
		with(partyVars, VarRespondent, VarDate, VarResult),
		[]string{VarCaseNo, VarDate, VarResult}},
	{KeyClosureOutcome, AudienceParty,
		with(partyVars, VarDate, VarOutcome, VarNextStep),
		[]string{VarCaseNo, VarOutcome}},
	{KeyOptOutConfirm, AudienceParty,
		[]string{VarContact, VarQuerySite},
		nil},
	{KeyOpinionJudge, AudienceJudge,
		[]string{VarJudge, VarCaseNo, VarAddressee, VarPartyName, VarChoice},
		[]string{VarCaseNo, VarChoice}},
	{KeyRequestReceived, AudienceJudge,
		[]string{VarJudge, VarCaseNo, VarAddressee, VarPartyName, VarRequest, VarDueDate},
		[]string{VarCaseNo, VarRequest}},
	{KeySupervisionAnswered, AudienceLeader,
		[]string{VarLeader, VarCaseNo, VarNode, VarJudge, VarDate, VarAnswer},
		[]string{VarCaseNo, VarJudge}},
	{KeyCaseSuspended, AudienceParty, with(partyVars, VarDate, VarNode), []string{VarCaseNo, VarNode}},
	{KeyCaseResumed, AudienceParty, with(partyVars, VarDate), []string{VarCaseNo}},
	{KeyNodeExecutionNotice, AudienceParty, with(partyVars, VarDate), []string{VarCaseNo}},
	{KeyNodePropertyReport, AudienceParty, with(partyVars, VarDate), []string{VarCaseNo}},
	{KeyNodeAuction, AudienceParty, with(partyVars, VarDate), []string{VarCaseNo}},
	{KeyNodeDisbursed, AudienceParty, with(partyVars, VarDate), []string{VarCaseNo}},
	{KeyDigest, AudienceJudge, []string{VarJudge, VarDate, VarCounts, VarItems}, []string{VarCounts}},
	{KeyDigestMoves, AudienceJudge, []string{VarJudge, VarDate, VarCounts, VarItems, VarMoves}, []string{VarMoves}},
	{KeyQueryCodeReset, AudienceParty,
		with(partyVars, VarQueryCode),
		[]string{VarCaseNo, VarQueryCode}},
	{KeyPartyOTP, AudienceParty,
		[]string{VarCaseNo, VarOTP, VarContact},
		[]string{VarCaseNo, VarOTP}},
	{KeyRecordWithdrawn, AudienceParty, with(partyVars, VarDate, VarNode), []string{VarCaseNo, VarNode}},
}

// TemplateSpecs returns what the library expects of each template key, in a
// fixed order.
func TemplateSpecs() []TemplateSpec {
	out := make([]TemplateSpec, len(templateSpecs))
	for i, s := range templateSpecs {
		s.Vars = append([]string(nil), s.Vars...)
		s.Required = append([]string(nil), s.Required...)
		out[i] = s
	}
	return out
}

// Config is the rendering configuration of a court. The zero Config renders
// without a signature, within DefaultMaxSegments, with the default MaskPolicy;
// a template set that uses {contact} or {query_site} (the default set does)
// needs those fields set.
type Config struct {
	// Signature is the court's SMS signature, brackets included, e.g.
	// "【上海一中院】". It starts every rendered text and counts towards
	// its segments. Leave it empty only when the gateway adds the signature
	// itself; segment counts then exclude it.
	Signature string
	// Contact is the court's contact line, available to templates as
	// {contact}, e.g. "诉讼服务热线12368".
	Contact string
	// QuerySite is where parties look up their case with their query code,
	// available to templates as {query_site}, e.g. "zxgk.court.gov.cn".
	QuerySite string
	// MaxSegments is the most segments any rendering of a template may
	// take, checked at load time against the variables' maximum lengths.
	// Zero means DefaultMaxSegments.
	MaxSegments int
	// Mask is the court's masking policy for personal data.
	Mask MaskPolicy
}

// DefaultMaxSegments is the segment limit when Config.MaxSegments is zero.
const DefaultMaxSegments = 6

// Vars holds the values of a rendering's variables, keyed by the Var…
// constants. A template's variable that is missing, empty or blank is an
// error; variables the template does not use are ignored, so one map can
// serve as Outgoing.Params too.
type Vars map[string]string

// Rendered is a drafted text ready to send.
type Rendered struct {
	Text     string   // the full text, signature first
	Segments int      // SMS segments Text takes
	Encoding Encoding // the encoding Text is sent in
}

// part is a piece of a compiled template: literal text, or a variable.
type part struct {
	lit string
	v   int16 // index into varSpecs, or -1 for literal text
	// untitle: a judge's name ({judge}, {judges}) the text follows with
	// 法官; a 法官 the value ends with is dropped, so that 李法官 renders
	// 李法官, not 李法官法官.
	untitle bool
}

// judgeTitle is the title templates write after a judge's bare name.
const judgeTitle = "法官"

// template is one compiled template.
type template struct {
	spec   *TemplateSpec
	source string
	parts  []part
	worst  int // worst-case length in UTF-16 code units, signature included
}

// maxPlaceholders bounds the placeholders of one template, so rendering can
// keep its values on the stack.
const maxPlaceholders = 32

// Templates is a validated template set bound to a court's Config. It is
// immutable and safe for concurrent use.
type Templates struct {
	cfg   Config
	byKey map[string]*template
}

//go:embed templates/default.json
var defaultSet []byte

// DefaultTemplateSet returns the embedded default Chinese template set, in
// the format LoadTemplates reads, as a starting point for a court's own.
func DefaultTemplateSet() []byte { return bytes.Clone(defaultSet) }

// DefaultTemplates loads the embedded default template set with cfg. It fails
// only when cfg is invalid or makes a template exceed its segment limit.
func DefaultTemplates(cfg Config) (*Templates, error) {
	return LoadTemplates(bytes.NewReader(defaultSet), cfg)
}

// Config returns the configuration the templates were loaded with.
func (t *Templates) Config() Config { return t.cfg }

// Source returns the text of the template for key as loaded, placeholders
// included, and whether the key exists.
func (t *Templates) Source(key string) (string, bool) {
	c, ok := t.byKey[key]
	if !ok {
		return "", false
	}
	return c.source, true
}

// WorstCase returns the longest text, in UTF-16 code units with the signature,
// that the template for key can render to, and the segments it takes at most.
func (t *Templates) WorstCase(key string) (units, segments int, ok bool) {
	c, ok := t.byKey[key]
	if !ok {
		return 0, 0, false
	}
	return c.worst, worstSegments(c.worst), true
}

// Render drafts the message for key from vars. Values are inserted as plain
// text: personal data is masked as Config.Mask says; control characters
// become spaces; 【 and 】 become 〔 and 〕 (carriers read 【…】 as a signature);
// and ASCII braces become full-width, so a value never looks like a
// placeholder. A value longer than its variable's maximum is truncated with
// "…" or, for identifiers, rejected.
//
// The error is a *RenderError matching ErrUnknownKey, or one or more
// *RenderError values (joined) matching ErrMissingVar or ErrValueTooLong; on
// error the Rendered is zero.
func (t *Templates) Render(key string, vars Vars) (Rendered, error) {
	c, ok := t.byKey[key]
	if !ok {
		return Rendered{}, &RenderError{Key: key, Err: ErrUnknownKey}
	}
	var vals [maxPlaceholders]string
	size := len(t.cfg.Signature)
	bad := false
	j := 0
	for _, p := range c.parts {
		if p.v < 0 {
			size += len(p.lit)
			continue
		}
		v := vars[varSpecs[p.v].Name]
		if isBlank(v) || (!varSpecs[p.v].Truncate && utf16Len(v) > varSpecs[p.v].Max) {
			bad = true
			break
		}
		vals[j] = v
		j++
		size += len(v) + 2
	}
	if bad {
		return Rendered{}, t.renderErrors(c, vars)
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(t.cfg.Signature)
	j = 0
	for _, p := range c.parts {
		if p.v < 0 {
			b.WriteString(p.lit)
			continue
		}
		v := vals[j]
		if p.untitle {
			v = strings.TrimSuffix(strings.ReplaceAll(v, judgeTitle+"、", "、"), judgeTitle)
		}
		t.writeValue(&b, &varSpecs[p.v], v)
		j++
	}
	s := b.String()
	n, enc := Segments(s)
	return Rendered{Text: s, Segments: n, Encoding: enc}, nil
}

// renderErrors lists every problem with vars for c.
func (t *Templates) renderErrors(c *template, vars Vars) error {
	var errs []error
	seen := make(map[int16]bool)
	for _, p := range c.parts {
		if p.v < 0 || seen[p.v] {
			continue
		}
		seen[p.v] = true
		spec := &varSpecs[p.v]
		v := vars[spec.Name]
		switch {
		case isBlank(v):
			errs = append(errs, &RenderError{Key: c.spec.Key, Var: spec.Name, Err: ErrMissingVar})
		case !spec.Truncate && utf16Len(v) > spec.Max:
			errs = append(errs, &RenderError{Key: c.spec.Key, Var: spec.Name, Err: ErrValueTooLong, Len: utf16Len(v), Max: spec.Max})
		}
	}
	return errors.Join(errs...)
}

func isBlank(s string) bool {
	for _, r := range s {
		switch r {
		case ' ', '\t', '\n', '\r', '\u3000':
		default:
			return false
		}
	}
	return true
}

// writeValue writes v for the variable spec: masked, sanitised and cut to
// spec.Max code units.
func (t *Templates) writeValue(b *strings.Builder, spec *VarSpec, v string) {
	mk := maskNone
	switch spec.Kind {
	case KindIDNumber:
		mk = maskID
	case KindPartyName:
		if !t.cfg.Mask.ShowNames && !isOrganisation(v) {
			mk = maskName
		}
	case KindAmount:
		if t.cfg.Mask.MaskAmounts {
			mk = maskDigits
		}
	}
	n := 0
	if mk != maskNone {
		n = utf8.RuneCountInString(v)
	}
	limit := spec.Max
	truncated := false
	if utf16Len(v) > limit {
		limit-- // room for "…"
		truncated = true
	}
	units, i := 0, 0
	for _, r := range v {
		u := 1
		if r > 0xFFFF {
			u = 2
		}
		if units+u > limit {
			break
		}
		units += u
		if mk != maskNone {
			r = maskRune(mk, r, i, n)
		}
		i++
		switch {
		case r < 0x20 || (r >= 0x7F && r < 0xA0) || r == '\u2028' || r == '\u2029':
			r = ' '
		case r == '【':
			r = '〔'
		case r == '】':
			r = '〕'
		case r == '{':
			r = '｛'
		case r == '}':
			r = '｝'
		}
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
		} else {
			b.WriteRune(r)
		}
	}
	if truncated {
		b.WriteString("…")
	}
}

// Load-time and render-time conditions. Each error LoadTemplates or Render
// returns matches one of them with errors.Is.
var (
	ErrSyntax        = errors.New("notify: template syntax error")                    // malformed JSON, placeholder or text
	ErrUnknownKey    = errors.New("notify: unknown template key")                     // a key the library does not draft
	ErrDuplicateKey  = errors.New("notify: duplicate template key")                   // a key given twice
	ErrMissingKey    = errors.New("notify: template key missing from set")            // a key without a template
	ErrAudience      = errors.New("notify: template audience does not match its key") // audience other than TemplateSpec.Audience
	ErrUnknownVar    = errors.New("notify: template uses a variable its key does not have")
	ErrRequiredVar   = errors.New("notify: template omits a variable its key requires")
	ErrTooLong       = errors.New("notify: template can exceed the segment limit") // worst case over Config.MaxSegments
	ErrClaimsService = errors.New("notify: template claims legal service (送达)")    // see the package doc
	ErrConfig        = errors.New("notify: invalid rendering config")              // a bad Config field, or a config variable without value
	ErrMissingVar    = errors.New("notify: template variable missing")             // render: a used variable is missing or blank
	ErrValueTooLong  = errors.New("notify: template variable value too long")      // render: an identifier over its maximum
)

// TemplateError is one problem found while loading a template set. It
// matches its condition (ErrSyntax, ErrUnknownVar, ErrTooLong …) with
// errors.Is.
type TemplateError struct {
	Key    string // the template key, empty for problems of the set or the config
	Var    string // the variable concerned, if any
	Err    error  // the condition
	Detail string // what exactly is wrong
}

// Error describes the problem in English.
func (e *TemplateError) Error() string {
	s := "notify: template"
	if e.Key != "" {
		s += " " + e.Key
	}
	if e.Var != "" {
		s += " variable " + e.Var
	}
	return s + ": " + strings.TrimPrefix(e.Err.Error(), "notify: ") + ": " + e.Detail
}

// Unwrap returns the condition.
func (e *TemplateError) Unwrap() error { return e.Err }

// LoadError lists every problem found while loading a template set.
// errors.Is matches it against the condition of any of its problems.
type LoadError struct {
	Problems []*TemplateError
}

// Error lists every problem, one per line.
func (e *LoadError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "notify: load templates: %d problem(s)", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems.
func (e *LoadError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// RenderError is a problem rendering a template: an unknown key, or a
// variable that is missing or too long. It matches ErrUnknownKey,
// ErrMissingVar or ErrValueTooLong with errors.Is.
type RenderError struct {
	Key string
	Var string
	Err error
	Len int // the value's length in UTF-16 code units (ErrValueTooLong)
	Max int // the variable's maximum (ErrValueTooLong)
}

// Error describes the problem in English.
func (e *RenderError) Error() string {
	s := "notify: render " + e.Key
	if e.Var != "" {
		s += " variable " + e.Var
	}
	s += ": " + strings.TrimPrefix(e.Err.Error(), "notify: ")
	if e.Max > 0 {
		s += fmt.Sprintf(" (%d > %d)", e.Len, e.Max)
	}
	return s
}

// Unwrap returns the condition.
func (e *RenderError) Unwrap() error { return e.Err }

// fileTemplate is one template in a template set file.
type fileTemplate struct {
	Key      string `json:"key"`
	Audience string `json:"audience"`
	Text     string `json:"text"`
	Note     string `json:"note,omitempty"` // for the court's maintainers; ignored
}

type fileSet struct {
	Templates []fileTemplate `json:"templates"`
}

// maxSetSize bounds what LoadTemplates reads.
const maxSetSize = 1 << 20

// serviceClaims are phrases that present a message as legal service (送达). An
// SMS informs; it serves nothing (electronic service needs the recipient's
// consent, CPL art. 90), so a text must not say it does.
var serviceClaims = [...]string{"视为送达", "已送达", "依法送达", "现送达", "予以送达", "送达如下", "向您送达", "送达给您", "送达回证", "送达之日"}

// LoadTemplates reads a template set and validates it against cfg.
//
// The set is JSON: {"templates": [{"key": …, "audience": …, "text": …}, …]}
// with exactly one template for each key of [TemplateSpecs]. A text uses
// {name} placeholders for the variables its key has; "{{" and "}}" stand for
// literal braces. Nothing else is interpreted: there are no functions,
// conditionals or loops.
//
// Every problem is reported at once in a *LoadError: malformed JSON or
// placeholders, unknown, duplicate or missing keys, a wrong audience, an
// unknown variable or a required one left out, a config variable with no
// value in cfg, a text that claims legal service, and a text whose longest
// rendering (every variable at its maximum length, signature included)
// could exceed cfg.MaxSegments.
func LoadTemplates(r io.Reader, cfg Config) (*Templates, error) {
	var probs []*TemplateError
	add := func(key, v string, err error, format string, args ...any) {
		probs = append(probs, &TemplateError{Key: key, Var: v, Err: err, Detail: fmt.Sprintf(format, args...)})
	}
	if cfg.MaxSegments == 0 {
		cfg.MaxSegments = DefaultMaxSegments
	}
	checkConfig(cfg, add)

	data, err := io.ReadAll(io.LimitReader(r, maxSetSize+1))
	if err != nil {
		return nil, fmt.Errorf("notify: load templates: %w", err)
	}
	if len(data) > maxSetSize {
		add("", "", ErrSyntax, "template set larger than %d bytes", maxSetSize)
		return nil, &LoadError{Problems: probs}
	}
	var set fileSet
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&set); err != nil {
		add("", "", ErrSyntax, "%v", err)
		return nil, &LoadError{Problems: probs}
	}
	if dec.More() {
		add("", "", ErrSyntax, "data after the template set")
	}
	if set.Templates == nil {
		add("", "", ErrSyntax, "no \"templates\" list")
	}

	t := &Templates{cfg: cfg, byKey: make(map[string]*template, len(templateSpecs))}
	sigUnits := utf16Len(cfg.Signature)
	for _, ft := range set.Templates {
		spec := specOf(ft.Key)
		if spec == nil {
			add(ft.Key, "", ErrUnknownKey, "no such key")
			continue
		}
		if _, dup := t.byKey[ft.Key]; dup {
			add(ft.Key, "", ErrDuplicateKey, "key appears more than once")
			continue
		}
		if ft.Audience != spec.Audience.String() {
			add(ft.Key, "", ErrAudience, "audience %q, want %q", ft.Audience, spec.Audience)
		}
		c := compile(spec, ft.Text, cfg, add)
		if c == nil {
			continue
		}
		c.worst += sigUnits
		if seg := worstSegments(c.worst); seg > cfg.MaxSegments {
			add(ft.Key, "", ErrTooLong, "worst case %d UTF-16 units takes up to %d segments, limit %d", c.worst, seg, cfg.MaxSegments)
		}
		t.byKey[ft.Key] = c
	}
	for i := range templateSpecs {
		if _, ok := t.byKey[templateSpecs[i].Key]; !ok && !hasProblem(probs, templateSpecs[i].Key) {
			add(templateSpecs[i].Key, "", ErrMissingKey, "no template for this key")
		}
	}
	if len(probs) > 0 {
		return nil, &LoadError{Problems: probs}
	}
	return t, nil
}

func hasProblem(probs []*TemplateError, key string) bool {
	for _, p := range probs {
		if p.Key == key {
			return true
		}
	}
	return false
}

func specOf(key string) *TemplateSpec {
	for i := range templateSpecs {
		if templateSpecs[i].Key == key {
			return &templateSpecs[i]
		}
	}
	return nil
}

type addFunc func(key, v string, err error, format string, args ...any)

func checkConfig(cfg Config, add addFunc) {
	if s := cfg.Signature; s != "" {
		inner := strings.TrimSuffix(strings.TrimPrefix(s, "【"), "】")
		if n := utf8.RuneCountInString(inner); !strings.HasPrefix(s, "【") || !strings.HasSuffix(s, "】") || n < 2 || n > 12 ||
			strings.ContainsAny(inner, "【】") || hasControl(inner) || !utf8.ValidString(inner) {
			add("", "", ErrConfig, "signature %q must be 【 2 to 12 characters 】", s)
		}
	}
	for _, f := range [...]struct{ name, v string }{{"Contact", cfg.Contact}, {"QuerySite", cfg.QuerySite}} {
		if strings.ContainsAny(f.v, "【】{}") || hasControl(f.v) || !utf8.ValidString(f.v) {
			add("", "", ErrConfig, "%s %q must be valid text without control characters, 【】 or braces", f.name, f.v)
		}
	}
	if cfg.MaxSegments < 0 {
		add("", "", ErrConfig, "MaxSegments %d is negative", cfg.MaxSegments)
	}
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || (r >= 0x7F && r < 0xA0) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}

// compile parses text for spec, reporting problems through add. It returns nil
// if the text cannot be used.
func compile(spec *TemplateSpec, text string, cfg Config, add addFunc) *template {
	key := spec.Key
	ok := true
	fail := func(v string, err error, format string, args ...any) {
		add(key, v, err, format, args...)
		ok = false
	}
	if strings.TrimSpace(text) == "" {
		fail("", ErrSyntax, "empty text")
		return nil
	}
	if !utf8.ValidString(text) {
		fail("", ErrSyntax, "text is not valid UTF-8")
		return nil
	}
	c := &template{spec: spec, source: text}
	var lit strings.Builder
	used := make(map[string]bool)
	placeholders := 0
	flush := func() {
		if lit.Len() > 0 {
			s := lit.String()
			c.parts = append(c.parts, part{lit: s, v: -1})
			c.worst += utf16Len(s)
			lit.Reset()
		}
	}
	for i := 0; i < len(text); {
		ch := text[i]
		switch {
		case ch == '{' && strings.HasPrefix(text[i:], "{{"):
			lit.WriteByte('{')
			i += 2
		case ch == '}' && strings.HasPrefix(text[i:], "}}"):
			lit.WriteByte('}')
			i += 2
		case ch == '}':
			fail("", ErrSyntax, "unmatched } at byte %d (write }} for a literal brace)", i)
			i++
		case ch == '{':
			end := strings.IndexByte(text[i:], '}')
			if end < 0 {
				fail("", ErrSyntax, "unclosed { at byte %d (write {{ for a literal brace)", i)
				i = len(text)
				continue
			}
			name := text[i+1 : i+end]
			i += end + 1
			if !isName(name) {
				fail("", ErrSyntax, "bad placeholder {%s}: names are lower-case letters, digits and _", name)
				continue
			}
			vi := varIndex(name)
			if vi < 0 || !contains(spec.Vars, name) {
				fail(name, ErrUnknownVar, "{%s} is not a variable of %s (it has %s)", name, key, strings.Join(spec.Vars, ", "))
				continue
			}
			used[name] = true
			vs := &varSpecs[vi]
			if vs.Kind == KindConfig {
				val := configValue(cfg, name)
				if val == "" {
					fail(name, ErrConfig, "{%s} is used but the config gives it no value", name)
				}
				lit.WriteString(val)
				continue
			}
			placeholders++
			flush()
			c.parts = append(c.parts, part{v: int16(vi)})
			c.worst += vs.Max
		default:
			lit.WriteByte(ch)
			i++
		}
	}
	flush()
	for i := range c.parts {
		if v := c.parts[i].v; v >= 0 && (varSpecs[v].Name == VarJudge || varSpecs[v].Name == VarJudges) &&
			i+1 < len(c.parts) && c.parts[i+1].v < 0 && strings.HasPrefix(c.parts[i+1].lit, judgeTitle) {
			c.parts[i].untitle = true
		}
	}
	if placeholders > maxPlaceholders {
		fail("", ErrSyntax, "%d placeholders, at most %d", placeholders, maxPlaceholders)
	}
	for _, r := range spec.Required {
		if !used[r] {
			fail(r, ErrRequiredVar, "the text must use {%s}", r)
		}
	}
	for _, p := range c.parts {
		if p.v >= 0 {
			continue
		}
		if strings.ContainsAny(p.lit, "【】") {
			fail("", ErrSyntax, "【 and 】 are reserved for the signature")
		}
		for _, claim := range serviceClaims {
			if strings.Contains(p.lit, claim) {
				fail("", ErrClaimsService, "text contains %q; an SMS informs and is never legal service", claim)
			}
		}
	}
	if !ok {
		return nil
	}
	return c
}

func configValue(cfg Config, name string) string {
	switch name {
	case VarContact:
		return cfg.Contact
	case VarQuerySite:
		return cfg.QuerySite
	}
	return ""
}

func isName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
