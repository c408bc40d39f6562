package pages

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/auth"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
	"github.com/courtkit/zhixing/notify"
	"github.com/courtkit/zhixing/planning"
)

// weekView is the judge's week page.
type weekView struct {
	JudgeID, JudgeName string
	Own                bool // the judge looks at their own week (forms shown)
	Week               planning.Week
	Prev, Next         string // links
	ThisWeek           string
	Today              deadline.Date
	Plan               *planning.Plan
	Days               []dayColumn
	Urgent             []planning.Entry // overdue and due today, from the agenda
	Unplanned          []planning.Entry
	TooLate            []planning.Entry
	Counts             planning.Counts
	// More counts the agenda's entries not listed (after the most urgent
	// desk.AgendaLimit of each list); UnplannedMore the unplanned ones.
	More          planning.More
	UnplannedMore int
	Groups        []planning.Group
	// Entrust is the entrustment hint (执行事项委托) of each of the week's
	// trips, recorded or planned, to a place outside the court's area, by
	// trip or plan item ID.
	Entrust    map[string]string
	Held       []heldMessage
	Moves      []desk.DueMove // due dates moved by calendar changes
	Requests   []pendingRequest
	Orders     []pendingOrder
	Links      []linkOption
	Divisions  []divisionOption
	FeedURL    string
	Self       string // this page's path, for the forms' back field
	DefaultDay string
	CanSubmit  bool
	// History is the changes to the submitted plan, latest first.
	History []revisionLine
	// Add is the add form's values, as typed when it was refused.
	Add addForm
	// Move is the move form of one item after a refusal: what was typed
	// and the problems by field (zero for a plain view).
	Move moveForm
	// ItemRefused is the problem of a done or remove refused for ItemID.
	ItemRefused, ItemID string
}

// moveForm is an item's move form after a refusal.
type moveForm struct {
	Item, Day, Half, Start string
	Errs                   map[string][]string
}

// Err returns the problems with field.
func (f moveForm) Err(field string) []string { return f.Errs[field] }

// Mine reports whether the form is item's.
func (f moveForm) Mine(item string) bool { return f.Item != "" && f.Item == item }

// addForm is the add form's fields and, after a refusal, its problems by
// field.
type addForm struct {
	Kind, Link, Title, Day, Start, End string
	Division, Point, Address           string
	Errs                               map[string][]string
}

// Err returns the problems with field.
func (f addForm) Err(field string) []string { return f.Errs[field] }

// dayColumn is one day of the week grid.
type dayColumn struct {
	Date    deadline.Date
	IsToday bool
	Entries []planning.Entry
	// Items are the plan items of the day.
	Items []planCard
	// Trips are the judge's field trips of the day recorded outside the
	// plan.
	Trips []planning.Trip
}

// planCard is a plan item on the grid, with the level and flags of the due
// item it works on (or of its own day).
type planCard struct {
	Item       planning.Item
	Week       planning.Week
	Level      enforcement.Level
	CaseNumber string
	// Due is the agenda entry of the linked due item, if it is in the agenda.
	Due   planning.Entry
	Flags []planning.Flag
}

type heldMessage struct {
	notify.Message
	CaseNumber string
	Params     []paramField
}

// paramField is a variable of a held message's template as its edit form
// shows it: Label is its Chinese name.
type paramField struct{ Key, Label, Value, ID string }

