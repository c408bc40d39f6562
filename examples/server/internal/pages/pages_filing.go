package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
)

// filingRows is how many party rows the filing form offers; rows left
// blank are ignored.
const filingRows = 4

// filingView is the filing form (立案), with the preview once asked for.
type filingView struct {
	Form    form
	Rows    []int
	Preview *desk.Preview
}

// Row returns the name of field f of party row i: "parties[i].f".
func (filingView) Row(i int, f string) string { return fmt.Sprintf("parties[%d].%s", i, f) }

func (pg *pages) newCasePage(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := desk.Need(p, desk.RoleJudge); err != nil {
		return err
	}
	values := url.Values{"filed_on": {pg.desk.Today().String()}, "parties[0].role": {"applicant"}, "parties[1].role": {"respondent"}}
	return pg.renderFiling(w, r, http.StatusOK, filingView{Form: form{Values: values, Errors: map[string][]string{}}})
}

func (pg *pages) renderFiling(w http.ResponseWriter, r *http.Request, status int, v filingView) error {
	for i := range filingRows {
		v.Rows = append(v.Rows, i)
	}
	return pg.render(w, r, status, "case_new", pageData("立案", "cases", v))
}

// fileCase previews a filing (step "preview") or files it (step "file"),
// as POST /api/v1/cases/preview and POST /api/v1/cases do.
func (pg *pages) fileCase(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := desk.Need(p, desk.RoleJudge); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return desk.BadField("", "unreadable", "无法读取表单")
	}
	values := r.PostForm
	values.Del("csrf_token")
	c, rowOf, err := caseFromForm(values)
	var v filingView
	if err == nil {
		if values.Get("step") == "file" {
			var filed *enforcement.Case
			if filed, err = pg.desk.CreateCase(r.Context(), p, c); err == nil {
				http.Redirect(w, r, "/cases/"+url.PathEscape(filed.ID)+"?ok=filed", http.StatusSeeOther)
				return nil
			}
		} else {
			var pv desk.Preview
			if pv, err = pg.desk.PreviewCase(r.Context(), p, c); err == nil {
				v.Preview = &pv
			}
		}
		err = renumberParties(err, rowOf)
	}
	if v.Form, err = newForm(values, err); err != nil {
		return err
	}
	status := http.StatusOK
	if v.Form.Bad() {
		status, v.Preview = http.StatusBadRequest, nil
	}
	return pg.renderFiling(w, r, status, v)
}

// caseFromForm reads the filing form. Party rows left blank are skipped;
// rowOf maps the index of each party in the case to its row on the form.
func caseFromForm(v url.Values) (*enforcement.Case, []int, error) {
	var ie desk.InputError
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	date := func(field, label string, required bool) deadline.Date {
		s := get(field)
		if s == "" {
			if required {
				ie.Add(field, "required", "请填写"+label)
			}
			return deadline.Date{}
		}
		d, err := deadline.ParseDate(s)
		if err != nil {
			ie.Add(field, "invalid_date", label+"应为日期，如 2026-12-01："+s)
		}
		return d
	}
	c := &enforcement.Case{Cause: get("cause"), Key: v.Get("key") == "1",
		Source: enforcement.SourceDocument{Title: get("source.title"), Number: get("source.number"), Issuer: get("source.issuer")}}
	if s := get("number"); s == "" {
		ie.Add("number", "required", "请填写案号")
	} else if n, err := enforcement.ParseCaseNumber(s); err != nil {
		ie.Add("number", "invalid_case_number", "案号格式有误，应如（2026）沪01执123号："+s)
	} else {
		c.Number = n
	}
	c.FiledOn = date("filed_on", "立案日期", true)
	c.ReceivedOn = date("received_on", "收案日期", false)
	c.Source.EffectiveOn = date("source.effective_on", "生效日期", false)
	c.Source.PerformanceDue = date("source.performance_due", "履行期限届满日", false)
	if s := strings.ReplaceAll(get("amount_applied"), ",", ""); s == "" {
		ie.Add("amount_applied", "required", "请填写申请执行金额（元）")
	} else if a, err := decimal.NewFromString(s); err != nil || !amountText.MatchString(s) {
		ie.Add("amount_applied", "invalid_amount", "申请执行金额应为金额，如 120000.00："+s)
	} else {
		c.AmountApplied = a
	}
	if c.Cause == "" {
		ie.Add("cause", "required", "请填写案由")
	}
	var rowOf []int
	for i := range filingRows {
		row := func(f string) string { return get(fmt.Sprintf("parties[%d].%s", i, f)) }
		if row("name") == "" && row("mobile") == "" && row("id_number") == "" {
			continue
		}
		pt := enforcement.Party{ID: "p" + strconv.Itoa(len(rowOf)+1), Name: row("name"), IDNumber: enforcement.NewIDNumber(row("id_number"))}
		if err := pt.Role.UnmarshalText([]byte(row("role"))); err != nil {
			ie.Add(fmt.Sprintf("parties[%d].role", i), "required", "请选择当事人身份")
		}
		if err := pt.Kind.UnmarshalText([]byte(row("kind"))); err != nil {
			ie.Add(fmt.Sprintf("parties[%d].kind", i), "required", "请选择自然人或单位")
		}
		if m := row("mobile"); m != "" {
			n, err := enforcement.NormaliseMobile(m)
			if err != nil {
				ie.Add(fmt.Sprintf("parties[%d].mobile", i), "invalid_mobile", "手机号码须为11位大陆手机号："+m)
			}
			pt.Mobile = n
		}
		c.Parties = append(c.Parties, pt)
		rowOf = append(rowOf, i)
	}
	if len(rowOf) == 0 {
		ie.Add("parties", "required", "至少须有一名申请执行人和一名被执行人")
	}
	return c, rowOf, ie.Err()
}

// amountText is an amount in yuan as typed: digits with at most two
// decimal places.
var amountText = regexp.MustCompile(`^[0-9]{1,13}(\.[0-9]{1,2})?$`)

var partyField = regexp.MustCompile(`^parties\[([0-9]+)\]`)

// renumberParties moves the field problems the domain reports for the
// i-th party of the case to that party's row on the form.
func renumberParties(err error, rowOf []int) error {
	fs := respond.Fields(err)
	if len(fs) == 0 {
		return err
	}
	ie := &desk.InputError{}
	for _, f := range fs {
		if m := partyField.FindStringSubmatch(f.Field); m != nil {
			if i, _ := strconv.Atoi(m[1]); i < len(rowOf) {
				f.Field = fmt.Sprintf("parties[%d]", rowOf[i]) + f.Field[len(m[0]):]
			}
		}
		ie.Fields = append(ie.Fields, f)
	}
	return ie
}
