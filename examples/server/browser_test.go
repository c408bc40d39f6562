package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/pages"
)

// The browser tests drive the pages in headless Chromium: sign in as each
// role through the forms, check what the pages show (pages.Levels by colour and
// label, the chief's figures against the JSON API, the party's one case),
// submit the opinion form and plan changes, check the accessibility basics,
// and save screenshots at phone and desktop widths under
// testdata/screenshots (ignored by git).

// findChrome returns a Chromium or Chrome binary, or skips the test.
func findChrome(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no browser found (chromium, chromium-browser or google-chrome on PATH); skipping browser tests — install Debian's chromium to run them")
	return ""
}

// viewports are the widths the screenshots are taken at.
var viewports = []struct {
	name string
	w, h int64
}{{"phone", 375, 812}, {"desktop", 1366, 900}}

// chrome is a headless browser for one test.
type chrome struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
}

func startChrome(t *testing.T, base string) *chrome {
	t.Helper()
	path := findChrome(t)
	dir, err := os.MkdirTemp("", "zhixing-chrome-")
	require.NoError(t, err)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		chromedp.UserDataDir(dir),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	require.NoError(t, chromedp.Do(ctx), "start %s", path)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		// Chromium's helpers can still write for a moment after it stops.
		for range 20 {
			if os.RemoveAll(dir) == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	shots, err := filepath.Abs(filepath.Join("testdata", "screenshots"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(shots, 0o755))
	return &chrome{t: t, ctx: ctx, base: base, shots: shots}
}

// tab is one signed-in user: a browser context of its own, so cookies are
// not shared between roles.
type tab struct {
	c   *chrome
	ctx context.Context
}

func (c *chrome) newTab() *tab {
	c.t.Helper()
	ctx, cancel := chromedp.NewContext(c.ctx, chromedp.WithNewBrowserContext())
	c.t.Cleanup(cancel)
	require.NoError(c.t, chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900)))
	return &tab{c: c, ctx: ctx}
}

func (tb *tab) run(actions ...chromedp.Action[chromedp.Void]) {
	tb.c.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	require.NoError(tb.c.t, chromedp.Do(ctx, actions...))
}

func (tb *tab) open(path string) {
	tb.c.t.Helper()
	tb.run(chromedp.Navigate(tb.c.base + path))
}

// submit clicks sel (a submit button) and waits for the next page to load.
func (tb *tab) submit(sel string) {
	tb.c.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel))))
	require.NoError(tb.c.t, err, "submit %s", sel)
}

func eval[T any](tb *tab, js string) T {
	tb.c.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	require.NoError(tb.c.t, err, "evaluate %s", js)
	return v
}

func (tb *tab) path() string {
	loc := eval[string](tb, `location.pathname + location.search`)
	return loc
}

func (tb *tab) text() string { return eval[string](tb, `document.body.innerText`) }

// set sets the value of the form field sel.
func (tb *tab) set(sel, value string) {
	tb.c.t.Helper()
	tb.run(chromedp.SetValue(chromedp.CSS(sel), value))
}

// a11yScript lists the accessibility problems of the page: form fields
// without a label, images and SVG charts without a text alternative, and a
// missing lang attribute.
const a11yScript = `(() => {
  const bad = [];
  if (!document.documentElement.lang) bad.push("html has no lang");
  if (!document.querySelector('meta[name="viewport"]')) bad.push("no viewport meta");
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden") continue;
    const ok = (el.labels && el.labels.length > 0 && [...el.labels].some(l => l.textContent.trim() !== "")) ||
      (el.getAttribute("aria-label") || "").trim() !== "" || el.getAttribute("aria-labelledby");
    if (!ok) bad.push("unlabelled field: " + el.outerHTML.slice(0, 160));
  }
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) bad.push("image without alt: " + img.outerHTML.slice(0, 160));
  }
  for (const svg of document.querySelectorAll("svg")) {
    if (svg.getAttribute("aria-hidden") === "true") continue;
    const title = svg.querySelector(":scope > title");
    const named = (svg.getAttribute("aria-label") || "").trim() !== "" || svg.getAttribute("aria-labelledby") || (title && title.textContent.trim() !== "");
    if (svg.getAttribute("role") !== "img" || !named) bad.push("svg without a text alternative");
  }
  return bad;
})()`

func (tb *tab) requireAccessible() {
	tb.c.t.Helper()
	bad := eval[[]string](tb, a11yScript)
	require.Empty(tb.c.t, bad, "accessibility problems on %s", tb.path())
}