// paramLabels name the template variables a judge may edit in Chinese
// (notify's Var… constants); a variable without one shows its key.
var paramLabels = map[string]string{
	notify.VarPartyName: "收信人姓名", notify.VarApplicant: "申请执行人", notify.VarRespondent: "被执行人",
	notify.VarCaseNo: "案号", notify.VarJudge: "承办法官", notify.VarPhone: "联系电话", notify.VarNodes: "节点和期限",
	notify.VarQueryCode: "查询码", notify.VarIDNumber: "身份证号", notify.VarSignIn: "查询方式", notify.VarAddressee: "通知对象",
	notify.VarMeasure: "措施", notify.VarTarget: "措施对象", notify.VarResult: "结果", notify.VarAmount: "金额（元）",
	notify.VarReplyCode: "回复代码", notify.VarDueDate: "期限", notify.VarNode: "节点", notify.VarLevel: "预警",
	notify.VarDate: "日期", notify.VarPlace: "地点", notify.VarJudges: "同行法官", notify.VarLeader: "领导",
	notify.VarSupervisor: "督办人", notify.VarReplyBy: "报告期限", notify.VarRequest: "诉求", notify.VarAnswer: "答复",
	notify.VarChoice: "意见", notify.VarOutcome: "结案方式", notify.VarNextStep: "后续事项",
}

type pendingRequest struct {
	CaseID, CaseNumber string
	enforcement.Request
	PartyName string
	Level     enforcement.Level
}

type pendingOrder struct {
	CaseID, CaseNumber string
	enforcement.SupervisionOrder
}

// linkOption is a case or one of its open due items a plan item can work on.
type linkOption struct {
	Value, Label string
}

type divisionOption struct {
	Code, Name string
	Home       bool
}

// week renders a judge's week: their own (/week), or any judge's for the
// chief (/judges/{judge}/week). It reads the plan and the agenda, lays them
// out on the grid, and adds the trips, the coordination groups, the cases'
// pending requests and orders, and the judge's held messages.
func (pg *pages) week(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	judge, ok, err := pg.weekJudge(w, r, p)
	if err != nil || !ok {
		return err
	}
	wk := planning.WeekOf(pg.desk.Today())
	if q := r.URL.Query().Get("week"); q != "" {
		if wk, err = desk.ParseWeek(q); err != nil {
			return err
		}
	}
	v, err := pg.weekData(r, p, judge, wk)
	if err != nil {
		return err
	}
	return pg.renderWeek(w, r, http.StatusOK, v)
}

// renderWeek renders the week page of v.
func (pg *pages) renderWeek(w http.ResponseWriter, r *http.Request, status int, v *weekView) error {
	title := "本周工作"
	if !v.Own {
		title = v.JudgeName + " 的一周"
	}
	return pg.render(w, r, status, "week", page{Title: title, Nav: "week", Data: v})
}

// weekData reads what the week page of judge's week wk shows.
func (pg *pages) weekData(r *http.Request, p *desk.Principal, judge string, wk planning.Week) (*weekView, error) {
	today := pg.desk.Today()
	ctx := r.Context()
	pl, err := pg.desk.Plan(ctx, p, judge, wk)
	if err != nil {
		return nil, err
	}
	ag, err := pg.desk.Agenda(ctx, p, judge, desk.AgendaLimit)
	if err != nil {
		return nil, err
	}
	v := newWeekView(r, p, judge, pg.judgeNames(r)[judge], wk, today, pl, ag)
	v.History = revisionLines(pl)
	v.placeAgenda(ag, pl)
	trips, err := pg.desk.ListTrips(ctx, p, wk.Start().Start())
	if err != nil {
		return nil, err
	}
	v.placeTrips(trips)
	if v.Groups, err = pg.desk.Coordination(ctx, p); err != nil {
		return nil, err
	}
	if p.Role == desk.RoleChief {
		v.Groups = slices.DeleteFunc(v.Groups, func(g planning.Group) bool { return !slices.Contains(g.Judges, judge) })
	}
	cs, err := pg.desk.Store.Find(ctx, enforcement.CaseFilter{Court: pg.desk.CourtFor(p), JudgeID: judge})
	if err != nil {
		return nil, err
	}
	v.addCases(cs, pg.desk.Calendar())
	if v.Own {
		ms, err := pg.desk.ListMessages(ctx, p, desk.MessageFilter{States: []notify.State{notify.StateHeld}})
		if err != nil {
			return nil, err
		}
		v.addHeld(ms, cs)
	}
	if v.Moves, err = pg.desk.JudgeMoves(ctx, p, judge); err != nil {
		return nil, err
	}
	v.Divisions = divisions(pg.desk.AllDistricts(pg.desk.CourtFor(p)))
	v.Entrust = map[string]string{}
	for _, day := range v.Days {
		for _, t := range day.Trips {
			if e, ok := pg.desk.EntrustHint(pg.desk.CourtFor(p), t.Place); ok {
				v.Entrust[t.ID] = e.Hint
			}
		}
		for _, c := range day.Items {
			if c.Item.Trip != nil {
				if e, ok := pg.desk.EntrustHint(pg.desk.CourtFor(p), c.Item.Trip.Place); ok {
					v.Entrust[c.Item.ID] = e.Hint
				}
			}
		}
	}
	v.Add = addForm{Day: v.DefaultDay}
	return v, nil
}

