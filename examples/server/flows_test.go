package main

import (
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/stretchr/testify/require"
)

func templates(ms []messageDoc) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Template)
	}
	slices.Sort(out)
	return out
}

func byCase(ms []messageDoc, caseID string) []messageDoc {
	var out []messageDoc
	for _, m := range ms {
		if m.CaseID == caseID {
			out = append(out, m)
		}
	}
	return out
}

// Filing: the case is filed, the filing notices to both parties are drafted
// and dispatched to the gateway, and the gateway's receipt marks delivery.
func TestFlow_FilingNoticeDispatched(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		e.relay()
		e.dispatch()
		before := len(e.sender.all())

		judge := e.login("judge-li")
		var c caseDoc
		require.Equal(t, http.StatusCreated, judge.do("POST", "/api/v1/cases", newCaseBody(1), &c))
		require.Equal(t, "judge-li", c.JudgeID)
		require.Empty(t, c.QueryCode, "no case-level code: each party has its own")
		require.NotEmpty(t, c.DueItems, "filing schedules the first time limits")

		e.relay()
		ms := byCase(judge.messages(""), c.ID)
		require.Equal(t, []string{"filing.applicant", "filing.respondent"}, templates(ms))
		for _, m := range ms {
			require.Equal(t, "queued", m.State)
		}
		e.relay() // relaying again drafts nothing new
		require.Len(t, byCase(judge.messages(""), c.ID), 2)

		e.dispatch()
		sent := e.sender.all()[before:]
		require.Len(t, sent, 2)
		var toApplicant string
		applicantCode, respondentCode := e.partyCode(c.ID, c.Parties[0].ID), e.partyCode(c.ID, c.Parties[1].ID)
		require.NotEqual(t, applicantCode, respondentCode)
		for _, o := range sent {
			require.Contains(t, o.Body, "【上海一中院】")
			require.Contains(t, o.Body, "联系电话12368。", "the division's number, not the contact line")
			require.Contains(t, o.Body, "诉讼服务热线12368", "the contact line")
			if o.Template == "filing.applicant" {
				toApplicant = o.IdempotencyKey
				require.Equal(t, "13812340000", o.To)
				require.Contains(t, o.Body, applicantCode, "the filing notice carries the party's own query code")
				require.NotContains(t, o.Body, respondentCode)
			} else {
				require.Contains(t, o.Body, respondentCode)
				require.NotContains(t, o.Body, applicantCode, "never the other side's")
			}
		}
		require.NotEmpty(t, toApplicant)
		ms = byCase(judge.messages(""), c.ID)
		for _, m := range ms {
			require.Equal(t, "sent", m.State)
		}

		// The gateway reports delivery through the signed webhook.
		st := e.webhook("/api/v1/sms/receipts", map[string]any{"event_id": "r1", "provider_id": "fake-" + toApplicant,
			"status": "delivered", "code": "DELIVRD", "at": e.clock.Now().Format(time.RFC3339)})
		require.Equal(t, http.StatusNoContent, st)
		delivered := 0
		for _, m := range byCase(judge.messages("?state=delivered"), c.ID) {
			require.Equal(t, "filing.applicant", m.Template)
			delivered++
		}
		require.Equal(t, 1, delivered)

		// The party signs in with the number and the code of the notice.
		party := e.partyLogin(c.Number, applicantCode)
		var pv struct {
			Number string
			Nodes  []any
		}
		require.Equal(t, http.StatusOK, party.do("GET", "/api/v1/cases/"+c.ID, nil, &pv))
		require.Equal(t, c.Number, pv.Number)
		require.NotEmpty(t, pv.Nodes)
	})
}

