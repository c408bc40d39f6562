// Package api holds the example server's JSON API: one handler per
// endpoint, each decoding its input, calling the desk and encoding the
// answer; errors become statuses in package respond.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/auth"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
	"github.com/courtkit/zhixing/notify"
	"github.com/courtkit/zhixing/planning"
)

// API holds the JSON handlers. They decode, call the desk and encode; the
// rules live in the desk so that pages can share them.
type API struct {
	desk *desk.Desk
	auth *auth.Auth
	log  *slog.Logger
}

// New returns the JSON API over d, signing in through a.
func New(d *desk.Desk, a *auth.Auth, log *slog.Logger) *API {
	return &API{desk: d, auth: a, log: log}
}

// handlerFunc is a handler that returns its error for respond.Error.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p *desk.Principal) error

// wrap serves the endpoint of pattern with fn; a high court's supervisor's
// write that is not one of supervisorWrites is refused first.
func (h *API) wrap(pattern string, fn handlerFunc) http.HandlerFunc {
	read := strings.HasPrefix(pattern, "GET ")
	allowed := supervisorWrites[pattern]
	return func(w http.ResponseWriter, r *http.Request) {
		p := auth.PrincipalOf(r.Context())
		if err := desk.CheckWrite(p, read, allowed); err != nil {
			respond.Error(w, r, h.log, err)
			return
		}
		if err := fn(w, r, p); err != nil {
			respond.Error(w, r, h.log, err)
		}
	}
}

// route is one API endpoint.
type route struct {
	pattern string
	fn      handlerFunc
}

