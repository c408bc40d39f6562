package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/pages"
)

// browser is a cookie-carrying client of the pages: it signs in through the
// forms and posts forms with the CSRF token the pages carry.
type browser struct {
	e    *env
	c    *http.Client
	csrf string
}

func (e *env) browser() *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(e.t, err)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([0-9a-f]*)"`)

// get fetches path and returns the status, the Location header of a
// redirect and the body. It remembers the page's CSRF token.
func (b *browser) get(path string) (int, string, string) {
	b.e.t.Helper()
	req, err := http.NewRequestWithContext(b.e.t.Context(), "GET", b.e.srv.URL+path, nil)
	require.NoError(b.e.t, err)
	return b.do(req)
}

func (b *browser) do(req *http.Request) (int, string, string) {
	b.e.t.Helper()
	resp, err := b.c.Do(req)
	require.NoError(b.e.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(b.e.t, err)
	if m := csrfField.FindSubmatch(raw); m != nil && len(m[1]) > 0 {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(raw)
}

// post submits form values to path; withCSRF adds the remembered token.
func (b *browser) post(path string, form url.Values, withCSRF bool) (int, string, string) {
	b.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if withCSRF {
		form.Set("csrf_token", b.csrf)
	}
	req, err := http.NewRequestWithContext(b.e.t.Context(), "POST", b.e.srv.URL+path, strings.NewReader(form.Encode()))
	require.NoError(b.e.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// signIn signs a judge or the chief in through the form.
func (e *env) signIn(id string) *browser {
	e.t.Helper()
	b := e.browser()
	b.get("/login")
	st, loc, _ := b.post("/login", url.Values{"user_id": {id}, "password": {"demo-" + id}}, true)
	require.Equal(e.t, http.StatusSeeOther, st)
	require.NotEqual(e.t, "/login", loc)
	st, _, _ = b.get(loc)
	require.Equal(e.t, http.StatusOK, st)
	require.NotEmpty(e.t, b.csrf)
	return b
}

// demoCase returns demo case id as stored.
func (e *env) demoCase(id string) *enforcement.Case {
	e.t.Helper()
	c, err := e.app.store.Get(context.Background(), id)
	require.NoError(e.t, err)
	return c
}

// signInParty signs party pid of case id in through the form with its own
// query code; pid "" signs in with a case-level code (no party identity).
func (e *env) signInParty(id, pid string) *browser {
	e.t.Helper()
	c := e.demoCase(id)
	code := ""
	if pid == "" {
		code = e.legacyCode(id)
	} else {
		code = e.partyCode(id, pid)
	}
	b := e.browser()
	b.get("/login")
	st, loc, body := b.post("/login/party", url.Values{"case_number": {c.Number.String()}, "query_code": {code}}, true)
	require.Equal(e.t, http.StatusSeeOther, st, body)
	require.Equal(e.t, "/my-case", loc)
	st, _, _ = b.get(loc)
	require.Equal(e.t, http.StatusOK, st)
	return b
}

func sqliteBackend(t *testing.T) backend { return backends(t)[0] }

// Every page has the accessibility basics: a language, a viewport, and a
// label for every visible form field.
func requireBasics(t *testing.T, body string) {
	t.Helper()
	require.Contains(t, body, `<html lang="zh-CN">`)
	require.Contains(t, body, `name="viewport"`)
	for _, m := range regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`).FindAllString(body, -1) {
		if strings.Contains(m, `type="hidden"`) {
			continue
		}
		id := regexp.MustCompile(`\bid="([^"]+)"`).FindStringSubmatch(m)
		require.NotNil(t, id, "form field without id (so without a label): %s", m)
		require.Contains(t, body, `for="`+id[1]+`"`, "no label for %s", m)
	}
}

func TestPages_SignIn(t *testing.T) {
	e := start(t, sqliteBackend(t))
	b := e.browser()

	st, loc, _ := b.get("/")
	require.Equal(t, http.StatusSeeOther, st)
	require.Equal(t, "/login", loc)
	st, _, body := b.get("/login")
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, body)
	require.Contains(t, body, "查询码")

	t.Run("WrongPassword", func(t *testing.T) {
		st, _, body := b.post("/login", url.Values{"user_id": {"judge-li"}, "password": {"nope-nope"}}, true)
		require.Equal(t, http.StatusUnauthorized, st)
		require.Contains(t, body, "账号、案号或查询码不正确")
	})
	t.Run("WrongQueryCode", func(t *testing.T) {
		c := e.demoCase("demo-1")
		st, _, body := b.post("/login/party", url.Values{"case_number": {c.Number.String()}, "query_code": {"WRONG123"}}, true)
		require.Equal(t, http.StatusUnauthorized, st)
		require.Contains(t, body, "账号、案号或查询码不正确")
	})
	t.Run("PagesNeedSignIn", func(t *testing.T) {
		for _, p := range []string{"/week", "/chief", "/my-case", "/cases/demo-1"} {
			st, loc, _ := e.browser().get(p)
			require.Equal(t, http.StatusSeeOther, st, p)
			require.Equal(t, "/login", loc, p)
		}
	})
	t.Run("HomeByRole", func(t *testing.T) {
		for id, want := range map[string]string{"judge-li": "/week", "chief": "/chief"} {
			st, loc, _ := e.signIn(id).get("/")
			require.Equal(t, http.StatusSeeOther, st)
			require.Equal(t, want, loc)
		}
		st, loc, _ := e.signInParty("demo-1", "").get("/")
		require.Equal(t, http.StatusSeeOther, st)
		require.Equal(t, "/my-case", loc)
	})
	t.Run("Logout", func(t *testing.T) {
		j := e.signIn("judge-li")
		st, _, _ := j.post("/logout", nil, false)
		require.Equal(t, http.StatusForbidden, st, "logout without the CSRF token is refused")
		st, loc, _ := j.post("/logout", nil, true)
		require.Equal(t, http.StatusSeeOther, st)
		require.Equal(t, "/login", loc)
		st, loc, _ = j.get("/week")
		require.Equal(t, http.StatusSeeOther, st)
		require.Equal(t, "/login", loc)
	})
}