// Measure: a freeze's notice goes to the applicant at once and is held for
// the judge for the respondent; the judge confirms it and it is sent.
func TestFlow_MeasureHeldAndConfirmed(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		judge := e.login("judge-li")
		var c caseDoc
		require.Equal(t, http.StatusCreated, judge.do("POST", "/api/v1/cases", newCaseBody(2), &c))
		require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/cases/"+c.ID+"/nodes", map[string]any{"kind": "network_inquiry", "date": "2026-11-26"}, &c))
		require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/cases/"+c.ID+"/measures", map[string]any{
			"node": "network_inquiry", "kind": "freeze", "property": "deposit", "target": "招商银行账户 6225****1234",
			"amount": "50000.00", "taken_on": "2026-11-26", "outcome": "done", "result": "冻结存款人民币50,000.00元"}, &c))
		require.Len(t, c.Measures, 1)
		var expiry bool
		for _, d := range c.DueItems {
			expiry = expiry || d.Rule != "" && d.Provisional // a one-year freeze ends beyond the 2026 calendar
		}
		require.True(t, expiry, "the freeze's expiry is scheduled, provisionally beyond the calendar")

		e.relay()
		var held, queued []messageDoc
		for _, m := range byCase(judge.messages(""), c.ID) {
			switch {
			case m.State == "held":
				held = append(held, m)
			case m.Template != "filing.applicant" && m.Template != "filing.respondent" && m.State == "queued":
				queued = append(queued, m)
			}
		}
		require.Len(t, held, 1, "the respondent's notice waits for the judge")
		require.Equal(t, "respondent", held[0].Recipient.Role)
		require.NotEmpty(t, queued, "the applicant's notice goes out by itself")

		// Another judge may not confirm it; the owner may.
		other := e.login("judge-zhang")
		require.Equal(t, http.StatusNotFound, other.do("POST", "/api/v1/messages/"+held[0].ID+"/confirm", map[string]any{}, nil))
		var m messageDoc
		require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/messages/"+held[0].ID+"/edit", map[string]any{"params": map[string]string{"amount": "49,999.00"}}, &m))
		require.Equal(t, "held", m.State)
		require.Contains(t, m.Body, "49,999.00", "the judge edits within the template")
		require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/messages/"+held[0].ID+"/confirm", map[string]any{}, &m))
		require.Equal(t, "queued", m.State)
		require.Equal(t, http.StatusConflict, judge.do("POST", "/api/v1/messages/"+held[0].ID+"/confirm", map[string]any{}, nil), "confirming twice")

		e.dispatch()
		var toRespondent bool
		for _, o := range e.sender.all() {
			toRespondent = toRespondent || o.IdempotencyKey == held[0].ID
		}
		require.True(t, toRespondent)
	})
}

// Opinion: the judge asks the applicant before 终本; the applicant's SMS
// reply comes through the webhook and the judge sees the opinion.
func TestFlow_OpinionReplyThroughWebhook(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		judge := e.login("judge-li")
		var c caseDoc
		require.Equal(t, http.StatusCreated, judge.do("POST", "/api/v1/cases", newCaseBody(3), &c))
		require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/cases/"+c.ID+"/solicitations",
			map[string]any{"party_id": "p1", "purpose": "zhongben", "summary": "未发现可供执行财产，拟终结本次执行程序。"}, &c))
		require.Len(t, c.Solicitations, 1)
		code := c.Solicitations[0].ReplyCode
		require.NotEmpty(t, code)

		e.relay()
		e.dispatch()
		var asked bool
		for _, o := range e.sender.all() {
			if o.Template == "opinion.solicit" && o.To == "13812340000" {
				asked = true
				require.Contains(t, o.Body, code)
			}
		}
		require.True(t, asked, "the solicitation is texted to the applicant")

		st := e.webhook("/api/v1/sms/replies", map[string]any{"event_id": "in-1", "from": "13812340000", "text": code + " 2 被执行人有车辆在外地",
			"received_at": e.clock.Now().Format(time.RFC3339), "provider_id": "mo-1"})
		require.Equal(t, http.StatusNoContent, st)

		require.Equal(t, http.StatusOK, judge.do("GET", "/api/v1/cases/"+c.ID, nil, &c))
		require.NotNil(t, c.Solicitations[0].Answer)
		require.Equal(t, "disagree", c.Solicitations[0].Answer.Choice)
		require.Equal(t, "sms", c.Solicitations[0].Answer.Channel)
		require.Contains(t, c.Solicitations[0].Answer.Text, "车辆")

		// A reply nobody can match waits for a person.
		st = e.webhook("/api/v1/sms/replies", map[string]any{"event_id": "in-2", "from": "13700000000", "text": "同意",
			"received_at": e.clock.Now().Format(time.RFC3339), "provider_id": "mo-2"})
		require.Equal(t, http.StatusNoContent, st)
		var rs struct{ Replies []desk.StoredReply }
		require.Equal(t, http.StatusOK, e.login("chief").do("GET", "/api/v1/replies", nil, &rs))
		statuses := map[string]string{}
		for _, r := range rs.Replies {
			statuses[r.ID] = string(r.Status)
		}
		require.Equal(t, "matched", statuses["mo-1"])
		require.Equal(t, "unmatched", statuses["mo-2"])
	})
}

