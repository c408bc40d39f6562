package pages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// overridesView is the chief's list of due-date overrides.
type overridesView struct {
	Rows  []desk.OverrideRow
	Names map[string]string
}

// Name is a template helper: a user's name from their ID.
func (v overridesView) Name(id string) string {
	if n := v.Names[id]; n != "" {
		return n
	}
	return id
}

func (pg *pages) overrides(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	rows, err := pg.desk.Overrides(r.Context(), p, false)
	if err != nil {
		return err
	}
	return pg.render(w, r, http.StatusOK, "overrides", page{Title: "期限调整审批", Nav: "overrides", Data: overridesView{Rows: rows, Names: pg.judgeNames(r)}})
}

func (pg *pages) decideOverride(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	id, did, note := r.PathValue("id"), r.PathValue("did"), strings.TrimSpace(r.PostFormValue("note"))
	var err error
	flash := "approved"
	switch r.PostFormValue("decision") {
	case "approve":
		_, err = pg.desk.ApproveOverride(r.Context(), p, id, did, note)
	case "reject":
		if note == "" {
			return desk.BadField("note", "required", "驳回时请填写审批意见")
		}
		flash = "rejected"
		_, err = pg.desk.RejectOverride(r.Context(), p, id, did, note)
	default:
		return desk.BadField("decision", "invalid", "请选择批准或驳回")
	}
	if err != nil {
		return err
	}
	return back(w, r, "/chief/overrides", flash)
}

// auditAction is an action code with its Chinese name.
type auditAction struct{ Code, Name string }

// auditActions are the actions the audit page's filter offers.
var auditActions = []auditAction{
	{desk.ActionSignIn, "登录"},
	{desk.ActionSignInFailed, "登录失败"},
	{string(enforcement.EventCaseFiled), "立案"},
	{string(enforcement.EventNodeRecorded), "记录节点"},
	{string(enforcement.EventNodeCorrected), "更正节点日期"},
	{string(enforcement.EventWithdrawn), "撤回错误记录"},
	{string(enforcement.EventMeasureRecorded), "采取措施"},
	{string(enforcement.EventMeasureResult), "措施结果"},
	{string(enforcement.EventDueCompleted), "期限完成"},
	{string(enforcement.EventDueOverridden), "申请调整期限"},
	{string(enforcement.EventOverrideApproved), "批准调整期限"},
	{string(enforcement.EventOverrideRejected), "驳回调整期限"},
	{string(enforcement.EventOpinionSolicited), "征询意见"},
	{string(enforcement.EventOpinionRecorded), "记录意见"},
	{string(enforcement.EventRequestReceived), "收到诉求"},
	{string(enforcement.EventRequestAnswered), "答复诉求"},
	{string(enforcement.EventSupervisionOrdered), "督办"},
	{string(enforcement.EventSupervisionAnswered), "督办报告"},
	{string(enforcement.EventCaseClosed), "结案"},
	{string(enforcement.EventPartyUpdated), "当事人信息变更"},
	{desk.ActionMessageChanged, "短信变更"},
	{desk.ActionPlanChanged, "工作计划变更"},
	{desk.ActionPlanItemRemoved, "删除计划事项"},
	{desk.ActionFeedRotated, "更换日历订阅地址"},
	{desk.ActionFeedRevoked, "停止日历订阅"},
	{desk.ActionTripAdded, "外出行程"},
	{desk.ActionScheduleLoaded, "节假日安排"},
	{desk.ActionClosureAdded, "停止办公日"},
}

// auditView is the chief's audit log page.
type auditView struct {
	Query   desk.AuditQuery
	Page    desk.AuditPage
	PageNo  int
	Actions []auditAction
	// QueryString, PrevQuery and NextQuery are the filter as URL query
	// text, for the export link and the pager.
	QueryString, PrevQuery, NextQuery string
	// Form is the filter as typed with its problems.
	Form form
}

// ActionName is a template helper: an action's Chinese name, or its code.
func (v auditView) ActionName(code string) string {
	for _, a := range auditActions {
		if a.Code == code {
			return a.Name
		}
	}
	return code
}

// encode returns q as URL query text with page set.
func encodeAudit(q desk.AuditQuery, page int) string {
	v := url.Values{}
	for k, s := range map[string]string{"user_id": q.UserID, "case_id": q.CaseID, "action": q.Action, "from": q.From, "to": q.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 0 {
		v.Set("page", strconv.Itoa(page))
	}
	return v.Encode()
}

func (pg *pages) audit(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := desk.Need(p, desk.RoleChief); err != nil {
		return err
	}
	q, err := desk.ParseAuditQuery(r.URL.Query())
	var res desk.AuditPage
	if err == nil {
		res, err = pg.desk.AuditLog(r.Context(), p, q)
	}
	// A filter refused for its fields is shown again with the problems
	// at them, as typed, and no entries.
	f, err := newForm(r.URL.Query(), err)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if f.Bad() {
		status = http.StatusBadRequest
	}
	v := auditView{Query: q, Page: res, PageNo: q.Page + 1, Actions: auditActions, Form: f,
		QueryString: encodeAudit(q, 0), PrevQuery: encodeAudit(q, q.Page-1), NextQuery: encodeAudit(q, q.Page+1)}
	return pg.render(w, r, status, "audit", page{Title: "操作日志", Nav: "audit", Data: v})
}

func (pg *pages) auditCSV(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	q, err := desk.ParseAuditQuery(r.URL.Query())
	if err != nil {
		return err
	}
	if err := desk.Need(p, desk.RoleChief); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit-log.csv"`)
	return pg.desk.WriteAuditCSV(r.Context(), p, q, w)
}
