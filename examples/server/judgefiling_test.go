package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// filingForm is a valid filing as the form posts it.
func filingForm(e *env, seq int) url.Values {
	return url.Values{
		"number": {fmt.Sprintf("（2026）%s执%d号", e.app.desk.DefaultCourt(), seq)}, "filed_on": {"2026-11-25"}, "cause": {"民间借贷纠纷"},
		"amount_applied": {"120000.00"}, "source.title": {"民事判决书"}, "source.number": {"（2026）沪0115民初88号"},
		"source.issuer": {"上海市浦东新区人民法院"}, "source.effective_on": {"2026-10-09"},
		"parties[0].role": {"applicant"}, "parties[0].kind": {"person"}, "parties[0].name": {"吴晓东"}, "parties[0].mobile": {"13812345678"},
		"parties[0].id_number": {"11010519491231002X"},
		"parties[1].role":      {"respondent"}, "parties[1].kind": {"organisation"}, "parties[1].name": {"上海某某物流有限公司"},
	}
}

// Filing on the page: the preview shows the computed deadlines and the
// filing notices (sent now, or skipped for want of a number), and only
// the confirmation files the case.
func TestFiling_Page(t *testing.T) {
	e := start(t, sqliteBackend(t))
	b := e.signIn("judge-li")
	st, _, body := b.get("/cases/new")
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, body)

	form := filingForm(e, 901)
	form.Set("step", "preview")
	st, _, body = b.post("/cases/new", form, true)
	require.Equal(t, http.StatusOK, st, body)
	requireBasics(t, body)
	require.Contains(t, body, "预览：立案后的期限和短信")
	require.Contains(t, body, "发出执行通知书", "the computed deadline")
	require.Contains(t, body, `data-outcome="send"`, "the applicant has a number")
	require.Contains(t, body, "无手机号码", "the respondent has none: skipped and why")
	require.Contains(t, body, `id="confirm-filing"`)
	require.Contains(t, body, `value="吴晓东"`, "the form keeps what was typed")
	list := func() int {
		var l caseListOut
		require.Equal(t, http.StatusOK, e.login("judge-li").do("GET", "/api/v1/cases?q=吴晓东", nil, &l))
		return l.Total
	}
	require.Zero(t, list(), "a preview files nothing")

	form.Set("step", "file")
	st, loc, _ := b.post("/cases/new", form, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.True(t, strings.HasPrefix(loc, "/cases/case-"), loc)
	_, _, body = b.get(loc)
	require.Contains(t, body, "已立案")
	require.Contains(t, body, "吴晓东")
	require.Equal(t, 1, list())

	// The same number again is refused on the form, values kept.
	st, _, body = b.post("/cases/new", form, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, `value="上海某某物流有限公司"`)
}

// Bad input is refused at each field in Chinese, and what was typed stays.
func TestFiling_BadInput(t *testing.T) {
	e := start(t, sqliteBackend(t))
	b := e.signIn("judge-li")
	b.get("/cases/new")
	form := filingForm(e, 902)
	form.Set("number", "2026沪01执902")
	form.Set("filed_on", "2026-13-01")
	form.Set("amount_applied", "十二万")
	form.Set("parties[0].mobile", "1381234")
	form.Set("parties[1].id_number", "91310115MA1H7XXX1X")
	form.Set("step", "preview")
	st, _, body := b.post("/cases/new", form, true)
	require.Equal(t, http.StatusBadRequest, st)
	requireBasics(t, body)
	for _, want := range []string{
		`id="f-number-err"`, "案号格式有误", `value="2026沪01执902"`,
		`id="f-filed_on-err"`, "立案日期应为日期", `value="2026-13-01"`,
		`id="f-amount_applied-err"`, "申请执行金额应为金额", `value="十二万"`,
		`id="p0-mobile-err"`, "手机号码须为11位", `value="1381234"`,
	} {
		require.Contains(t, body, want)
	}
	require.NotContains(t, body, `id="confirm-filing"`)

	// A party the domain refuses (no respondent) is named at the form.
	// A party the domain refuses (no respondent, a bad credit code, on
	// the third row with the second left blank) is named at its row.
	form = filingForm(e, 903)
	for _, f := range []string{"role", "kind", "name"} {
		form.Set("parties[2]."+f, form.Get("parties[1]."+f))
		form.Del("parties[1]." + f)
	}
	form.Set("parties[2].role", "applicant")
	form.Set("parties[2].id_number", "91310115MA1H7XXX1X")
	form.Set("step", "preview")
	st, _, body = b.post("/cases/new", form, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, "当事人至少须有一名被执行人")
	require.Contains(t, body, `id="p2-id-err"`)
	require.Contains(t, body, `value="91310115MA1H7XXX1X"`)
}

// The API previews a filing with the same input as POST /api/v1/cases.
func TestFiling_API(t *testing.T) {
	e := start(t, sqliteBackend(t))
	li := e.login("judge-li")
	in := map[string]any{
		"number": fmt.Sprintf("（2026）%s执904号", e.app.desk.DefaultCourt()), "cause": "民间借贷纠纷", "amount_applied": "50000.00", "filed_on": "2026-11-25",
		"source": map[string]any{"title": "民事调解书", "number": "（2026）沪0115民初99号", "effective_on": "2026-10-09"},
		"parties": []map[string]any{
			{"role": "applicant", "kind": "person", "name": "郑一", "mobile": "13812345679"},
			{"role": "respondent", "kind": "person", "name": "王二", "mobile": "13912345679", "opt_out": true},
		},
	}
	var pv struct {
		Due      []struct{ Title, Change, To string }
		Messages []struct{ Recipient, Outcome, Reason, Body string }
	}
	require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/cases/preview", in, &pv))
	require.NotEmpty(t, pv.Due)
	for _, d := range pv.Due {
		require.Equal(t, "added", d.Change)
	}
	outcomes := map[string]string{}
	for _, m := range pv.Messages {
		outcomes[m.Recipient] = m.Outcome + m.Reason
	}
	require.Equal(t, "send", outcomes["申请执行人 郑一"])
	require.Equal(t, "skipped当事人已退订短信", outcomes["被执行人 王二"])
	var l caseListOut
	require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/cases?q=郑一", nil, &l))
	require.Zero(t, l.Total, "nothing stored")
	require.Equal(t, http.StatusCreated, li.do("POST", "/api/v1/cases", in, nil))
	require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/cases?q=郑一", nil, &l))
	require.Equal(t, 1, l.Total)
	in["number"] = "（2026）沪01执"
	require.Equal(t, http.StatusBadRequest, li.do("POST", "/api/v1/cases/preview", in, nil))
}
