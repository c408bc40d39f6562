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

func TestConsole_Send(t *testing.T) {
	t.Parallel()
	o := notify.Outgoing{
		IdempotencyKey: "case-1/filing/applicant", To: "13812345678",
		Body: "【某某法院】申请人110101199003071234您好", Template: "filing.applicant", Segments: 1,
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
		require.False(t, strings.Contains(out, "13812345678") || strings.Contains(out, "110101199003071234"), out)
	})

	t.Run("DistinctKeysDistinctIDs", func(t *testing.T) {
		t.Parallel()
		require.NotEqual(t, sms.ConsoleID("a"), sms.ConsoleID("b"))
	})
}
