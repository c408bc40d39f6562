package desk_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/planning"
)

// province is a deployment of two courts that take cases and a high court.
func province(t *testing.T) *desk.Desk {
	t.Helper()
	d := &desk.Desk{}
	require.NoError(t, d.SetCourts([]desk.Court{
		{Code: "沪高", Name: "上海市高级人民法院", High: true},
		{Code: "沪01", Name: "上海市第一中级人民法院", Signature: "【上海一中院】", Area: []string{"310104", "310112"}, Leaders: []string{"chief"}},
		{Code: "沪0115", Name: "上海市浦东新区人民法院", Signature: "【浦东法院】", Area: []string{"310115"}},
	}))
	return d
}

func TestDesk_CourtRegistry(t *testing.T) {
	t.Parallel()
	d := province(t)
	require.Equal(t, "沪01", d.DefaultCourt(), "the first court that takes cases")
	require.Equal(t, []string{"沪01", "沪0115"}, d.CaseCourts())
	require.Len(t, d.Courts(), 3)
	require.Equal(t, "沪01", d.CourtFor(nil))
	require.Equal(t, "沪0115", d.CourtFor(&desk.Principal{Court: "沪0115"}))
	require.Equal(t, "沪01", d.CourtFor(&desk.Principal{}), "a principal without a court is the default court's")
	require.Equal(t, "上海市浦东新区人民法院", d.CourtName("沪0115"))
	require.Equal(t, "沪99", d.CourtName("沪99"))

	c, ok := d.CourtOf("沪01")
	require.True(t, ok)
	c.Leaders[0] = "changed"
	c2, _ := d.CourtOf("沪01")
	require.Equal(t, "chief", c2.Leaders[0], "CourtOf returns a copy")
	_, ok = d.CourtOf("沪99")
	require.False(t, ok)

	ac, ok := d.AreaCourt("310115")
	require.True(t, ok)
	require.Equal(t, "沪0115", ac.Code)
	_, ok = d.AreaCourt("320508")
	require.False(t, ok)
}

func TestDesk_EntrustHint(t *testing.T) {
	t.Parallel()
	d := province(t)
	tests := []struct {
		name, court, division string
		want                  string // "" for no hint
		wantCourt             string
	}{
		{"own area", "沪01", "310104", "", ""},
		{"no district", "沪01", "", "", ""},
		{"another court's area", "沪01", "310115", "该地点属上海市浦东新区人民法院辖区，可考虑执行事项委托", "沪0115"},
		{"the other way", "沪0115", "310112", "该地点属上海市第一中级人民法院辖区，可考虑执行事项委托", "沪01"},
		{"no court of the deployment", "沪01", "320508", "该地点（苏州市姑苏区）不在本院辖区，可考虑委托当地法院办理（执行事项委托）", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e, ok := d.EntrustHint(tt.court, planning.Place{Division: tt.division})
			require.Equal(t, tt.want != "", ok)
			require.Equal(t, tt.want, e.Hint)
			require.Equal(t, tt.wantCourt, e.Court)
			require.Equal(t, tt.want == "", d.InArea(tt.court, tt.division))
		})
	}
}

func TestValidateCourts(t *testing.T) {
	t.Parallel()
	require.NoError(t, desk.ValidateCourts([]desk.Court{{Code: "沪01", Name: "一中院"}}))
	err := desk.ValidateCourts([]desk.Court{
		{Code: "沪01", Name: "一中院", Area: []string{"310115"}},
		{Code: "沪01", Name: ""},
		{Code: " 沪02", Name: "二中院", Area: []string{"310115"}, Divisions: []desk.Division{{Name: "执行一庭"}}},
	})
	require.Error(t, err)
	for _, want := range []string{"listed twice", "no name", "already in the area", "spaces", "has no head"} {
		require.ErrorContains(t, err, want)
	}
	require.ErrorContains(t, desk.ValidateCourts(nil), "no court listed")
	require.ErrorContains(t, desk.ValidateCourts([]desk.Court{{Code: "沪高", Name: "高院", High: true}}), "only high courts")
	d := &desk.Desk{}
	require.Error(t, d.SetCourts(nil))
}