func TestPages_JudgeWeek(t *testing.T) {
	e := start(t, sqliteBackend(t))
	li := e.signIn("judge-li")
	st, _, body := li.get("/week")
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, body)
	// Case 2 was filed 40 days ago with no execution notice: overdue, in
	// red with its label.
	c2 := e.demoCase("demo-2")
	require.Contains(t, body, c2.Number.String())
	require.Contains(t, body, `class="lv lv-overdue"`)
	require.Contains(t, body, "已超期")
	require.Contains(t, body, "未列入计划")
	// Case 6's measure notice is held for the judge to confirm.
	require.Contains(t, body, "待确认发送的短信")
	require.Contains(t, body, `action="/messages/`)
	// The trip of judge-li and judge-zhang tomorrow pools.
	require.Contains(t, body, "建议合并出行")
	require.Contains(t, body, "/api/v1/judges/judge-li/calendar.ics")
	// Other judges' cases are not on the page.
	require.NotContains(t, body, e.demoCase("demo-3").Number.String())

	t.Run("OtherJudgeWeekForbidden", func(t *testing.T) {
		st, _, _ := li.get("/judges/judge-zhang/week")
		require.Equal(t, http.StatusForbidden, st)
	})
	t.Run("OtherJudgeCaseNotFound", func(t *testing.T) {
		// judge-li heads 执行一庭 (with judge-zhang) and reads its cases
		// read-only; judge-chen's case is another division's, and
		// judge-zhang, who heads none, reads only their own.
		st, _, _ := li.get("/cases/demo-5")
		require.Equal(t, http.StatusNotFound, st)
		st, _, _ = e.signIn("judge-zhang").get("/cases/demo-2")
		require.Equal(t, http.StatusNotFound, st)
	})
	t.Run("PendingRequest", func(t *testing.T) {
		chen := e.signIn("judge-chen")
		_, _, body := chen.get("/week")
		require.Contains(t, body, "申请人询问是否已查询被执行人名下车辆")
	})
}

