package pages

import (
	"net/http"
	"time"

	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// feedRevealCookie carries a new feed token from the rotation to the page
// it redirects to, which shows it once and clears it: the token never
// appears in a URL (or a log), and the server keeps only its hash.
const feedRevealCookie = "zhixing_feed_reveal"

// feedFlashes are the notices after a rotation and a revocation.
var feedFlashes = map[string]string{
	"feed_rotated": "已生成新的订阅地址，旧地址已失效。",
	"feed_revoked": "已停止订阅，原订阅地址已失效。",
}

// feedView is the calendar subscription page.
type feedView struct {
	Active    bool
	CreatedAt time.Time
	// NewURL is the new subscription URL, shown once after a rotation.
	NewURL string
}

// feedPage shows the signed-in judge's calendar subscription.
func (pg *pages) feedPage(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	s, err := pg.desk.FeedStatus(r.Context(), p)
	if err != nil {
		return err
	}
	v := feedView{Active: s.Active, CreatedAt: s.CreatedAt}
	if c, err := r.Cookie(feedRevealCookie); err == nil && len(c.Value) == desk.FeedTokenLen && s.Active {
		v.NewURL = api.FeedURL(r, desk.FeedPath(c.Value))
	}
	http.SetCookie(w, pg.revealCookie(r, "", -1))
	return pg.render(w, r, http.StatusOK, "feed", page{Title: "日历订阅", Nav: "week", Data: v})
}

func (pg *pages) revealCookie(r *http.Request, token string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: feedRevealCookie, Value: token, Path: "/settings/feed", HttpOnly: true,
		Secure: pg.auth.Secure || r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: maxAge}
}

// rotateFeed makes a new subscription URL; the page after the redirect
// shows it once.
func (pg *pages) rotateFeed(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	tok, _, err := pg.desk.RotateFeedToken(r.Context(), p)
	if err != nil {
		return err
	}
	http.SetCookie(w, pg.revealCookie(r, tok, 120))
	http.Redirect(w, r, "/settings/feed?ok=feed_rotated", http.StatusSeeOther)
	return nil
}

// revokeFeed ends the subscription.
func (pg *pages) revokeFeed(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	if err := pg.desk.RevokeFeedToken(r.Context(), p); err != nil {
		return err
	}
	http.SetCookie(w, pg.revealCookie(r, "", -1))
	http.Redirect(w, r, "/settings/feed?ok=feed_revoked", http.StatusSeeOther)
	return nil
}
