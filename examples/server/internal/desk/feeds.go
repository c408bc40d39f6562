package desk

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/serverdb"
)

// Audit actions of calendar subscriptions. The entries name the user, never
// the token.
const (
	ActionFeedRotated = "feed_rotated"
	ActionFeedRevoked = "feed_revoked"
)

// A feed token is feedIDLen hex digits of row ID, then feedSecretLen hex
// digits of secret.
const (
	feedIDLen     = 16
	feedSecretLen = 64
	// FeedTokenLen is the length of a feed token.
	FeedTokenLen = feedIDLen + feedSecretLen
)

// FeedPath is the path of the calendar feed of token: /feeds/{token}.ics.
func FeedPath(token string) string { return "/feeds/" + token + ".ics" }

// FeedSubscription is the state of a user's calendar subscription.
type FeedSubscription struct {
	Active    bool
	CreatedAt time.Time // when the current token was made; zero when none
}

func randomHex(n int) string {
	b := make([]byte, n/2)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// FeedStatus says whether the signed-in judge has a calendar subscription.
func (d *Desk) FeedStatus(ctx context.Context, p *Principal) (FeedSubscription, error) {
	if err := Need(p, RoleJudge); err != nil {
		return FeedSubscription{}, err
	}
	var at int64
	err := d.DB.QueryRow(ctx, `SELECT created_at FROM server_feed_tokens WHERE user_id = ? AND court = ?`, p.UserID, d.CourtFor(p)).Scan(&at)
	if serverdb.IsNoRows(err) {
		return FeedSubscription{}, nil
	}
	if err != nil {
		return FeedSubscription{}, err
	}
	return FeedSubscription{Active: true, CreatedAt: time.Unix(at, 0)}, nil
}

// RotateFeedToken makes a new calendar subscription token for the
// signed-in judge and returns it; the old one, if any, stops working at
// once. The token is returned this once: only a hash of it is stored.
func (d *Desk) RotateFeedToken(ctx context.Context, p *Principal) (string, FeedSubscription, error) {
	if err := Need(p, RoleJudge); err != nil {
		return "", FeedSubscription{}, err
	}
	id, secret := randomHex(feedIDLen), randomHex(feedSecretLen)
	now := d.Now()
	// The user's row is replaced in one statement (portable SQL, no
	// upsert), so two rotations at once leave one token, the later's; the
	// first rotation inserts it, and user_id's uniqueness refuses a second
	// concurrent insert.
	res, err := d.DB.Exec(ctx, `UPDATE server_feed_tokens SET id = ?, court = ?, secret_hash = ?, created_at = ? WHERE user_id = ?`,
		id, d.CourtFor(p), hashSecret(secret), now.Unix(), p.UserID)
	if err != nil {
		return "", FeedSubscription{}, fmt.Errorf("feed token of %s: %w", p.UserID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := d.DB.Exec(ctx, `INSERT INTO server_feed_tokens (id, user_id, court, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
			id, p.UserID, d.CourtFor(p), hashSecret(secret), now.Unix()); err != nil {
			return "", FeedSubscription{}, fmt.Errorf("feed token of %s: %w", p.UserID, err)
		}
	}
	d.record(ctx, p, enforcement.AuditEntry{Action: ActionFeedRotated, Target: p.UserID})
	return id + secret, FeedSubscription{Active: true, CreatedAt: time.Unix(now.Unix(), 0)}, nil
}

// RevokeFeedToken ends the signed-in judge's calendar subscription: its
// URL answers 404 from now on. Revoking when there is none is not an error.
func (d *Desk) RevokeFeedToken(ctx context.Context, p *Principal) error {
	if err := Need(p, RoleJudge); err != nil {
		return err
	}
	res, err := d.DB.Exec(ctx, `DELETE FROM server_feed_tokens WHERE user_id = ?`, p.UserID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		d.record(ctx, p, enforcement.AuditEntry{Action: ActionFeedRevoked, Target: p.UserID})
	}
	return nil
}

// FeedByToken returns the iCalendar feed (see Feed) of the judge whose
// calendar subscription token is token. A token that is malformed,
// unknown, rotated, revoked, of another court, or of a user who is no
// longer a judge is enforcement.ErrNotFound, whatever the reason. The
// secret is compared in constant time; the lookup is by the token's public
// ID.
func (d *Desk) FeedByToken(ctx context.Context, token string) ([]byte, error) {
	notFound := fmt.Errorf("feed: %w", enforcement.ErrNotFound) // never the token itself
	if len(token) != FeedTokenLen || strings.Trim(token, "0123456789abcdef") != "" {
		return nil, notFound
	}
	id, secret := token[:feedIDLen], token[feedIDLen:]
	var user, court, hash string
	err := d.DB.QueryRow(ctx, `SELECT user_id, court, secret_hash FROM server_feed_tokens WHERE id = ?`, id).Scan(&user, &court, &hash)
	if serverdb.IsNoRows(err) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(hash)) != 1 {
		return nil, notFound
	}
	if ok, err := d.IsJudgeOf(ctx, court, user); err != nil {
		return nil, err
	} else if !ok {
		return nil, notFound
	}
	return d.Feed(ctx, &Principal{Role: RoleJudge, UserID: user, Court: court}, user)
}
