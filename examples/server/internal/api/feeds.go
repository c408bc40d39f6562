package api

import (
	"net/http"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// FeedSubscription is a judge's calendar subscription (日历订阅). Token,
// Path and URL are given only in the answer to a rotation: the server
// keeps a hash of the token and cannot show it again.
type FeedSubscription struct {
	Active    bool   `json:"active"`
	CreatedAt Time   `json:"created_at,omitzero"`
	Token     string `json:"token,omitempty"`
	Path      string `json:"path,omitempty"`
	URL       string `json:"url,omitempty"`
}

func feedOut(s desk.FeedSubscription) FeedSubscription {
	return FeedSubscription{Active: s.Active, CreatedAt: timeOf(s.CreatedAt)}
}

// FeedURL is the absolute URL of path on the server r reached.
func FeedURL(r *http.Request, path string) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

func (h *API) feedStatus() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (FeedSubscription, error) {
		s, err := h.desk.FeedStatus(r.Context(), p)
		return feedOut(s), err
	})
}

func (h *API) rotateFeed() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (FeedSubscription, error) {
		tok, s, err := h.desk.RotateFeedToken(r.Context(), p)
		if err != nil {
			return FeedSubscription{}, err
		}
		out := feedOut(s)
		out.Token, out.Path, out.URL = tok, desk.FeedPath(tok), FeedURL(r, desk.FeedPath(tok))
		return out, nil
	})
}

func (h *API) revokeFeed() handlerFunc {
	return handle(http.StatusOK, func(r *http.Request, p *desk.Principal, _ struct{}) (FeedSubscription, error) {
		return FeedSubscription{}, h.desk.RevokeFeedToken(r.Context(), p)
	})
}