// table lists every API endpoint; openapi.json documents each (a test
// checks).
func (h *API) table() []route {
	return []route{
		{"POST /api/v1/auth/login", h.login},
		{"POST /api/v1/auth/party-login", h.partyLogin},
		{"POST /api/v1/auth/party-otp", h.requestOTP()},
		{"POST /api/v1/auth/party-otp/verify", h.verifyOTP()},
		{"POST /api/v1/auth/logout", h.logout},
		{"GET /api/v1/me", h.me()},
		{"GET /api/v1/users", h.listUsers()},
		{"POST /api/v1/users", h.createUser()},
		{"GET /api/v1/cases", h.listCases()},
		{"POST /api/v1/cases", h.createCase()},
		{"POST /api/v1/cases/preview", h.previewCase()},
		{"POST /api/v1/cases/{id}/nodes/preview", h.previewNode()},
		{"POST /api/v1/cases/{id}/measures/preview", h.previewMeasure()},
		{"POST /api/v1/cases/{id}/nodes/{nid}/correct", h.correctNode()},
		{"POST /api/v1/cases/{id}/nodes/{nid}/withdraw", h.withdraw("nid")},
		{"POST /api/v1/cases/{id}/measures/{mid}/withdraw", h.withdraw("mid")},
		{"GET /api/v1/cases/{id}", h.getCase()},
		{"GET /api/v1/cases/{id}/parties", h.parties()},
		{"PATCH /api/v1/cases/{id}/parties/{pid}", h.updateParty()},
		{"POST /api/v1/cases/{id}/parties/{pid}/query-code/reset", h.resetQueryCode()},
		{"POST /api/v1/cases/{id}/nodes", h.recordNode()},
		{"POST /api/v1/cases/{id}/measures", h.recordMeasure()},
		{"POST /api/v1/cases/{id}/measures/{mid}/result", h.measureResult()},
		{"GET /api/v1/cases/{id}/due", h.due()},
		{"POST /api/v1/cases/{id}/due/{did}/override", h.override()},
		{"POST /api/v1/cases/{id}/due/{did}/complete", h.complete()},
		{"POST /api/v1/cases/{id}/due/{did}/override/approve", h.decideOverride(true)},
		{"POST /api/v1/cases/{id}/due/{did}/override/reject", h.decideOverride(false)},
		{"GET /api/v1/overrides", h.overrides()},
		{"GET /api/v1/audit", h.audit()},
		{"GET /api/v1/audit.csv", h.auditCSV},
		{"GET /api/v1/cases/{id}/closure", h.closure()},
		{"POST /api/v1/cases/{id}/close", h.closeCase()},
		{"POST /api/v1/cases/{id}/solicitations", h.solicit()},
		{"POST /api/v1/cases/{id}/solicitations/{sid}/opinion", h.opinion()},
		{"POST /api/v1/cases/{id}/requests", h.request()},
		{"POST /api/v1/cases/{id}/requests/{rid}/answer", h.answerRequest()},
		{"POST /api/v1/cases/{id}/supervision", h.supervise()},
		{"POST /api/v1/cases/{id}/supervision/{oid}/answer", h.answerSupervision()},
		{"GET /api/v1/cases/{id}/messages", h.caseMessages()},
		{"GET /api/v1/supervision", h.supervision()},
		{"GET /api/v1/supervision/orders", h.orders()},
		{"GET /api/v1/division", h.division()},
		{"GET /api/v1/overview", h.overview()},
		{"GET /api/v1/courts/{code}/supervision", h.courtSupervision()},
		{"GET /api/v1/exports/{kind}", h.export},
		{"GET /api/v1/reminders", h.agenda()},
		{"GET /api/v1/due", h.dueIndex()},
		{"GET /api/v1/plans", h.listPlans()},
		{"GET /api/v1/plans/{judge}/{week}", h.getPlan()},
		{"POST /api/v1/plans/{judge}/{week}/items", h.addPlanItem()},
		{"POST /api/v1/plans/{judge}/{week}/items/{item}/move", h.movePlanItem()},
		{"POST /api/v1/plans/{judge}/{week}/items/{item}/done", h.donePlanItem()},
		{"POST /api/v1/plans/{judge}/{week}/items/{item}/remove", h.removePlanItem()},
		{"POST /api/v1/plans/{judge}/{week}/submit", h.submitPlan()},
		{"GET /api/v1/messages", h.messages()},
		{"POST /api/v1/messages/{id}/confirm", h.confirmMessage()},
		{"POST /api/v1/messages/{id}/edit", h.editMessage()},
		{"POST /api/v1/messages/{id}/cancel", h.cancelMessage()},
		{"GET /api/v1/replies", h.replies()},
		{"GET /api/v1/trips", h.trips()},
		{"POST /api/v1/trips", h.addTrip()},
		{"GET /api/v1/coordination", h.coordination()},
		{"POST /api/v1/coordination/notify", h.notifyCoordination()},
		{"GET /api/v1/judges/{id}/calendar.ics", h.feed},
		{"GET /api/v1/judges/{id}/due-moves", h.dueMoves()},
		{"GET /api/v1/me/feed", h.feedStatus()},
		{"POST /api/v1/me/feed/rotate", h.rotateFeed()},
		{"POST /api/v1/me/feed/revoke", h.revokeFeed()},
		{"GET /api/v1/calendar/days/{date}", h.day()},
		{"POST /api/v1/calendar/schedule", h.schedule},
		{"POST /api/v1/calendar/closures", h.closureDay()},
		{"GET /api/v1/calendar/closures", h.listClosures()},
		{"DELETE /api/v1/calendar/closures/{date}", h.removeClosure()},
		{"POST /api/v1/calendar/notice/preview", h.previewNotice()},
		{"POST /api/v1/calendar/notice", h.loadNotice()},
	}
}

// Patterns lists the pattern of every endpoint ("GET /api/v1/cases"), each
// documented in the OpenAPI document.
func Patterns() []string {
	var out []string
	for _, r := range (&API{}).table() {
		out = append(out, r.pattern)
	}
	return out
}

// Register adds every endpoint to mux.
func (h *API) Register(mux *http.ServeMux) {
	for _, r := range h.table() {
		mux.HandleFunc(r.pattern, h.wrap(r.pattern, r.fn))
	}
}

// MaxBody is the largest request body accepted.
const MaxBody = 1 << 20

// decode reads the JSON body into v: one object, no unknown fields, at most
// MaxBody bytes. Problems are field-level input errors.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return respond.ErrTooLarge
		}
		return desk.BadField("", "unreadable", "无法读取请求内容，请重新提交")
	}
	return decodeBytes(body, v)
}

func decodeBytes(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(body, reflect.TypeOf(v), err)
	}
	if dec.More() {
		return desk.BadField("", "syntax", "请求内容须为单个 JSON 对象")
	}
	return nil
}

// ----- auth -----

// jsonOnly refuses a sign-in not sent as JSON: another site's form can post
// text/plain that parses as JSON, but cannot send application/json without
// the browser asking first, so this keeps sign-ins from being forged.
func jsonOnly(r *http.Request) error {
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	if !strings.EqualFold(strings.TrimSpace(ct), "application/json") {
		return desk.BadField("", "content_type", "请以 application/json 格式提交")
	}
	return nil
}

