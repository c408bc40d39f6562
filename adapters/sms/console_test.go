package sms_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/adapters/sms"
	"github.com/courtkit/zhixing/notify"
)

func TestMaskMobile(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{"+8613812345678", "+86*******5678"},
		{"01012345", "01****45"},
		{"12345", "*****"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, sms.MaskMobile(tt.in))
		})
	}
}

func TestMaskIDNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"digit check character", "身份证号110101199003071234。", "身份证号110***********1234。"},
		{"X check character", "id 11010119900307123X end", "id 110***********123X end"},
		{"lower-case x", "11010119900307123x", "110***********123x"},
		{"two numbers", "110101199003071234,440301198001010016", "110***********1234,440***********0016"},
		{"longer digit run is not an ID", "1101011990030712345", "1101011990030712345"},
		{"17 digits is not an ID", "11010119900307123", "11010119900307123"},
		{"case number untouched", "(2026)京0105执123号", "(2026)京0105执123号"},
		{"mobile untouched", "联系电话13812345678", "联系电话13812345678"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, sms.MaskIDNumbers(tt.in))
		})
	}
}

func TestMaskCodes(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"query code in a filing text", "凭身份证号及查询码K7Q2X9可登录", "凭身份证号及查询码******可登录"},
		{"one-time code with a colon", "您的验证码：483920，5分钟内有效", "您的验证码：******，5分钟内有效"},
		{"code after 为", "动态码为 123456。", "动态码为 ******。"},
		{"log field", `query_code="AB12CD"`, `query_code="******"`},
		{"no code", "承办法官王明，联系电话12368", "承办法官王明，联系电话12368"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, sms.MaskCodes(tt.in))
		})
	}
}

func TestMaskText(t *testing.T) {
	t.Parallel()
	require.Equal(t, "手机139****5678，身份证110***********1234，查询码******",
		sms.MaskText("手机13912345678，身份证110101199003071234，查询码K7Q2X9"))
	require.Equal(t, "12013912345678901", sms.MaskText("12013912345678901"), "a longer run of digits is not a mobile number")
}

func TestConsole_Send(t *testing.T) {
	t.Parallel()
	o := notify.Outgoing{
		IdempotencyKey: "case-1/filing/applicant", To: "13812345678",
		Body: "【某某法院】申请人110101199003071234您好，凭查询码K7Q2X9查询，验证码：483920，联系13912345678", Template: "filing.applicant", Segments: 1,
	}

	t.Run("Writer", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		c := &sms.Console{W: &buf}
		r, err := c.Send(t.Context(), o)
		require.NoError(t, err)
		require.Equal(t, "console", r.Gateway)
		require.Equal(t, sms.ConsoleID(o.IdempotencyKey), r.ProviderID)
		out := buf.String()
		require.Contains(t, out, "to=138****5678")
		require.Contains(t, out, "110***********1234")
		require.NotContains(t, out, "13812345678")
		require.NotContains(t, out, "110101199003071234")
		for _, secret := range []string{"K7Q2X9", "483920", "13912345678"} {
			require.NotContains(t, out, secret)
		}
		require.Contains(t, out, "查询码******")

		again, err := c.Send(t.Context(), o)
		require.NoError(t, err)
		require.Equal(t, r, again, "a retry gets the same provider ID")
	})

	t.Run("Logger", func(t *testing.T) {
		t.Parallel()
		var buf bytes.Buffer
		c := &sms.Console{Logger: slog.New(slog.NewTextHandler(&buf, nil)), Name: "dev"}
		r, err := c.Send(t.Context(), o)
		require.NoError(t, err)
		require.Equal(t, "dev", r.Gateway)
		out := buf.String()
		require.Contains(t, out, "to=138****5678")
		for _, secret := range []string{"13812345678", "110101199003071234", "K7Q2X9", "483920", "13912345678"} {
			require.False(t, strings.Contains(out, secret), out)
		}
	})

	t.Run("DistinctKeysDistinctIDs", func(t *testing.T) {
		t.Parallel()
		require.NotEqual(t, sms.ConsoleID("a"), sms.ConsoleID("b"))
	})
}
