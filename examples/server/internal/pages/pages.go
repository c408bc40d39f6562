// Package pages holds the example server's web pages.
//
// They are server-rendered HTML for the three kinds of user: the
// judge's week, the case page, the chief's dashboard and the party's case
// page, with sign-in pages. They work without JavaScript: every action is a
// form that posts to a page route, which calls the same desk methods as the
// JSON API and redirects back (post/redirect/get). The session middleware
// checks the form's csrf_token field on every post.
package pages

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/auth"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
	"github.com/courtkit/zhixing/planning"
)

//go:embed web
var webFS embed.FS

// pages renders the web pages of a desk.
type pages struct {
	desk *desk.Desk
	auth *auth.Auth
	log  *slog.Logger
	demo []DemoAccount
	tpl  map[string]*template.Template
	css  []byte
	// mux routes a refused form back to the page it was posted from.
	mux *http.ServeMux
}

// pageFunc is a page handler that returns its error for the error page.
type pageFunc func(w http.ResponseWriter, r *http.Request, p *desk.Principal) error

// pageNames are the page templates under web/, each rendered inside
// web/layout.html.
var pageNames = []string{"login", "week", "case", "party", "chief", "calendar", "error", "overrides", "audit",
	"supervise", "order", "cases", "case_new", "exports", "feed", "division", "high"}

// DemoAccount is a demo sign-in the login page shows.
type DemoAccount struct {
	Role   desk.Role
	ID     string // user ID, or the case number for a party
	Secret string // password, or the query code
	Name   string
	Note   string
	Court  string // the name of the account's court
}

func newPages(d *desk.Desk, a *auth.Auth, log *slog.Logger, demo []DemoAccount) (*pages, error) {
	pg := &pages{desk: d, auth: a, log: log, demo: demo, tpl: map[string]*template.Template{}}
	funcs := template.FuncMap{}
	maps.Copy(funcs, pageFuncs)
	// md is "11月26日 周四", with the year when it is not this year's.
	funcs["md"] = func(d deadline.Date) string {
		if d.IsZero() {
			return ""
		}
		s := fmt.Sprintf("%d月%d日 %s", d.Month, d.Day, weekdaysZh[d.Weekday()])
		if d.Year != pg.desk.Today().Year {
			s = fmt.Sprintf("%d年", d.Year) + s
		}
		return s
	}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(webFS, append([]string{"web/layout.html", "web/" + name + ".html"}, pageExtras[name]...)...)
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		pg.tpl[name] = t
	}
	css, err := fs.ReadFile(webFS, "web/style.css")
	if err != nil {
		return nil, err
	}
	pg.css = append(css, levelCSS()...)
	return pg, nil
}

// levelCSS gives each warning level's class its colour from
// enforcement.Level.Colour, so that pages, the chart and the domain agree.
func levelCSS() []byte {
	var b bytes.Buffer
	b.WriteString("\n/* warning Levels, from enforcement.Level.Colour */\n")
	for _, l := range Levels {
		fmt.Fprintf(&b, ".lv-%s{--lv:%s}\n", l, l.Colour())
	}
	return b.Bytes()
}

// Levels are the warning Levels, most urgent first.
var Levels = []enforcement.Level{enforcement.LevelOverdue, enforcement.LevelDueToday, enforcement.LevelApproaching, enforcement.LevelNormal}

// Register adds the web pages (server-rendered HTML) of d to mux; the login
// page lists the demo accounts.
func Register(mux *http.ServeMux, d *desk.Desk, a *auth.Auth, log *slog.Logger, demo []DemoAccount) {
	pg, err := newPages(d, a, log, demo)
	if err != nil {
		panic(err) // the templates are embedded: a test renders every page
	}
	pg.mux = mux
	mux.HandleFunc("GET /static/style.css", pg.style)
	for _, rt := range pg.routes() {
		fn := rt.fn
		if strings.Contains(rt.pattern, "/cases/{id}") || strings.Contains(rt.pattern, "/overrides/{id}") {
			fn = pg.visibleCase(fn, strings.HasPrefix(rt.pattern, "GET "))
		}
		mux.HandleFunc(rt.pattern, pg.wrap(rt.pattern, fn))
	}
}

