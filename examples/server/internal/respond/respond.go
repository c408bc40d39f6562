// Package respond writes the example server's JSON answers and maps
// errors to HTTP statuses, in one table.
package respond

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/courtkit/zhixing/examples/server/internal/auth"

	"github.com/courtkit/zhixing/adapters/sms"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/notify"
	"github.com/courtkit/zhixing/planning"
)

// ErrTooLarge is a request body over the limit.
var ErrTooLarge = errors.New("server: request body too large")

// Row maps a condition to an HTTP status, a stable code and a Chinese
// message. The first row whose target matches (errors.Is) wins, so more
// specific conditions come first.
type Row struct {
	target error
	// Status is the HTTP status; Code the stable code of the error
	// document; Message its Chinese text.
	Status  int
	Code    string
	Message string
}

// errorTable is the one place where errors become HTTP statuses.
var errorTable = []Row{
	{desk.ErrUnauthenticated, http.StatusUnauthorized, "unauthenticated", "请先登录"},
	{auth.ErrBadCredentials, http.StatusUnauthorized, "bad_credentials", "账号、案号或查询码不正确"},
	{auth.ErrCSRF, http.StatusForbidden, "csrf", "请求缺少有效的防伪令牌（X-CSRF-Token）"},
	{desk.ErrForbidden, http.StatusForbidden, "forbidden", "您无权进行此操作"},
	{desk.ErrOTPRequired, http.StatusForbidden, "otp_required", "请先获取并输入发送到您手机的短信验证码"},
	{desk.ErrOTPInvalid, http.StatusBadRequest, "otp_invalid", "验证码不正确"},
	{desk.ErrOTPExpired, http.StatusBadRequest, "otp_expired", "验证码已失效（过期、已使用或错误次数过多），请重新获取"},
	{desk.ErrOTPRateLimited, http.StatusTooManyRequests, "otp_rate_limited", "验证码发送过于频繁，请稍后再试"},
	{auth.ErrRateLimited, http.StatusTooManyRequests, "rate_limited", "失败次数过多，请稍后再试"},
	{ErrTooLarge, http.StatusRequestEntityTooLarge, "too_large", "请求内容过大"},
	{desk.ErrNoOutbox, http.StatusServiceUnavailable, "no_outbox", "短信发件箱尚未配置"},
	{enforcement.ErrNotFound, http.StatusNotFound, "not_found", "未找到该记录"},
	{notify.ErrNotFound, http.StatusNotFound, "not_found", "未找到该短信"},
	{enforcement.ErrConflict, http.StatusConflict, "conflict", "记录已被他人修改或已存在，请刷新后重试"},
	{notify.ErrConflict, http.StatusConflict, "conflict", "短信已被他人处理，请刷新后重试"},
	{notify.ErrInvalidTransition, http.StatusConflict, "invalid_transition", "该短信当前状态不允许此操作"},
	{enforcement.ErrClosed, http.StatusConflict, "closed", "案件已结案，不能再作此变更"},
	{enforcement.ErrNotAllowed, http.StatusUnprocessableEntity, "not_allowed", "当前案件状态或节点不允许此操作"},
	{deadline.ErrNotCovered, http.StatusUnprocessableEntity, "not_covered", "日期超出已加载的节假日安排范围"},
	{desk.ErrBadInput, http.StatusBadRequest, "invalid", "输入有误"},
	{enforcement.ErrInvalid, http.StatusBadRequest, "invalid", "输入有误"},
	{deadline.ErrInvalidDate, http.StatusBadRequest, "invalid", "日期无效"},
	{deadline.ErrInvalidSchedule, http.StatusBadRequest, "invalid", "节假日安排数据有误"},
	{deadline.ErrInvalidPeriod, http.StatusBadRequest, "invalid", "期间无效"},
	{notify.ErrInvalidMessage, http.StatusBadRequest, "invalid", "短信内容有误"},
	{notify.ErrMissingVar, http.StatusBadRequest, "invalid", "短信模板变量缺失"},
	{notify.ErrValueTooLong, http.StatusBadRequest, "invalid", "短信模板变量过长"},
	{notify.ErrMalformedReply, http.StatusBadRequest, "invalid", "无法识别的回复"},
	{planning.ErrInvalidConfig, http.StatusBadRequest, "invalid", "协调配置有误"},
	// Every *planning.PlanError matches ErrInvalidPlan, whatever its
	// problems; their fields are listed by Fields.
	{planning.ErrInvalidPlan, http.StatusBadRequest, "invalid", "工作计划有误"},
	{sms.ErrMalformed, http.StatusBadRequest, "invalid", "回调内容有误"},
}

