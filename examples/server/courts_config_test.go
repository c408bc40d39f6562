package main

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestParseConfig_Courts: -courts takes a JSON array or a file; every
// problem of the list is reported at once; without it the single-court
// flags make the one court.
func TestParseConfig_Courts(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	const two = `[{"code":"沪01","name":"上海市第一中级人民法院","signature":"【上海一中院】","area":["310104"]},
		{"code":"沪0115","name":"上海市浦东新区人民法院","signature":"【浦东法院】","area":["310115"]},
		{"code":"沪高","name":"上海市高级人民法院","high":true}]`

	cfg, err := parseConfig([]string{"-courts", two}, env(nil))
	require.NoError(t, err)
	cs, err := cfg.courts()
	require.NoError(t, err)
	require.Len(t, cs, 3)
	require.Equal(t, "沪0115", cs[1].Code)
	require.Equal(t, "诉讼服务热线12368", cs[1].Contact, "contact defaults to -contact")
	require.True(t, cs[2].High)

	file := filepath.Join(t.TempDir(), "courts.json")
	require.NoError(t, os.WriteFile(file, []byte(two), 0o600))
	cfg, err = parseConfig(nil, env(map[string]string{"ZHIXING_COURTS": file}))
	require.NoError(t, err)
	cs, err = cfg.courts()
	require.NoError(t, err)
	require.Len(t, cs, 3)

	cfg, err = parseConfig([]string{"-court-code", "沪02", "-court-name", "上海市第二中级人民法院"}, env(nil))
	require.NoError(t, err)
	cs, err = cfg.courts()
	require.NoError(t, err)
	require.Len(t, cs, 1, "without -courts the flags make one court")
	require.Equal(t, "沪02", cs[0].Code)

	for _, tt := range []struct{ name, in, want string }{
		{"not JSON", `[{"code":`, "-courts"},
		{"unknown field", `[{"code":"沪01","name":"一中院","signature":"【一中院】","seal":"x"}]`, "unknown field"},
		{"no code", `[{"name":"一中院","signature":"【一中院】"}]`, "no code"},
		{"no name", `[{"code":"沪01","signature":"【一中院】"}]`, "no name"},
		{"no signature", `[{"code":"沪01","name":"一中院"}]`, "no SMS signature"},
		{"twice", `[{"code":"沪01","name":"一中院","signature":"【一中院】"},{"code":"沪01","name":"又一","signature":"【又】"}]`, "listed twice"},
		{"area of two courts", `[{"code":"沪01","name":"一中院","signature":"【一中院】","area":["310115"]},{"code":"沪0115","name":"浦东","signature":"【浦东】","area":["310115"]}]`, "already in the area"},
		{"division without head", `[{"code":"沪01","name":"一中院","signature":"【一中院】","divisions":[{"name":"执行一庭"}]}]`, "has no head"},
		{"only a high court", `[{"code":"沪高","name":"高院","high":true}]`, "only high courts"},
		{"empty", `[]`, "no court listed"},
		{"missing file", `/nonexistent/courts.json`, "read /nonexistent/courts.json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig([]string{"-courts", tt.in}, env(nil))
			require.ErrorContains(t, err, tt.want)
		})
	}
	// Every problem at once.
	_, err = parseConfig([]string{"-courts", `[{"code":"沪01"},{"code":"沪01","name":"x"}]`}, env(nil))
	require.ErrorContains(t, err, "no name")
	require.ErrorContains(t, err, "listed twice")
	require.ErrorContains(t, err, "no SMS signature")
}

// TestServer_CourtsFromConfig: with -courts and no demo, the chief's
// password makes a chief for each court that takes cases (chief, then
// chief-<code>), each signing in to their own court; the high court gets
// none and takes no filing.
func TestServer_CourtsFromConfig(t *testing.T) {
	e := startWith(t, backends(t)[0], func(c *config) {
		c.Demo = false
		c.ChiefPassword = "demo-chief"
		c.Courts = `[{"code":"沪02","name":"上海市第二中级人民法院","signature":"【上海二中院】","area":["310106"]},
			{"code":"沪0104","name":"上海市徐汇区人民法院","signature":"【徐汇法院】","area":["310104"]},
			{"code":"沪高","name":"上海市高级人民法院","high":true}]`
	})
	require.Equal(t, "沪02", e.app.desk.DefaultCourt())
	require.Equal(t, []string{"沪02", "沪0104"}, e.app.desk.CaseCourts())
	c, ok := e.app.desk.CourtOf("沪0104")
	require.True(t, ok)
	require.Equal(t, "上海市徐汇区人民法院", c.Name)
	for id, court := range map[string]string{"chief": "沪02", "chief-沪0104": "沪0104"} {
		u, _, err := e.app.desk.GetUser(t.Context(), id)
		require.NoError(t, err)
		require.Equal(t, court, u.Court)
		var me struct{ Principal struct{ Court string } }
		require.Equal(t, http.StatusOK, loginAs(e, id, "demo-chief").do("GET", "/api/v1/me", nil, &me))
		require.Equal(t, court, me.Principal.Court)
	}
	_, _, err := e.app.desk.GetUser(t.Context(), "chief-沪高")
	require.Error(t, err, "a high court has no cases and gets no chief")

	// A chief files for their own court only: a number of another court
	// is refused at the number.
	chief := loginAs(e, "chief-沪0104", "demo-chief")
	body := newCaseBody(1)
	st, raw := chief.raw("POST", "/api/v1/cases", body)
	require.Equal(t, http.StatusBadRequest, st, "%s", raw)
	require.Contains(t, string(raw), "court_mismatch")
}

// loginAs signs user id in with password.
func loginAs(e *env, id, password string) *client {
	e.t.Helper()
	var s struct{ Token string }
	require.Equal(e.t, http.StatusOK, e.anon().do("POST", "/api/v1/auth/login", map[string]string{"user_id": id, "password": password}, &s))
	return &client{e: e, token: s.Token}
}