// weekJudge returns whose week the request shows: the path's judge, or the
// signed-in judge's own. The chief at /week is sent to the dashboard
// (ok false).
func (pg *pages) weekJudge(w http.ResponseWriter, r *http.Request, p *desk.Principal) (judge string, ok bool, err error) {
	if err := desk.Need(p, desk.RoleJudge, desk.RoleChief); err != nil {
		return "", false, err
	}
	judge = r.PathValue("judge")
	if judge == "" {
		if p.Role != desk.RoleJudge {
			http.Redirect(w, r, "/chief", http.StatusSeeOther)
			return "", false, nil
		}
		judge = p.UserID
	}
	if err := pg.desk.CheckJudge(p, judge); err != nil {
		return "", false, err
	}
	if ok, err := pg.desk.IsJudgeOf(r.Context(), pg.desk.CourtFor(p), judge); err != nil {
		return "", false, err
	} else if !ok {
		return "", false, desk.NotFound("judge", judge)
	}
	return judge, true, nil
}

// newWeekView is the page's heading: whose week, its links, and the seven
// empty days of the grid.
func newWeekView(r *http.Request, p *desk.Principal, judge, name string, wk planning.Week, today deadline.Date, pl *planning.Plan, ag planning.Agenda) *weekView {
	self := r.URL.Path
	if r.URL.RawQuery != "" {
		q := r.URL.Query()
		q.Del("ok")
		if len(q) > 0 {
			self += "?" + q.Encode()
		}
	}
	v := &weekView{JudgeID: judge, JudgeName: name, Own: p.Role == desk.RoleJudge, Week: wk, Today: today, Plan: pl, Counts: ag.Counts,
		FeedURL: "/api/v1/judges/" + url.PathEscape(judge) + "/calendar.ics", Self: self}
	base := r.URL.Path
	v.Prev = base + "?week=" + wk.Add(-1).String()
	v.Next = base + "?week=" + wk.Add(1).String()
	v.ThisWeek = base
	v.CanSubmit = v.Own && pl.Status != planning.StatusSubmitted && len(pl.Items) > 0
	v.DefaultDay = today.String()
	if !wk.Contains(today) {
		v.DefaultDay = wk.Start().String()
	}
	for i := range 7 {
		v.Days = append(v.Days, dayColumn{Date: wk.Start().AddDays(i), IsToday: wk.Start().AddDays(i) == today})
	}
	return v
}

