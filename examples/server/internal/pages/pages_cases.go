package pages

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
)

// pageExtras are the templates a page uses beside layout.html and its own.
var pageExtras = map[string][]string{
	"cases":    {"web/forms.html"},
	"case_new": {"web/forms.html"},
	"case":     {"web/forms.html", "web/case_judge.html"},
}

// form is a submitted form as a page shows it again: the values as typed
// and the problems found, by field.
type form struct {
	Values url.Values
	Errors map[string][]string
}

// newForm returns the form of values with the problems of err attached:
// each field's at the field, and a refusal of the request as a whole (a
// state the change is not allowed in, a conflict) under "". Signing in,
// permission and not-found errors, and server errors, are returned for
// the error page.
func newForm(values url.Values, err error) (form, error) {
	f := form{Values: values, Errors: map[string][]string{}}
	if err == nil {
		return f, nil
	}
	row := respond.Lookup(err)
	switch row.Status {
	case http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
	default:
		return f, err
	}
	fs := respond.Fields(err)
	for _, fe := range fs {
		f.Errors[fe.Field] = append(f.Errors[fe.Field], fe.MessageZh)
	}
	if len(fs) == 0 {
		f.Errors[""] = append(f.Errors[""], respond.Message(err))
	}
	return f, nil
}

// All lists every problem of the form, for the summary above it (each
// message names its field).
// The request's own problems come first, then each field's in field order.
func (f form) All() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(f.Errors)) {
		out = append(out, f.Errors[k]...)
	}
	return out
}

// V returns the value typed in field name.
func (f form) V(name string) string { return f.Values.Get(name) }

// Err returns the problems with field name.
func (f form) Err(name string) []string { return f.Errors[name] }

// Checked reports whether checkbox name was ticked.
func (f form) Checked(name string) bool {
	v := f.Values.Get(name)
	return v == "1" || v == "on" || v == "true"
}

// Bad reports whether the form has a problem.
func (f form) Bad() bool { return len(f.Errors) > 0 }

// casesView is the case list page (我的案件).
type casesView struct {
	Form   form
	List   desk.CaseList
	Chief  bool
	Judges []desk.User
	Names  map[string]string
	Levels []levelOption
	// Prev and Next are the query strings of the neighbouring pages, ""
	// when there is none.
	Prev, Next string
}

type levelOption struct{ Code, Name string }

func (pg *pages) casesPage(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := desk.Need(p, desk.RoleJudge, desk.RoleChief); err != nil {
		if p != nil && p.Role == desk.RoleParty {
			http.Redirect(w, r, "/my-case", http.StatusSeeOther)
			return nil
		}
		return err
	}
	v := casesView{Chief: p.Role == desk.RoleChief, Names: pg.judgeNames(r)}
	for _, l := range Levels {
		v.Levels = append(v.Levels, levelOption{l.String(), l.Chinese()})
	}
	if v.Chief {
		us, err := pg.desk.ListUsers(r.Context(), pg.desk.CourtFor(p))
		if err != nil {
			return err
		}
		for _, u := range us {
			if u.Role == desk.RoleJudge {
				v.Judges = append(v.Judges, u)
			}
		}
	}
	values := r.URL.Query()
	q, err := desk.ParseCaseListQuery(values)
	if err == nil {
		q.HasLimit = false // the page pages by 50
		v.List, err = pg.desk.CaseList(r.Context(), p, q)
	}
	if v.Form, err = newForm(values, err); err != nil {
		return err
	}
	status := http.StatusOK
	if v.Form.Bad() {
		status = http.StatusBadRequest
	}
	page := func(n int) string {
		q := url.Values{}
		for k, vs := range values {
			if k != "page" && k != "ok" {
				q[k] = vs
			}
		}
		q.Set("page", strconv.Itoa(n))
		return q.Encode()
	}
	if v.List.Page > 1 {
		v.Prev = page(v.List.Page - 1)
	}
	if v.List.Page < v.List.Pages {
		v.Next = page(v.List.Page + 1)
	}
	return pg.render(w, r, status, "cases", pageData("我的案件", "cases", v))
}

// pageData is a page's data with its title and navigation section.
func pageData(title, nav string, data any) page { return page{Title: title, Nav: nav, Data: data} }