func (h *API) login(w http.ResponseWriter, r *http.Request, _ *desk.Principal) error {
	var in struct {
		UserID   string `json:"user_id"`
		Password string `json:"password"`
	}
	if err := jsonOnly(r); err != nil {
		return err
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	s, err := h.auth.LoginUser(r.Context(), in.UserID, in.Password, auth.RemoteAddr(r))
	if err != nil {
		return err
	}
	h.auth.SetCookie(w, r, s)
	respond.JSON(w, http.StatusOK, s)
	return nil
}

func (h *API) partyLogin(w http.ResponseWriter, r *http.Request, _ *desk.Principal) error {
	var in struct {
		CaseNumber string `json:"case_number"`
		QueryCode  string `json:"query_code"`
		// Mobile is accepted and ignored: the query code alone says
		// which party signs in.
		Mobile string `json:"mobile"`
	}
	if err := jsonOnly(r); err != nil {
		return err
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	var ie desk.InputError
	if strings.TrimSpace(in.CaseNumber) == "" {
		ie.Add("case_number", "required", "请填写案号")
	}
	if strings.TrimSpace(in.QueryCode) == "" {
		ie.Add("query_code", "required", "请填写查询码")
	}
	if err := ie.Err(); err != nil {
		return err
	}
	s, err := h.auth.LoginParty(r.Context(), in.CaseNumber, in.QueryCode, auth.RemoteAddr(r))
	if err != nil {
		return err
	}
	h.auth.SetCookie(w, r, s)
	respond.JSON(w, http.StatusOK, s)
	return nil
}

func (h *API) logout(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if tok, _ := auth.TokenOf(r); tok != "" {
		if err := h.auth.Logout(r.Context(), tok); err != nil {
			return err
		}
	}
	auth.ClearCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *API) me() handlerFunc {
	type out struct {
		Principal *desk.Principal `json:"principal"`
		CSRFToken string          `json:"csrf_token"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		if p == nil {
			return out{}, desk.ErrUnauthenticated
		}
		return out{p, auth.CSRF(r.Context())}, nil
	})
}

func (h *API) listUsers() handlerFunc {
	type out struct {
		Users []desk.User `json:"users"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		if err := desk.Need(p, desk.RoleChief, desk.RoleJudge); err != nil {
			return out{}, err
		}
		us, err := h.desk.ListUsers(r.Context(), h.desk.CourtFor(p))
		return out{nonNil(us)}, err
	})
}

func (h *API) createUser() handlerFunc {
	type input struct {
		ID       string    `json:"id"`
		Role     desk.Role `json:"role"`
		Name     string    `json:"name"`
		Mobile   string    `json:"mobile"`
		Password string    `json:"password"`
	}
	return handle(http.StatusCreated, func(r *http.Request, p *desk.Principal, in input) (desk.User, error) {
		if err := desk.Need(p, desk.RoleChief); err != nil {
			return desk.User{}, err
		}
		u := desk.User{ID: in.ID, Court: h.desk.CourtFor(p), Role: in.Role, Name: in.Name, Mobile: in.Mobile}
		if err := h.desk.CreateUser(r.Context(), u, in.Password); err != nil {
			return desk.User{}, err
		}
		u, _, err := h.desk.GetUser(r.Context(), in.ID)
		return u, err
	})
}

// ----- cases -----

type partyIn struct {
	ID       string                `json:"id"`
	Role     enforcement.Role      `json:"role"`
	Kind     enforcement.PartyKind `json:"kind"`
	Name     string                `json:"name"`
	IDNumber string                `json:"id_number"`
	Mobile   string                `json:"mobile"`
	OptOut   bool                  `json:"opt_out"`
}

// sourceIn is the enforcement basis (执行依据) of a filing.
type sourceIn struct {
	Title          string          `json:"title"`
	Number         string          `json:"number"`
	Issuer         string          `json:"issuer"`
	EffectiveOn    deadline.Date   `json:"effective_on"`
	PerformanceDue deadline.Date   `json:"performance_due"`
	Instalments    []deadline.Date `json:"instalments"`
}

type caseIn struct {
	Number        string          `json:"number"`
	Cause         string          `json:"cause"`
	NonLitigation bool            `json:"non_litigation"`
	AmountApplied decimal.Decimal `json:"amount_applied"`
	ReceivedOn    deadline.Date   `json:"received_on"`
	FiledOn       deadline.Date   `json:"filed_on"`
	JudgeID       string          `json:"judge_id"`
	Key           bool            `json:"key"`
	Source        sourceIn        `json:"source"`
	Parties       []partyIn       `json:"parties"`
}

// toCase checks the parts the domain cannot (the case number text, mobile
// numbers) and builds the case; the domain validates the rest.
func (in caseIn) toCase() (*enforcement.Case, error) {
	var ie desk.InputError
	c := &enforcement.Case{Cause: in.Cause, NonLitigation: in.NonLitigation, AmountApplied: in.AmountApplied,
		ReceivedOn: in.ReceivedOn, FiledOn: in.FiledOn, JudgeID: in.JudgeID, Key: in.Key,
		Source: enforcement.SourceDocument{Title: in.Source.Title, Number: in.Source.Number, Issuer: in.Source.Issuer,
			EffectiveOn: in.Source.EffectiveOn, PerformanceDue: in.Source.PerformanceDue, Instalments: in.Source.Instalments}}
	if strings.TrimSpace(in.Number) == "" {
		ie.Add("number", "required", "请填写案号")
	} else if n, err := enforcement.ParseCaseNumber(in.Number); err != nil {
		ie.Add("number", "invalid_case_number", "案号格式有误，应如（2026）沪01执123号："+in.Number)
	} else {
		c.Number = n
	}
	if len(in.Parties) == 0 {
		ie.Add("parties", "required", "至少须有一名申请执行人和一名被执行人")
	}
	for i, p := range in.Parties {
		pt := enforcement.Party{ID: p.ID, Role: p.Role, Kind: p.Kind, Name: p.Name, IDNumber: enforcement.NewIDNumber(p.IDNumber), OptOut: p.OptOut}
		if pt.ID == "" {
			pt.ID = fmt.Sprintf("p%d", i+1)
		}
		if p.Mobile != "" {
			m, err := enforcement.NormaliseMobile(p.Mobile)
			if err != nil {
				ie.Add(fmt.Sprintf("parties[%d].mobile", i), "invalid_mobile", "手机号码须为11位大陆手机号："+p.Mobile)
			}
			pt.Mobile = m
		}
		c.Parties = append(c.Parties, pt)
	}
	return c, ie.Err()
}

func (h *API) createCase() handlerFunc {
	return handle(http.StatusCreated, func(r *http.Request, p *desk.Principal, in caseIn) (any, error) {
		if err := desk.Need(p, desk.RoleJudge, desk.RoleChief); err != nil {
			return nil, err
		}
		c, err := in.toCase()
		if err != nil {
			return nil, err
		}
		if c, err = h.desk.CreateCase(r.Context(), p, c); err != nil {
			return nil, err
		}
		return caseView(p, c), nil
	})
}

func (h *API) getCase() handlerFunc {
	return caseAnswer(func(r *http.Request, p *desk.Principal, _ struct{}) (*enforcement.Case, error) {
		c, _, err := h.desk.ReadCase(r.Context(), p, r.PathValue("id"))
		return c, err
	})
}

func (h *API) parties() handlerFunc {
	type out struct {
		Parties any `json:"parties"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		c, _, err := h.desk.ReadCase(r.Context(), p, r.PathValue("id"))
		if err != nil {
			return out{}, err
		}
		if p.Role == desk.RoleParty {
			return out{desk.PartyViews(c)}, nil
		}
		return out{partiesOut(c.Parties)}, nil
	})
}

func (h *API) updateParty() handlerFunc {
	type input struct {
		Mobile      *string `json:"mobile"`
		OptOut      *bool   `json:"opt_out"`
		WrongNumber *bool   `json:"wrong_number"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		if in.Mobile == nil && in.OptOut == nil && in.WrongNumber == nil {
			return nil, desk.BadField("mobile", "required", "请提供要修改的手机号码、退订或错号标记")
		}
		u := enforcement.PartyUpdate{Mobile: in.Mobile, OptOut: in.OptOut, WrongNumber: in.WrongNumber}
		return h.desk.UpdateParty(r.Context(), p, r.PathValue("id"), r.PathValue("pid"), u)
	})
}

