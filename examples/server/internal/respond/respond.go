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
	Code      string            `json:"code"`
	MessageZh string            `json:"message_zh"`
	Fields    []desk.FieldError `json:"fields,omitempty"`
	// Date is the uncovered date of a not_covered error.
	Date string `json:"date,omitempty"`
	// Unmet lists the closure preconditions not met.
	Unmet []enforcement.Precondition `json:"unmet,omitempty"`
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

// Error answers with the status of err and its details.
func Error(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	row := Lookup(err)
	d := ErrorDetail{Code: row.Code, MessageZh: row.Message, Fields: Fields(err)}
	var nc *deadline.NotCoveredError
	if errors.As(err, &nc) {
		d.Date = nc.Date.String()
		first, last := nc.First, nc.Last
		d.MessageZh = fmt.Sprintf("日期 %s 超出已加载的节假日安排范围（%s 至 %s），请先加载该年度的节假日安排", nc.Date, first, last)
	}
	var ce *enforcement.ClosureError
	if errors.As(err, &ce) {
		d.Unmet = ce.Unmet
		d.MessageZh = "结案条件尚未全部满足"
	}
	if row.Status >= 500 {
		log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		log.DebugContext(r.Context(), "request refused", "method", r.Method, "path", r.URL.Path, "status", row.Status, "err", err)
	}
	if secs, ok := auth.RetryAfter(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	JSON(w, row.Status, ErrorBody{d})
}

// Fields extracts field-level problems from the typed errors of the domain.
func Fields(err error) []desk.FieldError {
	var out []desk.FieldError
	var ie *desk.InputError
	if errors.As(err, &ie) {
		out = append(out, ie.Fields...)
	}
	var ve *enforcement.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			out = append(out, desk.FieldError{Field: f.Field, Code: f.Code, MessageZh: fieldMessage(f.Code, f.Detail)})
		}
	}
	var cn *enforcement.CaseNumberError
	if errors.As(err, &cn) {
		out = append(out, desk.FieldError{Field: "number", Code: "invalid_case_number", MessageZh: "案号格式有误：" + string(cn.Part)})
	}
	var ae *enforcement.AmountError
	if errors.As(err, &ae) {
		out = append(out, desk.FieldError{Field: "amount", Code: "invalid_amount", MessageZh: "金额有误"})
	}
	var le *deadline.LoadError
	if errors.As(err, &le) {
		for _, p := range le.Problems {
			out = append(out, desk.FieldError{Field: "schedule" + pathSuffix(p.Path), Code: "invalid_schedule", MessageZh: "节假日安排有误：" + p.Msg})
		}
	}
	var me *notify.MessageError
	if errors.As(err, &me) {
		for _, p := range me.Problems {
			field, detail, ok := strings.Cut(p, ": ")
			if !ok {
				field, detail = "", p
			}
			out = append(out, desk.FieldError{Field: field, Code: "invalid", MessageZh: "短信内容有误：" + detail})
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
					out = append(out, desk.FieldError{Field: te.Field, Code: "invalid_trip", MessageZh: "外出行程有误：" + te.Reason})
				}
			}
		} else {
			out = append(out, desk.FieldError{Field: te.Field, Code: "invalid_trip", MessageZh: "外出行程有误：" + te.Reason})
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

// fieldMessage returns the Chinese text of a domain field error code.
func fieldMessage(code, detail string) string {
	switch code {
	case "required":
		return "必填项"
	case "invalid_mobile":
		return "手机号码格式有误"
	case "invalid_date":
		return "日期无效"
	case "not_allowed_at_node":
		return "该节点不允许采取此措施"
	case "unknown", "unknown_value":
		return "未知的取值"
	}
	return "输入有误（" + code + "）"
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
