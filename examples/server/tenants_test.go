package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/pages"
	"github.com/courtkit/zhixing/notify"
	"github.com/courtkit/zhixing/planning"
)

// courtB is what the demo's second court (上海市浦东新区人民法院, 沪0115)
// holds that the tests aim at from the first court (沪01): one case with a
// measure, a held message, a supervision order, a party request and a
// solicitation, a judge with a plan item, and the markers that must never
// show in an answer to another court (its case numbers, party and user
// names).
type courtB struct {
	caseID, nodeID, measureID, dueID, orderID, requestID, solID, msgID string
	judge, week, itemID                                                string
	markers                                                            []string
}

// pudongMarkers are texts only 沪0115's data has.
var pudongMarkers = []string{"沪0115执", "吴晓峰", "郑美玲", "冯国强", "上海浦江某某", "上海张江某某", "上海陆家嘴某某", "赵磊", "孙悦", "刘振华", "pd-judge-", "pd-chief"}

// homeMarkers are texts only 沪01's data has.
var homeMarkers = []string{"沪01执", "赵大伟", "钱晓红", "孙立军", "上海某某贸易", "李明", "张华", "陈静", "王建国", "judge-li", "judge-zhang"}

func prepareCourtB(t *testing.T, e *env) courtB {
	t.Helper()
	ctx := t.Context()
	zhao := &desk.Principal{Role: desk.RoleJudge, UserID: "pd-judge-zhao", Court: demoPudongCourt}
	c, err := e.app.desk.ReceiveRequest(ctx, zhao, "pd-3", enforcement.Request{ID: "req-pd", PartyID: "a1", Channel: "phone", Text: "询问冻结款项何时划扣"})
	require.NoError(t, err)
	c, err = e.app.desk.Solicit(ctx, zhao, "pd-3", enforcement.Solicitation{ID: "sol-pd", PartyID: "a1", Purpose: enforcement.ClosureZhongBen, Summary: "拟终结本次执行程序。"})
	require.NoError(t, err)
	require.NotEmpty(t, c.Nodes)
	require.NotEmpty(t, c.Measures)
	require.NotEmpty(t, c.Orders)
	require.NotEmpty(t, c.OpenDueItems())
	ms, err := e.app.desk.Outbox.List(ctx, notify.Filter{CaseID: "pd-3", States: []notify.State{notify.StateHeld}})
	require.NoError(t, err)
	require.NotEmpty(t, ms, "the measure's notice is held for the judge")
	wk := planning.WeekOf(e.app.desk.Today())
	pl, err := e.app.desk.ChangePlan(ctx, zhao, "pd-judge-zhao", wk, func(pl *planning.Plan, ch planning.Change) error {
		return pl.AddItem(planning.Item{ID: "item-pd", Kind: planning.KindTask, CaseID: "pd-3", Title: "约谈被执行人", Day: e.app.desk.Today()}, ch)
	})
	require.NoError(t, err)
	require.NotEmpty(t, pl.Items)
	return courtB{caseID: "pd-3", nodeID: c.Nodes[0].ID, measureID: c.Measures[0].ID, dueID: c.OpenDueItems()[0].ID, orderID: c.Orders[0].ID,
		requestID: "req-pd", solID: "sol-pd", msgID: ms[0].ID, judge: "pd-judge-zhao", week: wk.String(), itemID: "item-pd", markers: pudongMarkers}
}

// fill puts court B's ids (or, with missing, ids that exist nowhere) into
// the path parameters of pattern; ok is false for a path with no
// parameter that names data of a court.
func (b courtB) fill(t *testing.T, pattern string, missing bool) (method, path string, ok bool) {
	t.Helper()
	method, path, _ = strings.Cut(pattern, " ")
	params := map[string]string{
		"id": b.caseID, "nid": b.nodeID, "mid": b.measureID, "did": b.dueID, "oid": b.orderID, "rid": b.requestID, "sid": b.solID,
		"pid": "a1", "judge": b.judge, "week": b.week, "item": b.itemID,
	}
	// Parameters that name no court's data: the calendar's dates, the
	// export kinds, the API's own paths.
	neutral := map[string]string{"date": "2026-12-31", "kind": "judges", "$": ""}
	for _, m := range regexp.MustCompile(`\{([^}]*)\}`).FindAllStringSubmatch(path, -1) {
		name := m[1]
		if v, isNeutral := neutral[name]; isNeutral {
			path = strings.Replace(path, m[0], v, 1)
			continue
		}
		v, known := params[name]
		require.True(t, known, "%s: path parameter {%s} has no value of court B: add it to courtB.fill", pattern, name)
		if name == "id" && strings.Contains(path, "/messages/") {
			v = b.msgID
		}
		if name == "id" && strings.HasPrefix(path, "/api/v1/judges/") {
			v = b.judge
		}
		if missing && name != "pid" && name != "week" {
			v = "nowhere-" + name
		}
		path = strings.Replace(path, m[0], url.PathEscape(v), 1)
		ok = true
	}
	return method, path, ok
}