// handle is the shape of a JSON handler: decode the body into In (none
// when In is struct{}), call the desk through fn, and write its Out with
// status. Errors go to respond.Error through the table's wrapper.
func handle[In, Out any](status int, fn func(r *http.Request, p *desk.Principal, in In) (Out, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
		var in In
		if _, none := any(in).(struct{}); !none {
			if err := decode(r, &in); err != nil {
				return err
			}
		}
		out, err := fn(r, p, in)
		if err != nil {
			return err
		}
		respond.JSON(w, status, out)
		return nil
	}
}

// caseAnswer is handle for reading or changing a case: it answers with the
// case as p may see it.
func caseAnswer[In any](fn func(r *http.Request, p *desk.Principal, in In) (*enforcement.Case, error)) handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, in In) (any, error) {
		c, err := fn(r, p, in)
		if err != nil {
			return nil, err
		}
		return caseView(p, c), nil
	})
}

func (h *API) recordNode() handlerFunc {
	return caseAnswer(func(r *http.Request, p *desk.Principal, in nodeIn) (*enforcement.Case, error) {
		return h.desk.RecordNode(r.Context(), p, r.PathValue("id"), in.node())
	})
}

type measureIn struct {
	ID          string                   `json:"id"`
	Node        enforcement.NodeKind     `json:"node"`
	Kind        enforcement.MeasureKind  `json:"kind"`
	Property    enforcement.PropertyKind `json:"property"`
	Target      string                   `json:"target"`
	Amount      decimal.Decimal          `json:"amount"`
	TakenOn     deadline.Date            `json:"taken_on"`
	EffectiveOn deadline.Date            `json:"effective_on"`
	ExpiresOn   deadline.Date            `json:"expires_on"`
	Outcome     enforcement.Outcome      `json:"outcome"`
	Result      string                   `json:"result"`
	RenewalOf   string                   `json:"renewal_of"`
	// ConfirmOverApplied accepts a recovered sum above the sum applied for.
	ConfirmOverApplied bool `json:"confirm_over_applied"`
}