// visibleCase runs fn only for a signed-in principal who may see the case
// of the path's {id}: a case of another court, or another judge's, is not
// found (404) before any role check, so that the answer does not tell
// whether it exists. A page that only reads (read) also lets through a
// case p oversees (a division head's, a high court supervisor's; see
// desk.Oversees).
func (pg *pages) visibleCase(fn pageFunc, read bool) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
		if p != nil {
			var err error
			if read {
				err = pg.desk.MayRead(r.Context(), p, r.PathValue("id"))
			} else {
				_, err = pg.desk.Get(r.Context(), p, r.PathValue("id"))
			}
			if err != nil {
				return err
			}
		}
		return fn(w, r, p)
	}
}

// Patterns lists the pattern of every page route ("GET /cases/{id}"), for
// checks that cover every route (the authorisation matrix across courts).
func Patterns() []string {
	var out []string
	for _, rt := range (&pages{}).routes() {
		out = append(out, rt.pattern)
	}
	return out
}

// pageRoute is a page's pattern and handler.
type pageRoute struct {
	pattern string
	fn      pageFunc
}

// routes is the table of the page routes.
func (pg *pages) routes() []pageRoute {
	return []pageRoute{
		{"GET /{$}", pg.home},
		{"GET /login", pg.loginPage},
		{"POST /login", pg.login},
		{"POST /login/party", pg.partyLogin},
		{"POST /logout", pg.logout},
		{"GET /week", pg.week},
		{"GET /judges/{judge}/week", pg.week},
		{"POST /week/items", pg.addItem},
		{"POST /week/items/{item}/move", pg.moveItem},
		{"POST /week/items/{item}/done", pg.doneItem},
		{"POST /week/items/{item}/remove", pg.removeItem},
		{"GET /settings/feed", pg.feedPage},
		{"POST /settings/feed/rotate", pg.rotateFeed},
		{"POST /settings/feed/revoke", pg.revokeFeed},
		{"POST /week/submit", pg.submitWeek},
		{"POST /messages/{id}/confirm", pg.confirmMessage},
		{"POST /messages/{id}/edit", pg.editMessage},
		{"POST /messages/{id}/cancel", pg.cancelMessage},
		{"GET /cases", pg.casesPage},
		{"GET /cases/new", pg.newCasePage},
		{"POST /cases/new", pg.fileCase},
		{"GET /cases/{id}", pg.casePage},
		{"POST /cases/{id}/requests/{rid}/answer", pg.answerRequest},
		{"POST /cases/{id}/nodes", pg.recordNode},
		{"POST /cases/{id}/measures", pg.recordMeasure},
		{"POST /cases/{id}/measures/{mid}/result", pg.measureResult},
		{"POST /cases/{id}/nodes/{nid}/correct", pg.correctNode},
		{"POST /cases/{id}/nodes/{nid}/withdraw", pg.withdraw("nid")},
		{"POST /cases/{id}/measures/{mid}/withdraw", pg.withdraw("mid")},
		{"POST /cases/{id}/due/{did}/override", pg.overrideDue},
		{"POST /cases/{id}/solicitations", pg.solicit},
		{"POST /cases/{id}/supervision/{oid}/answer", pg.answerSupervision},
		{"POST /cases/{id}/solicitations/{sid}/opinion", pg.opinion},
		{"GET /my-case", pg.myCase},
		{"POST /my-case/otp", pg.requestOTP},
		{"POST /my-case/otp/verify", pg.verifyOTP},
		{"POST /cases/{id}/parties/{pid}/query-code/reset", pg.resetQueryCode},
		{"POST /cases/{id}/close", pg.closeCase},
		{"GET /chief", pg.chief},
		{"GET /calendar", pg.calendarPage},
		{"POST /calendar/notice/preview", pg.previewNotice},
		{"POST /calendar/notice", pg.loadNotice},
		{"POST /calendar/closures", pg.addClosure},
		{"POST /calendar/closures/{date}/remove", pg.removeClosure},
		{"GET /chief/overrides", pg.overrides},
		{"POST /chief/overrides/{id}/{did}/decide", pg.decideOverride},
		{"GET /chief/audit", pg.audit},
		{"GET /chief/audit.csv", pg.auditCSV},
		{"GET /chief/supervise", pg.supervise},
		{"POST /chief/supervise", pg.issueOrder},
		{"GET /cases/{id}/supervision/{oid}", pg.orderPage},
		{"GET /chief/exports", pg.exports},
		{"GET /chief/exports/{kind}", pg.download},
		{"POST /my-case/requests", pg.partyRequest},
		{"POST /my-case/sms", pg.partySMS},
		{"GET /division", pg.division},
		{"GET /high", pg.high},
		{"GET /high/courts/{code}", pg.highCourt},
		{"POST /supervise", pg.issueOrder},
	}
}

