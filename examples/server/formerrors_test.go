package main

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// templateForm is one form of a page template: its method, its action as
// written in the template, and the fields a user types into or picks.
type templateForm struct {
	File, Method, Action string
	Typed                []string // names of text, date, number, time, password and textarea fields
	Picked               []string // names of selects, checkboxes and radios
}

// Key names the form in formBadInput: file, method, action and its typed
// fields (two forms may post to the same action with different fields).
func (f templateForm) Key() string {
	return f.File + " " + f.Method + " " + f.Action + " [" + strings.Join(f.Typed, " ") + "]"
}

var (
	formElem  = regexp.MustCompile(`(?s)<form\b[^>]*\bmethod="(get|post)"[^>]*\baction="([^"]*)"[^>]*>(.*?)</form>`)
	fieldElem = regexp.MustCompile(`<(input|select|textarea)\b([^>]*)>`)
	// fieldTpl is the "field" sub-template of forms.html: a labelled input.
	fieldTpl = regexp.MustCompile(`\{\{template "field" \(dict .*?"Name" "([^"]+)".*?"Type" "(\w+)"`)
	attrName = regexp.MustCompile(`\bname="([^"]*)"`)
	attrType = regexp.MustCompile(`\btype="([^"]*)"`)
	// tplAction stands for {{…}} in names and actions.
	tplAction = regexp.MustCompile(`\{\{[^}]*\}\}`)
)

// templateForms reads every form of every page template.
func templateForms(t *testing.T) []templateForm {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("internal", "pages", "web", "*.html"))
	require.NoError(t, err)
	var out []templateForm
	seen := map[string]bool{}
	for _, file := range files {
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		for _, m := range formElem.FindAllStringSubmatch(string(b), -1) {
			f := templateForm{File: filepath.Base(file), Method: strings.ToUpper(m[1]), Action: m[2]}
			for _, fm := range fieldElem.FindAllStringSubmatch(m[3], -1) {
				typ := fm[1]
				if tm := attrType.FindStringSubmatch(fm[2]); tm != nil && fm[1] == "input" {
					typ = tm[1]
				}
				name := ""
				if nm := attrName.FindStringSubmatch(fm[2]); nm != nil {
					name = tplAction.ReplaceAllString(nm[1], "X")
				}
				switch typ {
				case "hidden", "submit", "button":
				case "select", "checkbox", "radio":
					f.Picked = append(f.Picked, name)
				default:
					f.Typed = append(f.Typed, name)
				}
			}
			for _, fm := range fieldTpl.FindAllStringSubmatch(m[3], -1) {
				f.Typed = append(f.Typed, fm[1])
			}
			slices.Sort(f.Typed)
			f.Typed = slices.Compact(f.Typed)
			if !seen[f.Key()] {
				seen[f.Key()] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// badInputCase drives one form with bad input.
type badInputCase struct {
	// None says why the form has nothing to type: buttons and hidden
	// fields only, or choices from a list. The test checks that it has
	// no typed field.
	None string
	// As signs in: a user ID, "party:<case>:<party>", or "" for nobody.
	As string
	// Page is the page the form is on, fetched first.
	Page func(fx *badFixture) string
	// Post is the path the form posts to (Page when empty, for GET
	// filters the query is the form).
	Post func(fx *badFixture) string
	// Form is what the user typed.
	Form url.Values
	// Field is the offending field; Msg the Chinese message at it.
	Field, Msg string
	// Kept lists fields whose typed value the answer must show again
	// (Field's own value is always checked when it was not empty).
	Kept []string
}

// badFixture holds the IDs of the demo court's records the forms act on.
type badFixture struct {
	e                            *env
	held4, held6                 notify.Message
	due4                         string
	nodeID, requestID, orderID   string
	solicitationID, itemID       string
	overrideCase, overrideDue    string
	closureDay                   string
	partyOpinion, partyRequester string
}

func newBadFixture(t *testing.T, e *env) *badFixture {
	fx := &badFixture{e: e}
	for _, c := range []struct {
		id  string
		out *notify.Message
	}{{"demo-4", &fx.held4}, {"demo-6", &fx.held6}} {
		ms, err := e.app.desk.Outbox.List(t.Context(), notify.Filter{CaseID: c.id})
		require.NoError(t, err)
		for _, m := range ms {
			if m.State == notify.StateHeld && len(m.Params) > 0 {
				*c.out = m
			}
		}
		require.NotEmpty(t, c.out.ID, "%s has a held message", c.id)
	}
	c4 := e.demoCase("demo-4")
	for _, d := range c4.DueItems {
		if d.IsOpen() {
			fx.due4 = d.ID
		}
	}
	for _, n := range c4.Nodes {
		if n.Kind == enforcement.NodeExecutionNotice {
			fx.nodeID = n.ID
		}
	}
	fx.requestID = e.demoCase("demo-5").Requests[0].ID
	fx.orderID = e.demoCase("demo-8").Orders[0].ID
	fx.solicitationID = e.demoCase("demo-7").Solicitations[0].ID
	require.NotEmpty(t, fx.due4)
	require.NotEmpty(t, fx.nodeID)

	judge := e.login("judge-zhang")
	require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/plans/judge-zhang/"+weekOf(e)+"/items",
		map[string]any{"id": "bad-1", "kind": "task", "title": "整理财产线索", "day": e.app.desk.Today().String()}, nil))
	fx.itemID = "bad-1"
	later := e.app.desk.Today().AddDays(30).String()
	fx.overrideCase, fx.overrideDue = "demo-4", fx.due4
	require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/cases/demo-4/due/"+url.PathEscape(fx.due4)+"/override",
		map[string]string{"date": later, "reason": "等待鉴定机构出具报告"}, nil))
	fx.closureDay = e.app.desk.Today().AddDays(20).String()
	require.Equal(t, http.StatusOK, e.login("chief").do("POST", "/api/v1/calendar/closures",
		map[string]string{"date": fx.closureDay, "reason": "台风"}, nil))
	return fx
}