func (in measureIn) measure() enforcement.Measure {
	return enforcement.Measure{ID: in.ID, Node: in.Node, Kind: in.Kind, Property: in.Property, Target: in.Target, Amount: in.Amount,
		TakenOn: in.TakenOn, EffectiveOn: in.EffectiveOn, ExpiresOn: in.ExpiresOn, Outcome: in.Outcome, Result: in.Result, RenewalOf: in.RenewalOf}
}

func (h *API) recordMeasure() handlerFunc {
	type input = measureIn
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		if in.Outcome == "" {
			in.Outcome = enforcement.OutcomePending
		}
		return h.desk.RecordMeasureConfirmed(r.Context(), p, r.PathValue("id"), in.measure(), desk.Confirm{OverApplied: in.ConfirmOverApplied})
	})
}

func (h *API) measureResult() handlerFunc {
	type input struct {
		Outcome     *enforcement.Outcome `json:"outcome"`
		Result      *string              `json:"result"`
		Amount      *decimal.Decimal     `json:"amount"`
		EffectiveOn *deadline.Date       `json:"effective_on"`
		ExpiresOn   *deadline.Date       `json:"expires_on"`
		// ConfirmOverApplied accepts a recovered sum above the sum
		// applied for.
		ConfirmOverApplied bool `json:"confirm_over_applied"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		if in.Outcome != nil && !in.Outcome.IsKnown() {
			return nil, unknownValue("outcome", string(*in.Outcome))
		}
		u := enforcement.MeasureUpdate{Outcome: in.Outcome, Result: in.Result, Amount: in.Amount, EffectiveOn: in.EffectiveOn, ExpiresOn: in.ExpiresOn}
		return h.desk.RecordMeasureResultConfirmed(r.Context(), p, r.PathValue("id"), r.PathValue("mid"), u, desk.Confirm{OverApplied: in.ConfirmOverApplied})
	})
}

// dueView is a due item with its warning level today.
type dueView struct {
	enforcement.DueItem
	Level   enforcement.Level `json:"Level,omitzero"`
	LevelZh string            `json:"LevelZh,omitempty"`
}

func (h *API) due() handlerFunc {
	type out struct {
		Today deadline.Date `json:"today"`
		Due   []Due         `json:"due"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		c, _, err := h.desk.ReadCase(r.Context(), p, r.PathValue("id"))
		if err != nil {
			return out{}, err
		}
		cal, today := h.desk.Calendar(), h.desk.Today()
		v := out{Today: today, Due: []Due{}}
		for _, d := range c.DueItems {
			if p.Role == desk.RoleParty && d.Internal {
				continue // management targets are the court's own business
			}
			o := dueOut(d)
			if d.IsOpen() {
				if l, err := enforcement.LevelOf(cal, d.Due(), today, 0); err == nil {
					o.Level, o.LevelZh = l.String(), l.Chinese()
				}
			}
			v.Due = append(v.Due, o)
		}
		return v, nil
	})
}