func (pg *pages) style(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(pg.css)
}

// securityHeaders are set on every page: no inline script or style is
// needed, so the policy allows only the server's own stylesheet.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
}

// supervisorWrites are the page writes a high court's supervisor may make:
// signing in and out, and a supervision order (督办). Every other write is
// refused before its handler runs (desk.CheckWrite).
var supervisorWrites = map[string]bool{
	"POST /login":       true,
	"POST /login/party": true,
	"POST /logout":      true,
	"POST /supervise":   true,
}

// wrap serves the page route of pattern with fn; a high court's
// supervisor's write that is not one of supervisorWrites is refused first.
func (pg *pages) wrap(pattern string, fn pageFunc) http.HandlerFunc {
	read := strings.HasPrefix(pattern, "GET ")
	allowed := supervisorWrites[pattern]
	return func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w.Header())
		p := auth.PrincipalOf(r.Context())
		if err := desk.CheckWrite(p, read, allowed); err != nil {
			pg.renderError(w, r, p, err)
			return
		}
		if err := fn(w, r, p); err != nil {
			if errors.Is(err, desk.ErrUnauthenticated) {
				http.Redirect(w, r, "/login", http.StatusSeeOther)
				return
			}
			if r.Method == http.MethodPost && pg.showAgain(w, r, err) {
				return
			}
			pg.renderError(w, r, p, err)
		}
	}
}

// page is what every template gets.
type page struct {
	Title string
	P     *desk.Principal
	CSRF  string
	// Flash is a one-line notice after a successful form.
	Flash string
	// Nav marks the current section: "week", "chief", "case", "party".
	Nav string
	// Court is the name of the signed-in user's court (the default
	// court's for nobody), CourtCode its code.
	Court     string
	CourtCode string
	// Head is set for a division head (庭长), whose menu has their
	// division's dashboard.
	Head bool
	Data any
	// Refused is a form posted with problems at its fields, shown again
	// on the page it was posted from (see showAgain).
	Refused *refusedForm
}

// refusedForm is a posted form refused for its fields' problems: Action is
// the path it was posted to, Form the values as typed and the problems.
type refusedForm struct {
	Action string
	Form   form
}

// refusedKey carries a refusedForm to the page that shows it again.
type refusedKey struct{}

// Posted returns the refused form when it was posted to action, else an
// empty form: a template gives each form's fields their values and
// problems with it.
func (pd page) Posted(action string) form {
	if pd.Refused != nil && pd.Refused.Action == action {
		return pd.Refused.Form
	}
	return form{Values: url.Values{}, Errors: map[string][]string{}}
}