// staffRefusals is how a judge or chief of one court may be refused a
// request of pattern with another court's ids: 404, as for data that does
// not exist, or 400 for a body or query refused before the lookup. A route
// that names no case, judge or message ({item} of the signed-in judge's own
// week) may also be refused by role (403), as it is for any id.
func staffRefusals(pattern string) []int {
	if strings.Contains(pattern, "{id}") || strings.Contains(pattern, "{judge}") {
		return []int{http.StatusNotFound, http.StatusBadRequest}
	}
	return []int{http.StatusNotFound, http.StatusBadRequest, http.StatusForbidden}
}

// TestTenants_AuthorisationMatrix walks the chief, a judge and a party of
// 沪01 over every API endpoint and page route that takes an id of court
// data, enumerated from the route tables, with the ids of 沪0115's data:
// each is refused exactly as a request for data that exists nowhere is
// (so the answer does not reveal that the data exists: a 404 for staff,
// never a 403 that a missing id would not get), names none of 沪0115's
// case numbers, parties or users, and changes nothing.
func TestTenants_AuthorisationMatrix(t *testing.T) {
	e := start(t, backends(t)[0])
	e.relay()
	b := prepareCourtB(t, e)
	before := e.snapshot(b.caseID)

	apiClients := map[string]*client{
		"chief": e.login("chief"),
		"judge": e.login("judge-zhang"),
		"party": e.actAs("demo-7", "a1"),
	}
	pageClients := map[string]*browser{
		"chief": e.signIn("chief"),
		"judge": e.signIn("judge-zhang"),
		"party": e.signInParty("demo-7", "a1"),
	}
	leaks := func(body string) string {
		for _, m := range b.markers {
			if strings.Contains(body, m) {
				return m
			}
		}
		return ""
	}
	checked := 0
	for _, pattern := range api.Patterns() {
		method, path, ok := b.fill(t, pattern, false)
		if !ok {
			continue
		}
		_, missingPath, _ := b.fill(t, pattern, true)
		for role, c := range apiClients {
			var body any
			if method != "GET" && method != "DELETE" {
				body = map[string]any{}
			}
			st, raw := c.raw(method, path, body)
			wantSt, _ := c.raw(method, missingPath, body)
			require.Equal(t, wantSt, st, "%s %s as %s: answered %s", method, path, role, raw)
			require.GreaterOrEqual(t, st, 400, "%s %s as %s: answered %s", method, path, role, raw)
			if role != "party" {
				// Staff of another court get 404, as for data that does not
				// exist; a request whose body or query is refused before
				// the lookup (400, the same for a missing id) tells
				// nothing either.
				want := staffRefusals(pattern)
				require.Contains(t, want, st, "%s %s as %s: %s", method, path, role, raw)
			}
			require.Empty(t, leaks(string(raw)), "%s %s as %s: %s", method, path, role, raw)
			checked++
		}
	}
	for _, pattern := range pages.Patterns() {
		method, path, ok := b.fill(t, pattern, false)
		if !ok {
			continue
		}
		_, missingPath, _ := b.fill(t, pattern, true)
		for role, br := range pageClients {
			var st, wantSt int
			var body string
			if method == "GET" {
				st, _, body = br.get(path)
				wantSt, _, _ = br.get(missingPath)
			} else {
				form := url.Values{"text": {"越权尝试"}, "decision": {"approve"}, "answer": {"x"}, "response": {"x"}}
				st, _, body = br.post(path, form, true)
				wantSt, _, _ = br.post(missingPath, form, true)
			}
			require.Equal(t, wantSt, st, "%s %s as %s", method, path, role)
			require.GreaterOrEqual(t, st, 400, "%s %s as %s: answered %d", method, path, role, st)
			if role != "party" {
				want := staffRefusals(pattern)
				require.Contains(t, want, st, "%s %s as %s", method, path, role)
			}
			require.Empty(t, leaks(body), "%s %s as %s", method, path, role)
			checked++
		}
	}
	require.Greater(t, checked, 150)

	// Queries that name court B's data in their parameters.
	for _, path := range []string{
		"/api/v1/messages?case=pd-3", "/api/v1/cases/pd-3/messages", "/api/v1/audit?case_id=pd-3", "/api/v1/cases?judge=pd-judge-zhao",
		"/api/v1/due?judge=pd-judge-zhao", "/api/v1/reminders?judge=pd-judge-zhao", "/api/v1/judges/pd-judge-zhao/due-moves",
	} {
		for role, c := range apiClients {
			st, raw := c.raw("GET", path, nil)
			require.Empty(t, leaks(string(raw)), "%s as %s (%d): %s", path, role, st, raw)
		}
	}
	for _, path := range []string{"/chief/audit?case_id=pd-3", "/cases?judge=pd-judge-zhao", "/judges/pd-judge-zhao/week", "/cases/pd-3/supervision/" + b.orderID} {
		for role, br := range pageClients {
			st, _, body := br.get(path)
			require.Empty(t, leaks(body), "%s as %s (%d)", path, role, st)
		}
	}

	after := e.snapshot(b.caseID)
	require.Equal(t, before.caseVersion, after.caseVersion, "court B's case is unchanged")
	require.Equal(t, before.trips, after.trips)
	require.Equal(t, before.users, after.users)
}