// placeAgenda puts the agenda's due items on their due date and the plan's
// items on their day, each item with the level and flags of the due item it
// works on, and lists the urgent, unplanned and too-late entries.
func (v *weekView) placeAgenda(ag planning.Agenda, pl *planning.Plan) {
	wk := v.Week
	byDue, byItem := map[string]planning.Entry{}, map[string]planning.Entry{}
	for _, e := range slices.Concat(ag.Today, ag.ThisWeek, ag.NextWeek) {
		if e.DueID == "" {
			for _, it := range e.Items {
				byItem[it.ItemID] = e
			}
		} else {
			byDue[e.CaseID+"|"+e.DueID] = e
			if wk.Contains(e.Date) {
				col := &v.Days[e.Date.Sub(wk.Start())]
				col.Entries = append(col.Entries, e)
			}
		}
		if e.Level == enforcement.LevelOverdue || e.Level == enforcement.LevelDueToday {
			v.Urgent = append(v.Urgent, e)
		}
		if e.Has(planning.FlagUnplanned) {
			v.Unplanned = append(v.Unplanned, e)
		}
		if e.Has(planning.FlagTooLate) {
			v.TooLate = append(v.TooLate, e)
		}
	}
	v.More = ag.More
	v.UnplannedMore = ag.Counts.Unplanned - len(v.Unplanned)
	for _, it := range pl.Items {
		if !wk.Contains(it.Date()) {
			continue
		}
		card := planCard{Item: it, Week: wk}
		if e, ok := byDue[it.CaseID+"|"+it.DueID]; ok && it.DueID != "" {
			card.Level, card.Due, card.CaseNumber, card.Flags = e.Level, e, e.CaseNumber, e.Flags
		} else if e, ok := byItem[it.ID]; ok {
			card.Level, card.CaseNumber = e.Level, e.CaseNumber
		}
		col := &v.Days[it.Date().Sub(wk.Start())]
		col.Items = append(col.Items, card)
	}
}

// placeTrips adds the judge's field trips recorded outside the plan (集约出行
// pools them too) to their days, and orders each day's items by start.
func (v *weekView) placeTrips(trips []planning.Trip) {
	wk := v.Week
	for _, t := range trips {
		day := deadline.DateOf(t.Start)
		if t.JudgeID != v.JudgeID || !wk.Contains(day) {
			continue
		}
		col := &v.Days[day.Sub(wk.Start())]
		col.Trips = append(col.Trips, t)
	}
	for i := range v.Days {
		slices.SortStableFunc(v.Days[i].Items, func(a, b planCard) int { return a.Item.Start.Compare(b.Item.Start) })
	}
}

// addCases lists what the judge's open cases offer: the cases and due
// items a plan item can link to, the parties' unanswered requests with
// their level, and the unanswered supervision orders.
func (v *weekView) addCases(cs []*enforcement.Case, cal *deadline.Calendar) {
	for _, c := range cs {
		if c.IsClosed() {
			continue
		}
		v.Links = append(v.Links, linkOption{Value: c.ID, Label: c.Number.String() + " " + c.Cause + "（不指定期限）"})
		for _, d := range c.OpenDueItems() {
			if d.IsRight() {
				continue // a party's right is not the judge's to plan
			}
			v.Links = append(v.Links, linkOption{Value: c.ID + "|" + d.ID, Label: c.Number.String() + " · " + d.Title + " · 期限 " + d.Due().String()})
		}
		for _, rq := range c.Requests {
			if rq.IsAnswered() {
				continue
			}
			pr := pendingRequest{CaseID: c.ID, CaseNumber: c.Number.String(), Request: rq}
			if pt, ok := c.Party(rq.PartyID); ok {
				pr.PartyName = pt.Role.Chinese() + " " + pt.Name
			}
			if l, err := enforcement.LevelOf(cal, rq.ResolveBy, v.Today, 0); err == nil {
				pr.Level = l
			}
			v.Requests = append(v.Requests, pr)
		}
		for _, o := range c.Orders {
			if !o.IsAnswered() {
				v.Orders = append(v.Orders, pendingOrder{CaseID: c.ID, CaseNumber: c.Number.String(), SupervisionOrder: o})
			}
		}
	}
}

