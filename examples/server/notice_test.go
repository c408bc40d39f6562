package main

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
)

// notice2027 is an invented 2027 notice in the format of the 2026 one (test
// data, not the State Council's notice).
func notice2027(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../deadline/testdata/notice-2027-fixture.txt")
	require.NoError(t, err)
	return string(b)
}

// provisional2027 lists the open due items of the court that are
// provisional, by case and item ID.
func provisional2027(t *testing.T, e *env) map[[2]string]bool {
	t.Helper()
	cs, err := e.app.store.Find(t.Context(), enforcement.CaseFilter{Court: e.app.desk.DefaultCourt()})
	require.NoError(t, err)
	out := map[[2]string]bool{}
	for _, c := range cs {
		for _, d := range c.OpenDueItems() {
			if d.Provisional || d.AwaitingCalendar {
				out[[2]string{c.ID, d.ID}] = true
			}
		}
	}
	return out
}

// twin starts a second instance of e's server on the same database.
func (e *env) twin(t *testing.T) *env {
	t.Helper()
	return startWith(t, backend{"twin", func(*testing.T) string { return e.app.cfg.DB }}, func(c *config) {
		c.Now = e.clock.Now
	})
}

// The demo court's deadlines that end in 2027 are provisional until the
// 2027 notice is loaded: the preview lists them without changing anything,
// loading makes them definite on every instance, records the moves on the
// cases for the judges' digest, and survives a restart. A notice whose
// weekday contradicts its date is refused, quoting the fragment.
func TestFlow_HolidayNoticeMakesProvisionalDefinite(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		other := e.twin(t) // an instance that must pick the change up
		chief, judge := e.login("chief"), e.login("judge-li")
		text := notice2027(t)

		// A case filed on 6 August 2026: its six-month limit ends on
		// 6 February 2027, in the invented Spring Festival, so loading
		// the notice moves it, not only makes it definite.
		var late caseDoc
		body := newCaseBody(7)
		body["received_on"], body["filed_on"] = "2026-08-05", "2026-08-06"
		require.Equal(t, http.StatusCreated, judge.do("POST", "/api/v1/cases", body, &late))

		before := provisional2027(t, e)
		require.NotEmpty(t, before, "the demo court has provisional 2027 deadlines")

		require.Equal(t, http.StatusForbidden, judge.do("POST", "/api/v1/calendar/notice/preview", map[string]any{"year": 2027, "text": text}, nil))
		require.Equal(t, http.StatusForbidden, judge.do("POST", "/api/v1/calendar/notice", map[string]any{"year": 2027, "text": text}, nil))

		// A weekday that contradicts its date: refused, quoting the fragment.
		bad := strings.Replace(text, "2月20日（周六）上班", "2月20日（周日）上班", 1)
		require.NotEqual(t, text, bad)
		for _, path := range []string{"/api/v1/calendar/notice/preview", "/api/v1/calendar/notice"} {
			var eb respond.ErrorBody
			require.Equal(t, http.StatusBadRequest, chief.do("POST", path, map[string]any{"year": 2027, "text": bad}, &eb), path)
			require.Len(t, eb.Error.Fields, 1, "%+v", eb)
			f := eb.Error.Fields[0]
			require.Equal(t, "text", f.Field)
			require.Equal(t, "notice_weekday", f.Code)
			require.Contains(t, f.MessageZh, "2月20日(周日)上班", "the fragment is quoted")
			require.Contains(t, f.MessageZh, "星期六", "the real weekday is named")
		}
		// Unreadable text is refused too, quoting what could not be read.
		var eb respond.ErrorBody
		require.Equal(t, http.StatusBadRequest, chief.do("POST", "/api/v1/calendar/notice/preview", map[string]any{"year": 2027, "text": "春节：2月5日至月底放假。"}, &eb))
		require.NotEmpty(t, eb.Error.Fields)
		require.Contains(t, eb.Error.Fields[0].MessageZh, "2月5日至月底放假")
		require.Equal(t, http.StatusUnprocessableEntity, chief.do("GET", "/api/v1/calendar/days/2027-02-08", nil, nil), "nothing was loaded")

		// Preview: the days and the moves, nothing changed.
		var pv desk.NoticePreview
		require.Equal(t, http.StatusOK, chief.do("POST", "/api/v1/calendar/notice/preview", map[string]any{"year": 2027, "text": text}, &pv))
		require.Equal(t, 2027, pv.Year)
		require.Len(t, pv.Days, 3+1+8+3+5+2+1+1+7+2, "days off and make-up working days of the notice")
		require.Equal(t, "2027-12-31", pv.CoverageLast.String())
		previewed := map[[2]string]bool{}
		for _, m := range pv.Moves {
			previewed[[2]string{m.CaseID, m.DueID}] = true
		}
		for k := range before {
			require.True(t, previewed[k], "provisional item %v is listed", k)
		}
		require.Equal(t, before, provisional2027(t, e), "a preview changes nothing")
		require.Equal(t, http.StatusUnprocessableEntity, chief.do("GET", "/api/v1/calendar/days/2027-02-08", nil, nil))

		// Load: the same moves applied, every provisional 2027 item definite.
		events, err := e.app.store.EventsAfter(t.Context(), 0, 1<<20)
		require.NoError(t, err)
		last := events[len(events)-1].Seq
		var ch desk.CalendarChange
		require.Equal(t, http.StatusOK, chief.do("POST", "/api/v1/calendar/notice", map[string]any{"year": 2027, "text": text}, &ch))
		require.Equal(t, "2027-12-31", ch.CoverageLast.String())
		require.Empty(t, ch.Failed)
		require.ElementsMatch(t, pv.Moves, ch.Moves, "the preview said what loading does")
		definite := 0
		for _, m := range ch.Moves {
			if before[[2]string{m.CaseID, m.DueID}] {
				require.True(t, m.Definite, "%+v", m)
				definite++
			}
		}
		require.Equal(t, len(before), definite)
		shifted := 0
		for _, m := range ch.Moves {
			if m.CaseID == late.ID && m.ShiftDays > 0 {
				require.Equal(t, m.New.Sub(m.Old), m.ShiftDays)
				require.True(t, m.Definite, "%+v", m)
				shifted++
			}
		}
		require.Positive(t, shifted, "a date in the Spring Festival moves: %+v", ch.Moves)
		require.Empty(t, provisional2027(t, e), "no provisional item is left")
		t.Logf("%d provisional items became definite; %d items listed as moving", definite, len(ch.Moves))

		// The moves are on the cases' event log, for the judges' digest.
		events, err = e.app.store.EventsAfter(t.Context(), last, 1<<20)
		require.NoError(t, err)
		logged := map[[2]string]bool{}
		for _, ev := range events {
			if ev.Kind == enforcement.EventDueMoved && ev.Actor == "calendar" {
				for _, id := range ev.Due {
					logged[[2]string{ev.CaseID, id}] = true
				}
			}
		}
		for _, m := range ch.Moves {
			require.True(t, logged[[2]string{m.CaseID, m.DueID}], "move %s/%s is logged", m.CaseID, m.DueID)
		}

		// Every instance has it: the other one at its next request, a new
		// one from the record.
		var day struct{ Kind string }
		for _, c := range []*client{chief, other.login("chief"), e.twin(t).login("chief")} {
			require.Equal(t, http.StatusOK, c.do("GET", "/api/v1/calendar/days/2027-02-08", nil, &day))
			require.Equal(t, "holiday", day.Kind)
			require.Equal(t, http.StatusOK, c.do("GET", "/api/v1/calendar/days/2027-02-20", nil, &day))
			require.Equal(t, "makeup_workday", day.Kind)
		}

		// Loading it again moves nothing.
		require.Equal(t, http.StatusOK, chief.do("POST", "/api/v1/calendar/notice", map[string]any{"year": 2027, "text": text}, &ch))
		require.Empty(t, ch.Moves)
	})
}

