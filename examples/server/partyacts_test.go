package main

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
)

// verifyOTP confirms a one-time code through the party's page.
func (b *browser) verifyOTP(id, pid string) {
	b.e.t.Helper()
	st, _, _ := b.post("/my-case/otp", nil, true)
	require.Equal(b.e.t, http.StatusSeeOther, st)
	st, _, _ = b.post("/my-case/otp/verify", url.Values{"code": {b.e.lastOTP(id, pid)}}, true)
	require.Equal(b.e.t, http.StatusSeeOther, st)
}

// A party on their page: a request (诉求) with its working-day clock and
// the judge's answer, SMS opt-out and back, the opinion; each form refuses
// bad input at its field with the input kept, and nothing is done before
// the one-time code.
func TestPages_PartyActs(t *testing.T) {
	e := start(t, sqliteBackend(t))
	c7 := e.demoCase("demo-7")
	applicant, respondent := c7.Parties[0], c7.Parties[1]
	b := e.signInParty("demo-7", applicant.ID)

	// Before the one-time code: refused at the form, text kept.
	st, _, body := b.post("/my-case/requests", url.Values{"text": {"请问查封的车辆何时拍卖？"}}, true)
	require.Equal(t, http.StatusForbidden, st)
	require.Contains(t, body, "请先完成上方的短信验证")
	b.verifyOTP("demo-7", applicant.ID)

	st, _, body = b.post("/my-case/requests", url.Values{"text": {"   "}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	requireBasics(t, body)
	require.Contains(t, body, "请填写诉求内容")
	require.Contains(t, body, `id="req-text-error"`)
	long := strings.Repeat("查", 2100)
	st, _, body = b.post("/my-case/requests", url.Values{"text": {long}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, long[:30], "the typed text is kept")

	st, loc, _ := b.post("/my-case/requests", url.Values{"text": {"请问查封的车辆何时拍卖？"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.Equal(t, "/my-case?ok=requested#req", loc)
	_, _, body = b.get(loc)
	require.Contains(t, body, "您的诉求已提交")
	c7 = e.demoCase("demo-7")
	rq := c7.Requests[len(c7.Requests)-1]
	require.Equal(t, applicant.ID, rq.PartyID)
	require.Contains(t, body, "法院应于 "+mdText(rq.ResolveBy))
	if left, err := e.app.desk.Calendar().WorkdaysBetween(deadline.DateOf(testNow), rq.ResolveBy); err == nil {
		require.Greater(t, left, 0)
		require.Contains(t, body, `还剩 <strong data-k="days-left">`+strconv.Itoa(left)+`</strong> 个工作日`)
	} else {
		require.True(t, rq.Provisional)
		require.Contains(t, body, "（暂定）")
		require.Contains(t, body, "暂按周末估算")
	}
	require.Contains(t, body, "待答复")
	// The judge's case page names the channel in Chinese.
	_, _, judgePage := e.signIn("judge-zhang").get("/cases/demo-7")
	require.Contains(t, judgePage, " · 网页 · ")
	require.NotContains(t, judgePage, " · web · ")

	require.Equal(t, http.StatusOK, e.login("judge-zhang").do("POST", "/api/v1/cases/demo-7/requests/"+rq.ID+"/answer", map[string]string{"answer": "车辆已委托评估，评估后即拍卖。"}, nil))
	_, _, body = b.get("/my-case")
	require.Contains(t, body, "法院答复：车辆已委托评估，评估后即拍卖。")
	require.Contains(t, body, `data-state="answered"`)

	// SMS: out, and back in.
	st, _, body = b.post("/my-case/sms", url.Values{"opt_out": {"maybe"}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "请选择退订或恢复短信通知")
	st, loc, _ = b.post("/my-case/sms", url.Values{"opt_out": {"1"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	_, _, body = b.get(loc)
	require.Contains(t, body, "已退订短信")
	require.Contains(t, body, "恢复短信通知")
	pt, _ := e.demoCase("demo-7").Party(applicant.ID)
	require.True(t, pt.OptOut)
	st, _, _ = b.post("/my-case/sms", url.Values{"opt_out": {"0"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	pt, _ = e.demoCase("demo-7").Party(applicant.ID)
	require.False(t, pt.OptOut)

	// The opinion: "other" needs text; the choice is kept.
	path := "/cases/demo-7/solicitations/" + c7.Solicitations[0].ID + "/opinion"
	st, _, body = b.post(path, url.Values{"choice": {"other"}, "text": {""}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "选择“其他意见”时请填写具体内容")
	require.Regexp(t, `id="choice-other" name="choice" value="other" checked`, body)
	st, _, body = b.post(path, url.Values{"choice": {""}, "text": {"车辆在公司院内"}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "请选择您的意见")
	require.Contains(t, body, ">车辆在公司院内</textarea>")

	// The respondent, confirmed by their own code, still cannot answer for
	// the applicant, and sees neither the applicant's requests nor forms.
	r := e.signInParty("demo-7", respondent.ID)
	r.verifyOTP("demo-7", respondent.ID)
	_, _, body = r.get("/my-case")
	require.NotContains(t, body, "请问查封的车辆何时拍卖？")
	require.NotContains(t, body, `name="choice"`)
	st, _, _ = r.post(path, url.Values{"choice": {"agree"}}, true)
	require.Equal(t, http.StatusForbidden, st)
	require.Nil(t, e.demoCase("demo-7").Solicitations[0].Answer)

	st, loc, _ = b.post(path, url.Values{"choice": {"disagree"}, "text": {"车辆在公司院内"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.Equal(t, "/my-case?ok=opinion", loc)
}

// The same actions through the API, for the party's own app.
func TestFlow_PartyActsThroughAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		c7 := e.demoCase("demo-7")
		applicant, respondent := c7.Parties[0], c7.Parties[1]
		a := e.actAs("demo-7", applicant.ID)
		require.Equal(t, http.StatusOK, a.do("POST", "/api/v1/cases/demo-7/requests", map[string]string{"text": "请问执行款何时发放？"}, nil))
		require.Equal(t, http.StatusOK, a.do("PATCH", "/api/v1/cases/demo-7/parties/"+applicant.ID, map[string]any{"opt_out": true}, nil))
		var v struct {
			Requests []struct {
				Text      string `json:"text"`
				ResolveBy string `json:"resolve_by"`
				Answered  bool   `json:"answered"`
			} `json:"requests"`
			SMSOptOut bool `json:"sms_opt_out"`
		}
		require.Equal(t, http.StatusOK, a.do("GET", "/api/v1/cases/demo-7", nil, &v))
		require.Len(t, v.Requests, 1)
		require.Equal(t, "请问执行款何时发放？", v.Requests[0].Text)
		require.NotEmpty(t, v.Requests[0].ResolveBy)
		require.True(t, v.SMSOptOut)

		r := e.actAs("demo-7", respondent.ID)
		require.Equal(t, http.StatusForbidden, r.do("PATCH", "/api/v1/cases/demo-7/parties/"+applicant.ID, map[string]any{"opt_out": false}, nil))
		require.Equal(t, http.StatusForbidden, r.do("POST", "/api/v1/cases/demo-7/solicitations/"+c7.Solicitations[0].ID+"/opinion", map[string]any{"choice": "agree"}, nil))
		require.Equal(t, http.StatusOK, r.do("GET", "/api/v1/cases/demo-7", nil, &v))
		require.Empty(t, v.Requests, "the applicant's request is not the respondent's")
		require.False(t, v.SMSOptOut)
	})
}

// mdText is a date as the pages write it, with the year when it is not
// the tests' year.
func mdText(d deadline.Date) string {
	s := strconv.Itoa(int(d.Month)) + "月" + strconv.Itoa(d.Day) + "日"
	if d.Year != testNow.Year() {
		s = strconv.Itoa(d.Year) + "年" + s
	}
	return s
}