func (h *API) override() handlerFunc {
	type input struct {
		Date   deadline.Date `json:"date"`
		Reason string        `json:"reason"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		return h.desk.OverrideDue(r.Context(), p, r.PathValue("id"), r.PathValue("did"), in.Date, in.Reason)
	})
}

func (h *API) complete() handlerFunc {
	type input struct {
		On deadline.Date `json:"on"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		if in.On.IsZero() {
			in.On = h.desk.Today()
		}
		return h.desk.CompleteDue(r.Context(), p, r.PathValue("id"), r.PathValue("did"), in.On)
	})
}

func parseMode(s string, ie *desk.InputError) enforcement.ClosureMode {
	m := enforcement.ClosureMode(s)
	switch {
	case s == "":
		ie.Add("mode", "required", "请选择结案方式（"+closureModeChoices()+"）")
	case !m.IsKnown():
		ie.Add("mode", "unknown_value", "结案方式的取值无法识别："+s+"（可选："+closureModeChoices()+"）")
	}
	return m
}

// closureModeChoices names, in Chinese, the closure modes a client may
// choose, for the messages that refuse a missing or unknown one.
func closureModeChoices() string {
	var b strings.Builder
	for i, m := range enforcement.ClosureModes() {
		if i > 0 {
			b.WriteString("、")
		}
		b.WriteString(m.Chinese())
	}
	return b.String()
}

func (h *API) closure() handlerFunc {
	type out struct {
		Mode          string         `json:"mode"`
		ModeZh        string         `json:"mode_zh"`
		On            deadline.Date  `json:"on"`
		Met           bool           `json:"met"`
		Preconditions []Precondition `json:"preconditions"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		var ie desk.InputError
		mode := parseMode(r.URL.Query().Get("mode"), &ie)
		on := h.desk.Today()
		if v := r.URL.Query().Get("on"); v != "" {
			d, err := deadline.ParseDate(v)
			if err != nil {
				ie.Add("on", "invalid_date", "日期不是有效日期："+v+"（格式为 YYYY-MM-DD）")
			}
			on = d
		}
		if err := ie.Err(); err != nil {
			return out{}, err
		}
		pre, err := h.desk.Preconditions(r.Context(), p, r.PathValue("id"), mode, on)
		if err != nil {
			return out{}, err
		}
		met := true
		for _, x := range pre {
			met = met && x.Met
		}
		return out{string(mode), mode.Chinese(), on, met, preconditionsOut(pre)}, nil
	})
}

func (h *API) closeCase() handlerFunc {
	type input struct {
		Mode   string        `json:"mode"`
		On     deadline.Date `json:"on"`
		Reason string        `json:"reason"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		var ie desk.InputError
		mode := parseMode(in.Mode, &ie)
		if strings.TrimSpace(in.Reason) == "" {
			ie.Add("reason", "required", "请填写结案理由")
		}
		if err := ie.Err(); err != nil {
			return nil, err
		}
		if in.On.IsZero() {
			in.On = h.desk.Today()
		}
		return h.desk.CloseCase(r.Context(), p, r.PathValue("id"), mode, in.On, in.Reason)
	})
}

func (h *API) solicit() handlerFunc {
	type input struct {
		PartyID string        `json:"party_id"`
		Purpose string        `json:"purpose"`
		Summary string        `json:"summary"`
		ReplyBy deadline.Date `json:"reply_by"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		var ie desk.InputError
		purpose := enforcement.ClosureZhongBen
		if in.Purpose != "" {
			purpose = parseMode(in.Purpose, &ie)
		}
		if err := ie.Err(); err != nil {
			return nil, err
		}
		return h.desk.Solicit(r.Context(), p, r.PathValue("id"), enforcement.Solicitation{PartyID: in.PartyID, Purpose: purpose, Summary: in.Summary, ReplyBy: in.ReplyBy})
	})
}

func (h *API) opinion() handlerFunc {
	type input struct {
		Choice  enforcement.OpinionChoice `json:"choice"`
		Text    string                    `json:"text"`
		Channel string                    `json:"channel"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		return h.desk.RecordOpinion(r.Context(), p, r.PathValue("id"), r.PathValue("sid"), enforcement.Opinion{Choice: in.Choice, Text: in.Text, Channel: in.Channel})
	})
}

