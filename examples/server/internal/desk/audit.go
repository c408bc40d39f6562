package desk

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/courtkit/zhixing/enforcement"
)

// Audit actions that are not the kind of a case event (case changes are
// recorded under their event's kind, e.g. "due_overridden").
const (
	ActionSignIn         = "sign_in"
	ActionSignInFailed   = "sign_in_failed"
	ActionCaseChanged    = "case_changed"
	ActionScheduleLoaded = "calendar_schedule"
	ActionClosureAdded   = "calendar_closure"
	ActionMessageChanged = "message_changed"
	ActionPlanChanged    = "plan_changed"
	ActionTripAdded      = "trip_added"
	ActionCoordination   = "coordination_notified"
)

// record appends an audit entry for what p did; the court, time and who
// are filled in. A failure to record is logged: the change it records is
// already made.
func (d *Desk) record(ctx context.Context, p *Principal, e enforcement.AuditEntry) {
	if d.Audit == nil {
		return
	}
	if e.Court == "" {
		e.Court = d.CourtFor(p)
	}
	if e.At.IsZero() {
		e.At = d.Now()
	}
	if p != nil {
		e.UserID, e.UserName, e.Role = p.Actor(), p.Name, string(p.Role)
		if e.Addr == "" {
			e.Addr = p.Addr
		}
	}
	if err := d.Audit.Append(context.WithoutCancel(ctx), e); err != nil && d.Log != nil {
		d.Log.ErrorContext(ctx, "audit entry not recorded", "action", e.Action, "case", e.CaseID, "err", err)
	}
}

// RecordSignIn puts a sign-in on the record: p is who signed in, or, for a
// failed attempt, who it claimed to be (id, the user ID or case number
// typed) with the reason in detail.
func (d *Desk) RecordSignIn(ctx context.Context, p *Principal, id, addr string, ok bool, detail string) {
	if len(id) > 128 {
		id = strings.ToValidUTF8(id[:128], "")
	}
	e := enforcement.AuditEntry{Action: ActionSignIn, Addr: addr, Target: id, Detail: detail}
	if !ok {
		e.Action, e.UserID, p = ActionSignInFailed, id, nil
		e.Court = d.claimedCourt(ctx, id)
	}
	if p != nil && p.Role == RoleParty {
		e.CaseID = p.CaseID
	}
	d.record(ctx, p, e)
}

// claimedCourt is the court a failed sign-in as id ("case:" and a case
// number, or a user id) concerns: the court the case number names, or the
// user's court; the default court when neither is known.
func (d *Desk) claimedCourt(ctx context.Context, id string) string {
	if num, ok := strings.CutPrefix(id, "case:"); ok {
		if n, err := enforcement.ParseCaseNumber(num); err == nil {
			if _, known := d.courtIdx[n.Court]; known {
				return n.Court
			}
		}
		return d.home
	}
	if u, _, err := d.GetUser(ctx, id); err == nil && u.Court != "" {
		return u.Court
	}
	return d.home
}

// recordCase puts a change of a case on the record: the action is the kind
// of its first event, the values before and after are the parts of the
// case that changed (see caseDiff).
func (d *Desk) recordCase(ctx context.Context, p *Principal, before, after *enforcement.Case, events []enforcement.Event) {
	e := enforcement.AuditEntry{Action: ActionCaseChanged, CaseID: after.ID, Court: after.Court}
	if len(events) > 0 {
		e.Action, e.Target = string(events[0].Kind), events[0].Ref
	}
	e.Before, e.After = caseDiff(before, after)
	d.record(ctx, p, e)
}

// recordValues puts a change of something other than a case on the record.
func (d *Desk) recordValues(ctx context.Context, p *Principal, action, caseID, target string, before, after any) {
	e := enforcement.AuditEntry{Action: action, CaseID: caseID, Target: target}
	if before != nil {
		e.Before, _ = json.Marshal(before)
	}
	if after != nil {
		e.After, _ = json.Marshal(after)
	}
	d.record(ctx, p, e)
}

