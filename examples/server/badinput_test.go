package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
	"github.com/stretchr/testify/require"
)

// TestBadInput sends malformed and invalid bodies to every JSON endpoint:
// each is refused with a 4xx and a field-level error body, never a 500, and
// nothing is written.
func TestBadInput(t *testing.T) {
	e := start(t, backends(t)[0])
	e.relay()
	judge, chief := e.login("judge-zhang"), e.login("chief")
	held := e.app.desk
	ms, err := held.Outbox.List(t.Context(), struct2filter("demo-4"))
	require.NoError(t, err)
	var heldID string
	for _, m := range ms {
		if m.State == "held" {
			heldID = m.ID
		}
	}
	require.NotEmpty(t, heldID, "demo case 4 has a held notice")

	var c4 caseDoc
	require.Equal(t, http.StatusOK, judge.do("GET", "/api/v1/cases/demo-4", nil, &c4))
	var dueID string
	for _, d := range c4.DueItems {
		if d.DoneOn == "" {
			dueID = d.ID
		}
	}
	require.NotEmpty(t, dueID, "demo case 4 has an open due item")
	// filing is a valid filing with some fields replaced.
	filing := func(fields string) string {
		return `{"number":"（2026）沪01执990号","cause":"民间借贷纠纷","amount_applied":"1000.00",` + fields +
			`,"parties":[{"role":"applicant","kind":"person","name":"甲"},{"role":"respondent","kind":"person","name":"乙"}]}`
	}
	big := `{"text":"` + strings.Repeat("长", api.MaxBody) + `"}`
	tests := []struct {
		name   string
		c      *client
		method string
		path   string
		body   string
		status int
		field  string // a field the error must name, if any
		code   string // the code of the first problem, if given
	}{
		{"case: not JSON", judge, "POST", "/api/v1/cases", `not json`, 400, "", ""},
		{"case: two objects", judge, "POST", "/api/v1/cases", `{} {}`, 400, "", ""},
		{"case: empty object", judge, "POST", "/api/v1/cases", `{}`, 400, "number", ""},
		{"case: unknown field", judge, "POST", "/api/v1/cases", `{"numbr":"x"}`, 400, "numbr", "unknown_field"},
		{"case: wrong type", judge, "POST", "/api/v1/cases", `{"number":12}`, 400, "number", "wrong_type"},
		{"case: civil case number (not enforcement)", judge, "POST", "/api/v1/cases", `{"number":"（2026）沪01民初1号","parties":[{"role":"applicant","kind":"person","name":"甲"}]}`, 400, "number", ""},
		{"case: bad mobile", judge, "POST", "/api/v1/cases", `{"number":"（2026）沪01执990号","filed_on":"2026-11-26","parties":[{"role":"applicant","kind":"person","name":"甲","mobile":"12345"}]}`, 400, "parties[0].mobile", ""},
		{"case: impossible date", judge, "POST", "/api/v1/cases", `{"number":"（2026）沪01执990号","filed_on":"2026-02-30"}`, 400, "filed_on", "invalid_date"},
		{"case: bad amount", judge, "POST", "/api/v1/cases", `{"number":"（2026）沪01执990号","amount_applied":"abc"}`, 400, "amount_applied", "invalid_amount"},
		{"case: unknown role", judge, "POST", "/api/v1/cases", `{"number":"（2026）沪01执990号","parties":[{"role":"applicant"},{"role":"king"}]}`, 400, "parties[1].role", "unknown_value"},
		{"case: parties missing, domain validation", judge, "POST", "/api/v1/cases", `{"number":"（2026）沪01执990号","filed_on":"2026-11-26"}`, 400, "parties", ""},
		{"case: the chief is not a judge", chief, "POST", "/api/v1/cases", `{"number":"（2026）沪01执991号","filed_on":"2026-11-26","judge_id":"chief","parties":[{"role":"applicant","kind":"person","name":"甲"},{"role":"respondent","kind":"person","name":"乙"}]}`, 400, "judge_id", ""},
		{"case: body too large", judge, "POST", "/api/v1/cases", big, 413, "", ""},
		{"node: unknown kind", judge, "POST", "/api/v1/cases/demo-4/nodes", `{"kind":"bogus","date":"2026-11-26"}`, 400, "kind", "unknown_node"},
		{"node: no date", judge, "POST", "/api/v1/cases/demo-4/nodes", `{"kind":"execution_notice"}`, 400, "", ""},
		{"node: text date", judge, "POST", "/api/v1/cases/demo-4/nodes", `{"kind":"execution_notice","date":"yesterday"}`, 400, "date", "invalid_date"},
		{"measure: empty", judge, "POST", "/api/v1/cases/demo-4/measures", `{}`, 400, "", ""},
		{"measure: not allowed at the filing node (ExecInterp)", judge, "POST", "/api/v1/cases/demo-4/measures", `{"node":"filing","kind":"auction","property":"immovable","target":"房产","taken_on":"2026-11-26"}`, 400, "kind", ""},
		{"measure result: unknown outcome", judge, "POST", "/api/v1/cases/demo-4/measures/m-freeze/result", `{"outcome":"bogus"}`, 400, "outcome", ""},
		{"measure result: unknown measure", judge, "POST", "/api/v1/cases/demo-4/measures/nope/result", `{"result":"x"}`, 404, "", ""},
		{"override: no date", judge, "POST", "/api/v1/cases/demo-4/due/nope/override", `{"reason":"x"}`, 404, "", ""},
		{"close: unknown mode", judge, "POST", "/api/v1/cases/demo-4/close", `{"mode":"bogus","reason":"x"}`, 400, "mode", ""},
		{"close: no reason", judge, "POST", "/api/v1/cases/demo-4/close", `{"mode":"zhongben"}`, 400, "reason", ""},
		{"close: preconditions unmet (ZhongBen art. 1)", judge, "POST", "/api/v1/cases/demo-4/close", `{"mode":"zhongben","reason":"无财产可供执行"}`, 422, "", ""},
		{"closure checklist: unknown mode", judge, "GET", "/api/v1/cases/demo-4/closure?mode=x", ``, 400, "mode", ""},
		{"closure checklist: no mode", judge, "GET", "/api/v1/cases/demo-4/closure", ``, 400, "mode", "required"},
		{"closure checklist: empty mode", judge, "GET", "/api/v1/cases/demo-4/closure?mode=", ``, 400, "mode", "required"},
		{"reminders: limit zero", judge, "GET", "/api/v1/reminders?limit=0", ``, 400, "limit", "invalid_number"},
		{"reminders: limit not a number", judge, "GET", "/api/v1/reminders?limit=ten", ``, 400, "limit", "invalid_number"},
		{"reminders: limit too large", judge, "GET", "/api/v1/reminders?limit=1001", ``, 400, "limit", "invalid_number"},
		{"reminders: the chief's, limit negative", chief, "GET", "/api/v1/reminders?limit=-1", ``, 400, "limit", "invalid_number"},
		{"solicit: unknown party", judge, "POST", "/api/v1/cases/demo-4/solicitations", `{"party_id":"nope","summary":"x"}`, 400, "", ""},
		{"opinion: unknown choice", judge, "POST", "/api/v1/cases/demo-4/solicitations/nope/opinion", `{"choice":"maybe"}`, 404, "", ""},
		{"request: empty text", judge, "POST", "/api/v1/cases/demo-4/requests", `{"party_id":"a1","channel":"phone","text":""}`, 400, "", ""},
		{"request answer: unknown request", judge, "POST", "/api/v1/cases/demo-4/requests/nope/answer", `{"answer":"已处理"}`, 404, "", ""},
		{"supervision: empty", chief, "POST", "/api/v1/cases/demo-4/supervision", `{}`, 400, "", ""},
		{"supervision answer: unknown order", judge, "POST", "/api/v1/cases/demo-4/supervision/nope/answer", `{"response":"x"}`, 404, "", ""},
		{"message edit: no params", judge, "POST", "/api/v1/messages/" + heldID + "/edit", `{"params":{}}`, 400, "params", ""},
		{"message edit: a variable the message lacks", judge, "POST", "/api/v1/messages/" + heldID + "/edit", `{"params":{"nope":"x"}}`, 400, "", ""},
		{"message cancel: no reason", judge, "POST", "/api/v1/messages/" + heldID + "/cancel", `{}`, 400, "reason", ""},
		{"message: unknown", judge, "POST", "/api/v1/messages/nope/confirm", `{}`, 404, "", ""},
		{"messages: unknown state", judge, "GET", "/api/v1/messages?state=flying", ``, 400, "state", ""},
		{"plan item: no title (planning.ErrInvalidItem)", judge, "POST", "/api/v1/plans/judge-zhang/2026-W48/items", `{"kind":"task","day":"2026-11-27"}`, 400, "title", ""},
		{"plan item: outside the plan's week", judge, "POST", "/api/v1/plans/judge-zhang/2026-W48/items", `{"kind":"task","title":"约谈","day":"2026-12-10"}`, 400, "day", ""},
		{"plan item: another judge's case", judge, "POST", "/api/v1/plans/judge-zhang/2026-W48/items", `{"kind":"task","title":"约谈","day":"2026-11-27","case_id":"demo-1"}`, 400, "case_id", ""},
		{"plan item: a due item the case lacks", judge, "POST", "/api/v1/plans/judge-zhang/2026-W48/items", `{"kind":"task","title":"约谈","day":"2026-11-27","case_id":"demo-4","due_id":"nope"}`, 400, "due_id", ""},
		{"party update: nothing to change", judge, "PATCH", "/api/v1/cases/demo-4/parties/a1", `{}`, 400, "mobile", ""},
		{"party update: bad mobile", judge, "PATCH", "/api/v1/cases/demo-4/parties/a1", `{"mobile":"12345"}`, 400, "mobile", ""},
		{"party update: unknown party", judge, "PATCH", "/api/v1/cases/demo-4/parties/nope", `{"opt_out":true}`, 400, "party_id", ""},
		{"party update: unknown field", judge, "PATCH", "/api/v1/cases/demo-4/parties/a1", `{"phone":"13800000000"}`, 400, "phone", ""},
		{"party update: wrong type", judge, "PATCH", "/api/v1/cases/demo-4/parties/a1", `{"opt_out":"yes"}`, 400, "opt_out", ""},
		{"trip: bad time", judge, "POST", "/api/v1/trips", `{"start":"x"}`, 400, "start", "invalid_time"},
		{"trip: ends before it starts", judge, "POST", "/api/v1/trips", `{"start":"2026-11-30T12:00:00+08:00","end":"2026-11-30T09:00:00+08:00","place":{"division":"310115"}}`, 400, "", ""},
		{"trip: bad division", judge, "POST", "/api/v1/trips", `{"start":"2026-11-30T09:00:00+08:00","end":"2026-11-30T10:00:00+08:00","place":{"division":"999999"}}`, 400, "place.division", "invalid_trip"},
		{"trip: half coordinates", judge, "POST", "/api/v1/trips", `{"start":"2026-11-30T09:00:00+08:00","end":"2026-11-30T10:00:00+08:00","place":{"lat":31.2}}`, 400, "place.lat", ""},
		// Plausibility: values the domain accepts but a clerk almost certainly mistyped.
		{"case: filed in the future", judge, "POST", "/api/v1/cases", filing(`"filed_on":"2026-12-01","received_on":"2026-11-25"`), 400, "filed_on", "date_in_future"},
		{"case: filed before 2000", judge, "POST", "/api/v1/cases", filing(`"filed_on":"1999-12-31","received_on":"1999-12-30"`), 400, "filed_on", "date_too_early"},
		{"case: the number's year is not the filing year", judge, "POST", "/api/v1/cases", filing(`"number":"（2025）沪01执990号","filed_on":"2026-11-26","received_on":"2026-11-25"`), 400, "number", "year_mismatch"},
		{"measure: taken in the future", judge, "POST", "/api/v1/cases/demo-4/measures", `{"node":"network_inquiry","kind":"freeze","property":"deposit","target":"建设银行账户","amount":"1000.00","taken_on":"2026-11-27"}`, 400, "taken_on", "date_in_future"},
		{"measure: a freeze over three years", judge, "POST", "/api/v1/cases/demo-4/measures", `{"node":"network_inquiry","kind":"freeze","property":"deposit","target":"建设银行账户","amount":"1000.00","taken_on":"2026-11-20","expires_on":"2029-11-21"}`, 400, "expires_on", "term_too_long"},
		{"measure result: a freeze extended over three years", judge, "POST", "/api/v1/cases/demo-4/measures/m-freeze/result", `{"expires_on":"2030-01-01"}`, 400, "expires_on", "term_too_long"},
		{"measure: recovered above applied without confirmation", judge, "POST", "/api/v1/cases/demo-4/measures", `{"node":"network_inquiry","kind":"deduct","property":"deposit","target":"建设银行账户","amount":"1300000.00","taken_on":"2026-11-25","outcome":"done"}`, 400, "amount", "recovered_exceeds_applied"},
		{"due: done in the future", judge, "POST", "/api/v1/cases/demo-4/due/" + dueID + "/complete", `{"on":"2026-11-27"}`, 400, "on", "date_in_future"},
		{"trip: over 14 days", judge, "POST", "/api/v1/trips", `{"start":"2026-11-30T09:00:00+08:00","end":"2026-12-15T10:00:00+08:00","place":{"division":"310115"}}`, 400, "end", "trip_too_long"},
		{"schedule: not JSON", chief, "POST", "/api/v1/calendar/schedule", `{`, 400, "", ""},
		{"schedule: impossible day", chief, "POST", "/api/v1/calendar/schedule", `{"years":{"2027":{"year":2027,"days":[{"name":"春节","date":"2027-02-30","isOffDay":true}]}}}`, 400, "", ""},
		{"schedule: a gap year (2029 after 2026)", chief, "POST", "/api/v1/calendar/schedule", `{"years":{"2029":{"year":2029,"days":[{"name":"元旦","date":"2029-01-01","isOffDay":true}]}}}`, 400, "", ""},
		{"closure day: no date", chief, "POST", "/api/v1/calendar/closures", `{"reason":"台风"}`, 400, "date", ""},
		{"closure day: beyond the calendar", chief, "POST", "/api/v1/calendar/closures", `{"date":"2031-01-06","reason":"台风"}`, 422, "", ""},
		{"day: not a date", judge, "GET", "/api/v1/calendar/days/tomorrow", ``, 400, "date", ""},
		{"day: beyond the calendar", judge, "GET", "/api/v1/calendar/days/2031-01-01", ``, 422, "", ""},
		{"due: bad due_before", judge, "GET", "/api/v1/due?due_before=soon", ``, 400, "due_before", ""},
		{"cases: bad limit", judge, "GET", "/api/v1/cases?limit=-1", ``, 400, "limit", ""},
		{"user: short password", chief, "POST", "/api/v1/users", `{"id":"x","role":"judge","name":"甲","password":"short"}`, 400, "password", ""},
		{"user: unknown role", chief, "POST", "/api/v1/users", `{"id":"x","role":"king","name":"甲","password":"long-enough"}`, 400, "role", ""},
		{"user: existing id", chief, "POST", "/api/v1/users", `{"id":"judge-li","role":"judge","name":"甲","password":"long-enough"}`, 409, "", ""},
		{"login: empty", e.anon(), "POST", "/api/v1/auth/login", ``, 400, "", ""},
		{"login: wrong password", e.anon(), "POST", "/api/v1/auth/login", `{"user_id":"judge-li","password":"wrong"}`, 401, "", ""},
		{"party login: bad number", e.anon(), "POST", "/api/v1/auth/party-login", `{"case_number":"bad","query_code":"X"}`, 400, "number", ""},
		{"party login: missing code", e.anon(), "POST", "/api/v1/auth/party-login", `{"case_number":"（2026）沪01执104号"}`, 400, "query_code", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.snapshot("demo-4")
			heldBefore, err := e.app.desk.Outbox.Get(t.Context(), heldID)
			require.NoError(t, err)
			var body any
			if tt.body != "" {
				body = tt.body
			}
			st, raw := tt.c.raw(tt.method, tt.path, body)
			require.Equal(t, tt.status, st, "%s", raw)
			var eb respond.ErrorBody
			require.NoError(t, json.Unmarshal(raw, &eb), "%s", raw)
			require.NotEmpty(t, eb.Error.Code)
			require.NotEmpty(t, eb.Error.MessageZh)
			if tt.status == http.StatusBadRequest {
				require.NotEmpty(t, eb.Error.Fields, "a 400 names the fields: %s", raw)
			}
			if tt.status == http.StatusBadRequest {
				for _, f := range eb.Error.Fields {
					requireClerkText(t, f.MessageZh, tt.path, tt.body)
				}
				requireClerkText(t, eb.Error.MessageZh, tt.path, tt.body)
			}
			if tt.code != "" {
				require.Equal(t, tt.code, eb.Error.Code, "%s", raw)
				require.Equal(t, tt.field, eb.Error.Field, "%s", raw)
			}
			if tt.field != "" {
				var names []string
				for _, f := range eb.Error.Fields {
					names = append(names, f.Field)
				}
				require.Contains(t, names, tt.field, "%s", raw)
			}
			require.Equal(t, before, e.snapshot("demo-4"), "nothing is written")
			heldAfter, err := e.app.desk.Outbox.Get(t.Context(), heldID)
			require.NoError(t, err)
			require.Equal(t, heldBefore.State, heldAfter.State)
			require.Equal(t, heldBefore.Body, heldAfter.Body)
		})
	}
}