// A closure day (typhoon) is entered and removed; the removal is replayed
// by every instance.
func TestFlow_ClosureDayRemoved(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		chief, judge := e.login("chief"), e.login("judge-li")
		var ch desk.CalendarChange
		require.Equal(t, http.StatusOK, chief.do("POST", "/api/v1/calendar/closures", map[string]any{"date": "2026-12-15", "reason": "台风停止办公"}, &ch))
		var list []desk.ClosureIn
		require.Equal(t, http.StatusOK, judge.do("GET", "/api/v1/calendar/closures", nil, &list))
		require.Len(t, list, 1)
		require.Equal(t, "台风停止办公", list[0].Reason)
		var day struct{ Kind string }
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/calendar/days/2026-12-15", nil, &day))
		require.Equal(t, "holiday", day.Kind)

		require.Equal(t, http.StatusForbidden, judge.do("DELETE", "/api/v1/calendar/closures/2026-12-15", nil, nil))
		var back desk.CalendarChange
		require.Equal(t, http.StatusOK, chief.do("DELETE", "/api/v1/calendar/closures/2026-12-15", nil, &back))
		require.Len(t, back.Moves, len(ch.Moves), "what the closure moved moves back")
		for i := range ch.Moves {
			require.Equal(t, ch.Moves[i].Old, back.Moves[i].New)
		}
		require.Equal(t, http.StatusBadRequest, chief.do("DELETE", "/api/v1/calendar/closures/2026-12-15", nil, nil), "no longer closed")
		for _, c := range []*client{chief, e.twin(t).login("chief")} {
			require.Equal(t, http.StatusOK, c.do("GET", "/api/v1/calendar/days/2026-12-15", nil, &day))
			require.Equal(t, "workday", day.Kind)
			require.Equal(t, http.StatusOK, c.do("GET", "/api/v1/calendar/closures", nil, &list))
			require.Empty(t, list)
		}
		// It can be entered again after removal.
		require.Equal(t, http.StatusOK, chief.do("POST", "/api/v1/calendar/closures", map[string]any{"date": "2026-12-15", "reason": "暴雨停止办公"}, &ch))
		require.Equal(t, http.StatusOK, e.twin(t).login("chief").do("GET", "/api/v1/calendar/days/2026-12-15", nil, &day))
		require.Equal(t, "holiday", day.Kind)
	})
}