// shoot saves full-page screenshots of the current page at every viewport
// and logs their paths.
func (tb *tab) shoot(name string) {
	tb.c.t.Helper()
	for _, vp := range viewports {
		ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
		require.NoError(tb.c.t, chromedp.Do(ctx, chromedp.EmulateViewport(vp.w, vp.h, chromedp.EmulateMobile, chromedp.EmulateScale(1))))
		// The page must fit the phone's width: nothing wider than the viewport.
		overflow := eval[int](tb, `document.documentElement.scrollWidth - window.innerWidth`)
		require.LessOrEqual(tb.c.t, overflow, 0, "%s overflows the %s viewport by %dpx", name, vp.name, overflow)
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		cancel()
		require.NoError(tb.c.t, err)
		p := filepath.Join(tb.c.shots, name+"-"+vp.name+".png")
		require.NoError(tb.c.t, os.WriteFile(p, png, 0o644))
		tb.c.t.Logf("screenshot: %s", p)
	}
	tb.run(chromedp.EmulateViewport(1366, 900))
}

// signIn signs a judge or the chief in through the staff form.
func (c *chrome) signIn(id string) *tab {
	c.t.Helper()
	tb := c.newTab()
	tb.open("/login")
	tb.set("#user_id", id)
	tb.set("#password", "demo-"+id)
	tb.submit(`form[action="/login"] button[type=submit]`)
	return tb
}

// hexRGB turns "#c62828" into the computed-style form "rgb(198, 40, 40)".
func hexRGB(h string) string {
	r, _ := strconv.ParseUint(h[1:3], 16, 8)
	g, _ := strconv.ParseUint(h[3:5], 16, 8)
	b, _ := strconv.ParseUint(h[5:7], 16, 8)
	return fmt.Sprintf("rgb(%d, %d, %d)", r, g, b)
}

// levelMarks returns, for every level badge on the page, its class, label
// text and the computed colour of its border and dot.
type levelMark struct {
	Class, Text, Border, Dot string
}

