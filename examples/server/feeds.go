package main

import (
	"errors"
	"net/http"
	"strings"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
)

// feedPrefix is where calendar subscriptions are served: /feeds/{token}.ics.
// The token is the credential, so the logs mask what follows.
const feedPrefix = respond.FeedPrefix

// feedByToken serves a judge's calendar feed to a calendar app, without a
// session: the secret token in the path is the credential. Anything but a
// current token is 404, and nothing here logs the path.
func (a *app) feedByToken(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, feedPrefix), ".ics")
	if !ok {
		token = ""
	}
	b, err := a.desk.FeedByToken(r.Context(), token)
	if err != nil {
		if !errors.Is(err, enforcement.ErrNotFound) {
			a.log.ErrorContext(r.Context(), "feed failed", "path", logPath(r.URL.Path), "err", err)
		}
		row := respond.Lookup(err)
		if row.Status != http.StatusNotFound {
			row = respond.Lookup(errors.New("internal"))
		}
		respond.JSON(w, row.Status, respond.ErrorBody{Error: respond.ErrorDetail{Code: row.Code, MessageZh: row.Message}})
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write(b)
}