// goText matches what a clerk should never read: Go identifiers and
// package paths (main.caseIn, deadline:), snake_case codes and English
// words.
var goText = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*[._:][A-Za-z]|[A-Za-z]{3,}`)

// clerkWords are the ASCII words a message may contain: format examples.
var clerkWords = strings.NewReplacer("JSON", "", "YYYY-MM-DD", "", "true", "", "false", "", "T09:00:00+08:00", "")

// requireClerkText checks that msg is Chinese for a clerk: no Go
// identifiers or internals once the client's own values (echoed from
// body) and format examples are taken out.
func requireClerkText(t *testing.T, msg, path, body string) {
	t.Helper()
	rest := clerkWords.Replace(msg)
	for _, s := range regexp.MustCompile(`"([^"]*)"|[/=]([^/=&?]+)`).FindAllStringSubmatch(body+" "+path, -1) {
		if s[1] == "" {
			s[1] = s[2]
		}
		if s[1] != "" {
			rest = strings.ReplaceAll(rest, s[1], "")
		}
	}
	require.NotRegexp(t, goText, rest, "message_zh %q holds Go identifiers or English", msg)
	require.Regexp(t, `\p{Han}`, msg, "message_zh %q is Chinese", msg)
}

// A recovered sum above the sum applied for is refused unless the client
// confirms it (interest for late performance and costs can exceed it);
// confirmed, it is recorded.
func TestBadInput_RecoveredAboveAppliedConfirmed(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		judge := e.login("judge-zhang")
		measure := map[string]any{"node": "network_inquiry", "kind": "deduct", "property": "deposit", "target": "建设银行账户",
			"amount": "1300000.00", "taken_on": "2026-11-25", "outcome": "done"}
		var eb respond.ErrorBody
		require.Equal(t, http.StatusBadRequest, judge.do("POST", "/api/v1/cases/demo-4/measures", measure, &eb))
		require.Equal(t, "recovered_exceeds_applied", eb.Error.Code)
		require.Equal(t, "amount", eb.Error.Field)

		measure["confirm_over_applied"] = true
		var c struct {
			AmountApplied   string `json:"amount_applied"`
			AmountRecovered string `json:"amount_recovered"`
		}
		require.Equal(t, http.StatusOK, judge.do("POST", "/api/v1/cases/demo-4/measures", measure, &c))
		require.Equal(t, "1200000.00", c.AmountApplied)
		require.Equal(t, "1300000.00", c.AmountRecovered)
	})
}
