package sqlstore

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWithoutMembers(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{`{"v":1,"id":"a","steps":[{"text":"x]}\"y"}],"calc_basis":["《法》"],"status":"open"}`, `{"v":1,"id":"a","status":"open"}`, true},
		{`{"steps":[],"id":"a"}`, `{"id":"a"}`, true},
		{`{"id":"a","steps":{"a":[1,{"b":"}"}]}}`, `{"id":"a"}`, true},
		{` { "id" : "a" , "steps" : [ 1 , 2 ] , "n" : -1.5e3 } `, `{"id" : "a","n" : -1.5e3}`, true},
		{`{}`, `{}`, true},
		{`{"steps":[]}`, `{}`, true},
		{`[1]`, ``, false},
		{`{"id":"a",}`, ``, false},
		{`{"id":"a"`, ``, false},
		{`{"id":"a"}x`, ``, false},
		{`{"id" "a"}`, ``, false},
		{`{"steps":["unterminated}`, ``, false},
		{`{id:"a"}`, ``, false},
	} {
		got, ok := withoutMembers([]byte(tt.in), "steps", "calc_basis")
		require.Equal(t, tt.ok, ok, tt.in)
		if ok {
			require.Equal(t, tt.want, string(got), tt.in)
		}
	}
}

// FuzzWithoutMembers: whatever it is given, withoutMembers never panics,
// and what it returns for a valid object is valid JSON holding the same
// members less the dropped ones.
func FuzzWithoutMembers(f *testing.F) {
	for _, s := range []string{
		`{"v":1,"id":"a","steps":[{"code":"rule","text":"规则"}],"calc_basis":["x"],"warnings":["2025-02-14"],"status":"open"}`,
		`{"steps":null,"a":{"steps":1}}`, `{"a":"\\\"steps\\\""}`, `{}`, `{"a":[[[]]]}`, `{"a":true,"b":false,"c":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, ok := withoutMembers(b, "steps", "calc_basis")
		var in map[string]any
		if !ok || json.Unmarshal(b, &in) != nil {
			return
		}
		var got map[string]any
		require.NoError(t, json.Unmarshal(out, &got), "%q -> %q", b, out)
		// Names are compared as written: an escaped one is kept.
		for _, m := range []map[string]any{in, got} {
			delete(m, "steps")
			delete(m, "calc_basis")
		}
		require.Equal(t, in, got, "%q -> %q", b, out)
	})
}