// showAgain answers a form post refused for its fields' problems (a 400
// with fields) with the page the form was posted from, rendered again
// with status 400, the values as typed and each problem at its field,
// instead of the error page. It reports whether it did.
func (pg *pages) showAgain(w http.ResponseWriter, r *http.Request, err error) bool {
	fields := respond.Fields(err)
	if len(fields) == 0 || respond.Lookup(err).Status != http.StatusBadRequest || pg.mux == nil {
		return false
	}
	from, perr := url.Parse(origin(r))
	if perr != nil || from.Path == r.URL.Path {
		return false
	}
	// The notice of an earlier success is not shown with a refusal.
	q := from.Query()
	q.Del("ok")
	q.Del("moved")
	from.RawQuery = q.Encode()
	values := url.Values{}
	for k, vs := range r.PostForm {
		if k != "csrf_token" {
			values[k] = vs
		}
	}
	f, ferr := newForm(values, err)
	if ferr != nil {
		return false
	}
	get := r.Clone(context.WithValue(r.Context(), refusedKey{}, &refusedForm{Action: r.URL.Path, Form: f}))
	get.Method, get.URL, get.Body, get.ContentLength = http.MethodGet, from, http.NoBody, 0
	if _, pattern := pg.mux.Handler(get); !strings.HasPrefix(pattern, "GET ") {
		return false
	}
	// Through the mux, so that the page's own path values are set; only
	// the page itself with the form shown again is answered (a page that
	// redirects, fails or lacks the form leaves the refusal to the error
	// page).
	var buf bufferedResponse
	buf.header = http.Header{}
	pg.mux.ServeHTTP(&buf, get)
	body := buf.body.String()
	if buf.status != http.StatusBadRequest ||
		!strings.Contains(body, `action="`+r.URL.Path+`"`) && !strings.Contains(body, `action="`+r.URL.EscapedPath()+`"`) {
		// Not a page with the form on it (an item not in the plan, a
		// record of another court): the error page says what is wrong.
		return false
	}
	maps.Copy(w.Header(), buf.header)
	w.WriteHeader(buf.status)
	w.Write(buf.body.Bytes())
	return true
}

// bufferedResponse keeps a page's answer until it is known to be used.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// origin is the page a form was posted from: its "back" field, else the
// referring page on this site, else the page of the path posted to.
func origin(r *http.Request) string {
	if b := r.PostFormValue("back"); b != "" {
		return localPath(b)
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		if u, err := url.Parse(ref); err == nil && u.Host == r.Host && u.Path != r.URL.Path {
			return localPath(u.RequestURI())
		}
	}
	p := r.URL.Path
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	switch {
	case len(parts) >= 2 && parts[0] == "cases" && parts[1] != "new":
		return "/cases/" + url.PathEscape(parts[1])
	case parts[0] == "my-case":
		return "/my-case"
	case parts[0] == "chief" && len(parts) >= 2:
		return "/chief/" + parts[1]
	case parts[0] == "calendar":
		return "/calendar"
	case parts[0] == "settings":
		return "/settings/feed"
	}
	return "/week"
}

func (pg *pages) render(w http.ResponseWriter, r *http.Request, status int, name string, pd page) error {
	pd.P = auth.PrincipalOf(r.Context())
	if pd.P != nil {
		pd.CSRF = auth.CSRF(r.Context())
	}
	pd.CourtCode = pg.desk.CourtFor(pd.P)
	pd.Court = pg.desk.CourtName(pd.CourtCode)
	pd.Head = pg.desk.IsHead(pd.P)
	if rf, ok := r.Context().Value(refusedKey{}).(*refusedForm); ok {
		pd.Refused = rf
		if status == http.StatusOK {
			status = http.StatusBadRequest
		}
	}
	if pd.Flash == "" {
		pd.Flash = flashes[r.URL.Query().Get("ok")]
		if pd.Flash == "" {
			pd.Flash = planItemFlashes[r.URL.Query().Get("ok")]
		}
		if pd.Flash == "" {
			pd.Flash = feedFlashes[r.URL.Query().Get("ok")]
		}
	}
	var b bytes.Buffer
	if err := pg.tpl[name].ExecuteTemplate(&b, "layout", pd); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(b.Bytes())
	return err
}