var hiddenText = regexp.MustCompile(`<input type="hidden" name="text" value="([^"]*)">`)

// The calendar page: the chief pastes the notice, a bad one comes back with
// the fragment at the text area and the text kept; a good one is shown as a
// calendar next to the deadlines that move, and the confirmation form posts
// the same text again, which loads it. Closure days are entered and removed
// on the same page.
func TestPages_CalendarNotice(t *testing.T) {
	e := start(t, sqliteBackend(t))
	text := notice2027(t)
	chief := e.signIn("chief")

	st, loc, _ := e.signIn("judge-li").get("/calendar")
	require.Equal(t, http.StatusSeeOther, st)
	require.Equal(t, "/week", loc)
	st, _, _ = e.signIn("judge-li").post("/calendar/notice", url.Values{"year": {"2027"}, "text": {text}}, true)
	require.Equal(t, http.StatusForbidden, st)

	st, _, body := chief.get("/calendar")
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, body)
	require.Contains(t, body, `value="2027"`, "the next year is proposed")

	st, _, _ = chief.post("/calendar/notice/preview", url.Values{"year": {"2027"}, "text": {text}}, false)
	require.Equal(t, http.StatusForbidden, st, "CSRF token required")
	st, _, _ = chief.post("/calendar/notice", url.Values{"year": {"2027"}, "text": {text}}, false)
	require.Equal(t, http.StatusForbidden, st, "CSRF token required")

	provisional := provisional2027(t, e)
	var caseID string
	for k := range provisional {
		caseID = k[0]
	}
	_, _, body = chief.get("/cases/" + caseID)
	require.Contains(t, body, "暂定期限")

	bad := strings.Replace(text, "10月9日（周六）上班", "10月9日（周五）上班", 1)
	require.NotEqual(t, text, bad)
	st, _, body = chief.post("/calendar/notice/preview", url.Values{"year": {"2027"}, "text": {bad}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, `id="text-error"`)
	require.Contains(t, body, "10月9日(周五)上班", "the fragment is quoted")
	require.Contains(t, body, "星期六")
	require.Contains(t, body, ">"+html.EscapeString(bad)+"</textarea>", "the pasted text is kept")
	require.NotContains(t, body, `action="/calendar/notice"`, "nothing to confirm")
	requireBasics(t, body)

	st, _, body = chief.post("/calendar/notice/preview", url.Values{"year": {"2027"}, "text": {text}}, true)
	require.Equal(t, http.StatusOK, st, body)
	requireBasics(t, body)
	for _, m := range []string{"2027年1月", "2027年2月", "2027年4月", "2027年5月", "2027年6月", "2027年9月", "2027年10月"} {
		require.Contains(t, body, "<caption>"+m+"</caption>")
	}
	require.Contains(t, body, `title="2月20日 春节 调休上班"`)
	require.Contains(t, body, `title="2月5日 春节 放假"`)
	require.Equal(t, len(provisional), strings.Count(body, "暂定转为确定</span>"), "every provisional item is listed as becoming definite")
	require.Equal(t, provisional, provisional2027(t, e), "a preview changes nothing")
	m := hiddenText.FindStringSubmatch(body)
	require.NotNil(t, m, "the confirmation carries the text")
	require.Equal(t, text, html.UnescapeString(m[1]))

	st, _, body = chief.post("/calendar/notice", url.Values{"year": {"2027"}, "text": {html.UnescapeString(m[1])}}, true)
	require.Equal(t, http.StatusOK, st, body)
	require.Contains(t, body, "已载入2027年节假日安排")
	require.Contains(t, body, "至 2027-12-31")
	require.Empty(t, provisional2027(t, e))
	_, _, body = chief.get("/calendar")
	require.Contains(t, body, `id="notice-year" name="year" type="number" min="2000" max="2100" required value="2028"`, "the next uncovered year is proposed")
	_, _, body = chief.get("/cases/" + caseID)
	require.NotContains(t, body, "暂定期限", "the provisional marks are gone")

	// A closure day, entered and removed.
	st, loc, _ = chief.post("/calendar/closures", url.Values{"date": {"2026-12-15"}, "reason": {"台风停止办公"}}, true)
	require.Equal(t, http.StatusSeeOther, st)
	require.Equal(t, "/calendar?ok=closed", loc)
	_, _, body = chief.get(loc)
	require.Contains(t, body, "台风停止办公")
	require.Contains(t, body, `action="/calendar/closures/2026-12-15/remove"`)
	st, _, body = chief.post("/calendar/closures", url.Values{"date": {"2030-01-01"}}, true)
	require.Equal(t, http.StatusBadRequest, st)
	require.Contains(t, body, `id="closure-error"`)
	require.Contains(t, body, `value="2030-01-01"`, "the date entered is kept")
	st, loc, _ = chief.post("/calendar/closures/2026-12-15/remove", nil, true)
	require.Equal(t, http.StatusSeeOther, st)
	_, _, body = chief.get(loc)
	require.Contains(t, body, "停止办公日已撤销")
	require.NotContains(t, body, `action="/calendar/closures/2026-12-15/remove"`)
}
