package notify_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/notify"
)

func TestMaskIDNumber(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"GB11643 18-digit ID", "310101199001011234", "310***********1234"},
		{"GB11643 check char X", "31010119900101123X", "310***********123X"},
		{"first-generation 15-digit ID", "310101900101123", "310********1123"},
		{"short input keeps only its last quarter", "1234567", "******7"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, notify.MaskIDNumber(tt.in))
		})
	}
}

func TestMaskName(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"two-character name", "张三", "张*"},
		{"three-character name", "张三明", "张*明"},
		{"compound surname", "欧阳小明", "欧**明"},
		{"transliterated name", "买买提·艾力", "买****力"},
		{"single character kept", "张", "张"},
		{"company shown in full", "上海某某贸易有限公司", "上海某某贸易有限公司"},
		{"bank branch shown in full", "某某银行上海分行", "某某银行上海分行"},
		{"law firm shown in full", "上海某某律师事务所", "上海某某律师事务所"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, notify.MaskName(tt.in))
		})
	}
}

func TestMaskMobile(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"mainland mobile", "13812345678", "138****5678"},
		{"with +86", "+8613812345678", "+86138****5678"},
		{"with 86", "8613812345678", "86138****5678"},
		{"11-digit landline masked like a mobile", "02112345678", "021****5678"},
		{"not a number", "abcd", "***d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, notify.MaskMobile(tt.in))
		})
	}
}

func TestMaskAmount(t *testing.T) {
	t.Parallel()
	require.Equal(t, "**,***.**元", notify.MaskAmount("12,345.00元"))
	require.Equal(t, "", notify.MaskAmount(""))
}
