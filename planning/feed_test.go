package planning_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/planning"
)

var feedCfg = planning.FeedConfig{Domain: "zhixing.court.example.cn"}

// parseFeed decodes a feed and returns its events by UID.
func parseFeed(t *testing.T, b []byte) (*ical.Calendar, map[string]ical.Event) {
	t.Helper()
	for _, line := range strings.SplitAfter(string(b), "\r\n") {
		if line == "" {
			continue
		}
		require.True(t, strings.HasSuffix(line, "\r\n"), "line %q ends in CRLF", line)
		require.LessOrEqual(t, len(line)-2, 75, "line %q is folded to 75 octets", line)
	}
	cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
	require.NoError(t, err)
	events := map[string]ical.Event{}
	for _, e := range cal.Events() {
		uid, err := e.Props.Text(ical.PropUID)
		require.NoError(t, err)
		_, dup := events[uid]
		require.False(t, dup, "UID %s is unique", uid)
		events[uid] = e
	}
	return cal, events
}

func seq(t *testing.T, e ical.Event) int {
	t.Helper()
	n, err := e.Props.Get(ical.PropSequence).Int()
	require.NoError(t, err)
	return n
}

func feedFixture(t *testing.T) (*enforcement.Case, *planning.Plan) {
	t.Helper()
	c := planCase(t)
	c.UpdatedAt = cst(2024, 10, 6, 17, 0)
	c.DueItems[0].Warnings = []deadline.Date{d(2024, 10, 1)}
	c.DueItems[0].Steps = []deadline.Step{{Code: deadline.StepStart, Date: d(2024, 9, 30), Text: "2024-09-30 立案，次日起算"}}
	c.DueItems[0].CalcBasis = []string{"《民事诉讼法》第八十五条"}
	p := newPlan(t, c)
	require.NoError(t, p.AddItem(planning.Item{ID: "t1", Kind: planning.KindTrip, CaseID: "c1", Title: "现场调查，查封车辆；\r\n带执行令",
		Trip: func() *planning.Trip {
			tr := pudong(cst(2024, 10, 9, 9, 0), cst(2024, 10, 9, 11, 30))
			tr.Place.HasCoords, tr.Place.Lat, tr.Place.Lng = true, 31.2035, 121.5905
			return tr
		}()}, change(t, c)))
	p.Version = 2
	return c, &p
}