// TestTenants_ListsHoldOwnData signs the chief and a judge of each court
// in and reads every list (cases, due items, the report, the agenda,
// plans, trips, coordination, messages, replies, orders, overrides, users,
// the audit log and the exports, and the pages that show them): each
// court's lists show its own data and nothing of the other's.
func TestTenants_ListsHoldOwnData(t *testing.T) {
	e := start(t, backends(t)[0])
	e.relay()
	prepareCourtB(t, e)
	for _, court := range []struct {
		chief, judge  string
		own, other    []string
		ownCaseMarker string
	}{
		{"chief", "judge-zhang", homeMarkers, pudongMarkers, "沪01执"},
		{"pd-chief", "pd-judge-zhao", pudongMarkers, homeMarkers, "沪0115执"},
	} {
		t.Run(court.chief, func(t *testing.T) {
			leaks := func(body string) string {
				for _, m := range court.other {
					if strings.Contains(body, m) {
						return m
					}
				}
				return ""
			}
			// The coordination groups (/api/v1/coordination, and the week
			// and chief pages that show them) are shared across courts on
			// purpose: TestTenants_TripsCoordinatedAcrossCourts checks
			// what they show of another court.
			lists := []string{"/api/v1/cases", "/api/v1/due", "/api/v1/supervision", "/api/v1/reminders", "/api/v1/plans", "/api/v1/trips",
				"/api/v1/messages", "/api/v1/replies", "/api/v1/supervision/orders", "/api/v1/overrides?rejected=1",
				"/api/v1/users", "/api/v1/audit", "/api/v1/me"}
			for _, k := range desk.ExportKinds {
				lists = append(lists, "/api/v1/exports/"+string(k)+"?from=2024-01-01&to="+e.app.desk.Today().String()+"&format=csv")
			}
			for _, who := range []string{court.chief, court.judge} {
				c := e.login(who)
				for _, path := range lists {
					st, raw := c.raw("GET", path, nil)
					if st >= 400 {
						require.Contains(t, []int{http.StatusForbidden}, st, "%s as %s: %s", path, who, raw)
						continue
					}
					if path == "/api/v1/messages" {
						raw = withoutItineraries(t, raw)
					}
					require.Empty(t, leaks(string(raw)), "%s as %s: %s", path, who, raw)
				}
				st, raw := c.raw("GET", "/api/v1/cases", nil)
				require.Equal(t, http.StatusOK, st)
				require.Contains(t, string(raw), court.ownCaseMarker, "%s sees the court's own cases", who)
			}
			br := e.signIn(court.chief)
			for _, path := range []string{"/cases", "/chief/audit", "/chief/exports", "/chief/supervise", "/chief/overrides", "/calendar"} {
				st, _, body := br.get(path)
				require.Equal(t, http.StatusOK, st, path)
				require.Empty(t, leaks(body), "%s as %s", path, court.chief)
			}
			st, _, body := br.get("/cases")
			require.Equal(t, http.StatusOK, st)
			require.Contains(t, body, court.ownCaseMarker)
			// The week page and the chief's dashboard show the shared
			// groups; everything else on them is the court's own.
			for _, path := range []string{"/chief", "/judges/" + court.judge + "/week"} {
				st, _, body := br.get(path)
				require.Equal(t, http.StatusOK, st, path)
				body = withoutSection(body, "coord-h")
				require.Empty(t, leaks(body), "%s as %s", path, court.chief)
			}
		})
	}
}