func TestPages_PlanForms(t *testing.T) {
	e := start(t, sqliteBackend(t))
	li := e.signIn("judge-li")
	c2 := e.demoCase("demo-2")
	var due enforcement.DueItem
	for _, d := range c2.OpenDueItems() {
		due = d
		break
	}
	require.NotEmpty(t, due.ID)
	add := url.Values{"kind": {"task"}, "link": {c2.ID + "|" + due.ID}, "day": {"2026-11-27"}, "back": {"/week"}}

	t.Run("MissingCSRF", func(t *testing.T) {
		st, _, _ := li.post("/week/items", add, false)
		require.Equal(t, http.StatusForbidden, st)
	})
	t.Run("AddAndMove", func(t *testing.T) {
		st, loc, body := li.post("/week/items", add, true)
		require.Equal(t, http.StatusSeeOther, st, body)
		require.Equal(t, "/week?ok=added", loc)
		_, _, body = li.get(loc)
		require.Contains(t, body, "已加入工作计划")
		require.Contains(t, body, "办案事项："+due.Title)

		var pl struct {
			Items []struct {
				ID    string `json:"id"`
				DueID string `json:"due_id"`
				Title string `json:"title"`
			} `json:"items"`
		}
		j := e.login("judge-li")
		require.Equal(t, http.StatusOK, j.do("GET", "/api/v1/plans/judge-li/2026-W48", nil, &pl))
		require.Len(t, pl.Items, 1)
		require.Equal(t, due.ID, pl.Items[0].DueID)

		st, loc, body = li.post("/week/items/"+pl.Items[0].ID+"/move", url.Values{"week": {"2026-W48"}, "day": {"2026-11-28"}, "back": {"/week"}}, true)
		require.Equal(t, http.StatusSeeOther, st, body)
		require.Equal(t, "/week?ok=moved", loc)
		var after struct{ Items []struct{ Day string } }
		require.Equal(t, http.StatusOK, j.do("GET", "/api/v1/plans/judge-li/2026-W48", nil, &after))
		require.Equal(t, "2026-11-28", after.Items[0].Day)

		st, _, body = li.post("/week/items/"+pl.Items[0].ID+"/move", url.Values{"week": {"2026-W48"}, "day": {"2026-12-05"}}, true)
		require.Equal(t, http.StatusBadRequest, st)
		require.Contains(t, body, "只能改到本周内的日期")
	})
	t.Run("Trip", func(t *testing.T) {
		st, _, body := li.post("/week/items", url.Values{"kind": {"trip"}, "title": {"查看被执行人厂房"}, "day": {"2026-11-27"},
			"start": {"14:00"}, "end": {"17:00"}, "address": {"闵行区莘庄工业区1号"}, "division": {"310112"}}, true)
		require.Equal(t, http.StatusSeeOther, st, body)
		_, _, body = li.get("/week")
		require.Contains(t, body, "外出办案：查看被执行人厂房")
		require.Contains(t, body, "14:00–17:00")
	})
	t.Run("BadInput", func(t *testing.T) {
		st, _, body := li.post("/week/items", url.Values{"kind": {"trip"}, "day": {"x"}}, true)
		require.Equal(t, http.StatusBadRequest, st)
		require.Contains(t, body, "请选择日期")
		require.Contains(t, body, "请填写事项")
	})
	t.Run("ChiefCannotAdd", func(t *testing.T) {
		chief := e.signIn("chief")
		st, _, _ := chief.post("/week/items", add, true)
		require.Equal(t, http.StatusForbidden, st)
	})
}

