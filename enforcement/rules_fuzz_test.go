package enforcement_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
)

func FuzzLoadRules(f *testing.F) {
	// The embedded default set: valid.
	f.Add(enforcement.DefaultRulesJSON())
	// A minimal valid set.
	f.Add([]byte(`{"name":"本院","rules":[{"key":"a","title":"测试","trigger":{"node":"filing"},"period":"10d","counting":"cal","owner":"handler","severity":"info","level":"local","status":"V","enabled":true,"basis":"本院规定第一条"}]}`))
	// Empty lists and options, which must round-trip as absent.
	f.Add([]byte(`{"name":"x","options":{"deduct":{}},"rules":[{"key":"a","title":"t","trigger":{"node":"filing","measures":[]},"completed_by":[],"period":"1m","counting":"month","owner":"court","severity":"warning","level":"law","status":"S","enabled":false,"basis":"b"}]}`))
	// Effective-dated versions.
	f.Add([]byte(`{"name":"x","rules":[{"key":"a","version":"old","until":"2015-02-04","title":"t","trigger":{"measures":["freeze"],"property":["deposit"]},"period":"6m","counting":"month","expiry":true,"owner":"handler","severity":"critical","level":"judicial_interpretation","status":"U","enabled":false,"basis":"b"},{"key":"a","from":"2015-02-04","title":"t","trigger":{"measures":["freeze"],"property":["deposit"]},"period":"1y","counting":"year","expiry":true,"owner":"handler","severity":"critical","level":"judicial_interpretation","status":"V","enabled":true,"basis":"b"}]}`))
	// Invalid: a derived loop, a bad period, syntax errors.
	f.Add([]byte(`{"name":"x","rules":[{"key":"a","title":"t","trigger":{"rules":["a"]},"period":"5d","counting":"before","owner":"handler","severity":"info","level":"local","status":"V","enabled":true,"basis":"b"}]}`))
	f.Add([]byte(`{"name":"x","rules":[{"key":"a","period":"10q"}]}`))
	f.Add([]byte(`{"name":`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := enforcement.LoadRules(bytes.NewReader(data))
		if err != nil {
			require.Nil(t, s)
			require.ErrorIs(t, err, enforcement.ErrInvalidRules)
			return
		}
		require.NoError(t, s.Validate())
		b, err := enforcement.MarshalRules(s)
		require.NoError(t, err)
		again, err := enforcement.LoadRules(bytes.NewReader(b))
		require.NoError(t, err, "%s", b)
		require.Equal(t, s, again)
	})
}