// Trips: two judges going to the same district the same morning are
// grouped for a pooled trip.
func TestFlow_OverlappingTripsCoordinated(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		day := testNow.Add(48 * time.Hour).Truncate(24 * time.Hour)
		for i, j := range []string{"judge-zhang", "judge-chen"} {
			c := e.login(j)
			require.Equal(t, http.StatusCreated, c.do("POST", "/api/v1/trips", map[string]any{
				"start": day.Add(time.Duration(9+i) * time.Hour), "end": day.Add(11 * time.Hour),
				"place": map[string]any{"address": "闵行区莘庄", "division": "310112"}, "purpose": "查封现场"}, nil))
		}
		var out struct {
			Groups []struct {
				Judges  []string
				Summary string
			}
		}
		require.Equal(t, http.StatusOK, e.login("chief").do("GET", "/api/v1/coordination", nil, &out))
		var found bool
		for _, g := range out.Groups {
			if slices.Contains(g.Judges, "judge-zhang") && slices.Contains(g.Judges, "judge-chen") {
				found = true
				require.NotEmpty(t, g.Summary)
			}
		}
		require.True(t, found, "groups: %+v", out.Groups)
		// The chief sends the suggestion to the judges and to themself, once.
		var drafted struct{ Drafted int }
		chief := e.login("chief")
		require.Equal(t, http.StatusOK, chief.do("POST", "/api/v1/coordination/notify", map[string]any{}, &drafted))
		require.GreaterOrEqual(t, drafted.Drafted, 3)
		before := len(chief.messages(""))
		require.Equal(t, http.StatusOK, chief.do("POST", "/api/v1/coordination/notify", map[string]any{}, &drafted))
		require.Len(t, chief.messages(""), before, "asking again drafts nothing new")
		// A judge sees only the groups they are in.
		require.Equal(t, http.StatusOK, e.login("judge-li").do("GET", "/api/v1/coordination", nil, &out))
		for _, g := range out.Groups {
			require.Contains(t, g.Judges, "judge-li")
		}
	})
}

// Calendar: loading the 2027 schedule moves the provisional due dates that
// fall on its holidays, and lists them.
func TestFlow_NewYearScheduleMovesDeadlines(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		e.clock.Add(34 * 24 * time.Hour) // 30 December: the case below is filed that day, not in the future
		chief := e.login("chief")
		var day struct{ Kind string }
		require.Equal(t, http.StatusUnprocessableEntity, chief.do("GET", "/api/v1/calendar/days/2027-02-08", nil, nil), "2027 is not covered yet")

		judge := e.login("judge-li")
		var c caseDoc
		body := newCaseBody(4)
		body["filed_on"], body["received_on"] = "2026-12-30", "2026-12-30"
		require.Equal(t, http.StatusCreated, judge.do("POST", "/api/v1/cases", body, &c))
		var provisional bool
		for _, d := range c.DueItems {
			provisional = provisional || d.Provisional
		}
		require.True(t, provisional)

		schedule, err := os.ReadFile("../../deadline/testdata/schedule-2027-fixture.json")
		require.NoError(t, err)
		require.Equal(t, http.StatusForbidden, judge.do("POST", "/api/v1/calendar/schedule", schedule, nil), "only the chief loads schedules")
		var ch desk.CalendarChange
		require.Equal(t, http.StatusOK, chief.do("POST", "/api/v1/calendar/schedule", schedule, &ch))
		require.Equal(t, "2027-12-31", ch.CoverageLast.String())
		var moved bool
		for _, m := range ch.Moves {
			moved = moved || m.CaseID == c.ID
		}
		require.True(t, moved, "moves: %+v", ch.Moves)
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/calendar/days/2027-02-08", nil, &day))
		require.Equal(t, "holiday", day.Kind)

		// A court closure day moves what falls on it too.
		require.Equal(t, http.StatusOK, chief.do("POST", "/api/v1/calendar/closures", map[string]any{"date": "2026-12-31", "reason": "台风停止办公"}, &ch))
		require.Equal(t, http.StatusOK, chief.do("GET", "/api/v1/calendar/days/2026-12-31", nil, &day))
		require.Equal(t, "holiday", day.Kind)
	})
}

