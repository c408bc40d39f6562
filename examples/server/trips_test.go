package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/notify"
)

// Issue 15: saving a trip that coincides with another judge's tells both
// travellers (each of their own date, half-day and place, and of the
// other), the division head of the one who does not head their division
// and the chief, once; a place out of the court's area suggests
// entrusting the task to that court (执行事项委托).
func TestFlow_TripsCoordinatedAutomatically(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		e.relay()
		e.dispatch()
		before := len(e.sender.all())
		// Monday 30 November 2026: judge-zhang in the morning, judge-chen
		// in the afternoon, both in 苏州市姑苏区.
		day := time.Date(2026, 11, 30, 0, 0, 0, 0, deadline.China)
		save := func(judge string, start time.Time, division, address string) {
			t.Helper()
			require.Equal(t, http.StatusCreated, e.login(judge).do("POST", "/api/v1/trips", map[string]any{
				"start": start, "end": start.Add(3 * time.Hour),
				"place": map[string]any{"address": address, "division": division}, "purpose": "查封现场"}, nil))
		}
		save("judge-zhang", day.Add(9*time.Hour), "320508", "姑苏区人民路1号")
		save("judge-chen", day.Add(13*time.Hour+30*time.Minute), "320508", "姑苏区干将路2号")
		e.dispatch()
		sent := e.sender.all()[before:]
		by := map[string][]notify.Outgoing{}
		for _, o := range sent {
			if strings.HasPrefix(o.Template, "itinerary.") {
				by[o.To] = append(by[o.To], o)
			}
		}
		zhang, chen, li, chief := by["13900000003"], by["13900000004"], by["13900000002"], by["13900000001"]
		require.Len(t, zhang, 1, "%v", by)
		require.Contains(t, zhang[0].Body, "11月30日上午")
		require.Contains(t, zhang[0].Body, "陈静")
		require.Contains(t, zhang[0].Body, "委托姑苏区人民法院")
		require.Len(t, chen, 1)
		require.Contains(t, chen[0].Body, "11月30日下午")
		require.Contains(t, chen[0].Body, "张华")
		require.Len(t, li, 1, "judge-li heads 执行一庭, judge-zhang's division")
		require.Equal(t, notify.KeyItineraryLeader, li[0].Template)
		require.Contains(t, li[0].Body, "李明")
		require.Len(t, chief, 1)
		require.Contains(t, chief[0].Body, "王建国")
		require.Len(t, by, 4, "judge-chen heads their own division: no leader text to them")

		// Saving an unrelated trip, or the chief asking, sends nothing again.
		save("judge-li", day.Add(9*time.Hour), "310101", "黄浦区南京东路3号")
		var drafted struct{ Drafted int }
		require.Equal(t, http.StatusOK, e.login("chief").do("POST", "/api/v1/coordination/notify", map[string]any{}, &drafted))
		e.dispatch()
		n := 0
		for _, o := range e.sender.all()[before:] {
			if strings.HasPrefix(o.Template, "itinerary.") {
				n++
			}
		}
		require.Equal(t, 4, n, "the same group does not message twice")
	})
}

// A trip in a weekly plan counts once the plan is submitted: submitting
// it tells the judge whose saved trip it coincides with.
func TestFlow_PlanSubmitCoordinatesTrips(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		e.relay()
		e.dispatch()
		before := len(e.sender.all())
		itineraries := func() int {
			n := 0
			for _, o := range e.sender.all()[before:] {
				if strings.HasPrefix(o.Template, "itinerary.") && (o.To == "13900000003" || o.To == "13900000004") {
					n++
				}
			}
			return n
		}
		day := time.Date(2026, 11, 30, 0, 0, 0, 0, deadline.China)
		require.Equal(t, http.StatusCreated, e.login("judge-zhang").do("POST", "/api/v1/trips", map[string]any{
			"start": day.Add(9 * time.Hour), "end": day.Add(12 * time.Hour),
			"place": map[string]any{"address": "闵行区莘庄1号", "division": "310112"}, "purpose": "查封现场"}, nil))
		chen := e.login("judge-chen")
		require.Equal(t, http.StatusOK, chen.do("POST", "/api/v1/plans/judge-chen/2026-W49/items", map[string]any{
			"kind": "trip", "case_id": "demo-8", "title": "现场调查", "start": day.Add(10 * time.Hour), "end": day.Add(12 * time.Hour),
			"trip": map[string]any{"address": "闵行区莘庄2号", "division": "310112", "purpose": "现场调查"}}, nil))
		e.dispatch()
		require.Zero(t, itineraries(), "a draft plan tells nobody yet")
		require.Equal(t, http.StatusOK, chen.do("POST", "/api/v1/plans/judge-chen/2026-W49/submit", map[string]any{}, nil))
		e.dispatch()
		require.Equal(t, 2, itineraries(), "submitting the plan tells both travellers")
	})
}
