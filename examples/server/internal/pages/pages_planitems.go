package pages

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
	"github.com/courtkit/zhixing/planning"
)

// planItemFlashes are the notices after a plan item's move, done, undo and
// removal.
var planItemFlashes = map[string]string{
	"moved":        "已改期。",
	"done":         "已标记为完成。",
	"undone":       "已恢复为未完成。",
	"removed":      "已从计划中删除。",
	"removed_kept": "已从计划中删除；本周计划已提交，删除前的事项保留在计划变更记录中。",
}

// itemWeek reads the week field of a plan item form; the item is the
// path's.
func itemWeek(r *http.Request, p *desk.Principal) (planning.Week, string, error) {
	if err := desk.Need(p, desk.RoleJudge); err != nil {
		return planning.Week{}, "", err
	}
	wk, err := desk.ParseWeek(r.PostFormValue("week"))
	return wk, r.PathValue("item"), err
}

// moveItem moves a plan item to another day of its week, to a half-day or
// a time.
func (pg *pages) moveItem(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	wk, id, err := itemWeek(r, p)
	if err != nil {
		return err
	}
	m := desk.ItemMove{Half: r.PostFormValue("half"), Start: strings.TrimSpace(r.PostFormValue("start"))}
	if m.Day, err = deadline.ParseDate(r.PostFormValue("day")); err != nil {
		err = desk.BadField("day", "invalid_date", "请选择日期")
	} else {
		_, err = pg.desk.MovePlanItem(r.Context(), p, p.UserID, wk, id, m)
	}
	if err != nil {
		fields := respond.Fields(err)
		if len(fields) == 0 {
			return err
		}
		f := moveForm{Item: id, Day: r.PostFormValue("day"), Half: m.Half, Start: m.Start, Errs: map[string][]string{}}
		for _, fe := range fields {
			f.Errs[fe.Field] = append(f.Errs[fe.Field], fe.MessageZh)
		}
		return pg.refuseItem(w, r, p, wk, id, err, func(v *weekView) { v.Move = f })
	}
	return back(w, r, "/week?week="+wk.String(), "moved")
}

// refuseItem shows week wk again, with status 400 and what set adds: the
// refused form of item and its problems. An item not in the plan has no
// form to show them at: refused is then the error page's.
func (pg *pages) refuseItem(w http.ResponseWriter, r *http.Request, p *desk.Principal, wk planning.Week, item string, refused error, set func(*weekView)) error {
	get := r.Clone(r.Context())
	get.URL = &url.URL{Path: "/week", RawQuery: "week=" + wk.String()}
	v, err := pg.weekData(get, p, p.UserID, wk)
	if err != nil {
		return err
	}
	if _, ok := v.Plan.Item(item); !ok {
		return refused
	}
	set(v)
	return pg.renderWeek(w, get, http.StatusBadRequest, v)
}

// refusedItem handles a done or remove of item refused with err: a
// refusal the user can act on is shown at the item, anything else is the
// error page's.
func (pg *pages) refusedItem(w http.ResponseWriter, r *http.Request, p *desk.Principal, wk planning.Week, item string, err error) error {
	fields := respond.Fields(err)
	if len(fields) == 0 {
		return err
	}
	msg := make([]string, len(fields))
	for i, f := range fields {
		msg[i] = f.MessageZh
	}
	return pg.refuseItem(w, r, p, wk, item, err, func(v *weekView) { v.ItemID, v.ItemRefused = item, strings.Join(msg, "；") })
}

// doneItem marks a plan item done, or undoes that (done=false).
func (pg *pages) doneItem(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	wk, id, err := itemWeek(r, p)
	if err != nil {
		return err
	}
	done := r.PostFormValue("done") != "false"
	if _, err := pg.desk.SetPlanItemDone(r.Context(), p, p.UserID, wk, id, done); err != nil {
		return pg.refusedItem(w, r, p, wk, id, err)
	}
	flash := "done"
	if !done {
		flash = "undone"
	}
	return back(w, r, "/week?week="+wk.String(), flash)
}

// removeItem removes a plan item; a submitted plan keeps it in its
// History.
func (pg *pages) removeItem(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	wk, id, err := itemWeek(r, p)
	if err != nil {
		return err
	}
	pl, err := pg.desk.RemovePlanItem(r.Context(), p, p.UserID, wk, id)
	if err != nil {
		return pg.refusedItem(w, r, p, wk, id, err)
	}
	flash := "removed"
	if pl.Status == planning.StatusSubmitted {
		flash = "removed_kept"
	}
	return back(w, r, "/week?week="+wk.String(), flash)
}

// revisionLine is one change to a submitted plan, as the week page lists
// it.
type revisionLine struct {
	planning.Revision
	Title string
}

// OpChinese names the revision's operation.
func (l revisionLine) OpChinese() string {
	switch l.Op {
	case planning.OpSubmit:
		return "提交"
	case planning.OpAdd:
		return "新增"
	case planning.OpUpdate:
		if l.Before != nil && l.After != nil && l.Before.Done != l.After.Done {
			if l.After.Done {
				return "标记完成"
			}
			return "恢复未完成"
		}
		return "修改"
	case planning.OpMove:
		return "改期"
	case planning.OpRemove:
		return "删除"
	}
	return string(l.Op)
}

// revisionLines lists the changes to a submitted plan, latest first.
func revisionLines(pl *planning.Plan) []revisionLine {
	out := make([]revisionLine, 0, len(pl.History))
	for i := len(pl.History) - 1; i >= 0; i-- {
		r := pl.History[i]
		l := revisionLine{Revision: r}
		switch {
		case r.After != nil:
			l.Title = r.After.Kind.Chinese() + "：" + r.After.Title
		case r.Before != nil:
			l.Title = r.Before.Kind.Chinese() + "：" + r.Before.Title
		}
		out = append(out, l)
	}
	return out
}
