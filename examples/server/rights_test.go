package main

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// A party's right reads as a right on the party's page and in the party
// API: the application received on 2026-12-27, the applicant may apply to
// the higher court once more than six months have passed (CPL art. 237):
// the six months end on Sunday 2027-06-27, extended to Monday 06-28 (CPL
// art. 85), so the right is usable after 06-28, a date beyond the 2026
// calendar and so provisional. A task with a provisional date (the
// enforcement notice, within 10 days of receiving the application,
// Interp. art. 480: 2027-01-06) is marked 暂定.
func TestPartyPage_RightsAndProvisional(t *testing.T) {
	e := start(t, sqliteBackend(t))
	e.clock.Add(time.Date(2026, 12, 28, 10, 0, 0, 0, deadline.China).Sub(e.clock.Now()))
	judge := e.login("judge-li")
	body := newCaseBody(41)
	body["received_on"], body["filed_on"] = "2026-12-27", "2026-12-28"
	var c caseDoc
	require.Equal(t, http.StatusCreated, judge.do("POST", "/api/v1/cases", body, &c))
	const rightText = "申请执行人自2027年6月28日（暂定）后可向上一级法院申请执行"

	b := e.signInParty(c.ID, c.Parties[0].ID)
	st, _, page := b.get("/my-case")
	require.Equal(t, http.StatusOK, st)
	requireBasics(t, page)
	require.Contains(t, page, rightText)
	require.Contains(t, page, "当事人权利")
	require.NotContains(t, page, "2027年6月29日", "the day the right opens is not named with 后")
	require.NotContains(t, page, "申请执行 …前", "a right is not a time limit")
	require.Contains(t, page, "2027年1月6日 周三 前（暂定） · 由法院办理", "the enforcement notice's date is provisional")

	var pv struct {
		Due []struct {
			Title       string `json:"title"`
			Due         string `json:"due"`
			Provisional bool   `json:"provisional"`
			Right       string `json:"right"`
			RightText   string `json:"right_text"`
		} `json:"due"`
	}
	require.Equal(t, http.StatusOK, e.asParty(c.ID, c.Parties[0].ID).do("GET", "/api/v1/cases/"+c.ID, nil, &pv))
	i := slices.IndexFunc(pv.Due, func(d struct {
		Title       string `json:"title"`
		Due         string `json:"due"`
		Provisional bool   `json:"provisional"`
		Right       string `json:"right"`
		RightText   string `json:"right_text"`
	}) bool {
		return d.Right != ""
	})
	require.GreaterOrEqual(t, i, 0, "%+v", pv.Due)
	require.Equal(t, "from", pv.Due[i].Right)
	require.Equal(t, rightText, pv.Due[i].RightText)
	require.Equal(t, "2027-06-29", pv.Due[i].Due, "the first day the right may be used")
	require.True(t, pv.Due[i].Provisional)
	for _, d := range pv.Due {
		if d.Right == "" {
			require.Empty(t, d.RightText, d.Title)
		}
	}

	// The judge's case page shows the right as the party's, with no level.
	_, _, page = e.signIn("judge-li").get("/cases/" + c.ID)
	require.Contains(t, page, rightText+"（当事人的权利，不是承办人的待办事项）")
	// Nor is it offered as a deadline to plan for on the judge's week.
	_, _, page = e.signIn("judge-li").get("/week")
	require.Contains(t, page, `value="`+c.ID+`|`, "the case's tasks are offered")
	require.NotContains(t, page, `value="`+c.ID+`|case.superior_application@application"`)
}

// The feed's approaching alarm falls on the day LevelOf turns approaching,
// also for a due date on a rest day: a freeze the bank reports ending on
// Saturday 2026-12-05 turns approaching on Tuesday 2026-12-01 (three
// working days, Wednesday to Friday, left), not on Wednesday 2026-12-02.
func TestFeed_ApproachingAlarmOnRestDay(t *testing.T) {
	e := start(t, sqliteBackend(t))
	judge := e.login("judge-zhang")
	sat := deadline.NewDate(2026, 12, 5)
	var c caseDoc
	require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/cases/demo-4/measures/m-freeze/result",
		map[string]any{"result": "银行回执：冻结期限至" + sat.String(), "expires_on": sat.String()}, &c))
	id := ""
	for _, d := range c.DueItems {
		if d.Rule == "seizure.deposit_expiry" {
			id = d.ID
			require.Equal(t, sat.String(), d.Computed)
		}
	}
	require.NotEmpty(t, id)
	cal := e.app.desk.Calendar()
	from, err := enforcement.ApproachingFrom(cal, sat, 0)
	require.NoError(t, err)
	require.Equal(t, deadline.NewDate(2026, 12, 1), from)
	for day, want := range map[deadline.Date]enforcement.Level{from.AddDays(-1): enforcement.LevelNormal, from: enforcement.LevelApproaching} {
		l, err := enforcement.LevelOf(cal, sat, day, 0)
		require.NoError(t, err)
		require.Equal(t, want, l, day.String())
	}

	st, raw := judge.raw("GET", "/api/v1/judges/judge-zhang/calendar.ics", nil)
	require.Equal(t, http.StatusOK, st)
	feed, err := ical.NewDecoder(bytes.NewReader(raw)).Decode()
	require.NoError(t, err)
	var triggers []string
	found := false
	for _, ev := range feed.Events() {
		uid, err := ev.Props.Text(ical.PropUID)
		require.NoError(t, err)
		if !strings.HasPrefix(uid, "due/demo-4/"+id+"@") {
			continue
		}
		found = true
		for _, a := range ev.Children {
			triggers = append(triggers, a.Props.Get(ical.PropTrigger).Value)
		}
	}
	require.True(t, found)
	require.Contains(t, triggers, "20261201T010000Z", "09:00 on Tuesday 2026-12-01")
	require.NotContains(t, triggers, "20261202T010000Z")
	require.Contains(t, triggers, "20261205T010000Z", "and on the due day")
}
