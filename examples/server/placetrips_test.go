package main

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
	"github.com/courtkit/zhixing/planning"
)

// Two judges plan trips on Monday morning to points a kilometre or two
// apart on the border of 徐汇区 and 闵行区, one through the week page and
// one through the API; once both plans are submitted the two trips are one
// coordination group, matched by distance although their districts differ
// (the districts' seats are too far apart to match). A third trip, to
// 松江区, stays apart.
func TestAPI_PlanTripsNearbyPointsGrouped(t *testing.T) {
	var xuhui, minhang planning.Place
	for _, d := range desk.DefaultDistricts() {
		switch d.Code {
		case "310104":
			xuhui = planning.Place{Lat: d.Lat, Lng: d.Lng, HasCoords: true}
		case "310112":
			minhang = planning.Place{Lat: d.Lat, Lng: d.Lng, HasCoords: true}
		}
	}
	require.Greater(t, planning.DistanceKm(xuhui, minhang), 5.0, "the seats alone do not match")

	e := start(t, sqliteBackend(t))
	li := e.signIn("judge-li")
	st, _, body := li.post("/week/items", url.Values{"kind": {"trip"}, "title": {"查看被执行人仓库"}, "day": {"2026-11-30"}, "start": {"09:00"}, "end": {"11:30"},
		"division": {"310104"}, "point": {"31.1600,121.4200"}, "address": {"徐汇区华泾路1号"}, "back": {"/week?week=2026-W49"}}, true)
	require.Equal(t, http.StatusSeeOther, st, body)
	st, _, body = li.post("/week/submit", url.Values{"week": {"2026-W49"}}, true)
	require.Equal(t, http.StatusSeeOther, st, body)

	trip := func(judge, id, division, point string) {
		t.Helper()
		c := e.login(judge)
		week := "/api/v1/plans/" + judge + "/2026-W49"
		require.Equal(t, http.StatusOK, c.do("POST", week+"/items", map[string]any{"id": id, "kind": "trip", "title": "现场调查",
			"start": "2026-11-30T09:30:00+08:00", "end": "2026-11-30T11:00:00+08:00",
			"trip": map[string]any{"division": division, "point": point, "purpose": "现场调查"}}, nil))
		require.Equal(t, http.StatusOK, c.do("POST", week+"/submit", map[string]any{}, nil))
	}
	trip("judge-zhang", "zhang-1", "310112", "31.1550,121.4050")
	trip("judge-chen", "chen-1", "310117", "31.0322,121.2277")

	var out struct {
		Groups []api.Group `json:"groups"`
	}
	require.Equal(t, http.StatusOK, e.login("chief").do("GET", "/api/v1/coordination", nil, &out))
	// The demo's trips of judge-li and judge-zhang to 浦东新区 on Friday
	// are a group of their own.
	i := slices.IndexFunc(out.Groups, func(g api.Group) bool {
		return slices.ContainsFunc(g.Trips, func(tr api.Trip) bool { return tr.Place.Division == "310112" })
	})
	require.GreaterOrEqual(t, i, 0, "%+v", out.Groups)
	g := out.Groups[i]
	require.ElementsMatch(t, []string{"judge-li", "judge-zhang"}, g.Judges)
	divisions := map[string]bool{}
	for _, tr := range g.Trips {
		divisions[tr.Place.Division] = true
		require.NotNil(t, tr.Place.Lat)
	}
	require.Equal(t, map[string]bool{"310104": true, "310112": true}, divisions)
	for _, g := range out.Groups {
		require.NotContains(t, g.Judges, "judge-chen", "松江区 is 20 km away")
	}

	t.Run("BadPoint", func(t *testing.T) {
		var eb respond.ErrorBody
		c := e.login("judge-zhang")
		require.Equal(t, http.StatusBadRequest, c.do("POST", "/api/v1/plans/judge-zhang/2026-W49/items", map[string]any{"kind": "trip", "title": "现场调查",
			"start": "2026-11-30T09:30:00+08:00", "end": "2026-11-30T11:00:00+08:00",
			"trip": map[string]any{"point": "121.4050,31.1550"}}, &eb))
		require.Equal(t, "trip.point", eb.Error.Field)
		require.Equal(t, "swapped", eb.Error.Code)
		require.Equal(t, http.StatusBadRequest, c.do("POST", "/api/v1/trips", map[string]any{
			"start": "2026-11-30T09:30:00+08:00", "end": "2026-11-30T11:00:00+08:00", "place": map[string]any{"lat": 48.85, "lng": 2.35}}, &eb))
		require.Equal(t, "place.lng", eb.Error.Field)
		st, _, body := li.post("/week/items", url.Values{"kind": {"trip"}, "title": {"查看"}, "day": {"2026-11-30"}, "start": {"09:00"}, "end": {"10:00"},
			"point": {"0,0"}}, true)
		require.Equal(t, http.StatusBadRequest, st)
		require.Contains(t, body, "纬度须在 3.8 至 53.6 之间")
	})
}