// tripSentinels are planning's trip conditions, all bad input.
var tripSentinels = []error{
	planning.ErrTripNoID, planning.ErrTripNoJudge, planning.ErrTripNoTime, planning.ErrTripEndBeforeStart,
	planning.ErrTripNoPlace, planning.ErrInvalidDivision, planning.ErrInvalidCoords, planning.ErrDuplicateTrip,
}

// ErrorBody is the JSON error document.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is an error: its code, Chinese message and details.
type ErrorDetail struct {
	// Code is the stable English code; for bad input, the code of the
	// first problem (e.g. "invalid_date").
	Code string `json:"code"`
	// Field is the first offending field as the client sent it, a JSON
	// path such as "parties[0].mobile"; empty when the request as a whole
	// is wrong.
	Field     string            `json:"field,omitempty"`
	MessageZh string            `json:"message_zh"`
	Fields    []desk.FieldError `json:"fields,omitempty"`
	// Date is the uncovered date of a not_covered error.
	Date string `json:"date,omitempty"`
	// Unmet lists the closure preconditions not met.
	Unmet []Unmet `json:"unmet,omitempty"`
}

// Unmet is a closure precondition not met, as the error document lists
// it.
type Unmet struct {
	Key     string `json:"key"`
	Title   string `json:"title"`
	Basis   string `json:"basis"`
	Article string `json:"article,omitempty"`
	Met     bool   `json:"met"`
	Status  string `json:"status,omitempty"`
	Detail  string `json:"detail"`
}

// Lookup returns the row for err, or a 500 row.
func Lookup(err error) Row {
	for _, r := range errorTable {
		if errors.Is(err, r.target) {
			return r
		}
	}
	for _, s := range tripSentinels {
		if errors.Is(err, s) {
			return Row{s, http.StatusBadRequest, "invalid", "外出行程有误"}
		}
	}
	return Row{nil, http.StatusInternalServerError, "internal", "服务器内部错误，请联系管理员"}
}

// Message is the Chinese message for err: its row's, or a more precise
// one for the typed errors that say why (a withdrawal refused).
func Message(err error) string {
	var we *enforcement.WithdrawError
	if errors.As(err, &we) {
		return withdrawMessage(we)
	}
	return Lookup(err).Message
}

// withdrawMessage says why a record cannot be withdrawn and what to
// withdraw first.
func withdrawMessage(e *enforcement.WithdrawError) string {
	switch e.Code {
	case enforcement.WithdrawFiling:
		return "立案记录不能撤回；误立的案件请以驳回申请或销案结案"
	case enforcement.WithdrawClosure:
		return "结案记录不能撤回；如需继续执行，请记录恢复执行"
	case enforcement.WithdrawEnded:
		return "该中止、暂缓或和解已由恢复执行结束，请先撤回其后的恢复执行记录"
	case enforcement.WithdrawLaterSuspension:
		return "该恢复执行之后又记录了中止、暂缓或和解，请先撤回其后的记录"
	case enforcement.WithdrawReopenedClosed:
		return "该恢复执行重新开启了已结案件，原结案记录无法恢复，不能撤回"
	case enforcement.WithdrawRenewed:
		return "该措施已续行，请先撤回续行的措施"
	}
	return "该记录不能撤回"
}