func TestFeed_RoundTrip(t *testing.T) {
	t.Parallel()
	c, p := feedFixture(t)
	now := cst(2024, 10, 7, 6, 0)
	b, err := planning.Feed("j-zhang", []*planning.Plan{p}, []*enforcement.Case{c}, now, deadline.Official(), feedCfg)
	require.NoError(t, err)
	again, err := planning.Feed("j-zhang", []*planning.Plan{p}, []*enforcement.Case{c}, now, deadline.Official(), feedCfg)
	require.NoError(t, err)
	require.Equal(t, b, again, "the feed is deterministic")

	cal, events := parseFeed(t, b)
	name, err := cal.Props.Text(ical.PropName)
	require.NoError(t, err)
	require.Equal(t, planning.DefaultFeedName, name)
	require.Equal(t, "DURATION", cal.Props.Get(ical.PropRefreshInterval).Params.Get(ical.ParamValue))
	require.Len(t, events, 4, "two due items, two plan items")

	due := events["due/c1/notice@zhixing.court.example.cn"]
	require.NotNil(t, due.Component)
	require.Equal(t, "20241008", due.Props.Get(ical.PropDateTimeStart).Value)
	require.Equal(t, "DATE", due.Props.Get(ical.PropDateTimeStart).Params.Get(ical.ParamValue))
	require.Equal(t, "20241009", due.Props.Get(ical.PropDateTimeEnd).Value)
	require.Equal(t, 3, seq(t, due), "SEQUENCE is the case version")
	require.Equal(t, "20241006T090000Z", due.Props.Get(ical.PropLastModified).Value)
	require.Equal(t, "20241006T220000Z", due.Props.Get(ical.PropDateTimeStamp).Value)
	desc, err := due.Props.Text(ical.PropDescription)
	require.NoError(t, err)
	require.Contains(t, desc, "依据：《最高人民法院关于人民法院执行工作若干问题的规定（试行）》第22条")
	require.Contains(t, desc, "2024-09-30 立案，次日起算")
	var triggers []string
	for _, a := range due.Children {
		require.Equal(t, ical.CompAlarm, a.Name)
		tr := a.Props.Get(ical.PropTrigger)
		require.Equal(t, "DATE-TIME", tr.Params.Get(ical.ParamValue))
		triggers = append(triggers, tr.Value)
	}
	// 09:00 CST on the warning date, on the day it turns approaching (3
	// working days before 10-08 on the official calendar: 09-27, before the
	// make-up Sunday 09-29 and 09-30), and on the due day.
	require.Equal(t, []string{"20240927T010000Z", "20241001T010000Z", "20241008T010000Z"}, triggers)

	trip := events["plan/j-zhang/2024-W41/t1@zhixing.court.example.cn"]
	require.NotNil(t, trip.Component)
	start := trip.Props.Get(ical.PropDateTimeStart)
	require.Equal(t, "20241009T090000", start.Value)
	require.Equal(t, planning.FeedTZID, start.Params.Get(ical.ParamTimezoneID))
	require.Equal(t, "20241009T113000", trip.Props.Get(ical.PropDateTimeEnd).Value)
	require.Equal(t, 2, seq(t, trip), "SEQUENCE is the plan version")
	summary, err := trip.Props.Text(ical.PropSummary)
	require.NoError(t, err)
	require.Equal(t, "【外出办案】现场调查，查封车辆；\n带执行令", summary, "text is escaped and carriage returns dropped")
	loc, err := trip.Props.Text(ical.PropLocation)
	require.NoError(t, err)
	require.Equal(t, "浦东新区张江路100号", loc)
	require.Equal(t, "31.203500;121.590500", trip.Props.Get(ical.PropGeo).Value)
	status, err := trip.Props.Text(ical.PropStatus)
	require.NoError(t, err)
	require.Equal(t, "TENTATIVE", status, "a draft plan's items are tentative")

	task := events["plan/j-zhang/2024-W41/i1@zhixing.court.example.cn"]
	require.Equal(t, "20241008", task.Props.Get(ical.PropDateTimeStart).Value)
	require.Equal(t, "DATE", task.Props.Get(ical.PropDateTimeStart).Params.Get(ical.ParamValue))

	var tz *ical.Component
	for _, child := range cal.Children {
		if child.Name == ical.CompTimezone {
			tz = child
		}
	}
	require.NotNil(t, tz, "the feed carries the VTIMEZONE its events name")
	require.Equal(t, planning.FeedTZID, tz.Props.Get(ical.PropTimezoneID).Value)
	require.Equal(t, "+0800", tz.Children[0].Props.Get(ical.PropTimezoneOffsetTo).Value)
}

// TestFeed_MovedDeadline checks that a moved deadline or plan item keeps its
// UID and gets a higher SEQUENCE, so subscribers update the event instead of
// adding another.
func TestFeed_MovedDeadline(t *testing.T) {
	t.Parallel()
	c, p := feedFixture(t)
	now := cst(2024, 10, 7, 6, 0)
	before, err := planning.Feed("j-zhang", []*planning.Plan{p}, []*enforcement.Case{c}, now, deadline.Official(), feedCfg)
	require.NoError(t, err)

	// The judge overrides the due date; the store bumps the case version.
	moved := c.Clone()
	moved.DueItems[0].Override = &enforcement.Override{Date: d(2024, 10, 10), Reason: "当事人申请", By: "j-zhang", At: cst(2024, 10, 7, 9, 0), Status: enforcement.OverrideApproved}
	moved.Version++
	moved.UpdatedAt = cst(2024, 10, 7, 9, 0)
	// The judge moves the trip; the store bumps the plan version.
	q := p.Clone()
	require.NoError(t, q.MoveItem("t1", cst(2024, 10, 11, 14, 0), change(t, c)))
	q.Version++
	after, err := planning.Feed("j-zhang", []*planning.Plan{q}, []*enforcement.Case{moved}, now.Add(time.Hour), deadline.Official(), feedCfg)
	require.NoError(t, err)

	_, old := parseFeed(t, before)
	_, cur := parseFeed(t, after)
	require.ElementsMatch(t, keys(old), keys(cur), "the same UIDs")
	for _, uid := range []string{"due/c1/notice@zhixing.court.example.cn", "plan/j-zhang/2024-W41/t1@zhixing.court.example.cn"} {
		require.Greater(t, seq(t, cur[uid]), seq(t, old[uid]), uid)
	}
	require.Equal(t, "20241010", cur["due/c1/notice@zhixing.court.example.cn"].Props.Get(ical.PropDateTimeStart).Value)
	require.Equal(t, "20241011T140000", cur["plan/j-zhang/2024-W41/t1@zhixing.court.example.cn"].Props.Get(ical.PropDateTimeStart).Value)
	desc, err := cur["due/c1/notice@zhixing.court.example.cn"].Props.Text(ical.PropDescription)
	require.NoError(t, err)
	require.Contains(t, desc, "人工调整，原计算为 2024-10-08：当事人申请")
}

