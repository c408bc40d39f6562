package desk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/courtkit/zhixing/examples/server/internal/serverdb"

	"golang.org/x/crypto/bcrypt"

	"github.com/courtkit/zhixing/enforcement"
)

// Role is what a signed-in Principal is.
type Role string

// Roles.
const (
	RoleParty Role = "party" // 当事人, signed in with case number and query code
	RoleJudge Role = "judge" // 承办法官
	RoleChief Role = "chief" // 执行局长
)

// Principal is who makes a request.
type Principal struct {
	Role   Role   `json:"role"`
	UserID string `json:"user_id,omitempty"`
	Name   string `json:"name,omitempty"`
	// Court is the code of the principal's court: a user's own, or the
	// court of a party's case. Empty means the desk's default court (see
	// Desk.CourtFor).
	Court  string `json:"court,omitempty"`
	CaseID string `json:"case_id,omitempty"` // party: the one case they may see
	// PartyID is the party a party's session signed in as, with that
	// party's own query code; "" for a case-level code (reading only).
	PartyID string `json:"party_id,omitempty"`
	// ActingUntil is until when the party's session may act for it (a
	// one-time code was confirmed); see RequestOTP.
	ActingUntil time.Time `json:"-"`
	// Session identifies the session (its token's hash), to bind one-time
	// codes to it.
	Session string `json:"-"`
	// Addr is the client's address, filled in by the front end for each
	// request; it goes on the audit log.
	Addr string `json:"-"`
}

// Actor is how p is recorded on what they do.
func (p *Principal) Actor() string {
	if p == nil {
		return ""
	}
	if p.Role == RoleParty {
		if p.PartyID != "" {
			return "party:" + p.PartyID
		}
		return "party"
	}
	return p.UserID
}

// User is a court User: a judge or the chief.
type User struct {
	ID     string `json:"id"`
	Court  string `json:"court"`
	Role   Role   `json:"role"`
	Name   string `json:"name"`
	Mobile string `json:"mobile,omitempty"`
}

// CreateUser stores a User with a bcrypt hash of password. An existing ID is
// a conflict.
func (d *Desk) CreateUser(ctx context.Context, u User, password string) error {
	var in InputError
	if strings.TrimSpace(u.ID) == "" {
		in.Add("id", "required", "必填项")
	}
	if u.Role != RoleJudge && u.Role != RoleChief {
		in.Add("role", "unknown_value", "角色的取值无法识别，应为法官或执行局长")
	}
	if strings.TrimSpace(u.Name) == "" {
		in.Add("name", "required", "必填项")
	}
	if len(password) < 8 || len(password) > 72 {
		in.Add("password", "bad_length", "密码长度须为8至72个字符")
	}
	if u.Mobile != "" {
		m, err := enforcement.NormaliseMobile(u.Mobile)
		if err != nil {
			in.Add("mobile", "invalid_mobile", "手机号码格式有误")
		}
		u.Mobile = m
	}
	if err := in.Err(); err != nil {
		return err
	}
	cost := d.BcryptCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	if err != nil {
		return err
	}
	res, err := d.DB.Exec(ctx, `INSERT INTO server_users (id, court, role, name, mobile, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		u.ID, u.Court, string(u.Role), u.Name, u.Mobile, string(hash), d.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("User %s: %w", u.ID, enforcement.ErrConflict)
	}
	d.forgetStaff()
	return nil
}

// GetUser returns user id and the bcrypt hash of their password.
func (d *Desk) GetUser(ctx context.Context, id string) (User, string, error) {
	var u User
	var role, hash string
	err := d.DB.QueryRow(ctx, `SELECT id, court, role, name, mobile, password_hash FROM server_users WHERE id = ?`, id).
		Scan(&u.ID, &u.Court, &role, &u.Name, &u.Mobile, &hash)
	if serverdb.IsNoRows(err) {
		return User{}, "", fmt.Errorf("User %s: %w", id, enforcement.ErrNotFound)
	}
	u.Role = Role(role)
	return u, hash, err
}

// ListUsers lists the users of court; "" lists the users of every court.
func (d *Desk) ListUsers(ctx context.Context, court string) ([]User, error) {
	q, args := `SELECT id, court, role, name, mobile FROM server_users`, []any{}
	if court != "" {
		q, args = q+` WHERE court = ?`, append(args, court)
	}
	rows, err := d.DB.Query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []User{}
	for rows.Next() {
		var u User
		var role string
		if err := rows.Scan(&u.ID, &u.Court, &role, &u.Name, &u.Mobile); err != nil {
			return nil, err
		}
		u.Role = Role(role)
		out = append(out, u)
	}
	return out, rows.Err()
}

// CountUsers counts the users of every court.
func (d *Desk) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := d.DB.QueryRow(ctx, `SELECT COUNT(*) FROM server_users`).Scan(&n)
	return n, err
}