// flashes are the notices shown after a form succeeded, by the code the
// redirect carries (never text from the request).
var flashes = map[string]string{
	"added":     "已加入工作计划。",
	"submitted": "本周计划已提交。",
	"confirmed": "短信已确认，将按时发送。",
	"edited":    "短信已修改，仍待确认发送。",
	"cancelled": "短信已取消。",
	"answered":  "答复已记录。",
	"concluded": "案件已结案。",
	"opinion":   "您的意见已提交，承办法官可以看到。",
	"closed":    "停止办公日已录入，受影响的期限已重新计算。",
	"reopened":  "停止办公日已撤销，受影响的期限已重新计算。",
	"otp_sent":  "验证码已发送，请查看手机短信。",
	"verified":  "验证成功，30分钟内可在线办理。",
	"reset":     "查询码已重置，原查询码作废，新查询码已通过短信发给该当事人。",
	"approved":  "已批准期限调整。",
	"rejected":  "已驳回期限调整。",
	"ordered":   "督办已发出，已通知承办法官。",
	"reported":  "督办报告已提交，局长可以看到。",

	// the judge's case forms (pages_filing.go, pages_judge.go)
	"filed":     "已立案，立案通知短信已按预览处理。",
	"node":      "节点已记录，相关期限和短信已按预览处理。",
	"measure":   "措施已记录，相关期限和短信已按预览处理。",
	"corrected": "已更正，原记录保留在操作日志中。",
	"withdrawn": "已撤回，原记录标为已撤回并保留，不再计入期限和结案条件。",
	"override":  "期限调整已提交，待局长审批。",
	"solicited": "已向申请执行人征询意见。",
	"requested": "您的诉求已提交，承办法官将在答复期限内答复。",
	"sms_off":   "已退订短信，法院将不再向您发送短信通知；您仍可随时在此查看案件进展。",
	"sms_on":    "已恢复短信通知。",
}

// errorView is the error page's data.
type errorView struct {
	Status  int
	Message string
	Fields  []string
	Back    string
}

func (pg *pages) renderError(w http.ResponseWriter, r *http.Request, p *desk.Principal, err error) {
	row := respond.Lookup(err)
	ev := errorView{Status: row.Status, Message: respond.Message(err)}
	for _, f := range respond.Fields(err) {
		ev.Fields = append(ev.Fields, strings.TrimSpace(fieldLabel(f.Field)+" "+f.MessageZh))
	}
	var pe *planning.PlanError
	if errors.As(err, &pe) {
		// The page lists the problems in its own words.
		ev.Status, ev.Message, ev.Fields = http.StatusBadRequest, "计划事项有误", nil
		for _, e := range pe.Problems {
			var ie *planning.ItemError
			var te *planning.TripError
			switch {
			case errors.As(e, &ie):
				ev.Fields = append(ev.Fields, planFieldZh(ie.Field)+"："+ie.Reason)
			case errors.As(e, &te):
				ev.Fields = append(ev.Fields, "外出行程 "+te.Field+"："+te.Reason)
			default:
				ev.Fields = append(ev.Fields, e.Error())
			}
		}
	}
	var ce *enforcement.ClosureError
	if errors.As(err, &ce) {
		ev.Message = "结案条件尚未全部满足"
	}
	if ev.Status >= 500 {
		pg.log.ErrorContext(r.Context(), "page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if ref := r.Header.Get("Referer"); ref != "" {
		if u, perr := url.Parse(ref); perr == nil && u.Host == r.Host {
			ev.Back = localPath(u.RequestURI())
		}
	}
	if rerr := pg.render(w, r, ev.Status, "error", page{Title: "出错了", Data: ev}); rerr != nil {
		http.Error(w, row.Message, ev.Status)
	}
}

// fieldLabel names a form field in Chinese for the error page.
func fieldLabel(f string) string {
	switch f {
	case "":
		return ""
	case "day", "date":
		return "日期："
	case "title":
		return "事项："
	case "answer", "response", "text":
		return "内容："
	case "reason":
		return "理由："
	case "choice":
		return "意见："
	case "user_id":
		return "用户名"
	case "password":
		return "密码"
	case "case_number":
		return "案号"
	case "query_code":
		return "查询码"
	case "mobile":
		return "手机号码"
	}
	return f + "："
}

func planFieldZh(f string) string {
	switch f {
	case "Title":
		return "事项"
	case "Day", "Start", "End":
		return "时间"
	case "CaseID":
		return "案件"
	case "DueID":
		return "对应期限"
	case "Kind":
		return "类型"
	}
	return f
}

// localPath returns s when it is a path on this site, else "/": redirects
// never leave the site.
func localPath(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return "/"
	}
	return s
}