// TestTenants_PartyCodeOnlyForItsCase: a party of 沪0115 signs in with its
// own case's number and code, sees only that case, and its code opens no
// other case, of its court or another.
func TestTenants_PartyCodeOnlyForItsCase(t *testing.T) {
	e := start(t, backends(t)[0])
	pd := e.demoCase("pd-2")
	code := e.partyCode("pd-2", "a1")
	p := e.partyLogin(pd.Number.String(), code)
	var me struct{ Principal desk.Principal }
	require.Equal(t, http.StatusOK, p.do("GET", "/api/v1/me", nil, &me))
	require.Equal(t, demoPudongCourt, me.Principal.Court)
	st, raw := p.raw("GET", "/api/v1/cases", nil)
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, string(raw), pd.Number.String())
	for _, other := range []string{"pd-1", "pd-3", "demo-1", "demo-7"} {
		c := e.demoCase(other)
		st, _ := e.anon().raw("POST", "/api/v1/auth/party-login", map[string]string{"case_number": c.Number.String(), "query_code": code})
		require.Equal(t, http.StatusUnauthorized, st, "the code of pd-2 opens %s", other)
		st, raw := p.raw("GET", "/api/v1/cases/"+other, nil)
		require.Equal(t, http.StatusNotFound, st)
		require.NotContains(t, string(raw), c.Number.String())
	}
}

// TestTenants_CourtOwnTextsAndJobs: each court's messages carry its own
// signature, and the digest job tells the judges of every court.
func TestTenants_CourtOwnTextsAndJobs(t *testing.T) {
	e := start(t, backends(t)[0])
	e.relay()
	ctx := t.Context()
	for _, tc := range []struct{ caseID, sign, notSign string }{
		{"pd-1", "【浦东法院】", "【上海一中院】"},
		{"demo-1", "【上海一中院】", "【浦东法院】"},
	} {
		ms, err := e.app.desk.Outbox.List(ctx, notify.Filter{CaseID: tc.caseID})
		require.NoError(t, err)
		require.NotEmpty(t, ms)
		for _, m := range ms {
			require.True(t, strings.HasPrefix(m.Body, tc.sign), "%s: %s", tc.caseID, m.Body)
			require.Equal(t, e.demoCase(tc.caseID).Court, m.Court)
		}
	}
	// Digests: at 08:30 on a working day every judge with flagged items
	// gets one, of either court, from their own court.
	day := time.Date(2026, 12, 7, 9, 0, 0, 0, deadline.China) // a Monday
	e.clock.Add(day.Sub(e.clock.Now()))
	_, err := e.app.digestOnce(ctx)
	require.NoError(t, err)
	ms, err := e.app.desk.Outbox.List(ctx, notify.Filter{})
	require.NoError(t, err)
	courts := map[string]bool{}
	for _, m := range ms {
		if m.Template == notify.KeyDigest && m.Recipient.UserID != "" {
			courts[m.Court] = true
			if strings.HasPrefix(m.Recipient.UserID, "pd-") {
				require.Equal(t, demoPudongCourt, m.Court)
				require.True(t, strings.HasPrefix(m.Body, "【浦东法院】"), m.Body)
			}
		}
	}
	require.True(t, courts[demoPudongCourt] && courts[e.app.desk.DefaultCourt()], "digests of both courts: %v", courts)
	require.True(t, slices.Contains(e.app.desk.CaseCourts(), demoPudongCourt))
}