func TestPages_HeldMessage(t *testing.T) {
	e := start(t, sqliteBackend(t))
	e.relay()
	li := e.signIn("judge-li")
	held := e.login("judge-li").messages("?state=held")
	require.NotEmpty(t, held)
	id := held[0].ID

	st, _, _ := li.post("/messages/"+id+"/confirm", nil, false)
	require.Equal(t, http.StatusForbidden, st)
	zhang := e.signIn("judge-zhang")
	st, _, _ = zhang.post("/messages/"+id+"/confirm", nil, true)
	require.Equal(t, http.StatusNotFound, st, "another judge's message is not found")

	st, loc, _ := li.post("/messages/"+id+"/confirm", url.Values{"back": {"/week"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.Equal(t, "/week?ok=confirmed", loc)
	for _, m := range e.login("judge-li").messages("") {
		if m.ID == id {
			require.Equal(t, "queued", m.State)
		}
	}
	st, _, body := li.post("/messages/"+id+"/confirm", nil, true)
	require.Equal(t, http.StatusConflict, st, "confirming twice")
	require.Contains(t, body, "该短信当前状态不允许此操作")
}

func TestPages_CasePage(t *testing.T) {
	e := start(t, sqliteBackend(t))
	zhang := e.signIn("judge-zhang")
	st, _, body := zhang.get("/cases/demo-4")
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, body)
	require.Contains(t, body, "冻结存款人民币356,000.00元")
	require.Contains(t, body, "期限是怎样算出来的")
	require.Contains(t, body, "法律依据：")
	c4 := e.demoCase("demo-4")
	for _, d := range c4.DueItems {
		require.Contains(t, body, d.Title)
		for _, s := range d.Steps {
			require.Contains(t, body, template_escape(s.Text))
		}
	}
	// The closure checklist says met or not in words too.
	require.Contains(t, body, "结案条件检查")
	require.Regexp(t, `已满足：|未满足：`, body)

	t.Run("ChiefSeesAnyCase", func(t *testing.T) {
		st, _, body := e.signIn("chief").get("/cases/demo-4")
		require.Equal(t, http.StatusOK, st)
		require.NotContains(t, body, `action="/cases/demo-4/requests/`, "forms are the handling judge's")
	})
	t.Run("AnswerRequest", func(t *testing.T) {
		chen := e.signIn("judge-chen")
		c5 := e.demoCase("demo-5")
		rid := c5.Requests[0].ID
		st, _, _ := chen.post("/cases/demo-5/requests/"+rid+"/answer", url.Values{"answer": {"已查询，名下无车辆。"}}, false)
		require.Equal(t, http.StatusForbidden, st)
		st, loc, _ := chen.post("/cases/demo-5/requests/"+rid+"/answer", url.Values{"answer": {"已查询，名下无车辆。"}}, true)
		require.Equal(t, http.StatusSeeOther, st)
		_, _, body := chen.get(loc)
		require.Contains(t, body, "答复：已查询，名下无车辆。")
	})
}

// template_escape escapes s as html/template does in text.
func template_escape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;")
	return r.Replace(s)
}

func TestPages_Chief(t *testing.T) {
	e := start(t, sqliteBackend(t))
	chief := e.signIn("chief")
	st, _, body := chief.get("/chief")
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, body)
	require.Contains(t, body, `role="img"`)
	require.Contains(t, body, "<title id=\"chart-title\">")
	for _, name := range []string{"李明", "张华", "陈静"} {
		require.Contains(t, body, name)
	}
	require.Contains(t, body, "请于期限内报告财产调查进展。")
	require.Contains(t, body, "/judges/judge-li/week")
	require.Contains(t, body, "建议合并出行")

	st, _, body = chief.get("/judges/judge-li/week")
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, body, "李明 的一周")
	require.NotContains(t, body, `action="/week/items"`, "the chief reads, the judge plans")

	st, _, _ = chief.get("/judges/nobody/week")
	require.Equal(t, http.StatusNotFound, st)

	st, loc, _ := e.signIn("judge-li").get("/chief")
	require.Equal(t, http.StatusSeeOther, st, "a judge is sent to their week")
	require.Equal(t, "/week", loc)
}

func TestPages_Party(t *testing.T) {
	e := start(t, sqliteBackend(t))
	c7 := e.demoCase("demo-7")
	applicant := c7.Parties[0]

	t.Run("AnonymousPartySeesNoForm", func(t *testing.T) {
		b := e.signInParty("demo-7", "")
		_, _, body := b.get("/my-case")
		requireBasics(t, body)
		require.Contains(t, body, c7.Number.String())
		require.NotContains(t, body, `name="choice"`)
		require.NotContains(t, body, "短信验证", "no identity, nothing to verify")
		require.Contains(t, body, "您本人的查询码登录")
		require.Contains(t, body, "暂无短信", "no party's messages without an identity")
	})
	b := e.signInParty("demo-7", applicant.ID)
	st, _, body := b.get("/my-case")
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, body)
	info, _ := enforcement.NodeConsumptionLimit.Info()
	require.Contains(t, body, template_escape(info.Public))
	require.NotContains(t, body, `name="choice"`, "no opinion form before the one-time code")
	require.Contains(t, body, "短信验证")
	require.Contains(t, body, enforcement.MaskMobile(applicant.Mobile))

	t.Run("OneTimeCode", func(t *testing.T) {
		st, loc, _ := b.post("/my-case/otp", nil, true)
		require.Equal(t, http.StatusSeeOther, st)
		_, _, body := b.get(loc)
		requireBasics(t, body)
		require.Contains(t, body, `autocomplete="one-time-code"`)
		require.Contains(t, body, "验证码已发送")
		st, _, body = b.post("/my-case/otp/verify", url.Values{"code": {"000000"}}, true)
		if e.lastOTP("demo-7", applicant.ID) != "000000" {
			require.Equal(t, http.StatusBadRequest, st)
			require.Contains(t, body, "验证码不正确")
		}
		st, loc, _ = b.post("/my-case/otp/verify", url.Values{"code": {e.lastOTP("demo-7", applicant.ID)}}, true)
		require.Equal(t, http.StatusSeeOther, st)
		_, _, body = b.get(loc)
		require.Contains(t, body, "验证成功")
		require.Contains(t, body, "法官征询您的意见")
		require.NotContains(t, body, `id="otp-code"`)
	})
	require.NotContains(t, body, applicant.Mobile, "no phone numbers on the party's page")
	for _, other := range []string{"demo-1", "demo-6"} {
		require.NotContains(t, body, e.demoCase(other).Number.String())
	}

	t.Run("OnlyTheirCase", func(t *testing.T) {
		st, _, _ := b.get("/cases/demo-1")
		require.Equal(t, http.StatusNotFound, st)
		st, _, _ = b.get("/week")
		require.Equal(t, http.StatusForbidden, st)
		st, _, _ = b.get("/chief")
		require.Equal(t, http.StatusForbidden, st)
	})
	sid := c7.Solicitations[0].ID
	path := "/cases/demo-7/solicitations/" + sid + "/opinion"
	t.Run("OpinionNeedsCSRF", func(t *testing.T) {
		st, _, _ := b.post(path, url.Values{"choice": {"disagree"}}, false)
		require.Equal(t, http.StatusForbidden, st)
	})
	t.Run("OpinionNeedsChoice", func(t *testing.T) {
		st, _, body := b.post(path, url.Values{"choice": {""}}, true)
		require.Equal(t, http.StatusBadRequest, st)
		require.Contains(t, body, "请选择您的意见")
	})
	t.Run("Opinion", func(t *testing.T) {
		st, loc, _ := b.post(path, url.Values{"choice": {"disagree"}, "text": {"被执行人有一辆车停在公司院内。"}}, true)
		require.Equal(t, http.StatusSeeOther, st)
		_, _, body := b.get(loc)
		require.Contains(t, body, "您的意见已提交")
		require.NotContains(t, body, `name="choice"`)
		// The judge sees it on the case page.
		_, _, body = e.signIn("judge-zhang").get("/cases/demo-7")
		require.Contains(t, body, "被执行人有一辆车停在公司院内。")
		require.Contains(t, body, enforcement.OpinionDisagree.Chinese())
	})
}

