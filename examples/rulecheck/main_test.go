package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

func TestRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	def := filepath.Join(dir, "default.json")
	require.NoError(t, os.WriteFile(def, enforcement.DefaultRulesJSON(), 0o600))
	enabledU := filepath.Join(dir, "enabled-u.json")
	rs := enforcement.DefaultRules().Clone()
	rs.Options.Enable = []string{"zhongben.database_update"}
	b, err := json.Marshal(rs)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(enabledU, b, 0o600))
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"embedded default set", nil, 0, []string{"case.limit", "2025-09-03", "第四百八十条", "停用", "U 未核实", "S 据二手文本", "V 已核对官方文本",
			"司法解释", "无未核实（U）规则启用", "不在施行期间", "（权利，期满后可行使）",
			"2025-09-03后", "2025-03-13前"}},
		{"default set from a file, trigger in the old seizure regime", []string{"-rules", def, "-trigger", "2014-06-02"}, 0,
			[]string{"seizure.deposit_expiry", "2005-01-01", "2014-12-02", "第二十九条"}},
		{"an enabled unverified rule fails the check", []string{"-rules", enabledU}, 1,
			[]string{"1 条未核实（U）的规则已启用", "zhongben.database_update@base"}},
		{"Interp485 seizure terms on a sample day", []string{"-trigger", "2024-02-29"}, 0,
			[]string{"seizure.deposit_expiry", "2025-02-28"}},
		{"broken file lists every problem", []string{"-rules", "testdata/broken.json"}, 1,
			[]string{"6 problems", "cycle", "unknown_node", "unknown_property", "no_basis", "bad_period", "duplicate"}},
		{"missing file", []string{"-rules", filepath.Join(dir, "nope.json")}, 2, nil},
		{"bad trigger date", []string{"-trigger", "2025-02-30"}, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			code := run(tt.args, &out, &errOut)
			require.Equal(t, tt.code, code, "stdout:\n%s\nstderr:\n%s", out.String(), errOut.String())
			for _, w := range tt.want {
				require.True(t, strings.Contains(out.String(), w), "output lacks %q:\n%s", w, out.String())
			}
		})
	}
}