// addHeld lists the judge's held messages with their case numbers and
// their parameters in key order, for the edit forms.
func (v *weekView) addHeld(ms []notify.Message, cs []*enforcement.Case) {
	numbers := map[string]string{}
	for _, c := range cs {
		numbers[c.ID] = c.Number.String()
	}
	for _, m := range ms {
		hm := heldMessage{Message: m, CaseNumber: numbers[m.CaseID]}
		keys := make([]string, 0, len(m.Params))
		for k := range m.Params {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			label := paramLabels[k]
			if label == "" {
				label = k
			}
			hm.Params = append(hm.Params, paramField{Key: k, Label: label, Value: m.Params[k], ID: m.ID + "-p" + itoaSmall(i)})
		}
		v.Held = append(v.Held, hm)
	}
}

// divisions are the court's districts for the trip form, in the court's
// order (its own first).
func divisions(ds []desk.District) []divisionOption {
	var out []divisionOption
	for _, d := range ds {
		out = append(out, divisionOption{Code: d.Code, Name: d.Name, Home: d.Home})
	}
	return out
}

func itoaSmall(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoaSmall(i/10) + digits[i%10:i%10+1]
}

// parseClock combines date d with clock "15:04" in China Standard Time.
func parseClock(d deadline.Date, clock string) (time.Time, error) {
	t, err := time.ParseInLocation("15:04", clock, deadline.China)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(d.Year, d.Month, d.Day, t.Hour(), t.Minute(), 0, 0, deadline.China), nil
}

// addItem adds an item (task, hearing or trip) to the judge's plan of the
// week of its day.
func (pg *pages) addItem(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := desk.Need(p, desk.RoleJudge); err != nil {
		return err
	}
	var ie desk.InputError
	kind := planning.ItemKind(r.PostFormValue("kind"))
	if kind == "" {
		kind = planning.KindTask
	}
	if !kind.IsValid() {
		ie.Add("kind", "unknown_value", "未知的事项类型")
	}
	day, err := deadline.ParseDate(r.PostFormValue("day"))
	if err != nil {
		ie.Add("day", "invalid_date", "请选择日期")
	}
	it := planning.Item{ID: desk.NewID("item"), Kind: kind, Title: strings.TrimSpace(r.PostFormValue("title"))}
	if link := r.PostFormValue("link"); link != "" {
		it.CaseID, it.DueID, _ = strings.Cut(link, "|")
	}
	if it.Title == "" && it.DueID != "" {
		if c, err := pg.desk.Get(r.Context(), p, it.CaseID); err == nil {
			if d, ok := c.Due(it.DueID); ok {
				it.Title = d.Title
			}
		}
	}
	if it.Title == "" {
		ie.Add("title", "required", "请填写事项")
	}
	start, end := strings.TrimSpace(r.PostFormValue("start")), strings.TrimSpace(r.PostFormValue("end"))
	if kind == planning.KindTrip && (start == "" || end == "") {
		ie.Add("start", "required", "外出办案须填写出发和返回时间")
	}
	if err == nil && start != "" {
		if it.Start, err = parseClock(day, start); err != nil {
			ie.Add("start", "invalid", "时间格式有误，如 09:00")
		}
		if end == "" {
			it.End = it.Start.Add(time.Hour)
		} else if it.End, err = parseClock(day, end); err != nil {
			ie.Add("end", "invalid", "时间格式有误，如 11:30")
		}
	} else {
		it.Day = day
	}
	if kind == planning.KindTrip {
		place, err := pg.desk.Place(desk.PlaceIn{Division: r.PostFormValue("division"), Point: r.PostFormValue("point"), Address: r.PostFormValue("address"),
			Court: pg.desk.CourtFor(auth.PrincipalOf(r.Context()))})
		for _, f := range respond.Fields(err) {
			ie.Add(f.Field, f.Code, f.MessageZh)
		}
		name := ""
		if u, ok := pg.desk.Staff(p.UserID); ok {
			name = u.Name
		}
		it.Trip = &planning.Trip{ID: it.ID, JudgeID: p.UserID, JudgeName: name, CaseID: it.CaseID, Start: it.Start, End: it.End,
			Place: place, Purpose: it.Title}
	}
	if err := ie.Err(); err != nil {
		return pg.refuseAdd(w, r, p, day, err)
	}
	_, err = pg.desk.ChangePlan(r.Context(), p, p.UserID, planning.WeekOf(day), func(pl *planning.Plan, ch planning.Change) error {
		return pl.AddItem(it, ch)
	})
	if errors.Is(err, desk.ErrBadInput) {
		return pg.refuseAdd(w, r, p, day, err)
	}
	if err != nil {
		return err
	}
	return back(w, r, "/week?week="+planning.WeekOf(day).String(), "added")
}