// caseDiff returns the fields of a case that differ between before and
// after (nil before: the whole case is new), as two JSON objects. A list of
// records with IDs (due items, measures, …) keeps only the records that
// changed, so an override shows the one due item before and after.
func caseDiff(before, after *enforcement.Case) (json.RawMessage, json.RawMessage) {
	var b, a map[string]json.RawMessage
	if before != nil {
		raw, _ := json.Marshal(before)
		_ = json.Unmarshal(raw, &b)
	}
	raw, _ := json.Marshal(after)
	_ = json.Unmarshal(raw, &a)
	ob, oa := map[string]any{}, map[string]any{}
	for k, av := range a {
		if k == "Version" {
			continue
		}
		bv, ok := b[k]
		if ok && bytes.Equal(bv, av) {
			continue
		}
		if bl, al, ok := changedRecords(bv, av); ok {
			ob[k], oa[k] = bl, al
			continue
		}
		if before != nil {
			ob[k] = bv
		}
		oa[k] = av
	}
	for k, bv := range b {
		if _, ok := a[k]; !ok {
			ob[k] = bv
		}
	}
	var outB json.RawMessage
	if before != nil {
		outB, _ = json.Marshal(ob)
	}
	outA, _ := json.Marshal(oa)
	return outB, outA
}

// changedRecords compares two JSON lists of objects with an "ID" and
// returns the records that differ; ok is false for anything else.
func changedRecords(before, after json.RawMessage) (b, a []json.RawMessage, ok bool) {
	type rec struct {
		id  string
		raw json.RawMessage
	}
	parse := func(raw json.RawMessage) ([]rec, bool) {
		if len(raw) == 0 || string(raw) == "null" {
			return nil, true
		}
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			return nil, false
		}
		out := make([]rec, 0, len(list))
		for _, r := range list {
			var x struct{ ID *string }
			if json.Unmarshal(r, &x) != nil || x.ID == nil {
				return nil, false
			}
			out = append(out, rec{*x.ID, r})
		}
		return out, true
	}
	bl, ok1 := parse(before)
	al, ok2 := parse(after)
	if !ok1 || !ok2 || (len(bl) == 0 && len(al) == 0) {
		return nil, nil, false
	}
	find := func(l []rec, id string) (json.RawMessage, bool) {
		i := slices.IndexFunc(l, func(r rec) bool { return r.id == id })
		if i < 0 {
			return nil, false
		}
		return l[i].raw, true
	}
	b, a = []json.RawMessage{}, []json.RawMessage{}
	for _, r := range al {
		old, found := find(bl, r.id)
		if found && bytes.Equal(old, r.raw) {
			continue
		}
		if found {
			b = append(b, old)
		}
		a = append(a, r.raw)
	}
	for _, r := range bl {
		if _, found := find(al, r.id); !found {
			b = append(b, r.raw)
		}
	}
	return b, a, true
}

// AuditQuery selects audit entries for the chief: empty fields match
// everything, From and To are days (inclusive) in China time.
type AuditQuery struct {
	UserID string `json:"user_id,omitempty"`
	CaseID string `json:"case_id,omitempty"`
	Action string `json:"action,omitempty"`
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	Page   int    `json:"page,omitempty"`
}

// ParseAuditQuery reads an audit filter from URL query values (user_id,
// case_id, action, from, to, page).
func ParseAuditQuery(q url.Values) (AuditQuery, error) {
	aq := AuditQuery{UserID: q.Get("user_id"), CaseID: q.Get("case_id"), Action: q.Get("action"), From: q.Get("from"), To: q.Get("to")}
	var ie InputError
	for _, f := range []struct{ name, v string }{{"user_id", aq.UserID}, {"case_id", aq.CaseID}, {"action", aq.Action}} {
		if len(f.v) > 128 {
			ie.Add(f.name, "too_long", "不超过128个字符")
		}
	}
	if err := ie.Err(); err != nil {
		return aq, err
	}
	if s := q.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 1_000_000 {
			return aq, BadField("page", "invalid", "页码有误")
		}
		aq.Page = n
	}
	return aq, nil
}

// AuditPageSize is how many entries a page of the audit log shows.
const AuditPageSize = 50

// AuditPage is one page of the audit log.
type AuditPage struct {
	Entries []AuditRow `json:"entries"`
	Page    int        `json:"page"`
	More    bool       `json:"more"`
}