// Plans: a judge plans the week, with a trip that coincides with another
// judge's; the agenda merges the plan with the due items, the trip joins a
// coordination group and the feed carries both.
func TestFlow_WeeklyPlanAgendaAndFeed(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		li := e.login("judge-li")
		var c caseDoc
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/cases/demo-2", nil, &c))
		var dueID string
		for _, d := range c.DueItems {
			if dueID == "" {
				dueID = d.ID
			}
		}
		require.NotEmpty(t, dueID)
		require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/plans/judge-li/2026-W48/items", map[string]any{
			"kind": "task", "case_id": "demo-2", "due_id": dueID, "title": "发出执行通知书", "day": "2026-11-27"}, nil))
		tomorrow := testNow.Add(24 * time.Hour).Truncate(24 * time.Hour).Add(-8 * time.Hour) // midnight CST
		require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/plans/judge-li/2026-W48/items", map[string]any{
			"kind": "trip", "case_id": "demo-2", "title": "现场调查", "start": tomorrow.Add(14 * time.Hour), "end": tomorrow.Add(17 * time.Hour),
			"trip": map[string]any{"address": "浦东新区张江路200号", "division": "310115", "purpose": "现场调查"}}, nil))
		var pl struct {
			Version int64
			Items   []any
		}
		require.Equal(t, http.StatusOK, li.do("POST", "/api/v1/plans/judge-li/2026-W48/submit", map[string]any{}, &pl))
		require.Len(t, pl.Items, 2)

		var ag struct {
			JudgeID string `json:"judge_id"`
			Today   []struct {
				CaseID string `json:"case_id"`
				DueID  string `json:"due_id"`
			} `json:"today"`
			Counts map[string]any `json:"counts"`
		}
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/reminders", nil, &ag))
		require.Equal(t, "judge-li", ag.JudgeID)
		require.NotEmpty(t, ag.Today, "demo case 2 is overdue")

		var chief struct {
			Judges []struct {
				JudgeID string `json:"judge_id"`
			} `json:"judges"`
		}
		require.Equal(t, http.StatusOK, e.login("chief").do("GET", "/api/v1/reminders", nil, &chief))
		require.GreaterOrEqual(t, len(chief.Judges), 3)

		// The demo trips are tomorrow morning in 浦东新区, of two judges of
		// this court and one of 上海市浦东新区人民法院; the planned trip in
		// the afternoon is adjacent and joins them.
		var co struct {
			Groups []struct{ Trips []struct{ ID string } }
		}
		require.Equal(t, http.StatusOK, li.do("GET", "/api/v1/coordination", nil, &co))
		require.NotEmpty(t, co.Groups)
		require.Len(t, co.Groups[0].Trips, 4, "%+v", co.Groups)

		st, raw := li.raw("GET", "/api/v1/judges/judge-li/calendar.ics", nil)
		require.Equal(t, http.StatusOK, st)
		require.Contains(t, string(raw), "BEGIN:VCALENDAR")
		require.Contains(t, string(raw), "due/demo-2/")
		require.Contains(t, string(raw), "plan/")
	})
}