func keys(m map[string]ical.Event) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestFeed_Empty(t *testing.T) {
	t.Parallel()
	other := planCase(t)
	other.JudgeID = "j-li"
	b, err := planning.Feed("j-zhang", nil, []*enforcement.Case{other}, cst(2024, 10, 7, 6, 0), nil, feedCfg)
	require.NoError(t, err, "a judge with nothing due still gets a valid calendar")
	_, events := parseFeed(t, b)
	require.Empty(t, events)

	_, err = planning.Feed("j-zhang", nil, nil, cst(2024, 10, 7, 6, 0), nil, planning.FeedConfig{})
	require.ErrorIs(t, err, planning.ErrInvalidFeed)
}

// alarms returns the triggers of e's alarms.
func alarms(e ical.Event) []string {
	var out []string
	for _, a := range e.Children {
		if a.Name == ical.CompAlarm {
			out = append(out, a.Props.Get(ical.PropTrigger).Value)
		}
	}
	return out
}

// A party's right is shown as the party's, in the law's words and with no
// alarm; a date counted from a provisional date is marked （暂定）; the
// approaching alarm of an item due on a Saturday falls on the day LevelOf
// turns approaching (Tuesday 2025-06-10 for Saturday 2025-06-14), not three
// working days before the Saturday.
func TestFeed_RightsProvisionalRestDay(t *testing.T) {
	t.Parallel()
	c := dueCase(t, "c1", "（2025）沪0115执1号", "j-zhang", d(2025, 6, 14), d(2025, 9, 4), d(2025, 6, 16))
	c.DueItems[1].Title, c.DueItems[1].Owner, c.DueItems[1].Right = "申请执行人可向上一级法院申请执行", string(enforcement.OwnerApplicant), enforcement.RightFrom
	c.DueItems[1].RightAction = "向上一级法院申请执行"
	c.DueItems[2].Provisional = true
	b, err := planning.Feed("j-zhang", nil, []*enforcement.Case{c}, cst(2025, 6, 1, 8, 0), deadline.Official(), feedCfg)
	require.NoError(t, err)
	_, events := parseFeed(t, b)

	sat := events["due/c1/d0@zhixing.court.example.cn"]
	require.Equal(t, []string{"20250610T010000Z", "20250614T010000Z"}, alarms(sat))
	from, err := enforcement.ApproachingFrom(deadline.Official(), d(2025, 6, 14), 0)
	require.NoError(t, err)
	require.Equal(t, d(2025, 6, 10), from)

	right := events["due/c1/d1@zhixing.court.example.cn"]
	s, err := right.Props.Text(ical.PropSummary)
	require.NoError(t, err)
	require.Equal(t, "【当事人权利】申请执行人自2025年9月3日后可向上一级法院申请执行 （2025）沪0115执1号", s)
	require.Empty(t, alarms(right))

	prov := events["due/c1/d2@zhixing.court.example.cn"]
	s, err = prov.Props.Text(ical.PropSummary)
	require.NoError(t, err)
	require.Equal(t, "【期限】期限C （2025）沪0115执1号（暂定）", s)
}
