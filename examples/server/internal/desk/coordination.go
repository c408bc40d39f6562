package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/courtkit/zhixing/notify"
	"github.com/courtkit/zhixing/planning"
)

// Field trips are coordinated across the courts of the deployment: the
// trips of judges of different courts to the same place on the same
// half-day form one group (集约出行), and each court's travellers and
// leaders are told by their own court. A court sees a group it has a trip
// in; the trips of other courts in it show their judge, time and district
// only (no case, purpose or address).

// courtGroup is a coordination group with the court of each of its trips.
type courtGroup struct {
	planning.Group
	courtOf map[string]string // trip id → court code
}

// has reports whether a trip of court is in g.
func (g courtGroup) has(court string) bool {
	for _, t := range g.Trips {
		if g.courtOf[t.ID] == court {
			return true
		}
	}
	return false
}

// courts returns the courts of g's trips, in trip order.
func (g courtGroup) courts() []string {
	var out []string
	for _, t := range g.Trips {
		if c := g.courtOf[t.ID]; !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// upcomingTrips returns the trips of every court ending from a day ago on,
// recorded (table server_trips) and of this week's and next week's plans,
// and the court of each.
func (d *Desk) upcomingTrips(ctx context.Context) ([]planning.Trip, map[string]string, error) {
	rows, err := d.DB.Query(ctx, `SELECT court, doc FROM server_trips WHERE end_at >= ? ORDER BY start_at, id`, d.Now().Add(-24*time.Hour).Unix())
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var trips []planning.Trip
	courtOf := map[string]string{}
	for rows.Next() {
		var court, doc string
		if err := rows.Scan(&court, &doc); err != nil {
			return nil, nil, err
		}
		var t planning.Trip
		if err := json.Unmarshal([]byte(doc), &t); err != nil {
			return nil, nil, err
		}
		trips, courtOf[t.ID] = append(trips, t), court
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	for _, c := range d.CaseCourts() {
		pts, err := d.planTrips(ctx, c)
		if err != nil {
			return nil, nil, err
		}
		for _, t := range pts {
			if _, dup := courtOf[t.ID]; dup {
				continue
			}
			trips, courtOf[t.ID] = append(trips, t), c
		}
	}
	return trips, courtOf, nil
}

// coordinate groups the upcoming trips of every court (planning.Coordinate
// with the districts of all courts), and suggests entrusting a trip's task
// (Delegations) where the place lies outside its own court's area.
func (d *Desk) coordinate(ctx context.Context) ([]courtGroup, error) {
	trips, courtOf, err := d.upcomingTrips(ctx)
	if err != nil {
		return nil, err
	}
	cfg := planning.CoordinationConfig{DivisionNames: map[string]string{}}
	codes := d.CaseCourts()
	if len(codes) == 0 {
		codes = []string{d.home}
	}
	for _, c := range codes {
		for _, dt := range d.AllDistricts(c) {
			if _, ok := cfg.DivisionNames[dt.Code]; !ok {
				cfg.DivisionNames[dt.Code] = dt.Name
			}
		}
	}
	gs, err := planning.Coordinate(trips, cfg)
	if err != nil {
		return nil, err
	}
	out := make([]courtGroup, 0, len(gs))
	for _, g := range gs {
		cg := courtGroup{Group: g, courtOf: map[string]string{}}
		for _, t := range g.Trips {
			cg.courtOf[t.ID] = courtOf[t.ID]
		}
		cg.Delegations = d.delegations(cg, cfg.DivisionNames)
		out = append(out, cg)
	}
	return out, nil
}

// delegations lists, in stop order, the districts of g's stops that lie
// outside the area of the court of a trip going there, with those trips.
func (d *Desk) delegations(g courtGroup, names map[string]string) []planning.Delegation {
	var out []planning.Delegation
	for _, s := range g.Stops {
		div := s.Place.Division
		var ids []string
		for _, id := range s.TripIDs {
			if !d.InArea(g.courtOf[id], div) {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			continue
		}
		if i := slices.IndexFunc(out, func(x planning.Delegation) bool { return x.Division == div }); i >= 0 {
			out[i].TripIDs = append(out[i].TripIDs, ids...)
			continue
		}
		out = append(out, planning.Delegation{Division: div, Name: names[div], TripIDs: ids})
	}
	return out
}

// InArea reports whether district lies in the area of court code (a code
// of its area, or one under it, e.g. 310115 under 3101). A court without an
// area, and a place without a district, count as in the area.
func (d *Desk) InArea(code, district string) bool {
	if district == "" {
		return true
	}
	area := d.court(code).AreaCodes()
	if len(area) == 0 {
		return true
	}
	for _, a := range area {
		if strings.HasPrefix(district, a) {
			return true
		}
	}
	return false
}

// Coordination returns the coordination groups (集约出行) among upcoming
// trips, across the courts of the deployment: the chief sees every group
// with a trip of their court, a judge the groups they are in. The trips of
// other courts show their judge (with the court's name), time and
// district only.
func (d *Desk) Coordination(ctx context.Context, p *Principal) ([]planning.Group, error) {
	if err := Need(p, RoleJudge, RoleChief); err != nil {
		return nil, err
	}
	court := d.CourtFor(p)
	gs, err := d.coordinate(ctx)
	if err != nil {
		return nil, err
	}
	out := []planning.Group{}
	for _, g := range gs {
		if !g.has(court) || (p.Role == RoleJudge && !containsStr(g.Judges, p.UserID)) {
			continue
		}
		out = append(out, d.redactForeign(g, court))
	}
	return out, nil
}

// redactForeign returns g as court may see it: the trips of other courts
// without case, purpose, address or coordinates, their judges named with
// their court, and stops of other courts' trips only named by district.
func (d *Desk) redactForeign(g courtGroup, court string) planning.Group {
	out := g.Group
	out.Trips = slices.Clone(g.Trips)
	names := map[string]string{}
	for _, dt := range d.AllDistricts(court) {
		names[dt.Code] = dt.Name
	}
	district := func(pl planning.Place) planning.Place {
		name := names[pl.Division]
		if name == "" {
			name = pl.Division
		}
		return planning.Place{Division: pl.Division, Address: name}
	}
	for i, t := range out.Trips {
		c := g.courtOf[t.ID]
		if c == court {
			continue
		}
		out.Trips[i] = planning.Trip{ID: t.ID, JudgeID: t.JudgeID, JudgeName: t.JudgeName + "（" + d.CourtName(c) + "）",
			Start: t.Start, End: t.End, Place: district(t.Place)}
	}
	out.Stops = slices.Clone(g.Stops)
	for i, s := range out.Stops {
		own := slices.ContainsFunc(s.TripIDs, func(id string) bool { return g.courtOf[id] == court })
		if !own {
			out.Stops[i].Place = district(s.Place)
		}
	}
	out.Delegations = nil
	for _, dl := range g.Delegations {
		ids := slices.DeleteFunc(slices.Clone(dl.TripIDs), func(id string) bool { return g.courtOf[id] != court })
		if len(ids) > 0 {
			dl.TripIDs = ids
			out.Delegations = append(out.Delegations, dl)
		}
	}
	return out
}

// CoordCfg is the coordination settings of court code: the names of its
// districts, and the districts of its area as the home ones.
func (d *Desk) CoordCfg(code string) planning.CoordinationConfig {
	cfg := planning.CoordinationConfig{DivisionNames: map[string]string{}}
	for _, dt := range d.AllDistricts(code) {
		cfg.DivisionNames[dt.Code] = dt.Name
	}
	cfg.HomeDivisionPrefixes = d.court(code).AreaCodes()
	return cfg
}

// Entrust is the suggestion to entrust a field trip's task to the court of
// the place (执行事项委托): the place lies outside the area of the trip's
// court. Court and CourtName name the deployment's court whose area it is,
// empty when no court of the deployment has it; Hint says it in Chinese.
type Entrust struct {
	District     string `json:"district"`
	DistrictName string `json:"district_name,omitempty"`
	Court        string `json:"court,omitempty"`
	CourtName    string `json:"court_name,omitempty"`
	Hint         string `json:"hint"`
}

// EntrustHint returns the entrustment suggestion for a trip of court code
// to pl, and whether there is one (the place lies outside the court's
// area), e.g. 该地点属上海市浦东新区人民法院辖区，可考虑执行事项委托.
func (d *Desk) EntrustHint(code string, pl planning.Place) (Entrust, bool) {
	if d.InArea(code, pl.Division) {
		return Entrust{}, false
	}
	e := Entrust{District: pl.Division}
	for _, dt := range d.AllDistricts(code) {
		if dt.Code == pl.Division {
			e.DistrictName = dt.Name
		}
	}
	if c, ok := d.AreaCourt(pl.Division); ok && c.Code != code {
		e.Court, e.CourtName = c.Code, c.Name
		e.Hint = "该地点属" + c.Name + "辖区，可考虑执行事项委托"
		return e, true
	}
	where := e.DistrictName
	if where == "" {
		where = pl.Division
	}
	e.Hint = "该地点（" + where + "）不在本院辖区，可考虑委托当地法院办理（执行事项委托）"
	return e, true
}

// tripPlace says where a trip of court goes for an itinerary text: its
// address (or district), or, out of the court's area (out), the district
// with the suggestion to entrust the task to its court (执行事项委托): the
// deployment's court of that area when the text stays short, else the
// district's court.
func (d *Desk) tripPlace(court string, pl planning.Place, out map[string]bool) string {
	cfg := d.CoordCfg(court)
	name := cfg.DivisionNames[pl.Division]
	if out[pl.Division] {
		if name == "" {
			name = pl.Division
		}
		if c, ok := d.AreaCourt(pl.Division); ok && c.Code != court {
			if s := name + "(建议委托" + c.Name + ")"; utf8.RuneCountInString(s) <= 20 {
				return s
			}
		}
		local := name
		if _, district, ok := strings.Cut(name, "市"); ok && district != "" {
			local = district // 苏州市姑苏区 → 姑苏区人民法院
		}
		if s := name + "(建议委托" + local + "人民法院)"; utf8.RuneCountInString(s) <= 20 {
			return s
		}
		return name + "(建议执行事项委托)"
	}
	if pl.Address != "" {
		return pl.Address
	}
	return name
}

// notifyCoordination tells the travellers and leaders of every current
// group that has a trip of court ("" for every group): each traveller of
// their own trip and who else goes, drafted by their own court; the
// leaders of each court with a trip in the group (the chiefs, the court's
// Leaders and the travellers' division heads) once, by their court. The
// idempotency keys derive from the group, so asking again sends nothing
// twice.
func (d *Desk) notifyCoordination(ctx context.Context, court string) (int, error) {
	gs, err := d.coordinate(ctx)
	if err != nil {
		return 0, err
	}
	now := d.Now()
	n := 0
	chiefs := map[string][]string{}
	for _, g := range gs {
		if court != "" && !g.has(court) {
			continue
		}
		// Out of area, per court: the districts its trips go to outside it.
		out := map[string]map[string]bool{}
		for _, dl := range g.Delegations {
			for _, id := range dl.TripIDs {
				c := g.courtOf[id]
				if out[c] == nil {
					out[c] = map[string]bool{}
				}
				out[c][dl.Division] = true
			}
		}
		judgeCourt := map[string]string{}
		var judges []notify.Recipient
		for _, t := range g.Trips {
			if _, seen := judgeCourt[t.JudgeID]; seen {
				continue
			}
			judgeCourt[t.JudgeID] = g.courtOf[t.ID]
			if r, ok := d.Staff(t.JudgeID); ok {
				judges = append(judges, r)
			}
		}
		var msgs []notify.Message
		for _, j := range judges {
			i := slices.IndexFunc(g.Trips, func(t planning.Trip) bool { return t.JudgeID == j.UserID })
			if i < 0 {
				continue
			}
			t, jc := g.Trips[i], judgeCourt[j.UserID]
			dr := d.Drafter(jc)
			if dr == nil {
				continue
			}
			others := append([]notify.Recipient{j}, slices.DeleteFunc(slices.Clone(judges), func(r notify.Recipient) bool { return r.UserID == j.UserID })...)
			ms, err := dr.DraftItinerary(notify.Trip{GroupID: g.ID + "/" + t.ID, Court: jc, Date: halfDay(t.Start), Place: d.tripPlace(jc, t.Place, out[jc])}, others, nil, now)
			if err != nil {
				return n, err
			}
			for _, m := range ms {
				if m.Recipient.UserID == j.UserID {
					msgs = append(msgs, m)
				}
			}
		}
		for _, c := range g.courts() {
			dr := d.Drafter(c)
			if dr == nil {
				continue
			}
			ids, err := d.leadersOf(ctx, c, chiefs)
			if err != nil {
				return n, err
			}
			var leaders []notify.Recipient
			add := func(id string) {
				if containsStr(g.Judges, id) || slices.ContainsFunc(leaders, func(r notify.Recipient) bool { return r.UserID == id }) {
					return
				}
				if r, ok := d.Staff(id); ok {
					leaders = append(leaders, r)
				}
			}
			for _, j := range g.Judges {
				if judgeCourt[j] == c {
					for _, h := range d.HeadsOf(c, j) {
						add(h)
					}
				}
			}
			for _, id := range ids {
				add(id)
			}
			if len(leaders) == 0 || len(g.Trips) == 0 {
				continue
			}
			place := ""
			if len(g.Stops) > 0 {
				place = d.tripPlace(c, g.Stops[0].Place, out[c])
			}
			ms, err := dr.DraftItinerary(notify.Trip{GroupID: g.ID, Court: c, Date: halfDay(g.Window.Start), Place: place}, judges, leaders, now)
			if err != nil {
				return n, err
			}
			for _, m := range ms {
				if m.Recipient.Role == notify.RecipientLeader {
					msgs = append(msgs, m)
				}
			}
		}
		if len(msgs) > 0 {
			if err := d.Outbox.Put(ctx, msgs...); err != nil {
				return n, err
			}
			n += len(msgs)
		}
	}
	return n, nil
}

// leadersOf returns the user ids of court's chiefs and its configured
// Leaders, read once per call through cache.
func (d *Desk) leadersOf(ctx context.Context, court string, cache map[string][]string) ([]string, error) {
	if ids, ok := cache[court]; ok {
		return ids, nil
	}
	users, err := d.ListUsers(ctx, court)
	if err != nil {
		return nil, fmt.Errorf("leaders of %s: %w", court, err)
	}
	var ids []string
	for _, u := range users {
		if u.Role == RoleChief {
			ids = append(ids, u.ID)
		}
	}
	for _, id := range d.court(court).Leaders {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	cache[court] = ids
	return ids, nil
}