func TestPages_EveryPageRenders(t *testing.T) {
	e := start(t, sqliteBackend(t))
	st, _, body := e.browser().get("/static/style.css")
	require.Equal(t, http.StatusOK, st)
	for _, l := range pages.Levels {
		require.Contains(t, body, ".lv-"+l.String()+"{--lv:"+l.Colour()+"}")
	}
	for _, tc := range []struct{ who, path string }{
		{"judge-li", "/week"}, {"judge-li", "/week?week=2026-W49"}, {"judge-li", "/week?week=2026-W47"},
		{"judge-li", "/cases/demo-6"}, {"judge-li", "/cases/demo-1?mode=completed"},
		{"chief", "/chief"}, {"chief", "/cases/demo-8"}, {"judge-chen", "/cases/demo-8"}, {"judge-zhang", "/judges/judge-zhang/week"},
	} {
		st, _, body := e.signIn(tc.who).get(tc.path)
		require.Equal(t, http.StatusOK, st, "%s %s: %s", tc.who, tc.path, body)
		requireBasics(t, body)
	}
	st, _, _ = e.signIn("judge-li").get("/week?week=bad")
	require.Equal(t, http.StatusBadRequest, st)
}

// The handling judge resets a party's query code from the case page.
func TestPages_ResetQueryCode(t *testing.T) {
	e := start(t, sqliteBackend(t))
	old := e.partyCode("demo-7", "r1")
	j := e.signIn("judge-zhang")
	st, _, body := j.get("/cases/demo-7")
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, body)
	require.Contains(t, body, "重置查询码")
	require.Contains(t, body, `action="/cases/demo-7/parties/r1/query-code/reset"`)
	require.NotContains(t, body, old, "the page never shows a code")

	_, _, body = e.signIn("chief").get("/cases/demo-7")
	require.NotContains(t, body, "/query-code/reset", "only the handling judge resets codes")

	st, _, _ = j.post("/cases/demo-7/parties/r1/query-code/reset", nil, false)
	require.Equal(t, http.StatusForbidden, st, "not without the CSRF token")
	require.Equal(t, old, e.partyCode("demo-7", "r1"))
	st, loc, _ := j.post("/cases/demo-7/parties/r1/query-code/reset", nil, true)
	require.Equal(t, http.StatusSeeOther, st)
	_, _, body = j.get(loc)
	require.Contains(t, body, "查询码已重置")
	require.Contains(t, body, "已重置1次")
	require.NotEqual(t, old, e.partyCode("demo-7", "r1"))
}
