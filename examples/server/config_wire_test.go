package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/notify"
)

func TestParseConfig_DigestAtDivisionsPushToken(t *testing.T) {
	t.Parallel()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	cfg, err := parseConfig(nil, env(nil))
	require.NoError(t, err)
	require.Equal(t, notify.DigestSchedule{Hour: 8, Minute: 30}, cfg.Digest, "default 08:30")

	cfg, err = parseConfig([]string{"-digest-at", "07:45"}, env(nil))
	require.NoError(t, err)
	require.Equal(t, notify.DigestSchedule{Hour: 7, Minute: 45}, cfg.Digest)

	for _, bad := range []string{"8", "25:00", "08:3", "08:60", "x:y"} {
		_, err = parseConfig([]string{"-digest-at", bad}, env(nil))
		require.Error(t, err, bad)
	}

	cfg, err = parseConfig(nil, env(map[string]string{"ZHIXING_DIVISIONS": `[{"name":"执行一庭","head":"zhao","judges":["li","zhang"]}]`}))
	require.NoError(t, err)
	ds, err := cfg.divisions()
	require.NoError(t, err)
	require.Equal(t, []desk.Division{{Name: "执行一庭", Head: "zhao", Judges: []string{"li", "zhang"}}}, ds)
	_, err = parseConfig(nil, env(map[string]string{"ZHIXING_DIVISIONS": `[{"name":"执行一庭","judges":["li"]}]`}))
	require.Error(t, err, "a division needs a head")
	_, err = parseConfig(nil, env(map[string]string{"ZHIXING_DIVISIONS": `{`}))
	require.Error(t, err)

	aliyun := map[string]string{"ZHIXING_SMS": "aliyun", "ZHIXING_ALIYUN_ACCESS_KEY_ID": "k", "ZHIXING_ALIYUN_ACCESS_KEY_SECRET": "s",
		"ZHIXING_ALIYUN_SIGN_NAME": "n", "ZHIXING_ALIYUN_TEMPLATES": "{}", "ZHIXING_ALIYUN_PUSH_TOKEN": "short"}
	_, err = parseConfig(nil, env(aliyun))
	require.Error(t, err, "a push token shorter than 16 characters")
	aliyun["ZHIXING_ALIYUN_PUSH_TOKEN"] = pushToken
	cfg, err = parseConfig(nil, env(aliyun))
	require.NoError(t, err)
	require.Equal(t, pushToken, cfg.AliyunPushToken)
}