// weekOf is the ISO week of the desk's today, as plan paths write it.
func weekOf(e *env) string {
	y, w := e.app.desk.Today().Start().ISOWeek()
	return itoa(y) + "-W" + pad2(w)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

func fixed(s string) func(*badFixture) string { return func(*badFixture) string { return s } }

// formBadInput gives every form of every page template its bad input, by
// templateForm.Key. A form added without a row here fails the test.
var formBadInput = map[string]badInputCase{
	// sign-in
	"login.html POST /login [password user_id]": {As: "", Page: fixed("/login"), Post: fixed("/login"),
		Form: url.Values{"user_id": {"  "}, "password": {"demo-judge-li"}}, Field: "user_id", Msg: "请填写用户名"},
	"login.html POST /login/party [case_number query_code]": {As: "", Page: fixed("/login"), Post: fixed("/login/party"),
		Form: url.Values{"case_number": {"2026沪01执104"}, "query_code": {"ABCD2345"}}, Field: "case_number", Msg: "案号格式有误"},
	"layout.html POST /logout []": {None: "a button"},

	// the judge's week
	"week.html POST /week/submit []":                    {None: "a button"},
	"week.html POST /week/items/{{$it.ID}}/done []":     {None: "a button"},
	"week.html POST /week/items/{{$it.ID}}/remove []":   {None: "a button"},
	"week.html POST /messages/{{.ID}}/confirm []":       {None: "a button"},
	"case_judge.html POST /messages/{{.ID}}/confirm []": {None: "a button"},
	"week.html POST /week/items [day]": {As: "judge-zhang", Page: fixed("/week"), Post: fixed("/week/items"),
		Form: url.Values{"back": {"/week"}, "kind": {"task"}, "title": {"发出执行通知书"}, "day": {"2026-02-30"}}, Field: "day", Msg: "日期"},
	"week.html POST /week/items [address day end point start title]": {As: "judge-zhang", Page: fixed("/week"), Post: fixed("/week/items"),
		Form:  url.Values{"back": {"/week"}, "kind": {"trip"}, "title": {"现场调查"}, "day": {"2026-11-27"}, "point": {"131.2,121.4"}, "address": {"浦东新区张江路100号"}},
		Field: "point", Msg: "纬度", Kept: []string{"title", "address"}},
	"week.html POST /week/items/{{$it.ID}}/move [day start]": {As: "judge-zhang", Page: fixed("/week"),
		Post: func(fx *badFixture) string { return "/week/items/" + fx.itemID + "/move" },
		Form: url.Values{"back": {"/week"}, "week": {"{week}"}, "day": {"2026/13/01"}}, Field: "day", Msg: "日期"},
	"week.html POST /messages/{{.ID}}/edit [param.X]": {As: "judge-li", Page: fixed("/week"),
		Post: func(fx *badFixture) string { return "/messages/" + fx.held6.ID + "/edit" },
		Form: url.Values{"back": {"/week"}}, Field: "param.*", Msg: "不能超过"},
	"week.html POST /messages/{{.ID}}/cancel [reason]": {As: "judge-li", Page: fixed("/week"),
		Post: func(fx *badFixture) string { return "/messages/" + fx.held6.ID + "/cancel" },
		Form: url.Values{"back": {"/week"}, "reason": {strings.Repeat("错", 2001)}}, Field: "reason", Msg: "不能超过2000个字"},
	"week.html POST /cases/{{.CaseID}}/supervision/{{.ID}}/answer [response]": {As: "judge-chen", Page: fixed("/week"),
		Post: func(fx *badFixture) string { return "/cases/demo-8/supervision/" + fx.orderID + "/answer" },
		Form: url.Values{"back": {"/week"}, "response": {"\u202e报告已完成"}}, Field: "response", Msg: "文字方向控制字符"},
	"feed.html POST /settings/feed/rotate []": {None: "a button"},
	"feed.html POST /settings/feed/revoke []": {None: "a button"},

	// the case page
	"case.html GET {{.Self}} []":                                          {None: "a list of closure modes"},
	"case.html POST /cases/{{$c.ID}}/parties/{{.ID}}/query-code/reset []": {None: "a button"},
	"case.html POST /cases/{{$c.ID}}/close [on reason]": {As: "judge-zhang", Page: fixed("/cases/demo-4"), Post: fixed("/cases/demo-4/close"),
		Form: url.Values{"mode": {"zhongben"}, "on": {"2026/13/01"}, "reason": {"无财产可供执行"}}, Field: "on", Msg: "日期", Kept: []string{"reason"}},
	"case.html POST /cases/{{$c.ID}}/requests/{{.ID}}/answer [answer]": {As: "judge-chen", Page: fixed("/cases/demo-5"),
		Post: func(fx *badFixture) string { return "/cases/demo-5/requests/" + fx.requestID + "/answer" },
		Form: url.Values{"answer": {strings.Repeat("答", 2001)}}, Field: "answer", Msg: "不能超过2000个字"},
	"case.html POST /cases/{{$c.ID}}/supervision/{{.ID}}/answer [response]": {As: "judge-chen", Page: fixed("/cases/demo-8"),
		Post: func(fx *badFixture) string { return "/cases/demo-8/supervision/" + fx.orderID + "/answer" },
		Form: url.Values{"response": {"   "}}, Field: "response", Msg: "请填写"},
	"case.html POST /chief/supervise [text workdays]": {As: "chief", Page: fixed("/cases/demo-4"), Post: fixed("/chief/supervise"),
		Form: url.Values{"case_id": {"demo-4"}, "back": {"/cases/demo-4"}, "text": {"请报告财产调查进展"}, "workdays": {"-3"}}, Field: "workdays", Msg: "工作日", Kept: []string{"text"}},
	"case_judge.html POST /messages/{{.ID}}/edit [param.X]": {As: "judge-zhang", Page: fixed("/cases/demo-4"),
		Post: func(fx *badFixture) string { return "/messages/" + fx.held4.ID + "/edit" },
		Form: url.Values{"back": {"/cases/demo-4"}}, Field: "param.*", Msg: "不能超过"},
	"case_judge.html POST /messages/{{.ID}}/cancel [reason]": {As: "judge-zhang", Page: fixed("/cases/demo-4"),
		Post: func(fx *badFixture) string { return "/messages/" + fx.held4.ID + "/cancel" },
		Form: url.Values{"back": {"/cases/demo-4"}, "reason": {" "}}, Field: "reason", Msg: "请填写"},
	"case_judge.html POST /cases/{{$c.ID}}/nodes [date note]": {As: "judge-zhang", Page: fixed("/cases/demo-4"), Post: fixed("/cases/demo-4/nodes"),
		Form: url.Values{"kind": {"consumption_limit"}, "date": {"2026-02-30"}, "note": {"限制高消费令已送达"}}, Field: "date", Msg: "日期", Kept: []string{"note"}},
	"case_judge.html POST /cases/{{$c.ID}}/measures [amount effective_on expires_on result taken_on target]": {As: "judge-zhang", Page: fixed("/cases/demo-4"),
		Post: fixed("/cases/demo-4/measures"),
		Form: url.Values{"node": {"network_inquiry"}, "kind": {"freeze"}, "property": {"deposit"}, "target": {"建设银行账户"}, "amount": {"-500.00"},
			"taken_on": {"2026-11-20"}}, Field: "amount", Msg: "金额", Kept: []string{"target", "taken_on"}},
	"case_judge.html POST /cases/{{$c.ID}}/nodes/{{.ID}}/correct [date]": {As: "judge-zhang", Page: fixed("/cases/demo-4"),
		Post: func(fx *badFixture) string { return "/cases/demo-4/nodes/" + fx.nodeID + "/correct" },
		Form: url.Values{"date": {"2026/13/01"}}, Field: "date", Msg: "日期"},
	"case_judge.html POST /cases/{{$c.ID}}/measures/{{.ID}}/result [amount effective_on expires_on result]": {As: "judge-zhang", Page: fixed("/cases/demo-4"),
		Post: fixed("/cases/demo-4/measures/m-freeze/result"),
		Form: url.Values{"outcome": {"done"}, "amount": {"三十五万"}, "result": {"冻结存款"}}, Field: "amount", Msg: "金额", Kept: []string{"result"}},
	"case_judge.html POST /cases/{{$c.ID}}/nodes/{{.ID}}/withdraw [reason]": {As: "judge-zhang", Page: fixed("/cases/demo-4"),
		Post: func(fx *badFixture) string { return "/cases/demo-4/nodes/" + fx.nodeID + "/withdraw" },
		Form: url.Values{"reason": {strings.Repeat("误", 2001)}}, Field: "reason", Msg: "不能超过2000个字"},
	"case_judge.html POST /cases/{{$c.ID}}/measures/{{.ID}}/withdraw [reason]": {As: "judge-zhang", Page: fixed("/cases/demo-4"),
		Post: fixed("/cases/demo-4/measures/m-freeze/withdraw"),
		Form: url.Values{"reason": {""}}, Field: "reason", Msg: "请填写"},
	"case_judge.html POST /cases/{{$c.ID}}/due/{{.ID}}/override [date reason]": {As: "judge-zhang", Page: fixed("/cases/demo-4"),
		Post: func(fx *badFixture) string { return "/cases/demo-4/due/" + url.PathEscape(fx.due4) + "/override" },
		Form: url.Values{"date": {"2026-02-30"}, "reason": {"等待鉴定机构出具报告"}}, Field: "date", Msg: "日期", Kept: []string{"reason"}},
	"case_judge.html POST /cases/{{$c.ID}}/solicitations [reply_by summary]": {As: "judge-zhang", Page: fixed("/cases/demo-4"), Post: fixed("/cases/demo-4/solicitations"),
		Form: url.Values{"party_id": {"a1"}, "purpose": {"zhongben"}, "summary": {"拟终结本次执行程序"}, "reply_by": {"2026/12/01"}}, Field: "reply_by", Msg: "日期", Kept: []string{"summary"}},
	"case_new.html POST /cases/new [amount_applied cause filed_on number received_on source.effective_on source.issuer source.number source.performance_due source.title]": {
		As: "judge-li", Page: fixed("/cases/new"), Post: fixed("/cases/new"),
		Form: url.Values{"step": {"preview"}, "number": {"（2026）沪01执905号"}, "filed_on": {"2026-11-25"}, "cause": {"民间借贷纠纷"}, "amount_applied": {"-12.00"},
			"parties[0].role": {"applicant"}, "parties[0].kind": {"person"}, "parties[0].name": {"吴晓东"}, "parties[0].mobile": {"1381234567"},
			"parties[1].role": {"respondent"}, "parties[1].kind": {"organisation"}, "parties[1].name": {"上海某某物流有限公司"}},
		Field: "parties[0].mobile", Msg: "手机号码须为11位", Kept: []string{"number", "cause", "parties[0].name", "amount_applied"}},
	"cases.html GET /cases [q]": {As: "judge-li", Page: fixed("/cases"), Post: fixed("/cases"),
		Form: url.Values{"q": {strings.Repeat("查", 201)}}, Field: "q", Msg: "不超过64个字"},

	// the chief
	"audit.html GET /chief/audit [case_id from to user_id]": {As: "chief", Page: fixed("/chief/audit"), Post: fixed("/chief/audit"),
		Form: url.Values{"user_id": {"judge-li"}, "from": {"2026-02-30"}}, Field: "from", Msg: "日期", Kept: []string{"user_id"}},
	"exports.html GET /chief/exports [from to]": {As: "chief", Page: fixed("/chief/exports"), Post: fixed("/chief/exports"),
		Form: url.Values{"from": {"2026/13/01"}, "to": {"2026-11-30"}}, Field: "from", Msg: "日期", Kept: []string{"to"}},
	"supervise.html GET /chief/supervise []": {None: "a list of order states"},
	"supervise.html POST /chief/supervise [text workdays]": {As: "chief", Page: fixed("/chief/supervise"), Post: fixed("/chief/supervise"),
		Form: url.Values{"case_id": {"demo-4"}, "text": {"请报告财产调查进展"}, "workdays": {"七"}}, Field: "workdays", Msg: "工作日", Kept: []string{"text"}},
	"order.html POST /cases/{{$.Data.Case.ID}}/supervision/{{$o.ID}}/answer [response]": {As: "judge-chen",
		Page: func(fx *badFixture) string { return "/cases/demo-8/supervision/" + fx.orderID },
		Post: func(fx *badFixture) string { return "/cases/demo-8/supervision/" + fx.orderID + "/answer" },
		Form: url.Values{"back": {"/cases/demo-8/supervision/"}, "response": {strings.Repeat("报", 2001)}}, Field: "response", Msg: "不能超过2000个字"},
	"overrides.html POST /chief/overrides/{{.CaseID}}/{{.DueID}}/decide [note]": {As: "chief", Page: fixed("/chief/overrides"),
		Post: func(fx *badFixture) string {
			return "/chief/overrides/" + fx.overrideCase + "/" + url.PathEscape(fx.overrideDue) + "/decide"
		},
		Form: url.Values{"decision": {"reject"}, "note": {strings.Repeat("驳", 2001)}}, Field: "note", Msg: "不能超过2000个字"},
	"calendar.html POST /calendar/notice/preview [text year]": {As: "chief", Page: fixed("/calendar"), Post: fixed("/calendar/notice/preview"),
		Form: url.Values{"year": {"二〇二七"}, "text": {"一、元旦：1月1日放假，共1天。"}}, Field: "year", Msg: "年份", Kept: []string{"text"}},
	"calendar.html POST /calendar/notice []":                    {None: "confirms the previewed notice: hidden fields and a button"},
	"calendar.html POST /calendar/closures/{{.Date}}/remove []": {None: "a button"},
	"calendar.html POST /calendar/closures [date reason]": {As: "chief", Page: fixed("/calendar"), Post: fixed("/calendar/closures"),
		Form: url.Values{"date": {"2026-02-30"}, "reason": {"台风"}}, Field: "date", Msg: "日期", Kept: []string{"reason"}},

	// the party
	"party.html POST /my-case/otp []": {None: "a button"},
	"party.html POST /my-case/sms []": {None: "a button"},
	"party.html POST /my-case/otp/verify [code]": {As: "party:demo-4:a1", Page: fixed("/my-case"), Post: fixed("/my-case/otp/verify"),
		Form: url.Values{"code": {"12ab"}}, Field: "code", Msg: "验证码"},
	"party.html POST /cases/{{$c.ID}}/solicitations/{{.ID}}/opinion [text]": {As: "party:demo-7:a1", Page: fixed("/my-case"),
		Post: func(fx *badFixture) string { return "/cases/demo-7/solicitations/" + fx.solicitationID + "/opinion" },
		Form: url.Values{"choice": {"disagree"}, "text": {strings.Repeat("不", 1001)}}, Field: "text", Msg: "不超过1000字"},
	"party.html POST /my-case/requests [text]": {As: "party:demo-5:a1", Page: fixed("/my-case"), Post: fixed("/my-case/requests"),
		Form: url.Values{"text": {"\u0007请尽快执行"}}, Field: "text", Msg: "控制字符"},
}

// fieldTag finds the form field called name that is marked invalid.
func fieldTag(body, name string) (tag, elem string, at int) {
	re := regexp.MustCompile(`<(input|textarea|select)\b[^>]*\bname="` + regexp.QuoteMeta(html.EscapeString(name)) + `"[^>]*>`)
	if strings.HasSuffix(name, "*") {
		re = regexp.MustCompile(`<(input|textarea|select)\b[^>]*\bname="` + regexp.QuoteMeta(strings.TrimSuffix(name, "*")) + `[^"]*"[^>]*>`)
	}
	for _, loc := range re.FindAllStringSubmatchIndex(body, -1) {
		tag := body[loc[0]:loc[1]]
		if strings.Contains(tag, `aria-invalid="true"`) {
			return tag, body[loc[2]:loc[3]], loc[1]
		}
	}
	return "", "", -1
}

// typedValue is what field tag (at its end offset at) shows as typed.
func typedValue(body, tag, elem string, at int) string {
	if elem == "textarea" {
		end := strings.Index(body[at:], "</textarea>")
		if end < 0 {
			return ""
		}
		return html.UnescapeString(strings.TrimPrefix(body[at:at+end], "\n"))
	}
	m := regexp.MustCompile(`\bvalue="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// Every form of every page, given bad input, comes back as the same page
// with a Chinese message at the offending field (the field marked
// aria-invalid and described by the message) and what the user typed
// kept; nothing is written. The forms are read from the templates, so a
// new form without a row in formBadInput fails the test.
func TestForms_BadInputAtTheField(t *testing.T) {
	e := start(t, sqliteBackend(t))
	fx := newBadFixture(t, e)
	forms := templateForms(t)
	require.Greater(t, len(forms), 40)
	keys := map[string]bool{}
	for _, f := range forms {
		keys[f.Key()] = true
		t.Run(f.Key(), func(t *testing.T) {
			tc, ok := formBadInput[f.Key()]
			require.True(t, ok, "form %s has no bad-input case in formBadInput (its typed fields: %v)", f.Key(), f.Typed)
			if tc.None != "" {
				require.Empty(t, f.Typed, "the form has typed fields: give it bad input")
				return
			}
			var b *browser
			switch {
			case tc.As == "":
				b = e.browser()
			case strings.HasPrefix(tc.As, "party:"):
				parts := strings.Split(tc.As, ":")
				b = e.signInParty(parts[1], parts[2])
				st, _, _ := b.post("/my-case/otp", nil, true)
				require.Equal(t, http.StatusSeeOther, st)
				if f.Action != "/my-case/otp/verify" {
					// Acting needs the one-time code first.
					st, _, _ = b.post("/my-case/otp/verify", url.Values{"code": {e.lastOTP(parts[1], parts[2])}}, true)
					require.Equal(t, http.StatusSeeOther, st)
				}
			default:
				b = e.signIn(tc.As)
			}
			page := tc.Page(fx)
			st, _, _ := b.get(page)
			require.Equal(t, http.StatusOK, st, "the form's page %s", page)

			form := url.Values{}
			for k, v := range tc.Form {
				form[k] = slices.Clone(v)
				if v[0] == "{week}" {
					form.Set(k, weekOf(e))
				}
			}
			typed := map[string]string{}
			if tc.Field == "param.*" {
				// A variable of the held message made longer than the
				// template allows.
				m := fx.held4
				if strings.HasPrefix(f.File, "week") {
					m = fx.held6
				}
				for k, v := range m.Params {
					form.Set("param."+k, v)
				}
				// case_no, judge and phone are never cut short: a longer
				// value is refused.
				long := false
				for _, k := range []string{"case_no", "judge", "phone"} {
					if _, ok := m.Params[k]; ok && !long {
						form.Set("param."+k, strings.Repeat("改", 40))
						typed["param.*"] = strings.Repeat("改", 40)
						long = true
					}
				}
				require.True(t, long, "the held message has a variable that is never cut short: %v", m.Params)
			} else {
				typed[tc.Field] = form.Get(tc.Field)
			}
			for _, k := range tc.Kept {
				typed[k] = form.Get(k)
			}
			before := e.snapshot("demo-4")
			var body string
			if f.Method == "GET" {
				st, _, body = b.get(tc.Post(fx) + "?" + form.Encode())
			} else {
				st, _, body = b.post(tc.Post(fx), form, true)
			}
			require.Equal(t, http.StatusBadRequest, st, "bad input is a 400 with the form: %.2000s", body)
			require.NotContains(t, body, "出错了", "not the error page")
			requireBasics(t, body)

			tag, elem, at := fieldTag(body, tc.Field)
			require.NotEmpty(t, tag, "field %s is marked invalid (aria-invalid) in the answer: %.3000s", tc.Field, body)
			desc := regexp.MustCompile(`aria-describedby="([^"]+)"`).FindStringSubmatch(tag)
			require.NotNil(t, desc, "field %s points to its message: %s", tc.Field, tag)
			msg := regexp.MustCompile(`(?s)id="` + regexp.QuoteMeta(desc[1]) + `"[^>]*>(.*?)</(p|span|div)>`).FindStringSubmatch(body)
			require.NotNil(t, msg, "the message %s of field %s", desc[1], tc.Field)
			text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(msg[1], "")
			require.Contains(t, text, tc.Msg, "the message at field %s", tc.Field)
			require.Regexp(t, `\p{Han}`, text)
			if v := typed[tc.Field]; strings.TrimSpace(v) != "" {
				require.Equal(t, v, typedValue(body, tag, elem, at), "field %s keeps what was typed", tc.Field)
			}
			for _, k := range tc.Kept {
				kt, ke, kat := "", "", -1
				for _, loc := range regexp.MustCompile(`<(input|textarea)\b[^>]*\bname="`+regexp.QuoteMeta(k)+`"[^>]*>`).FindAllStringSubmatchIndex(body, -1) {
					cand := body[loc[0]:loc[1]]
					if typedValue(body, cand, body[loc[2]:loc[3]], loc[1]) == typed[k] {
						kt, ke, kat = cand, body[loc[2]:loc[3]], loc[1]
					}
				}
				require.NotEmpty(t, kt, "field %s keeps %q", k, typed[k])
				_, _ = ke, kat
			}
			require.Equal(t, before, e.snapshot("demo-4"), "nothing is written")
		})
	}
	for k := range formBadInput {
		require.True(t, keys[k], "formBadInput row %q matches no form of the templates", k)
	}
}
