package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
	"github.com/courtkit/zhixing/planning"
)

// api holds the JSON handlers. They decode, call the desk and encode; the
// rules live in the desk so that pages can share them.
type api struct {
	app  *app
	desk *Desk
}

// handlerFunc is a handler that returns its error for writeError.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p *Principal) error

func (h *api) wrap(fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r, principalOf(r.Context())); err != nil {
			writeError(w, r, h.app.log, err)
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
func (h *api) table() []route {
	return []route{
		{"POST /api/v1/auth/login", h.login},
		{"POST /api/v1/auth/party-login", h.partyLogin},
		{"POST /api/v1/auth/logout", h.logout},
		{"GET /api/v1/me", h.me},
		{"GET /api/v1/users", h.listUsers},
		{"POST /api/v1/users", h.createUser},
		{"GET /api/v1/cases", h.listCases},
		{"POST /api/v1/cases", h.createCase},
		{"GET /api/v1/cases/{id}", h.getCase},
		{"GET /api/v1/cases/{id}/parties", h.parties},
		{"PATCH /api/v1/cases/{id}/parties/{pid}", h.updateParty},
		{"POST /api/v1/cases/{id}/nodes", h.recordNode},
		{"POST /api/v1/cases/{id}/measures", h.recordMeasure},
		{"POST /api/v1/cases/{id}/measures/{mid}/result", h.measureResult},
		{"GET /api/v1/cases/{id}/due", h.due},
		{"POST /api/v1/cases/{id}/due/{did}/override", h.override},
		{"POST /api/v1/cases/{id}/due/{did}/complete", h.complete},
		{"GET /api/v1/cases/{id}/closure", h.closure},
		{"POST /api/v1/cases/{id}/close", h.closeCase},
		{"POST /api/v1/cases/{id}/solicitations", h.solicit},
		{"POST /api/v1/cases/{id}/solicitations/{sid}/opinion", h.opinion},
		{"POST /api/v1/cases/{id}/requests", h.request},
		{"POST /api/v1/cases/{id}/requests/{rid}/answer", h.answerRequest},
		{"POST /api/v1/cases/{id}/supervision", h.supervise},
		{"POST /api/v1/cases/{id}/supervision/{oid}/answer", h.answerSupervision},
		{"GET /api/v1/cases/{id}/messages", h.caseMessages},
		{"GET /api/v1/supervision", h.supervision},
		{"GET /api/v1/reminders", h.agenda},
		{"GET /api/v1/due", h.dueIndex},
		{"GET /api/v1/plans", h.listPlans},
		{"GET /api/v1/plans/{judge}/{week}", h.getPlan},
		{"POST /api/v1/plans/{judge}/{week}/items", h.addPlanItem},
		{"POST /api/v1/plans/{judge}/{week}/submit", h.submitPlan},
		{"GET /api/v1/messages", h.messages},
		{"POST /api/v1/messages/{id}/confirm", h.confirmMessage},
		{"POST /api/v1/messages/{id}/edit", h.editMessage},
		{"POST /api/v1/messages/{id}/cancel", h.cancelMessage},
		{"GET /api/v1/replies", h.replies},
		{"GET /api/v1/trips", h.trips},
		{"POST /api/v1/trips", h.addTrip},
		{"GET /api/v1/coordination", h.coordination},
		{"POST /api/v1/coordination/notify", h.notifyCoordination},
		{"GET /api/v1/judges/{id}/calendar.ics", h.feed},
		{"GET /api/v1/calendar/days/{date}", h.day},
		{"POST /api/v1/calendar/schedule", h.schedule},
		{"POST /api/v1/calendar/closures", h.closureDay},
	}
}

func (h *api) register(mux *http.ServeMux) {
	for _, r := range h.table() {
		mux.HandleFunc(r.pattern, h.wrap(r.fn))
	}
}

const maxBody = 1 << 20

// decode reads the JSON body into v: one object, no unknown fields, at most
// maxBody bytes. Problems are field-level input errors.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return ErrTooLarge
		}
		return &InputError{Fields: []FieldError{{"", "unreadable", "无法读取请求内容"}}}
	}
	return decodeBytes(body, v)
}