func (h *API) request() handlerFunc {
	type input struct {
		PartyID string `json:"party_id"`
		Channel string `json:"channel"`
		Text    string `json:"text"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		return h.desk.ReceiveRequest(r.Context(), p, r.PathValue("id"), enforcement.Request{PartyID: in.PartyID, Channel: in.Channel, Text: in.Text})
	})
}

func (h *API) answerRequest() handlerFunc {
	type input struct {
		Answer string `json:"answer"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		return h.desk.AnswerRequest(r.Context(), p, r.PathValue("id"), r.PathValue("rid"), in.Answer)
	})
}

func (h *API) supervise() handlerFunc {
	type input struct {
		Text string        `json:"text"`
		Due  deadline.Date `json:"due"`
		// Workdays sets the reply-by date instead of Due: that many
		// working days after today.
		Workdays *int `json:"workdays"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		switch {
		case in.Workdays != nil && !in.Due.IsZero():
			return nil, desk.BadField("workdays", "exclusive", "答复期限请只填写日期或工作日天数之一")
		case in.Workdays != nil:
			due, err := h.desk.OrderReplyBy(*in.Workdays)
			if err != nil {
				return nil, err
			}
			in.Due = due
		case in.Due.IsZero():
			return nil, desk.BadField("due", "required", "请填写答复期限（日期或工作日天数）")
		}
		return h.desk.IssueSupervision(r.Context(), p, r.PathValue("id"), enforcement.SupervisionOrder{Text: in.Text, Due: in.Due})
	})
}

func (h *API) answerSupervision() handlerFunc {
	type input struct {
		Response string `json:"response"`
	}
	return caseAnswer(func(r *http.Request, p *desk.Principal, in input) (*enforcement.Case, error) {
		return h.desk.AnswerSupervision(r.Context(), p, r.PathValue("id"), r.PathValue("oid"), in.Response)
	})
}

func parseStates(v string, ie *desk.InputError) []notify.State {
	var out []notify.State
	for s := range strings.SplitSeq(v, ",") {
		if s == "" {
			continue
		}
		st := notify.State(s)
		if !st.IsKnown() {
			ie.Add("state", "unknown_value", "短信状态的取值无法识别："+s)
		}
		out = append(out, st)
	}
	return out
}

func (h *API) caseMessages() handlerFunc {
	return h.listMessages(func(r *http.Request) string { return r.PathValue("id") })
}

func (h *API) messages() handlerFunc {
	return h.listMessages(func(r *http.Request) string { return r.URL.Query().Get("case") })
}

// listMessages lists the messages of the case caseID names (every case
// when it names none) in the states of the query.
func (h *API) listMessages(caseID func(r *http.Request) string) handlerFunc {
	type out struct {
		Messages any `json:"messages"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		var ie desk.InputError
		states := parseStates(r.URL.Query().Get("state"), &ie)
		if err := ie.Err(); err != nil {
			return out{}, err
		}
		ms, err := h.desk.ListMessages(r.Context(), p, desk.MessageFilter{CaseID: caseID(r), States: states})
		if err != nil {
			return out{}, err
		}
		return out{messagesView(p, ms)}, nil
	})
}

func (h *API) confirmMessage() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (any, error) {
		m, err := h.desk.ConfirmMessage(r.Context(), p, r.PathValue("id"))
		return messageOut(m), err
	})
}

func (h *API) editMessage() handlerFunc {
	type input struct {
		Params map[string]string `json:"params"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, in input) (any, error) {
		if len(in.Params) == 0 {
			return nil, desk.BadField("params", "required", "请填写要修改的短信变量")
		}
		m, err := h.desk.EditMessage(r.Context(), p, r.PathValue("id"), in.Params)
		return messageOut(m), err
	})
}

func (h *API) cancelMessage() handlerFunc {
	type input struct {
		Reason string `json:"reason"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, in input) (any, error) {
		if strings.TrimSpace(in.Reason) == "" {
			return nil, desk.BadField("reason", "required", "请填写撤回理由")
		}
		m, err := h.desk.CancelMessage(r.Context(), p, r.PathValue("id"), in.Reason)
		return messageOut(m), err
	})
}

