package pages

import (
	"net/http"
	"strings"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// withdraw withdraws a node or a measure recorded by mistake, as POST
// /api/v1/cases/{id}/nodes/{nid}/withdraw and
// /api/v1/cases/{id}/measures/{mid}/withdraw do; path value key names it.
// The due items it changed are listed on the case page.
func (pg *pages) withdraw(key string) func(http.ResponseWriter, *http.Request, *desk.Principal) error {
	return func(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
		id, rid := r.PathValue("id"), r.PathValue(key)
		name := "withdraw:" + rid
		var ie desk.InputError
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		if reason == "" {
			ie.Add("reason", "required", "请填写撤回理由")
		}
		if err := ie.Err(); err != nil {
			return pg.posted(w, r, p, name, "", nil, nil, err)
		}
		before, err := pg.desk.Get(r.Context(), p, id)
		if err != nil {
			return err
		}
		after, err := pg.desk.Withdraw(r.Context(), p, id, rid, reason)
		var moved []string
		if err == nil {
			moved = movedDue(before, after)
		}
		return pg.posted(w, r, p, name, "withdrawn", nil, moved, err)
	}
}