// withoutItineraries returns the message list raw without the coordinated
// trip notices (itinerary.*), which name the travellers of every court of
// their group on purpose.
func withoutItineraries(t *testing.T, raw []byte) []byte {
	t.Helper()
	var v struct {
		Messages []map[string]any `json:"messages"`
	}
	require.NoError(t, json.Unmarshal(raw, &v))
	v.Messages = slices.DeleteFunc(v.Messages, func(m map[string]any) bool {
		tpl, _ := m["template"].(string)
		return strings.HasPrefix(tpl, "itinerary.")
	})
	out, err := json.Marshal(v)
	require.NoError(t, err)
	return out
}

// withoutSection returns body without the <section> labelled by id (the
// coordination card of the week page and the chief's dashboard).
func withoutSection(body, id string) string {
	i := strings.Index(body, `<section class="card" aria-labelledby="`+id+`">`)
	if i < 0 {
		return body
	}
	j := strings.Index(body[i:], "</section>")
	if j < 0 {
		return body[:i]
	}
	return body[:i] + body[i+j+len("</section>"):]
}

// TestTenants_TripsCoordinatedAcrossCourts: a judge of 沪01 and one of
// 沪0115 going to 闵行区 (沪01's area) on the same morning form one group;
// each is told by their own court of the other, and the leaders of both
// courts (the chiefs, 沪0115's division head) are told too. Each court sees
// the group with the other court's trip reduced to judge, time and
// district. A trip out of its court's area carries the entrustment hint
// naming the court whose area it is, in the API's answer and on the week
// page.
func TestTenants_TripsCoordinatedAcrossCourts(t *testing.T) {
	e := start(t, backends(t)[0])
	e.relay()
	e.dispatch()
	before := len(e.sender.all())
	day := time.Date(2026, 11, 30, 0, 0, 0, 0, deadline.China) // a Monday
	save := func(judge string, start time.Time, division, address string) tripDoc {
		t.Helper()
		var tr tripDoc
		require.Equal(t, http.StatusCreated, e.login(judge).do("POST", "/api/v1/trips", map[string]any{
			"start": start, "end": start.Add(2 * time.Hour),
			"place": map[string]any{"address": address, "division": division}, "purpose": "查封被执行人车辆"}, &tr))
		return tr
	}
	chen := save("judge-chen", day.Add(9*time.Hour), "310112", "闵行区莘庄镇1号")
	sun := save("pd-judge-sun", day.Add(10*time.Hour), "310112", "闵行区七宝镇2号")
	require.Nil(t, chen.Entrust, "闵行区 is in 沪01's area")
	require.NotNil(t, sun.Entrust)
	require.Equal(t, "沪01", sun.Entrust.Court)
	require.Equal(t, "该地点属上海市第一中级人民法院辖区，可考虑执行事项委托", sun.Entrust.Hint)

	e.dispatch()
	by := map[string][]notify.Outgoing{}
	for _, o := range e.sender.all()[before:] {
		if strings.HasPrefix(o.Template, "itinerary.") {
			by[o.To] = append(by[o.To], o)
		}
	}
	chenMsgs, sunMsgs := by["13900000004"], by["13900000013"]
	require.Len(t, chenMsgs, 1, "%v", by)
	require.True(t, strings.HasPrefix(chenMsgs[0].Body, "【上海一中院】"), chenMsgs[0].Body)
	require.Contains(t, chenMsgs[0].Body, "孙悦")
	require.Contains(t, chenMsgs[0].Body, "11月30日上午")
	require.Len(t, sunMsgs, 1, "%v", by)
	require.True(t, strings.HasPrefix(sunMsgs[0].Body, "【浦东法院】"), sunMsgs[0].Body)
	require.Contains(t, sunMsgs[0].Body, "陈静")
	require.Contains(t, sunMsgs[0].Body, "建议委托上海市第一中级人民法院")
	for _, leader := range []struct{ mobile, sign string }{
		{"13900000001", "【上海一中院】"}, // 王建国, chief of 沪01 (judge-chen heads her own division)
		{"13900000011", "【浦东法院】"},  // 刘振华, chief of 沪0115
		{"13900000012", "【浦东法院】"},  // 赵磊, head of pd-judge-sun's division
	} {
		ms := by[leader.mobile]
		require.Len(t, ms, 1, "%s: %v", leader.mobile, by)
		require.Equal(t, notify.KeyItineraryLeader, ms[0].Template)
		require.True(t, strings.HasPrefix(ms[0].Body, leader.sign), ms[0].Body)
		require.Contains(t, ms[0].Body, "陈静")
		require.Contains(t, ms[0].Body, "孙悦")
	}
	// Asking again tells nobody twice.
	require.Equal(t, http.StatusOK, e.login("pd-chief").do("POST", "/api/v1/coordination/notify", map[string]any{}, nil))
	e.dispatch()
	n := 0
	for _, o := range e.sender.all()[before:] {
		if strings.HasPrefix(o.Template, "itinerary.") && (o.To == "13900000004" || o.To == "13900000013") {
			n++
		}
	}
	require.Equal(t, 2, n)

	// Each court sees the group; the other court's trip shows judge, time
	// and district only.
	for _, v := range []struct{ who, own, foreign, foreignName string }{
		{"chief", chen.ID, sun.ID, "孙悦（上海市浦东新区人民法院）"},
		{"pd-chief", sun.ID, chen.ID, "陈静（上海市第一中级人民法院）"},
		{"judge-chen", chen.ID, sun.ID, "孙悦（上海市浦东新区人民法院）"},
	} {
		var co struct{ Groups []struct{ Trips []tripDoc } }
		require.Equal(t, http.StatusOK, e.login(v.who).do("GET", "/api/v1/coordination", nil, &co))
		var found bool
		for _, g := range co.Groups {
			i := slices.IndexFunc(g.Trips, func(x tripDoc) bool { return x.ID == v.foreign })
			if i < 0 {
				continue
			}
			found = true
			f := g.Trips[i]
			require.Equal(t, v.foreignName, f.JudgeName)
			require.Empty(t, f.Purpose)
			require.Empty(t, f.CaseID)
			require.Equal(t, "闵行区", f.Place.Address, "the district, not the address")
			require.True(t, slices.ContainsFunc(g.Trips, func(x tripDoc) bool { return x.ID == v.own }))
		}
		require.True(t, found, "%s sees the group", v.who)
	}
	// A judge of 沪01 who is not in the group does not see it.
	var co struct{ Groups []struct{ Trips []tripDoc } }
	require.Equal(t, http.StatusOK, e.login("judge-li").do("GET", "/api/v1/coordination", nil, &co))
	for _, g := range co.Groups {
		require.False(t, slices.ContainsFunc(g.Trips, func(x tripDoc) bool { return x.ID == sun.ID }))
	}

	// The week page of pd-judge-sun shows the hint on the trip.
	e.clock.Add(day.Sub(e.clock.Now()))
	br := e.signIn("pd-judge-sun")
	st, _, body := br.get("/week")
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, body, "该地点属上海市第一中级人民法院辖区，可考虑执行事项委托")
	// judge-li's demo trip to 浦东新区 names 沪0115 in the trips list.
	var ts struct{ Trips []tripDoc }
	require.Equal(t, http.StatusOK, e.login("judge-li").do("GET", "/api/v1/trips", nil, &ts))
	i := slices.IndexFunc(ts.Trips, func(x tripDoc) bool { return x.ID == "trip-demo-1" })
	if i >= 0 { // still upcoming on the moved clock
		require.NotNil(t, ts.Trips[i].Entrust)
		require.Equal(t, "该地点属上海市浦东新区人民法院辖区，可考虑执行事项委托", ts.Trips[i].Entrust.Hint)
	}
}

// tripDoc is a trip as the API answers it.
type tripDoc struct {
	ID        string `json:"id"`
	JudgeName string `json:"judge_name"`
	CaseID    string `json:"case_id"`
	Purpose   string `json:"purpose"`
	Place     struct {
		Address  string `json:"address"`
		Division string `json:"division"`
	} `json:"place"`
	Entrust *struct {
		Court string `json:"court"`
		Hint  string `json:"hint"`
	} `json:"entrust"`
}