func (h *API) replies() handlerFunc {
	type out struct {
		Replies []desk.StoredReply `json:"replies"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		rs, err := h.desk.ListReplies(r.Context(), p)
		return out{nonNil(rs)}, err
	})
}

func (h *API) supervision() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (Report, error) {
		limit, err := desk.ParseListLimit(r.URL.Query().Get("limit"))
		if err != nil {
			return Report{}, err
		}
		rep, more, err := h.desk.SupervisionPage(r.Context(), p, limit)
		if err != nil {
			return Report{}, err
		}
		out := reportOut(rep)
		out.More = more
		return out, nil
	})
}

func (h *API) dueIndex() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (DueIndex, error) {
		var before deadline.Date
		if v := r.URL.Query().Get("due_before"); v != "" {
			d, err := deadline.ParseDate(v)
			if err != nil {
				return DueIndex{}, desk.BadField("due_before", "invalid_date", "截止日期不是有效日期："+v+"（格式为 YYYY-MM-DD）")
			}
			before = d
		}
		c, err := h.desk.DueFlags(r.Context(), p, r.URL.Query().Get("judge"), before)
		if err != nil {
			return DueIndex{}, err
		}
		return dueIndexOut(c), nil
	})
}

// ----- trips, coordination, feed -----

type tripIn struct {
	ID      string    `json:"id"`
	JudgeID string    `json:"judge_id"`
	CaseID  string    `json:"case_id"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Place   struct {
		Address  string   `json:"address"`
		Division string   `json:"division"`
		Lat      *float64 `json:"lat"`
		Lng      *float64 `json:"lng"`
	} `json:"place"`
	Purpose string `json:"purpose"`
}

func (h *API) trips() handlerFunc {
	type out struct {
		Trips []Trip `json:"trips"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		ts, err := h.desk.ListTrips(r.Context(), p, h.desk.Now().Add(-24*time.Hour))
		v := out{tripsOut(ts)}
		for i := range v.Trips {
			h.entrust(h.desk.CourtFor(p), &v.Trips[i])
		}
		return v, err
	})
}

func (h *API) addTrip() handlerFunc {
	return handle(http.StatusCreated, func(r *http.Request, p *desk.Principal, in tripIn) (Trip, error) {
		if err := desk.Need(p, desk.RoleJudge, desk.RoleChief); err != nil {
			return Trip{}, err
		}
		if (in.Place.Lat == nil) != (in.Place.Lng == nil) {
			return Trip{}, desk.BadField("place.lat", "required_together", "纬度和经度须同时填写")
		}
		place, err := h.tripPlace(h.desk.CourtFor(p), in.Place.Division, in.Place.Address, in.Place.Lat, in.Place.Lng, "place.")
		if err != nil {
			return Trip{}, err
		}
		t := planning.Trip{ID: in.ID, JudgeID: in.JudgeID, CaseID: in.CaseID, Start: in.Start, End: in.End, Purpose: in.Purpose, Place: place}
		t, err = h.desk.AddTrip(r.Context(), p, t)
		v := tripOut(t)
		h.entrust(h.desk.CourtFor(p), &v)
		return v, err
	})
}

func (h *API) coordination() handlerFunc {
	type out struct {
		Groups []Group `json:"groups"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		gs, err := h.desk.Coordination(r.Context(), p)
		return out{groupsOut(gs)}, err
	})
}

func (h *API) feed(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	s, err := h.desk.Feed(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	_, err = w.Write(s)
	return err
}

// ----- calendar -----

func (h *API) day() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (any, error) {
		d, err := deadline.ParseDate(r.PathValue("date"))
		if err != nil {
			return nil, desk.BadField("date", "invalid_date", "日期不是有效日期："+r.PathValue("date")+"（格式为 YYYY-MM-DD）")
		}
		return h.desk.Day(d)
	})
}

func (h *API) schedule(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := desk.Need(p, desk.RoleChief); err != nil {
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 4*MaxBody))
	if err != nil {
		return respond.ErrTooLarge
	}
	if !json.Valid(body) {
		return desk.BadField("", "syntax", "节假日安排不是有效的 JSON")
	}
	ch, err := h.desk.LoadSchedule(r.Context(), p, body)
	if err != nil {
		return err
	}
	respond.JSON(w, http.StatusOK, ch)
	return nil
}

func (h *API) closureDay() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, in desk.ClosureIn) (desk.CalendarChange, error) {
		if err := desk.Need(p, desk.RoleChief); err != nil {
			return desk.CalendarChange{}, err
		}
		return h.desk.AddClosure(r.Context(), p, in)
	})
}

func (h *API) notifyCoordination() handlerFunc {
	type out struct {
		Drafted int `json:"drafted"`
	}
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (out, error) {
		n, err := h.desk.NotifyCoordination(r.Context(), p)
		return out{n}, err
	})
}