// refuseAdd shows the week again (the day's, or this week) with the add
// form as typed and each problem of err at its field.
func (pg *pages) refuseAdd(w http.ResponseWriter, r *http.Request, p *desk.Principal, day deadline.Date, err error) error {
	wk := planning.WeekOf(pg.desk.Today())
	if !day.IsZero() {
		wk = planning.WeekOf(day)
	}
	get := r.Clone(r.Context())
	get.URL = &url.URL{Path: "/week", RawQuery: "week=" + wk.String()}
	v, verr := pg.weekData(get, p, p.UserID, wk)
	if verr != nil {
		return err
	}
	f := addForm{Kind: r.PostFormValue("kind"), Link: r.PostFormValue("link"), Title: r.PostFormValue("title"), Day: r.PostFormValue("day"),
		Start: r.PostFormValue("start"), End: r.PostFormValue("end"), Division: r.PostFormValue("division"), Point: r.PostFormValue("point"),
		Address: r.PostFormValue("address"), Errs: map[string][]string{}}
	for _, fe := range respond.Fields(err) {
		f.Errs[fe.Field] = append(f.Errs[fe.Field], fe.MessageZh)
	}
	v.Add = f
	return pg.renderWeek(w, get, http.StatusBadRequest, v)
}

func (pg *pages) submitWeek(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := desk.Need(p, desk.RoleJudge); err != nil {
		return err
	}
	wk, err := desk.ParseWeek(r.PostFormValue("week"))
	if err != nil {
		return err
	}
	_, err = pg.desk.ChangePlan(r.Context(), p, p.UserID, wk, func(pl *planning.Plan, ch planning.Change) error {
		return pl.Submit(ch)
	})
	if err != nil {
		return err
	}
	return back(w, r, "/week?week="+wk.String(), "submitted")
}

// ----- held messages -----

func (pg *pages) confirmMessage(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if _, err := pg.desk.ConfirmMessage(r.Context(), p, r.PathValue("id")); err != nil {
		return err
	}
	return back(w, r, "/week", "confirmed")
}

func (pg *pages) editMessage(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := r.ParseForm(); err != nil {
		return desk.BadField("", "unreadable", "无法读取表单")
	}
	params := map[string]string{}
	for k, vs := range r.PostForm {
		if key, ok := strings.CutPrefix(k, "param."); ok && len(vs) > 0 {
			params[key] = vs[0]
		}
	}
	if len(params) == 0 {
		return desk.BadField("params", "required", "必填项")
	}
	if _, err := pg.desk.EditMessage(r.Context(), p, r.PathValue("id"), params); err != nil {
		var ie *desk.InputError
		if errors.As(err, &ie) {
			// The form's fields are param.<name>, the API's params.<name>.
			out := &desk.InputError{}
			for _, f := range ie.Fields {
				if k, ok := strings.CutPrefix(f.Field, "params."); ok {
					f.Field = "param." + k
				}
				out.Fields = append(out.Fields, f)
			}
			return out
		}
		return err
	}
	return back(w, r, "/week", "edited")
}

func (pg *pages) cancelMessage(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		return desk.BadField("reason", "required", "请填写取消理由")
	}
	if _, err := pg.desk.CancelMessage(r.Context(), p, r.PathValue("id"), reason); err != nil {
		return err
	}
	return back(w, r, "/week", "cancelled")
}
