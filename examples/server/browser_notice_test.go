package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The chief pastes the invented 2027 notice on the calendar page in
// Chromium: a contradicting weekday comes back with the fragment and the
// text kept; the preview draws the months and lists the moves; the
// confirmation loads it. Screenshots of each step at phone and desktop
// widths go to testdata/screenshots (calendar-*.png).
func TestBrowser_HolidayNotice(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	t.Parallel() // two browsers at once: each waits on the other's server much of the time
	e := start(t, sqliteBackend(t))
	text := notice2027(t)
	// A case whose six-month limit ends in the invented Spring Festival.
	body := newCaseBody(7)
	body["received_on"], body["filed_on"] = "2026-08-05", "2026-08-06"
	require.Equal(t, http.StatusCreated, e.login("judge-li").do("POST", "/api/v1/cases", body, nil))
	provisional := provisional2027(t, e)
	require.NotEmpty(t, provisional)
	c := startChrome(t, e.srv.URL)

	chief := c.signIn("chief")
	chief.submit(`nav a[href="/calendar"]`)
	require.Equal(t, "/calendar", chief.path())
	chief.requireAccessible()

	// A weekday that contradicts its date.
	bad := strings.Replace(text, "4月25日（周日）", "4月25日（周一）", 1)
	require.NotEqual(t, text, bad)
	chief.set("#notice-year", "2027")
	chief.set("#notice-text", bad)
	chief.submit("#preview-notice")
	require.Equal(t, "/calendar/notice/preview", chief.path())
	msg := eval[string](chief, `document.querySelector("#text-error").innerText`)
	require.Contains(t, msg, "4月25日(周一)")
	require.Contains(t, msg, "星期日")
	require.Equal(t, bad, eval[string](chief, `document.querySelector("#notice-text").value`), "the pasted text is kept")
	require.Equal(t, "text-error", eval[string](chief, `document.querySelector("#notice-text").getAttribute("aria-describedby")`))
	require.Zero(t, eval[int](chief, `document.querySelectorAll("#load-notice").length`), "nothing to load")
	chief.requireAccessible()
	chief.shoot("calendar-refused")

	// The notice as published: preview.
	chief.set("#notice-text", text)
	chief.submit("#preview-notice")
	chief.requireAccessible()
	months := eval[[]string](chief, `[...document.querySelectorAll("table.month caption")].map(c => c.textContent)`)
	require.Equal(t, []string{"2027年1月", "2027年2月", "2027年4月", "2027年5月", "2027年6月", "2027年9月", "2027年10月"}, months)
	offs := eval[int](chief, `document.querySelectorAll("table.month td.off").length`)
	works := eval[int](chief, `document.querySelectorAll("table.month td.work").length`)
	require.Equal(t, 3+8+3+5+1+1+7, offs, "days off marked")
	require.Equal(t, 1+2+2, works, "make-up working days marked")
	listed := eval[int](chief, `document.querySelectorAll("ul.moves li .flagtag.ok").length`)
	require.Equal(t, len(provisional), listed, "every provisional deadline is listed as becoming definite")
	require.Equal(t, provisional, provisional2027(t, e), "the preview changes nothing")
	require.Contains(t, chief.text(), "推后 7 天", "a date in the holiday moves")
	chief.shoot("calendar-preview")

	// Confirm: loaded.
	chief.submit("#load-notice")
	require.Equal(t, "/calendar/notice", chief.path())
	require.Contains(t, chief.text(), "已载入2027年节假日安排")
	require.Empty(t, provisional2027(t, e), "the provisional 2027 deadlines are definite")
	chief.requireAccessible()
	chief.shoot("calendar-loaded")

	// A typhoon day, entered and removed on the same page.
	chief.open("/calendar")
	chief.set("#closure-date", "2026-12-15")
	chief.set("#closure-reason", "台风停止办公")
	chief.submit("#add-closure")
	require.Equal(t, "/calendar?ok=closed", chief.path())
	require.Contains(t, chief.text(), "台风停止办公")
	chief.shoot("calendar-closure")
	chief.submit(`form[action="/calendar/closures/2026-12-15/remove"] button`)
	require.Contains(t, chief.text(), "停止办公日已撤销")
	require.Contains(t, chief.text(), "没有停止办公日")
}