// back redirects to the form's "back" field (a local path) with a flash
// code, or to fallback.
func back(w http.ResponseWriter, r *http.Request, fallback, flash string) error {
	to := fallback
	if b := r.PostFormValue("back"); b != "" {
		to = localPath(b)
	}
	u, err := url.Parse(to)
	if err != nil {
		u = &url.URL{Path: "/"}
	}
	q := u.Query()
	q.Set("ok", flash)
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
	return nil
}

// home sends each user to their start page.
func (pg *pages) home(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	to := "/login"
	if p != nil {
		switch p.Role {
		case desk.RoleJudge:
			to = "/week"
		case desk.RoleChief:
			to = "/chief"
		case desk.RoleSupervisor:
			to = "/high"
		case desk.RoleParty:
			to = "/my-case"
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// ----- sign-in -----

type loginView struct {
	Error      string
	PartyError string
	// ErrField and PartyErrField name the field Error and PartyError
	// are about, if one.
	ErrField, PartyErrField string
	UserID                  string
	CaseNumber              string
	Demo                    []DemoAccount
}

func (pg *pages) loginPage(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	return pg.renderLogin(w, r, http.StatusOK, loginView{})
}

// renderLogin renders the sign-in page with the sign-in forms' CSRF token
// and, after a refusal for too many failures, a Retry-After.
func (pg *pages) renderLogin(w http.ResponseWriter, r *http.Request, status int, v loginView, cause ...error) error {
	v.Demo = pg.demo
	for _, err := range cause {
		if secs, ok := auth.RetryAfter(err); ok {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
	}
	return pg.render(w, r, status, "login", page{Title: "登录", CSRF: pg.auth.LoginCSRF(w, r), Data: v})
}

// loginFailure is the sign-in page's message for err.
func loginFailure(err error) string {
	if fs := respond.Fields(err); len(fs) > 0 {
		return fieldLabel(fs[0].Field) + fs[0].MessageZh
	}
	return respond.Lookup(err).Message
}

func (pg *pages) login(w http.ResponseWriter, r *http.Request, _ *desk.Principal) error {
	if err := pg.auth.CheckLoginCSRF(r); err != nil {
		return err
	}
	id, pw := strings.TrimSpace(r.PostFormValue("user_id")), r.PostFormValue("password")
	if id == "" || pw == "" {
		field, msg := "user_id", "请填写用户名"
		if id != "" {
			field, msg = "password", "请填写密码"
		}
		return pg.renderLogin(w, r, http.StatusBadRequest, loginView{Error: msg, ErrField: field, UserID: id})
	}
	s, err := pg.auth.LoginUser(r.Context(), id, pw, auth.RemoteAddr(r))
	if err != nil {
		row := respond.Lookup(err)
		if row.Status >= 500 {
			return err
		}
		if len(id) > auth.MaxCredential {
			id = ""
		}
		v := loginView{Error: loginFailure(err), UserID: id}
		if fs := respond.Fields(err); len(fs) > 0 {
			v.ErrField = fs[0].Field
		}
		return pg.renderLogin(w, r, row.Status, v, err)
	}
	pg.auth.SetCookie(w, r, s)
	to := "/week"
	switch s.User.Role {
	case desk.RoleChief:
		to = "/chief"
	case desk.RoleSupervisor:
		to = "/high"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (pg *pages) partyLogin(w http.ResponseWriter, r *http.Request, _ *desk.Principal) error {
	if err := pg.auth.CheckLoginCSRF(r); err != nil {
		return err
	}
	number := strings.TrimSpace(r.PostFormValue("case_number"))
	code := strings.TrimSpace(r.PostFormValue("query_code"))
	var cause error
	field := ""
	fail := func(status int, msg string) error {
		if len(number) > auth.MaxCredential {
			number = ""
		}
		return pg.renderLogin(w, r, status, loginView{PartyError: msg, PartyErrField: field, CaseNumber: number}, cause)
	}
	if number == "" || code == "" {
		field = "case_number"
		if number != "" {
			field = "query_code"
		}
		return fail(http.StatusBadRequest, "请填写案号和查询码")
	}
	s, err := pg.auth.LoginParty(r.Context(), number, code, auth.RemoteAddr(r))
	if err != nil {
		var cn *enforcement.CaseNumberError
		if errors.As(err, &cn) {
			field = "case_number"
			return fail(http.StatusBadRequest, "案号格式有误，例如（2026）沪01执101号")
		}
		if fs := respond.Fields(err); len(fs) > 0 {
			field = fs[0].Field
		}
		row := respond.Lookup(err)
		if row.Status >= 500 {
			return err
		}
		cause = err
		return fail(row.Status, loginFailure(err))
	}
	pg.auth.SetCookie(w, r, s)
	http.Redirect(w, r, "/my-case", http.StatusSeeOther)
	return nil
}

func (pg *pages) logout(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if tok, _ := auth.TokenOf(r); tok != "" {
		if err := pg.auth.Logout(r.Context(), tok); err != nil {
			return err
		}
	}
	auth.ClearCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// ----- template functions -----

// channelZh names the channel a party's request or answer came by, as
// enforcement.Request.Channel and Solicitation answers record it ("web",
// "sms", …); an unknown value is shown as recorded.
func channelZh(c string) string {
	switch c {
	case "web":
		return "网页"
	case "sms":
		return "短信"
	case "phone":
		return "电话"
	case "in_person", "visit":
		return "来访"
	case "letter":
		return "来信"
	}
	return c
}

var weekdaysZh = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

var pageFuncs = template.FuncMap{
	"md": func(d deadline.Date) string { return d.String() }, // replaced per desk in newPages
	// hm is the China Standard Time clock time of t, "" for zero.
	"hm": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(deadline.China).Format("15:04")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(deadline.China).Format("2006-01-02 15:04")
	},
	"yuan":    yuan,
	"channel": channelZh,
	"pct": func(d decimal.Decimal) string {
		return d.Mul(decimal.NewFromInt(100)).StringFixed(1) + "%"
	},
	"dueStatus": func(s enforcement.DueStatus) string {
		switch s {
		case enforcement.DueOpen:
			return "待办"
		case enforcement.DueDone:
			return "已完成"
		case enforcement.DueCancelled:
			return "已撤销"
		}
		return string(s)
	},
	"ownerZh": func(o string) string { return enforcement.Owner(o).Chinese() },
	"join":    strings.Join,
	"weekOf":  planning.WeekOf,
	// dict builds the argument map of a sub-template: key, value, ….
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, errors.New("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, errors.New("dict: key is not a string")
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}

// yuan formats an amount with thousands separators: "1,200,000.00".
func yuan(d decimal.Decimal) string {
	s := d.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String() + "." + frac
	if neg {
		out = "-" + out
	}
	return out
}

// judgeNames maps the court's user IDs to names.
func (pg *pages) judgeNames(r *http.Request) map[string]string {
	out := map[string]string{}
	p := auth.PrincipalOf(r.Context())
	court := pg.desk.CourtFor(p)
	if pg.desk.IsSupervisor(p) {
		court = "" // a high court's supervisor reads every court's cases
	}
	us, err := pg.desk.ListUsers(r.Context(), court)
	if err != nil {
		return out
	}
	for _, u := range us {
		out[u.ID] = u.Name
	}
	return out
}
