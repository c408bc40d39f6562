package api

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// fieldLabels are the Chinese names of request fields, by their JSON name.
var fieldLabels = map[string]string{
	"number": "案号", "cause": "案由", "amount_applied": "申请执行金额", "received_on": "收案日期", "filed_on": "立案日期",
	"judge_id": "承办法官", "key": "重点案件标记", "non_litigation": "非诉执行标记", "source": "执行依据", "parties": "当事人",
	"role": "当事人身份", "kind": "类别", "name": "名称", "id_number": "证件号码", "mobile": "手机号码", "opt_out": "退订标记",
	"wrong_number": "错号标记", "title": "标题", "issuer": "作出机关", "effective_on": "生效日期", "performance_due": "履行期限",
	"instalments": "分期履行日期", "date": "日期", "note": "备注", "urgent": "紧急标记", "node": "节点", "property": "财产类别",
	"target": "措施对象", "amount": "金额", "taken_on": "采取措施日期", "expires_on": "届满日期", "outcome": "结果", "result": "结果说明",
	"renewal_of": "续行的措施", "reason": "理由", "on": "日期", "mode": "结案方式", "party_id": "当事人", "purpose": "事由",
	"summary": "告知内容", "reply_by": "答复期限", "choice": "意见", "text": "内容", "channel": "渠道", "answer": "答复",
	"due": "期限", "response": "回复", "params": "短信变量", "start": "开始时间", "end": "结束时间", "place": "地点",
	"address": "地址", "division": "行政区划代码", "lat": "纬度", "lng": "经度", "case_id": "案件", "due_id": "期限事项",
	"day": "日期", "trip": "外出行程", "done": "完成标记", "id": "编号", "password": "密码", "user_id": "账号",
	"case_number": "案号", "query_code": "查询码", "confirm_over_applied": "超额确认",
}

// label returns the Chinese name of the field at path, e.g. "当事人身份"
// for "parties[0].role".
func label(path string) string {
	last := path
	if i := strings.LastIndexByte(last, '.'); i >= 0 {
		last = last[i+1:]
	}
	if i := strings.IndexByte(last, '['); i >= 0 {
		last = last[:i]
	}
	if l, ok := fieldLabels[last]; ok {
		return l
	}
	return "该项"
}

// decodeError turns a decoding error of body into an input error naming
// the field as the client sent it (a JSON path such as
// "parties[1].mobile") with a Chinese sentence and a stable code.
func decodeError(body []byte, target reflect.Type, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return desk.BadField("", "syntax", "请求内容不是有效的 JSON，请检查括号、引号和逗号")
	}
	if strings.HasPrefix(err.Error(), "json: unknown field ") {
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return desk.BadField(f, "unknown_field", "不认识的字段："+f)
	}
	path, t, raw, ok := locate(body, target, "")
	if !ok {
		return desk.BadField("", "invalid", "请求内容有误，请检查各项填写")
	}
	if path == "" {
		return desk.BadField("", "not_object", "请求内容须为一个 JSON 对象")
	}
	return fieldValueError(path, t, raw)
}

// fieldValueError explains why raw is not a value of type t.
func fieldValueError(path string, t reflect.Type, raw json.RawMessage) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	l := label(path)
	var s string
	isString := json.Unmarshal(raw, &s) == nil
	switch {
	case t == reflect.TypeFor[deadline.Date]():
		if !isString {
			return desk.BadField(path, "wrong_type", l+"应为日期文字，格式为 YYYY-MM-DD")
		}
		return desk.BadField(path, "invalid_date", l+"不是有效日期："+s+"（格式为 YYYY-MM-DD）")
	case t == reflect.TypeFor[time.Time]():
		if !isString {
			return desk.BadField(path, "wrong_type", l+"应为时间文字，如 2026-11-30T09:00:00+08:00")
		}
		return desk.BadField(path, "invalid_time", l+"不是有效时间："+s+"（应如 2026-11-30T09:00:00+08:00）")
	case t == reflect.TypeFor[decimal.Decimal]():
		return desk.BadField(path, "invalid_amount", l+"须为金额，以元为单位、最多两位小数，如 \"100000.00\"")
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) && isString {
		return desk.BadField(path, "unknown_value", l+"的取值无法识别："+s)
	}
	want := "文字"
	switch t.Kind() {
	case reflect.Bool:
		want = "是或否（true 或 false）"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64, reflect.Float32, reflect.Uint, reflect.Uint64:
		want = "数字"
	case reflect.Struct, reflect.Map:
		want = "对象（{…}）"
	case reflect.Slice, reflect.Array:
		want = "列表（[…]）"
	}
	return desk.BadField(path, "wrong_type", l+"应为"+want)
}

// locate finds the first value of body that does not decode into its
// field of type t and returns its path, type and text.
func locate(body json.RawMessage, t reflect.Type, path string) (string, reflect.Type, json.RawMessage, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return "", nil, nil, false
	}
	leaf := reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) ||
		reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]())
	if !leaf {
		switch t.Kind() {
		case reflect.Struct:
			var m map[string]json.RawMessage
			if json.Unmarshal(body, &m) != nil {
				return path, t, body, true
			}
			for i := range t.NumField() {
				f := t.Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name == "" || name == "-" {
					continue
				}
				for k, v := range m {
					if strings.EqualFold(k, name) {
						if p, ft, raw, ok := locate(v, f.Type, join(path, name)); ok {
							return p, ft, raw, true
						}
					}
				}
			}
			return "", nil, nil, false
		case reflect.Slice:
			var a []json.RawMessage
			if json.Unmarshal(body, &a) != nil {
				return path, t, body, true
			}
			for i, v := range a {
				if p, ft, raw, ok := locate(v, t.Elem(), path+"["+strconv.Itoa(i)+"]"); ok {
					return p, ft, raw, true
				}
			}
			return "", nil, nil, false
		case reflect.Map:
			var m map[string]json.RawMessage
			if json.Unmarshal(body, &m) != nil {
				return path, t, body, true
			}
			for k, v := range m {
				if p, ft, raw, ok := locate(v, t.Elem(), join(path, k)); ok {
					return p, ft, raw, true
				}
			}
			return "", nil, nil, false
		}
	}
	if json.Unmarshal(body, reflect.New(t).Interface()) != nil {
		return path, t, body, true
	}
	return "", nil, nil, false
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// unknownValue is the refusal of an enumerated value the API does not know.
func unknownValue(field, value string) error {
	return desk.BadField(field, "unknown_value", fmt.Sprintf("%s的取值无法识别：%s", label(field), value))
}
