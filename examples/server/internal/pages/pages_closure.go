package pages

import (
	"errors"
	"net/http"
	"strings"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// closeForm is the closing form on the judge's case page: the mode
// checked, what the judge typed, the field errors and, when the closure
// was refused, the checklist items that are missing.
type closeForm struct {
	Mode   enforcement.ClosureMode
	On     string
	Reason string
	// Errors are the field errors by field name (on, reason, mode).
	Errors map[string]string
	// Refused lists the items missing when the closure was refused.
	Refused []enforcement.Precondition
}

// closeCase closes the case in the chosen mode through the same desk
// method as the API; the handling judge only. A closure with a checklist
// item missing is refused: the page is shown again with the missing items
// and what was typed.
func (pg *pages) closeCase(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := desk.Need(p, desk.RoleJudge); err != nil {
		return err
	}
	form := closeForm{Mode: enforcement.ClosureMode(r.PostFormValue("mode")), On: strings.TrimSpace(r.PostFormValue("on")),
		Reason: strings.TrimSpace(r.PostFormValue("reason")), Errors: map[string]string{}}
	if !form.Mode.IsKnown() {
		form.Errors["mode"] = "请选择结案方式"
		form.Mode = enforcement.ClosureZhongBen
	}
	on := pg.desk.Today()
	if form.On != "" {
		d, err := deadline.ParseDate(form.On)
		if err != nil {
			form.Errors["on"] = "结案日期不是有效日期（格式为 YYYY-MM-DD）"
		}
		on = d
	}
	if form.Reason == "" {
		form.Errors["reason"] = "请填写结案理由"
	} else if len([]rune(form.Reason)) > 1000 {
		form.Errors["reason"] = "结案理由不超过1000字"
	}
	if len(form.Errors) > 0 {
		return pg.renderCase(w, r, p, http.StatusBadRequest, r.PathValue("id"), form, nil)
	}
	id := r.PathValue("id")
	if _, err := pg.desk.CloseCase(r.Context(), p, id, form.Mode, on, form.Reason); err != nil {
		var ce *enforcement.ClosureError
		if !errors.As(err, &ce) {
			return err
		}
		form.Refused = ce.Unmet
		return pg.renderCase(w, r, p, http.StatusUnprocessableEntity, id, form, nil)
	}
	return back(w, r, "/cases/"+id, "concluded")
}