// AuditRow is an audit entry as the API and pages show it.
type AuditRow struct {
	Seq      int64           `json:"seq"`
	At       time.Time       `json:"at"`
	UserID   string          `json:"user_id"`
	UserName string          `json:"user_name"`
	Role     string          `json:"role"`
	Addr     string          `json:"addr"`
	Action   string          `json:"action"`
	CaseID   string          `json:"case_id"`
	Target   string          `json:"target"`
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
	Detail   string          `json:"detail,omitempty"`
}

func auditRow(e enforcement.AuditEntry) AuditRow {
	return AuditRow{Seq: e.Seq, At: e.At.In(chinaZone), UserID: e.UserID, UserName: e.UserName, Role: e.Role, Addr: e.Addr,
		Action: e.Action, CaseID: e.CaseID, Target: e.Target, Before: e.Before, After: e.After, Detail: e.Detail}
}

var chinaZone = time.FixedZone("CST", 8*3600)

// filter turns q into the log's filter; bad dates are input errors.
func (q AuditQuery) filter(court string) (enforcement.AuditFilter, error) {
	f := enforcement.AuditFilter{Court: court, UserID: q.UserID, CaseID: q.CaseID, Action: q.Action}
	var ie InputError
	for _, x := range []struct {
		field, v string
		to       *time.Time
		next     bool
	}{{"from", q.From, &f.From, false}, {"to", q.To, &f.To, true}} {
		if x.v == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", x.v, chinaZone)
		if err != nil {
			ie.Add(x.field, "invalid_date", "日期格式应为 2026-01-31")
			continue
		}
		if x.next {
			t = t.AddDate(0, 0, 1)
		}
		*x.to = t
	}
	if q.Page < 0 {
		ie.Add("page", "invalid", "页码有误")
	}
	return f, ie.Err()
}

// AuditLog returns a page of the court's audit log, newest first; the
// chief only.
func (d *Desk) AuditLog(ctx context.Context, p *Principal, q AuditQuery) (AuditPage, error) {
	if err := Need(p, RoleChief); err != nil {
		return AuditPage{}, err
	}
	if d.Audit == nil {
		return AuditPage{Entries: []AuditRow{}}, nil
	}
	f, err := q.filter(d.CourtFor(p))
	if err != nil {
		return AuditPage{}, err
	}
	f.Offset, f.Limit = q.Page*AuditPageSize, AuditPageSize+1
	es, err := d.Audit.List(ctx, f)
	if err != nil {
		return AuditPage{}, err
	}
	pg := AuditPage{Entries: []AuditRow{}, Page: q.Page, More: len(es) > AuditPageSize}
	for i, e := range es {
		if i == AuditPageSize {
			break
		}
		pg.Entries = append(pg.Entries, auditRow(e))
	}
	return pg, nil
}

// WriteAuditCSV writes the entries of the court's audit log matching q (all
// pages) to w as CSV, UTF-8 with a byte-order mark so that spreadsheet
// programs read the Chinese; the chief only.
func (d *Desk) WriteAuditCSV(ctx context.Context, p *Principal, q AuditQuery, w io.Writer) error {
	if err := Need(p, RoleChief); err != nil {
		return err
	}
	f, err := q.filter(d.CourtFor(p))
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"序号", "时间", "用户", "姓名", "角色", "地址", "操作", "案件", "对象", "变更前", "变更后", "说明"}); err != nil {
		return err
	}
	if d.Audit == nil {
		cw.Flush()
		return cw.Error()
	}
	const batch = 500
	for f.Offset = 0; ; f.Offset += batch {
		f.Limit = batch
		es, err := d.Audit.List(ctx, f)
		if err != nil {
			return err
		}
		for _, e := range es {
			r := auditRow(e)
			row := []string{strconv.FormatInt(r.Seq, 10), r.At.Format("2006-01-02 15:04:05"), r.UserID, r.UserName, r.Role, r.Addr,
				r.Action, r.CaseID, r.Target, string(r.Before), string(r.After), r.Detail}
			for i := range row {
				row[i] = csvCell(row[i])
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		if len(es) < batch {
			break
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvCell keeps a spreadsheet from reading a cell as a formula: text
// starting with =, +, -, @ or a control character gets a leading quote.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