func decodeBytes(body []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return &InputError{Fields: []FieldError{{"", "syntax", "请求内容须为单个JSON对象"}}}
	}
	return nil
}

// jsonError turns a decoding error into a field-level input error.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return &InputError{Fields: []FieldError{{te.Field, "type", "类型有误，应为 " + te.Type.String()}}}
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &InputError{Fields: []FieldError{{"", "syntax", "JSON 格式有误"}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &InputError{Fields: []FieldError{{f, "unknown_field", "未知字段"}}}
	}
	// Errors of UnmarshalText (dates, enums, amounts) come without a path.
	field := ""
	var de *deadline.DateError
	if errors.As(err, &de) {
		field = "date"
	}
	return &InputError{Fields: []FieldError{{field, "invalid", "值有误：" + err.Error()}}}
}

// ----- auth -----

func (h *api) login(w http.ResponseWriter, r *http.Request, _ *Principal) error {
	var in struct {
		UserID   string `json:"user_id"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	s, err := h.app.auth.loginUser(r.Context(), in.UserID, in.Password, remoteAddr(r))
	if err != nil {
		return err
	}
	h.app.auth.setCookie(w, s)
	writeJSON(w, http.StatusOK, s)
	return nil
}

func (h *api) partyLogin(w http.ResponseWriter, r *http.Request, _ *Principal) error {
	var in struct {
		CaseNumber string `json:"case_number"`
		QueryCode  string `json:"query_code"`
		Mobile     string `json:"mobile"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	var ie InputError
	if strings.TrimSpace(in.CaseNumber) == "" {
		ie.Add("case_number", "required", "必填项")
	}
	if strings.TrimSpace(in.QueryCode) == "" {
		ie.Add("query_code", "required", "必填项")
	}
	if err := ie.Err(); err != nil {
		return err
	}
	s, err := h.app.auth.loginParty(r.Context(), in.CaseNumber, in.QueryCode, in.Mobile, remoteAddr(r))
	if err != nil {
		return err
	}
	h.app.auth.setCookie(w, s)
	writeJSON(w, http.StatusOK, s)
	return nil
}

func (h *api) logout(w http.ResponseWriter, r *http.Request, p *Principal) error {
	if tok, _ := tokenOf(r); tok != "" {
		if err := h.app.auth.logout(r.Context(), tok); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *api) me(w http.ResponseWriter, r *http.Request, p *Principal) error {
	if p == nil {
		return ErrUnauthenticated
	}
	writeJSON(w, http.StatusOK, map[string]any{"principal": p, "csrf_token": p.csrf})
	return nil
}

func (h *api) listUsers(w http.ResponseWriter, r *http.Request, p *Principal) error {
	if err := Need(p, RoleChief, RoleJudge); err != nil {
		return err
	}
	us, err := h.app.auth.listUsers(r.Context(), h.desk.Court)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": us})
	return nil
}

func (h *api) createUser(w http.ResponseWriter, r *http.Request, p *Principal) error {
	if err := Need(p, RoleChief); err != nil {
		return err
	}
	var in struct {
		ID       string `json:"id"`
		Role     Role   `json:"role"`
		Name     string `json:"name"`
		Mobile   string `json:"mobile"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	u := user{ID: in.ID, Court: h.desk.Court, Role: in.Role, Name: in.Name, Mobile: in.Mobile}
	if err := h.app.auth.createUser(r.Context(), u, in.Password); err != nil {
		return err
	}
	u, _, err := h.app.auth.getUser(r.Context(), in.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
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

type caseIn struct {
	Number        string                     `json:"number"`
	Cause         string                     `json:"cause"`
	NonLitigation bool                       `json:"non_litigation"`
	AmountApplied decimal.Decimal            `json:"amount_applied"`
	ReceivedOn    deadline.Date              `json:"received_on"`
	FiledOn       deadline.Date              `json:"filed_on"`
	JudgeID       string                     `json:"judge_id"`
	Key           bool                       `json:"key"`
	Source        enforcement.SourceDocument `json:"source"`
	Parties       []partyIn                  `json:"parties"`
}

// toCase checks the parts the domain cannot (the case number text, mobile
// numbers) and builds the case; the domain validates the rest.
func (in caseIn) toCase() (*enforcement.Case, error) {
	var ie InputError
	c := &enforcement.Case{Cause: in.Cause, NonLitigation: in.NonLitigation, AmountApplied: in.AmountApplied,
		ReceivedOn: in.ReceivedOn, FiledOn: in.FiledOn, JudgeID: in.JudgeID, Key: in.Key, Source: in.Source}
	if strings.TrimSpace(in.Number) == "" {
		ie.Add("number", "required", "必填项")
	} else if n, err := enforcement.ParseCaseNumber(in.Number); err != nil {
		ie.Add("number", "invalid_case_number", "案号格式有误")
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
				ie.Add(fmt.Sprintf("parties[%d].mobile", i), "invalid_mobile", "手机号码格式有误")
			}
			pt.Mobile = m
		}
		c.Parties = append(c.Parties, pt)
	}
	return c, ie.Err()
}

func (h *api) listCases(w http.ResponseWriter, r *http.Request, p *Principal) error {
	q := r.URL.Query()
	f := enforcement.CaseFilter{JudgeID: q.Get("judge"), Status: enforcement.Status(q.Get("status"))}
	var ie InputError
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 10000 {
			ie.Add("limit", "invalid", "须为0至10000的整数")
		}
		f.Limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			ie.Add("offset", "invalid", "须为非负整数")
		}
		f.Offset = n
	}
	if v := q.Get("number"); v != "" {
		n, err := enforcement.ParseCaseNumber(v)
		if err != nil {
			ie.Add("number", "invalid_case_number", "案号格式有误")
		}
		f.Number = n.String()
	}
	if err := ie.Err(); err != nil {
		return err
	}
	cs, err := h.desk.ListCases(r.Context(), p, f)
	if err != nil {
		return err
	}
	out := make([]any, 0, len(cs))
	for _, c := range cs {
		out = append(out, h.view(p, c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": out})
	return nil
}

func (h *api) createCase(w http.ResponseWriter, r *http.Request, p *Principal) error {
	if err := Need(p, RoleJudge, RoleChief); err != nil {
		return err
	}
	var in caseIn
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := in.toCase()
	if err != nil {
		return err
	}
	c, err = h.desk.CreateCase(r.Context(), p, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, h.view(p, c))
	return nil
}

func (h *api) getCase(w http.ResponseWriter, r *http.Request, p *Principal) error {
	c, err := h.desk.Get(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h.view(p, c))
	return nil
}

func (h *api) parties(w http.ResponseWriter, r *http.Request, p *Principal) error {
	c, err := h.desk.Get(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	if p.Role == RoleParty {
		writeJSON(w, http.StatusOK, map[string]any{"parties": partyViews(c)})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"parties": c.Parties})
	return nil
}

func (h *api) updateParty(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		Mobile      *string `json:"mobile"`
		OptOut      *bool   `json:"opt_out"`
		WrongNumber *bool   `json:"wrong_number"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Mobile == nil && in.OptOut == nil && in.WrongNumber == nil {
		return &InputError{Fields: []FieldError{{"mobile", "required", "请提供要修改的手机号码、退订或错号标记"}}}
	}
	u := enforcement.PartyUpdate{Mobile: in.Mobile, OptOut: in.OptOut, WrongNumber: in.WrongNumber}
	c, err := h.desk.UpdateParty(r.Context(), p, r.PathValue("id"), r.PathValue("pid"), u)
	return h.writeCase(w, p, c, err)
}

// writeCase answers a change with the case as p may see it.
func (h *api) writeCase(w http.ResponseWriter, p *Principal, c *enforcement.Case, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h.view(p, c))
	return nil
}

func (h *api) recordNode(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		Kind   enforcement.NodeKind `json:"kind"`
		Date   deadline.Date        `json:"date"`
		Note   string               `json:"note"`
		Urgent bool                 `json:"urgent"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := h.desk.RecordNode(r.Context(), p, r.PathValue("id"), enforcement.Node{Kind: in.Kind, Date: in.Date, Note: in.Note, Urgent: in.Urgent})
	return h.writeCase(w, p, c, err)
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
}

func (in measureIn) measure() enforcement.Measure {
	return enforcement.Measure{ID: in.ID, Node: in.Node, Kind: in.Kind, Property: in.Property, Target: in.Target, Amount: in.Amount,
		TakenOn: in.TakenOn, EffectiveOn: in.EffectiveOn, ExpiresOn: in.ExpiresOn, Outcome: in.Outcome, Result: in.Result, RenewalOf: in.RenewalOf}
}

func (h *api) recordMeasure(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in measureIn
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Outcome == "" {
		in.Outcome = enforcement.OutcomePending
	}
	c, err := h.desk.RecordMeasure(r.Context(), p, r.PathValue("id"), in.measure())
	return h.writeCase(w, p, c, err)
}

func (h *api) measureResult(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		Outcome     *enforcement.Outcome `json:"outcome"`
		Result      *string              `json:"result"`
		Amount      *decimal.Decimal     `json:"amount"`
		EffectiveOn *deadline.Date       `json:"effective_on"`
		ExpiresOn   *deadline.Date       `json:"expires_on"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Outcome != nil && !in.Outcome.IsKnown() {
		return &InputError{Fields: []FieldError{{"outcome", "unknown_value", "未知的结果"}}}
	}
	u := enforcement.MeasureUpdate{Outcome: in.Outcome, Result: in.Result, Amount: in.Amount, EffectiveOn: in.EffectiveOn, ExpiresOn: in.ExpiresOn}
	c, err := h.desk.RecordMeasureResult(r.Context(), p, r.PathValue("id"), r.PathValue("mid"), u)
	return h.writeCase(w, p, c, err)
}

// dueView is a due item with its warning level today.
type dueView struct {
	enforcement.DueItem
	Level   enforcement.Level `json:"Level,omitzero"`
	LevelZh string            `json:"LevelZh,omitempty"`
}

func (h *api) due(w http.ResponseWriter, r *http.Request, p *Principal) error {
	c, err := h.desk.Get(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	cal, today := h.desk.cal.Load(), h.desk.Today()
	out := []dueView{}
	for _, d := range c.DueItems {
		if p.Role == RoleParty && d.Internal {
			continue // management targets are the court's own business
		}
		v := dueView{DueItem: d}
		if d.IsOpen() {
			if l, err := enforcement.LevelOf(cal, d.Due(), today, 0); err == nil {
				v.Level, v.LevelZh = l, l.Chinese()
			}
		}
		out = append(out, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{"today": today, "due": out})
	return nil
}

func (h *api) override(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		Date   deadline.Date `json:"date"`
		Reason string        `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := h.desk.OverrideDue(r.Context(), p, r.PathValue("id"), r.PathValue("did"), in.Date, in.Reason)
	return h.writeCase(w, p, c, err)
}

func (h *api) complete(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		On deadline.Date `json:"on"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.On.IsZero() {
		in.On = h.desk.Today()
	}
	c, err := h.desk.CompleteDue(r.Context(), p, r.PathValue("id"), r.PathValue("did"), in.On)
	return h.writeCase(w, p, c, err)
}

func parseMode(s string, ie *InputError) enforcement.ClosureMode {
	m := enforcement.ClosureMode(s)
	if !m.IsKnown() {
		ie.Add("mode", "unknown_value", "未知的结案方式")
	}
	return m
}

func (h *api) closure(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var ie InputError
	mode := parseMode(r.URL.Query().Get("mode"), &ie)
	on := h.desk.Today()
	if v := r.URL.Query().Get("on"); v != "" {
		d, err := deadline.ParseDate(v)
		if err != nil {
			ie.Add("on", "invalid_date", "日期无效")
		}
		on = d
	}
	if err := ie.Err(); err != nil {
		return err
	}
	pre, err := h.desk.Preconditions(r.Context(), p, r.PathValue("id"), mode, on)
	if err != nil {
		return err
	}
	met := true
	for _, x := range pre {
		met = met && x.Met
	}
	writeJSON(w, http.StatusOK, map[string]any{"mode": mode, "mode_zh": mode.Chinese(), "on": on, "met": met, "preconditions": pre})
	return nil
}

func (h *api) closeCase(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		Mode   string        `json:"mode"`
		On     deadline.Date `json:"on"`
		Reason string        `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	var ie InputError
	mode := parseMode(in.Mode, &ie)
	if strings.TrimSpace(in.Reason) == "" {
		ie.Add("reason", "required", "必填项")
	}
	if err := ie.Err(); err != nil {
		return err
	}
	if in.On.IsZero() {
		in.On = h.desk.Today()
	}
	c, err := h.desk.CloseCase(r.Context(), p, r.PathValue("id"), mode, in.On, in.Reason)
	return h.writeCase(w, p, c, err)
}

func (h *api) solicit(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		PartyID string        `json:"party_id"`
		Purpose string        `json:"purpose"`
		Summary string        `json:"summary"`
		ReplyBy deadline.Date `json:"reply_by"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	var ie InputError
	purpose := enforcement.ClosureZhongBen
	if in.Purpose != "" {
		purpose = parseMode(in.Purpose, &ie)
	}
	if err := ie.Err(); err != nil {
		return err
	}
	c, err := h.desk.Solicit(r.Context(), p, r.PathValue("id"), enforcement.Solicitation{PartyID: in.PartyID, Purpose: purpose, Summary: in.Summary, ReplyBy: in.ReplyBy})
	return h.writeCase(w, p, c, err)
}

func (h *api) opinion(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		Choice  enforcement.OpinionChoice `json:"choice"`
		Text    string                    `json:"text"`
		Channel string                    `json:"channel"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := h.desk.RecordOpinion(r.Context(), p, r.PathValue("id"), r.PathValue("sid"), enforcement.Opinion{Choice: in.Choice, Text: in.Text, Channel: in.Channel})
	return h.writeCase(w, p, c, err)
}

func (h *api) request(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		PartyID string `json:"party_id"`
		Channel string `json:"channel"`
		Text    string `json:"text"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := h.desk.ReceiveRequest(r.Context(), p, r.PathValue("id"), enforcement.Request{PartyID: in.PartyID, Channel: in.Channel, Text: in.Text})
	return h.writeCase(w, p, c, err)
}

func (h *api) answerRequest(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		Answer string `json:"answer"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := h.desk.AnswerRequest(r.Context(), p, r.PathValue("id"), r.PathValue("rid"), in.Answer)
	return h.writeCase(w, p, c, err)
}

func (h *api) supervise(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		Text string        `json:"text"`
		Due  deadline.Date `json:"due"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := h.desk.IssueSupervision(r.Context(), p, r.PathValue("id"), enforcement.SupervisionOrder{Text: in.Text, Due: in.Due})
	return h.writeCase(w, p, c, err)
}

func (h *api) answerSupervision(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		Response string `json:"response"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := h.desk.AnswerSupervision(r.Context(), p, r.PathValue("id"), r.PathValue("oid"), in.Response)
	return h.writeCase(w, p, c, err)
}

func parseStates(v string, ie *InputError) []notify.State {
	var out []notify.State
	for s := range strings.SplitSeq(v, ",") {
		if s == "" {
			continue
		}
		st := notify.State(s)
		if !st.IsKnown() {
			ie.Add("state", "unknown_value", "未知的短信状态："+s)
		}
		out = append(out, st)
	}
	return out
}

func (h *api) caseMessages(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var ie InputError
	states := parseStates(r.URL.Query().Get("state"), &ie)
	if err := ie.Err(); err != nil {
		return err
	}
	ms, err := h.desk.ListMessages(r.Context(), p, MessageFilter{CaseID: r.PathValue("id"), States: states})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": MessageViews(p, ms)})
	return nil
}

func (h *api) messages(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var ie InputError
	states := parseStates(r.URL.Query().Get("state"), &ie)
	if err := ie.Err(); err != nil {
		return err
	}
	ms, err := h.desk.ListMessages(r.Context(), p, MessageFilter{CaseID: r.URL.Query().Get("case"), States: states})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": MessageViews(p, ms)})
	return nil
}

func (h *api) confirmMessage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	m, err := h.desk.ConfirmMessage(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (h *api) editMessage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		Params map[string]string `json:"params"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if len(in.Params) == 0 {
		return &InputError{Fields: []FieldError{{"params", "required", "必填项"}}}
	}
	m, err := h.desk.EditMessage(r.Context(), p, r.PathValue("id"), in.Params)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (h *api) cancelMessage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Reason) == "" {
		return &InputError{Fields: []FieldError{{"reason", "required", "必填项"}}}
	}
	m, err := h.desk.CancelMessage(r.Context(), p, r.PathValue("id"), in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, m)
	return nil
}

func (h *api) replies(w http.ResponseWriter, r *http.Request, p *Principal) error {
	rs, err := h.desk.ListReplies(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"replies": rs})
	return nil
}

func (h *api) supervision(w http.ResponseWriter, r *http.Request, p *Principal) error {
	b, err := h.desk.SupervisionJSON(r.Context(), p)
	if err != nil {
		return err
	}
	writeRawJSON(w, http.StatusOK, b)
	return nil
}

func (h *api) dueIndex(w http.ResponseWriter, r *http.Request, p *Principal) error {
	var before deadline.Date
	if v := r.URL.Query().Get("due_before"); v != "" {
		d, err := deadline.ParseDate(v)
		if err != nil {
			return &InputError{Fields: []FieldError{{"due_before", "invalid_date", "日期无效"}}}
		}
		before = d
	}
	cl, err := h.desk.DueFlags(r.Context(), p, r.URL.Query().Get("judge"), before)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cl)
	return nil
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

func (h *api) trips(w http.ResponseWriter, r *http.Request, p *Principal) error {
	ts, err := h.desk.ListTrips(r.Context(), p, h.desk.Now().Add(-24*time.Hour))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"trips": ts})
	return nil
}