// Error answers with the status of err and its details.
func Error(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	row := Lookup(err)
	d := ErrorDetail{Code: row.Code, MessageZh: Message(err), Fields: Fields(err)}
	var nc *deadline.NotCoveredError
	if errors.As(err, &nc) {
		d.Date = nc.Date.String()
		first, last := nc.First, nc.Last
		d.MessageZh = fmt.Sprintf("日期 %s 超出已加载的节假日安排范围（%s 至 %s），请先加载该年度的节假日安排", nc.Date, first, last)
	}
	if row.Status == http.StatusBadRequest && len(d.Fields) > 0 {
		first := d.Fields[0]
		d.Code, d.Field, d.MessageZh = first.Code, first.Field, first.MessageZh
	}
	var ce *enforcement.ClosureError
	if errors.As(err, &ce) {
		for _, p := range ce.Unmet {
			d.Unmet = append(d.Unmet, Unmet{Key: p.Key, Title: p.Title, Basis: p.Basis, Article: p.Article, Met: p.Met, Status: string(p.Status), Detail: p.Detail})
		}
		d.MessageZh = "结案条件尚未全部满足"
	}
	if row.Status >= 500 {
		log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", LogPath(r.URL.Path), "err", err)
	} else {
		log.DebugContext(r.Context(), "request refused", "method", r.Method, "path", LogPath(r.URL.Path), "status", row.Status, "err", err)
	}
	if secs, ok := auth.RetryAfter(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	JSON(w, row.Status, ErrorBody{d})
}

// FeedPrefix is where calendar subscriptions are served,
// /feeds/{token}.ics: the token is a credential.
const FeedPrefix = "/feeds/"

// LogPath is path as logs show it: a calendar feed's token is masked.
func LogPath(path string) string {
	if strings.HasPrefix(path, FeedPrefix) {
		return FeedPrefix + "***"
	}
	return path
}

// Fields extracts field-level problems from the typed errors of the domain.
func Fields(err error) []desk.FieldError {
	var out []desk.FieldError
	var ie *desk.InputError
	if errors.As(err, &ie) {
		out = append(out, ie.Fields...)
	}
	var pt *desk.PointError
	if errors.As(err, &pt) {
		out = append(out, pt.FieldError())
	}
	var ve *enforcement.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			field, code := f.Field, f.Code
			if field == "court" && code == "mismatch" {
				// The court is the desk's own; the client gave the number.
				field, code = "number", "court_mismatch"
			}
			out = append(out, desk.FieldError{Field: field, Code: code, MessageZh: fieldMessage(field, code)})
		}
	}
	var cn *enforcement.CaseNumberError
	if errors.As(err, &cn) {
		out = append(out, desk.FieldError{Field: "number", Code: "invalid_case_number", MessageZh: "案号" + casePartZh[cn.Part] + "有误，应如（2026）沪01执123号：" + cn.Input})
	}
	var ae *enforcement.AmountError
	if errors.As(err, &ae) {
		out = append(out, desk.FieldError{Field: "amount", Code: "invalid_amount", MessageZh: "金额有误：" + ae.Amount.String()})
	}
	var le *deadline.LoadError
	if errors.As(err, &le) {
		for _, p := range le.Problems {
			out = append(out, desk.FieldError{Field: "schedule" + pathSuffix(p.Path), Code: "invalid_schedule", MessageZh: scheduleMessage(p)})
		}
	}
	var me *notify.MessageError
	if errors.As(err, &me) {
		for _, p := range me.Problems {
			field, detail, ok := strings.Cut(p, ": ")
			if !ok {
				field, detail = "", p
			}
			out = append(out, desk.FieldError{Field: field, Code: "invalid_message", MessageZh: messageProblem(detail)})
		}
	}
	var pe *planning.PlanError
	if errors.As(err, &pe) {
		for _, p := range pe.Problems {
			var ie *planning.ItemError
			if errors.As(p, &ie) {
				out = append(out, desk.FieldError{Field: planField(ie.Field), Code: planCode(ie.Err), MessageZh: planMessage(ie.Err)})
			}
		}
	}
	var te *planning.TripError
	if errors.As(err, &te) {
		// errors.Join of several trip errors: report each.
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				if errors.As(e, &te) {
					out = append(out, desk.FieldError{Field: tripField(te.Field), Code: "invalid_trip", MessageZh: tripMessage(te)})
				}
			}
		} else {
			out = append(out, desk.FieldError{Field: tripField(te.Field), Code: "invalid_trip", MessageZh: tripMessage(te)})
		}
	}
	return out
}

