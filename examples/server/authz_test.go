package main

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/notify"
)

// snapshot is what a refused request must leave unchanged.
type snapshot struct {
	caseVersion int64
	messages    int
	trips       int
	users       int
}

func (e *env) snapshot(caseID string) snapshot {
	e.t.Helper()
	ctx := e.t.Context()
	c, err := e.app.store.Get(ctx, caseID)
	require.NoError(e.t, err)
	ms, err := e.app.desk.Outbox.List(ctx, notify.Filter{})
	require.NoError(e.t, err)
	var trips, users int
	require.NoError(e.t, e.app.db.QueryRow(ctx, `SELECT COUNT(*) FROM server_trips`).Scan(&trips))
	require.NoError(e.t, e.app.db.QueryRow(ctx, `SELECT COUNT(*) FROM server_users`).Scan(&users))
	return snapshot{c.Version, len(ms), trips, users}
}

// TestAuthorisationMatrix walks every role over every endpoint: the allowed
// ones succeed, the others are refused (401, 403 or 404) and change nothing.
func TestAuthorisationMatrix(t *testing.T) {
	if raceEnabled {
		t.Skip("hundreds of sequential requests, no concurrency of their own: runs without -race")
	}
	e := start(t, backends(t)[0])
	e.relay()
	ctx := t.Context()
	target, err := e.app.store.Get(ctx, "demo-7") // judge-zhang's case awaiting the applicant's opinion
	require.NoError(t, err)
	other, err := e.app.store.Get(ctx, "demo-4")
	require.NoError(t, err)
	held, err := e.app.desk.Outbox.List(ctx, notify.Filter{CaseID: "demo-7"})
	require.NoError(t, err)
	require.NotEmpty(t, held)
	msgID := held[0].ID
	chiefP, judgeP := &desk.Principal{Role: desk.RoleChief, UserID: "chief"}, &desk.Principal{Role: desk.RoleJudge, UserID: "judge-zhang"}
	_, err = e.app.desk.ReceiveRequest(ctx, judgeP, "demo-7", enforcement.Request{ID: "req-matrix", PartyID: "a1", Channel: "phone", Text: "询问进展"})
	require.NoError(t, err)
	_, err = e.app.desk.IssueSupervision(ctx, chiefP, "demo-7", enforcement.SupervisionOrder{ID: "sup-matrix", Text: "请报告", Due: deadline.MustParseDate("2026-12-04")})
	require.NoError(t, err)
	var openDue []string
	for _, d := range target.OpenDueItems() {
		openDue = append(openDue, d.ID)
	}
	require.GreaterOrEqual(t, len(openDue), 2)
	sid := target.Solicitations[0].ID

	// Both parties of the case are principals of their own: the
	// applicant (a1) and the respondent (r1), each signed in with its own
	// code and a confirmed one-time code; the applicant also before
	// confirming one ("unverified"); and a party signed in with the
	// case-level code of a case filed before per-party codes ("caseonly").
	require.Equal(t, "a1", target.Parties[0].ID)
	require.Equal(t, "r1", target.Parties[1].ID)
	clients := map[string]*client{
		"anon":       e.anon(),
		"applicant":  e.actAs("demo-7", "a1"),
		"respondent": e.actAs("demo-7", "r1"),
		"unverified": e.asParty("demo-7", "a1"),
		"caseonly":   e.partyLogin(target.Number.String(), e.legacyCode("demo-7")),
		"stranger":   e.actAs(other.ID, other.Parties[0].ID),
		"judge":      e.login("judge-zhang"),
		// A judge of another division: judge-li heads judge-zhang's and may
		// read and 督办 her cases (oversight_test.go).
		"other": e.login("judge-chen"),
		"chief": e.login("chief"),
	}
	roles := []string{"anon", "applicant", "respondent", "unverified", "caseonly", "stranger", "judge", "other", "chief"}
	staff := []string{"judge", "other", "chief"}
	parties := []string{"applicant", "respondent", "unverified", "caseonly", "stranger"}
	ofCase := []string{"applicant", "respondent", "unverified", "caseonly"}
	seq := 0
	newCase := func() any { seq++; return newCaseBody(100 + seq) }
	tests := []struct {
		name    string
		method  string
		path    string
		body    func() any
		allowed []string
	}{
		{"list cases", "GET", "/api/v1/cases", nil, append(parties, staff...)},
		{"file case", "POST", "/api/v1/cases", newCase, staff},
		{"get case", "GET", "/api/v1/cases/demo-7", nil, append(ofCase, "judge", "chief")},
		{"parties", "GET", "/api/v1/cases/demo-7/parties", nil, append(ofCase, "judge", "chief")},
		{"due", "GET", "/api/v1/cases/demo-7/due", nil, append(ofCase, "judge", "chief")},
		{"closure checklist", "GET", "/api/v1/cases/demo-7/closure?mode=zhongben", nil, []string{"judge", "chief"}},
		{"record node", "POST", "/api/v1/cases/demo-7/nodes", func() any { return map[string]any{"kind": "clue_submitted", "date": "2026-11-26"} }, []string{"judge"}},
		{"record measure", "POST", "/api/v1/cases/demo-7/measures", func() any {
			return map[string]any{"id": "m-matrix", "node": "network_inquiry", "kind": "deduct", "property": "deposit", "target": "账户", "amount": "10.00", "taken_on": "2026-11-26", "outcome": "pending"}
		}, []string{"judge"}},
		{"measure result", "POST", "/api/v1/cases/demo-7/measures/m-matrix/result", func() any { return map[string]any{"result": "扣划完毕"} }, []string{"judge"}},
		{"override due", "POST", "/api/v1/cases/demo-7/due/" + openDue[0] + "/override", func() any { return map[string]any{"date": "2026-12-31", "reason": "当事人和解协商中"} }, []string{"judge"}},
		{"complete due", "POST", "/api/v1/cases/demo-7/due/" + openDue[1] + "/complete", func() any { return map[string]any{"on": "2026-11-26"} }, []string{"judge"}},
		{"answer request", "POST", "/api/v1/cases/demo-7/requests/req-matrix/answer", func() any { return map[string]any{"answer": "已查询"} }, []string{"judge"}},
		{"answer supervision", "POST", "/api/v1/cases/demo-7/supervision/sup-matrix/answer", func() any { return map[string]any{"response": "已报告"} }, []string{"judge"}},
		{"opinion", "POST", "/api/v1/cases/demo-7/solicitations/" + sid + "/opinion", func() any { return map[string]any{"choice": "agree", "channel": "phone"} }, []string{"applicant", "judge"}},
		{"close", "POST", "/api/v1/cases/demo-7/close", func() any { return map[string]any{"mode": "completed", "reason": "执行完毕"} }, []string{"judge"}},
		{"confirm message", "POST", "/api/v1/messages/" + msgID + "/confirm", func() any { return map[string]any{} }, []string{"judge"}},
		{"edit message", "POST", "/api/v1/messages/" + msgID + "/edit", func() any { return map[string]any{"params": map[string]string{"summary": "x"}} }, []string{"judge"}},
		{"sms reply unsigned", "POST", "/api/v1/sms/replies", func() any { return map[string]any{"from": "13800001007", "text": "K7Q2 1"} }, nil},
		{"party request", "POST", "/api/v1/cases/demo-7/requests", func() any {
			return map[string]any{"party_id": "a1", "channel": "phone", "text": "请尽快查询车辆"}
		}, []string{"applicant", "respondent", "judge"}},
		{"solicit", "POST", "/api/v1/cases/demo-7/solicitations", func() any { return map[string]any{"party_id": "a1", "summary": "拟终本"} }, []string{"judge"}},
		{"supervision order", "POST", "/api/v1/cases/demo-7/supervision", func() any { return map[string]any{"text": "请报告进展", "due": "2026-12-04"} }, []string{"chief"}},
		{"case messages", "GET", "/api/v1/cases/demo-7/messages", nil, append(ofCase, "judge", "chief")},
		{"cancel message", "POST", "/api/v1/messages/" + msgID + "/cancel", func() any { return map[string]any{"reason": "重复"} }, []string{"judge"}},
		{"messages", "GET", "/api/v1/messages", nil, append(parties, staff...)},
		{"supervision report", "GET", "/api/v1/supervision", nil, []string{"chief"}},
		{"reminders", "GET", "/api/v1/reminders", nil, staff},
		{"due index", "GET", "/api/v1/due", nil, staff},
		{"plans of the week", "GET", "/api/v1/plans", nil, []string{"chief"}},
		{"judge's plan", "GET", "/api/v1/plans/judge-zhang/2026-W48", nil, []string{"judge", "chief"}},
		{"add plan item", "POST", "/api/v1/plans/judge-zhang/2026-W48/items", func() any {
			return map[string]any{"kind": "task", "case_id": "demo-7", "title": "约谈申请执行人", "day": "2026-11-27"}
		}, []string{"judge"}},
		{"submit plan", "POST", "/api/v1/plans/judge-zhang/2026-W49/submit", func() any { return map[string]any{} }, []string{"judge"}},
		{"replies", "GET", "/api/v1/replies", nil, staff},
		{"trips", "GET", "/api/v1/trips", nil, staff},
		{"add trip", "POST", "/api/v1/trips", func() any {
			return map[string]any{"start": "2026-11-30T09:00:00+08:00", "end": "2026-11-30T11:00:00+08:00", "place": map[string]any{"address": "徐汇区", "division": "310104"}}
		}, staff},
		{"coordination", "GET", "/api/v1/coordination", nil, staff},
		{"coordination notify", "POST", "/api/v1/coordination/notify", func() any { return map[string]any{} }, []string{"chief"}},
		{"judge feed", "GET", "/api/v1/judges/judge-zhang/calendar.ics", nil, []string{"judge", "chief"}},
		{"judge due moves", "GET", "/api/v1/judges/judge-zhang/due-moves", nil, []string{"judge", "chief"}},
		{"day", "GET", "/api/v1/calendar/days/2026-11-26", nil, roles},
		{"closure day", "POST", "/api/v1/calendar/closures", func() any { return map[string]any{"date": "2026-12-28", "reason": "停电"} }, []string{"chief"}},
		{"users", "GET", "/api/v1/users", nil, staff},
		{"create user", "POST", "/api/v1/users", func() any {
			seq++
			return map[string]any{"id": fmt.Sprintf("judge-new-%d", seq), "role": "judge", "name": "新法官", "password": "long-enough-pw"}
		}, []string{"chief"}},
		{"me", "GET", "/api/v1/me", nil, append(parties, staff...)},
		{"party opts out", "PATCH", "/api/v1/cases/demo-7/parties/a1", func() any { return map[string]any{"opt_out": false} }, []string{"applicant", "judge"}},
		{"party number", "PATCH", "/api/v1/cases/demo-7/parties/a1", func() any { return map[string]any{"wrong_number": false} }, []string{"judge"}},
		{"other party's opt-out", "PATCH", "/api/v1/cases/demo-7/parties/r1", func() any { return map[string]any{"opt_out": false} }, []string{"respondent", "judge"}},
		{"request one-time code", "POST", "/api/v1/auth/party-otp", nil, []string{"applicant", "respondent", "unverified", "stranger"}},
		{"confirm one-time code", "POST", "/api/v1/auth/party-otp/verify", func() any { return map[string]any{"code": "000000"} }, []string{"applicant", "respondent", "unverified", "stranger"}},
		// Last: a reset ends the sessions of the party whose code it was.
		{"reset query code", "POST", "/api/v1/cases/demo-7/parties/r1/query-code/reset", nil, []string{"judge"}},
	}
	// alsoOK are statuses an allowed role may get when the domain refuses
	// the change (e.g. 422 for unmet closure preconditions): the access
	// check passed, the rules did not.
	// A party asking for codes again within a minute is refused (429), and
	// a wrong or spent code too (400): the access check passed.
	alsoOK := map[string][]int{"complete due": {422}, "opinion": {422}, "close": {422}, "confirm message": {409}, "edit message": {400, 409},
		"request one-time code": {429}, "confirm one-time code": {400}}
	for _, tt := range tests {
		for _, role := range roles {
			t.Run(tt.name+"/"+role, func(t *testing.T) {
				var body any
				if tt.body != nil {
					body = tt.body()
				}
				// The chief files and travels for a named judge.
				if role == "chief" && (tt.name == "add trip" || tt.name == "file case") {
					body.(map[string]any)["judge_id"] = "judge-li"
				}
				before := e.snapshot("demo-7")
				st, raw := clients[role].raw(tt.method, tt.path, body)
				if slices.Contains(tt.allowed, role) {
					if !slices.Contains(alsoOK[tt.name], st) {
						require.Less(t, st, 300, "%s: %s", role, raw)
					}
					return
				}
				require.Contains(t, []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}, st, "%s: %s", role, raw)
				require.Equal(t, before, e.snapshot("demo-7"), "a refused request changed something")
			})
		}
	}
}