const levelMarksScript = `[...document.querySelectorAll("span.lv")].map(el => ({
  Class: el.className, Text: el.textContent.trim(),
  Border: getComputedStyle(el).borderTopColor,
  Dot: getComputedStyle(el.querySelector(".dot")).backgroundColor}))`

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	t.Parallel() // two browsers at once: each waits on the other's server much of the time
	e := start(t, sqliteBackend(t))
	e.relay() // draft the demo's messages and send those not held
	e.dispatch()
	c := startChrome(t, e.srv.URL)

	t.Run("SignInPage", func(t *testing.T) {
		tb := c.newTab()
		tb.open("/")
		require.Equal(t, "/login", tb.path())
		tb.requireAccessible()
		tb.shoot("login")
	})

	t.Run("JudgeWeek", func(t *testing.T) {
		li := c.signIn("judge-li")
		require.Equal(t, "/week", li.path())
		li.requireAccessible()

		// Every level badge has the level's colour and its label.
		marks := eval[[]levelMark](li, levelMarksScript)
		require.NotEmpty(t, marks)
		seen := map[enforcement.Level]bool{}
		for _, m := range marks {
			for _, l := range pages.Levels {
				if strings.Contains(m.Class, "lv-"+l.String()) {
					seen[l] = true
					require.Equal(t, hexRGB(l.Colour()), m.Border, m.Class)
					require.Equal(t, hexRGB(l.Colour()), m.Dot, m.Class)
					require.Equal(t, l.Chinese(), m.Text)
				}
			}
		}
		require.True(t, seen[enforcement.LevelOverdue], "the demo has overdue items")

		// Case 2 (filed 40 days ago without an execution notice) is overdue:
		// red, labelled 已超期, flagged as not in the plan.
		c2 := e.demoCase("demo-2")
		overdue := eval[[]string](li, `[...document.querySelectorAll("#grid-h ~ ol li.entry.lv-overdue, .urgent li.entry.lv-overdue")].map(e => e.innerText)`)
		require.NotEmpty(t, overdue)
		found := false
		for _, txt := range overdue {
			if strings.Contains(txt, c2.Number.String()) {
				found = true
				require.Contains(t, txt, "已超期")
				require.Contains(t, txt, "未列入计划")
			}
		}
		require.True(t, found, "case 2's overdue item on the week: %v", overdue)
		border := eval[string](li, `getComputedStyle(document.querySelector(".urgent li.entry.lv-overdue")).borderLeftColor`)
		require.Equal(t, hexRGB(enforcement.LevelOverdue.Colour()), border)

		text := li.text()
		require.Contains(t, text, "待确认发送的短信")
		require.Contains(t, text, "建议合并出行")
		require.NotContains(t, text, e.demoCase("demo-3").Number.String(), "another judge's case")
		href := eval[string](li, `document.querySelector('a[href$="calendar.ics"]').getAttribute("href")`)
		require.Equal(t, "/api/v1/judges/judge-li/calendar.ics", href)

		// Plan an unplanned deadline from the form, then move it.
		var due enforcement.DueItem
		for _, d := range c2.OpenDueItems() {
			due = d
			break
		}
		li.set("#add-link", c2.ID+"|"+due.ID)
		li.set("#add-day", "2026-11-27")
		li.submit(`form[action="/week/items"].grid-form button[type=submit]`)
		require.Equal(t, "/week?ok=added", li.path())
		require.Contains(t, li.text(), "已加入工作计划")
		friday := eval[string](li, `[...document.querySelectorAll("ol.week > li.day")][4].innerText`)
		require.Contains(t, friday, "办案事项："+due.Title)

		var pl struct {
			Items []struct {
				ID    string `json:"id"`
				Day   string `json:"day"`
				DueID string `json:"due_id"`
			} `json:"items"`
		}
		api := e.login("judge-li")
		require.Equal(t, http.StatusOK, api.do("GET", "/api/v1/plans/judge-li/2026-W48", nil, &pl))
		require.Len(t, pl.Items, 1)
		require.Equal(t, due.ID, pl.Items[0].DueID)
		id := pl.Items[0].ID
		li.run(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details.move").forEach(d => d.open = true)`))
		li.set("#mv-"+id+"-day", "2026-11-30") // next week: refused
		li.submit(`ol.week form[action="/week/items/` + id + `/move"] button[type=submit]`)
		require.Contains(t, li.text(), "只能改到本周内的日期")
		li.open("/week")
		li.run(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details.move").forEach(d => d.open = true)`))
		li.set("#mv-"+id+"-day", "2026-11-26")
		li.submit(`ol.week form[action="/week/items/` + id + `/move"] button[type=submit]`)
		require.Equal(t, "/week?ok=moved", li.path())
		require.Equal(t, http.StatusOK, api.do("GET", "/api/v1/plans/judge-li/2026-W48", nil, &pl))
		require.Equal(t, "2026-11-26", pl.Items[0].Day)
		thursday := eval[string](li, `document.querySelector("ol.week > li.day.today").innerText`)
		require.Contains(t, thursday, due.Title)
		friday = eval[string](li, `[...document.querySelectorAll("ol.week > li.day")][4].innerText`)
		require.Contains(t, friday, "外出办案：现场调查被执行人财产", "the demo trip tomorrow")
		li.shoot("judge-week")

		// The case page: due items with their explanation and basis.
		li.open("/cases/demo-6")
		li.requireAccessible()
		text = li.text()
		require.Contains(t, text, "冻结存款人民币1,200,000.00元")
		require.Contains(t, text, "法律依据")
		require.Contains(t, text, "结案条件检查")
		li.run(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details.steps").forEach(d => d.open = true)`))
		li.shoot("case")
	})

	t.Run("Chief", func(t *testing.T) {
		chief := c.signIn("chief")
		require.Equal(t, "/chief", chief.path())
		chief.requireAccessible()

		var rep api.Report
		require.Equal(t, http.StatusOK, e.login("chief").do("GET", "/api/v1/supervision", nil, &rep))
		require.NotEmpty(t, rep.Judges)
		type row struct{ Judge, Open, Closed, Overdue, DueToday, Approaching string }
		rows := eval[[]row](chief, `[...document.querySelectorAll("table.figures tbody tr")].map(tr => ({
			Judge: tr.dataset.judge,
			Open: tr.querySelector('[data-k=open]').textContent, Closed: tr.querySelector('[data-k=closed]').textContent,
			Overdue: tr.querySelector('[data-k=overdue]').textContent, DueToday: tr.querySelector('[data-k=due_today]').textContent,
			Approaching: tr.querySelector('[data-k=approaching]').textContent}))`)
		require.Len(t, rows, len(rep.Judges))
		byJudge := map[string]row{}
		for _, r := range rows {
			byJudge[r.Judge] = r
		}
		for _, j := range rep.Judges {
			r, ok := byJudge[j.JudgeID]
			require.True(t, ok, j.JudgeID)
			require.Equal(t, strconv.Itoa(j.Open), r.Open, j.JudgeID)
			require.Equal(t, strconv.Itoa(j.Closed), r.Closed, j.JudgeID)
			require.Equal(t, strconv.Itoa(j.Counts.Overdue), r.Overdue, j.JudgeID)
			require.Equal(t, strconv.Itoa(j.Counts.DueToday), r.DueToday, j.JudgeID)
			require.Equal(t, strconv.Itoa(j.Counts.Approaching), r.Approaching, j.JudgeID)
		}
		// The chart: one bar per judge, each segment titled, the whole
		// described in words.
		bars := eval[int](chief, `document.querySelectorAll("figure.chart svg g.bar").length`)
		require.Equal(t, len(rep.Judges), bars)
		untitled := eval[int](chief, `[...document.querySelectorAll("figure.chart svg g.bar rect")].filter(r => !r.querySelector("title")).length`)
		require.Zero(t, untitled)
		desc := eval[string](chief, `document.querySelector("figure.chart svg desc").textContent`)
		require.Contains(t, desc, "李明")
		chief.shoot("chief")

		// Drill down into a judge's week.
		chief.submitLink(`table.figures a[href="/judges/judge-zhang/week"]`)
		require.Equal(t, "/judges/judge-zhang/week", chief.path())
		require.Contains(t, chief.text(), "张华 的一周")
		chief.requireAccessible()
	})

	t.Run("Party", func(t *testing.T) {
		c7 := e.demoCase("demo-7")
		tb := c.newTab()
		tb.open("/login")
		tb.set("#case_number", c7.Number.String())
		tb.set("#query_code", e.partyCode("demo-7", c7.Parties[0].ID))
		tb.submit(`form[action="/login/party"] button[type=submit]`)
		require.Equal(t, "/my-case", tb.path())
		tb.requireAccessible()
		text := tb.text()
		require.Contains(t, text, c7.Number.String())
		info, _ := enforcement.NodeConsumptionLimit.Info()
		require.Contains(t, text, info.Public)
		for _, other := range []string{"demo-1", "demo-2", "demo-3", "demo-4", "demo-5", "demo-6", "demo-8"} {
			require.NotContains(t, text, e.demoCase(other).Number.String())
		}
		require.NotContains(t, text, c7.Parties[0].Mobile)
		tb.shoot("party")

		// Another case's page is not found for them.
		tb.open("/cases/demo-1")
		require.Contains(t, tb.text(), "未找到该记录")

		// Before acting, the party confirms a one-time code sent to their
		// phone.
		tb.open("/my-case")
		tb.submit(`form[action="/my-case/otp"] button[type=submit]`)
		require.Contains(t, tb.text(), "验证码已发送")
		tb.requireAccessible()
		tb.shoot("party-otp")
		tb.set("#otp-code", e.lastOTP("demo-7", c7.Parties[0].ID))
		tb.submit(`form[action="/my-case/otp/verify"] button[type=submit]`)
		require.Contains(t, tb.text(), "验证成功")
		tb.run(chromedp.Click(chromedp.CSS("#choice-disagree")))
		tb.set("#opinion-text", "被执行人名下有一辆货车，停在公司院内。")
		tb.submit(`form[action*="/opinion"] button[type=submit]`)
		require.Equal(t, "/my-case?ok=opinion", tb.path())
		require.Contains(t, tb.text(), "您的意见已提交")

		// The judge sees the answer.
		var doc caseDoc
		require.Equal(t, http.StatusOK, e.login("judge-zhang").do("GET", "/api/v1/cases/demo-7", nil, &doc))
		require.NotNil(t, doc.Solicitations[0].Answer)
		require.Equal(t, "disagree", doc.Solicitations[0].Answer.Choice)
		require.Equal(t, "web", doc.Solicitations[0].Answer.Channel)
		zhang := c.signIn("judge-zhang")
		zhang.open("/cases/demo-7")
		require.Contains(t, zhang.text(), "被执行人名下有一辆货车")
	})

	t.Run("ChiefAuditLog", func(t *testing.T) {
		require.Equal(t, http.StatusUnauthorized, e.anon().do("POST", "/api/v1/auth/login", map[string]string{"user_id": "judge-chen", "password": "wrong"}, nil))
		chief := c.signIn("chief")
		chief.open("/chief/audit")
		chief.requireAccessible()
		text := chief.text()
		require.Contains(t, text, "操作日志")
		require.Contains(t, text, "登录失败")
		require.Contains(t, text, "记录意见", "the party's opinion is on the record")
		chief.shoot("chief-audit")

		chief.run(chromedp.SetValue(chromedp.CSS(`select[name="action"]`), "sign_in_failed"))
		chief.set(`input[name="user_id"]`, "judge-chen")
		chief.submit(`form.filters button`)
		require.Contains(t, chief.path(), "action=sign_in_failed")
		require.Equal(t, 1, eval[int](chief, `document.querySelectorAll('tr[data-action="sign_in_failed"]').length`))
		require.Contains(t, eval[string](chief, `document.querySelector('a[download]').getAttribute("href")`), "/chief/audit.csv?")
		chief.requireAccessible()
		chief.shoot("chief-audit-filtered")
	})
}

// submitLink follows the link sel and waits for the page to load.
func (tb *tab) submitLink(sel string) { tb.submit(sel) }