// planField returns the API name of a plan item's field, e.g. "case_id"
// for CaseID and "by" for Change.By.
func planField(f string) string {
	f = strings.TrimPrefix(f, "Change.")
	var b strings.Builder
	for i, r := range f {
		if r >= 'A' && r <= 'Z' {
			if i > 0 && !(f[i-1] >= 'A' && f[i-1] <= 'Z') {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// planProblems are planning's problem sentinels with their codes and
// Chinese texts.
var planProblems = []struct {
	err        error
	code, text string
}{
	{planning.ErrInvalidItem, "invalid_item", "计划事项填写不完整或有误"},
	{planning.ErrItemNoTime, "no_time", "计划事项须有日期，或同时有开始和结束时间"},
	{planning.ErrItemEndBeforeStart, "end_before_start", "结束时间早于开始时间"},
	{planning.ErrOutsideWeek, "outside_week", "不在本计划的周次内"},
	{planning.ErrUnknownCase, "unknown_case", "不是您承办的案件"},
	{planning.ErrUnknownDue, "unknown_due", "该案件没有此期限"},
	{planning.ErrDuplicateItem, "duplicate_item", "计划事项编号重复"},
	{planning.ErrNoSuchItem, "no_such_item", "计划中没有该事项"},
	{planning.ErrAlreadySubmitted, "already_submitted", "计划已提交"},
}

func planCode(err error) string {
	for _, p := range planProblems {
		if errors.Is(err, p.err) {
			return p.code
		}
	}
	return "invalid_plan"
}

func planMessage(err error) string {
	for _, p := range planProblems {
		if errors.Is(err, p.err) {
			return p.text
		}
	}
	return "工作计划有误"
}

// fieldMessages are the Chinese sentences of the domain's field error
// codes.
var fieldMessages = map[string]string{
	"required":             "必须填写",
	"invalid_mobile":       "须为11位大陆手机号码",
	"invalid_date":         "不是有效日期，或与其他日期先后矛盾",
	"not_allowed_at_node":  "该节点不允许采取此措施",
	"unknown":              "的取值无法识别",
	"unknown_value":        "的取值无法识别",
	"unknown_choice":       "的取值无法识别，应为同意、不同意或其他",
	"unknown_closure_mode": "的取值无法识别",
	"unknown_deduction":    "的取值无法识别",
	"unknown_measure":      "所指的措施不存在或种类不符",
	"unknown_node":         "所指的节点无法识别",
	"unknown_outcome":      "的取值无法识别",
	"unknown_property":     "的取值无法识别",
	"unknown_finding":      "的取值无法识别",
	"unknown_party":        "所指的当事人不存在",
	"invalid_kind":         "的取值无法识别",
	"invalid_role":         "的取值无法识别，应为申请执行人或被执行人",
	"invalid_id_number":    "不是有效的身份证号码或统一社会信用代码",
	"invalid_reply_code":   "须为4至8位数字或大写字母（不含I和O）",
	"negative":             "不能为负数",
	"too_precise":          "最多保留两位小数",
	"too_long":             "内容过长",
	"court_mismatch":       "中的法院代字与本院不符",
	"in_past":              "不能早于今天",
	"duplicate":            "编号重复",
	"before_filing":        "不能早于立案日期",
	"before_from":          "不能早于起始日期",
	"no_applicant":         "至少须有一名申请执行人",
	"no_respondent":        "至少须有一名被执行人",
	"not_applicant":        "须为申请执行人",
	"reason_too_short":     "过短，请写明理由（至少4个字）",
}

// fieldMessage returns the Chinese sentence of a domain field error: the
// field's Chinese name and what is wrong with it.
func fieldMessage(field, code string) string {
	name := fieldZh(field)
	if m, ok := fieldMessages[code]; ok {
		return name + m
	}
	return name + "填写有误"
}

// fieldZh names a domain field in Chinese, e.g. "立案日期" for
// "filed_on" or "parties[0].mobile".
func fieldZh(field string) string {
	last := field
	if i := strings.LastIndexByte(last, '.'); i >= 0 {
		last = last[i+1:]
	}
	if i := strings.IndexByte(last, '['); i >= 0 {
		last = last[:i]
	}
	if n, ok := domainFields[last]; ok {
		return n
	}
	return "该项"
}

var domainFields = map[string]string{
	"number": "案号", "amount_applied": "申请执行金额", "amount_recovered": "执行到位金额", "received_on": "收案日期",
	"filed_on": "立案日期", "judge_id": "承办法官", "parties": "当事人", "role": "当事人身份", "kind": "类别", "name": "名称",
	"id_number": "证件号码", "mobile": "手机号码", "effective_on": "生效日期", "date": "日期", "note": "备注", "node": "节点",
	"property": "财产类别", "amount": "金额", "taken_on": "采取措施日期", "expires_on": "届满日期", "outcome": "结果",
	"renewal_of": "续行的措施", "reason": "理由", "on": "日期", "mode": "结案方式", "party_id": "当事人", "purpose": "事由",
	"reply_by": "答复期限", "reply_code": "回复码", "choice": "意见", "text": "内容", "answer": "答复", "due": "期限",
	"id": "编号", "by": "经办人", "court": "法院", "asked_on": "征询日期", "finding": "核查结果", "from": "起始日期",
	"to": "结束日期", "issued_by": "督办人", "received": "收到日期", "events": "时效事件", "until": "截止日期",
	"source": "执行依据",
}

// casePartZh names the parts of a case number.
var casePartZh = map[enforcement.CaseNumberPart]string{
	enforcement.PartBrackets: "年度括号", enforcement.PartYear: "年度", enforcement.PartCourt: "法院代字",
	enforcement.PartType: "类型代字", enforcement.PartSequence: "案件编号", enforcement.PartSuffix: "结尾的“号”字",
}

// scheduleMessage explains a problem of a holiday schedule in Chinese.
func scheduleMessage(p deadline.Problem) string {
	switch {
	case errors.Is(p.Err, deadline.ErrInvalidDate) || strings.Contains(p.Msg, "invalid date"):
		return "节假日安排中的日期无效，格式为 YYYY-MM-DD"
	case strings.Contains(p.Msg, "contiguous"):
		return "节假日安排的年份须连续，不能跳过年份"
	case errors.Is(p.Err, deadline.ErrNotCovered):
		return "日期超出已加载的节假日安排范围"
	}
	return "节假日安排有误，请核对该项"
}

// messageProblem explains a problem with an SMS edit in Chinese.
func messageProblem(detail string) string {
	switch {
	case strings.Contains(detail, "not a variable"):
		return "短信模板中没有这个变量"
	case strings.Contains(detail, "too long"):
		return "短信变量内容过长"
	case strings.Contains(detail, "missing") || strings.Contains(detail, "required"):
		return "短信模板变量缺失"
	}
	return "短信内容有误"
}

// tripField returns the API name of a trip's field, e.g. "place.division"
// for "Place.Division".
func tripField(f string) string {
	parts := strings.Split(f, ".")
	for i, p := range parts {
		parts[i] = planField(p)
	}
	return strings.Join(parts, ".")
}

// tripMessages are the Chinese sentences of planning's trip conditions.
var tripMessages = []struct {
	err  error
	text string
}{
	{planning.ErrTripNoID, "外出行程缺少编号"},
	{planning.ErrTripNoJudge, "外出行程须指明法官"},
	{planning.ErrTripNoTime, "外出行程须有开始和结束时间"},
	{planning.ErrTripEndBeforeStart, "结束时间早于开始时间"},
	{planning.ErrTripNoPlace, "外出行程须有地址、行政区划代码或经纬度"},
	{planning.ErrInvalidDivision, "行政区划代码须为6位有效的县级代码"},
	{planning.ErrInvalidCoords, "经纬度超出有效范围"},
	{planning.ErrDuplicateTrip, "外出行程编号重复"},
}

func tripMessage(te *planning.TripError) string {
	for _, m := range tripMessages {
		if errors.Is(te.Err, m.err) {
			return m.text
		}
	}
	return "外出行程有误"
}

// RawJSON writes a JSON document encoded by desk.EncodeJSON with status.
func RawJSON(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// JSON writes v as JSON with status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func pathSuffix(p string) string {
	if p == "" {
		return ""
	}
	return "." + p
}