func (h *api) addTrip(w http.ResponseWriter, r *http.Request, p *Principal) error {
	if err := Need(p, RoleJudge, RoleChief); err != nil {
		return err
	}
	var in tripIn
	if err := decode(r, &in); err != nil {
		return err
	}
	t := planning.Trip{ID: in.ID, JudgeID: in.JudgeID, CaseID: in.CaseID, Start: in.Start, End: in.End, Purpose: in.Purpose,
		Place: planning.Place{Address: in.Place.Address, Division: in.Place.Division}}
	if (in.Place.Lat == nil) != (in.Place.Lng == nil) {
		return &InputError{Fields: []FieldError{{"place.lat", "required_together", "经纬度须同时填写"}}}
	}
	if in.Place.Lat != nil {
		t.Place.Lat, t.Place.Lng, t.Place.HasCoords = *in.Place.Lat, *in.Place.Lng, true
	}
	t, err := h.desk.AddTrip(r.Context(), p, t)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, t)
	return nil
}

func (h *api) coordination(w http.ResponseWriter, r *http.Request, p *Principal) error {
	gs, err := h.desk.Coordination(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"groups": gs})
	return nil
}

func (h *api) feed(w http.ResponseWriter, r *http.Request, p *Principal) error {
	s, err := h.desk.Feed(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	_, err = w.Write(s)
	return err
}

// ----- calendar -----

func (h *api) day(w http.ResponseWriter, r *http.Request, p *Principal) error {
	d, err := deadline.ParseDate(r.PathValue("date"))
	if err != nil {
		return &InputError{Fields: []FieldError{{"date", "invalid_date", "日期无效，格式为 YYYY-MM-DD"}}}
	}
	v, err := h.desk.Day(d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (h *api) schedule(w http.ResponseWriter, r *http.Request, p *Principal) error {
	if err := Need(p, RoleChief); err != nil {
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 4*maxBody))
	if err != nil {
		return ErrTooLarge
	}
	if !json.Valid(body) {
		return &InputError{Fields: []FieldError{{"", "syntax", "JSON 格式有误"}}}
	}
	ch, err := h.desk.LoadSchedule(r.Context(), p, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ch)
	return nil
}

func (h *api) closureDay(w http.ResponseWriter, r *http.Request, p *Principal) error {
	if err := Need(p, RoleChief); err != nil {
		return err
	}
	var in ClosureIn
	if err := decode(r, &in); err != nil {
		return err
	}
	ch, err := h.desk.AddClosure(r.Context(), p, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ch)
	return nil
}

func (h *api) notifyCoordination(w http.ResponseWriter, r *http.Request, p *Principal) error {
	n, err := h.desk.NotifyCoordination(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"drafted": n})
	return nil
}
