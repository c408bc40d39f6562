package notify_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/notify"
)

func TestSegments(t *testing.T) {
	t.Parallel()
	a := func(n int) string { return strings.Repeat("a", n) }
	zh := func(n int) string { return strings.Repeat("中", n) }
	tests := []struct {
		name string
		in   string
		want int
		enc  notify.Encoding
	}{
		{"empty text is nothing to send", "", 0, notify.GSM7},
		{"TS23.038 GSM-7 one char", "a", 1, notify.GSM7},
		{"TS23.040 GSM-7 single full at 160", a(160), 1, notify.GSM7},
		{"TS23.040 GSM-7 multipart at 161", a(161), 2, notify.GSM7},
		{"TS23.040 GSM-7 two parts full at 306", a(306), 2, notify.GSM7},
		{"TS23.040 GSM-7 three parts at 307", a(307), 3, notify.GSM7},
		{"TS23.038 extension brace counts double at 80", strings.Repeat("{", 80), 1, notify.GSM7},
		{"TS23.038 extension brace counts double at 81", strings.Repeat("{", 81), 2, notify.GSM7},
		{"TS23.038 extension euro counts double at 80", strings.Repeat("€", 80), 1, notify.GSM7},
		{"TS23.038 extension euro counts double at 81", strings.Repeat("€", 81), 2, notify.GSM7},
		{"TS23.038 every extension char", "^{}\\[~]|€\f", 1, notify.GSM7},
		{"TS23.038 extension 159 plus one", a(158) + "|", 1, notify.GSM7},
		{"TS23.038 extension 161 septets", a(159) + "|", 2, notify.GSM7},
		{"TS23.038 escape never split across parts", a(152) + "{" + a(152), 3, notify.GSM7},
		{"TS23.038 escape fits at part end", a(151) + "{" + a(153), 2, notify.GSM7},
		{"TS23.038 default alphabet accents and Greek", "éèùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà£¥@$_\n\r", 1, notify.GSM7},
		{"TS23.038 backtick is not GSM-7", "`", 1, notify.UCS2},
		{"TS23.038 control char is not GSM-7", "\t", 1, notify.UCS2},
		{"UCS-2 single full at 70", zh(70), 1, notify.UCS2},
		{"UCS-2 multipart at 71", zh(71), 2, notify.UCS2},
		{"UCS-2 two parts full at 134", zh(134), 2, notify.UCS2},
		{"UCS-2 three parts at 135", zh(135), 3, notify.UCS2},
		{"UCS-2 one Chinese char makes all UCS-2", a(69) + "中", 1, notify.UCS2},
		{"UCS-2 one Chinese char in 71", a(70) + "中", 2, notify.UCS2},
		{"UCS-2 full-width punctuation", "【上海一中院】", 1, notify.UCS2},
		{"UTF-16 emoji counts two at 70", strings.Repeat("😀", 35), 1, notify.UCS2},
		{"UTF-16 emoji counts two at 72", strings.Repeat("😀", 36), 2, notify.UCS2},
		{"UTF-16 surrogate pair never split across parts", zh(66) + "😀" + zh(66), 3, notify.UCS2},
		{"UTF-16 surrogate pair fits at part end", zh(65) + "😀" + zh(67), 2, notify.UCS2},
		{"invalid UTF-8 byte sent as U+FFFD", "\xff", 1, notify.UCS2},
		{"invalid UTF-8 bytes count one each", strings.Repeat("\xff", 71), 2, notify.UCS2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, enc := notify.Segments(tt.in)
			require.Equal(t, tt.want, n)
			require.Equal(t, tt.enc, enc)
		})
	}
}

func TestSegments_NoAllocs(t *testing.T) {
	s := "【上海一中院】张*您好：您申请执行的（2024）沪01执123号案已立案 😀 {}€"
	allocs := testing.AllocsPerRun(100, func() { notify.Segments(s) })
	require.Zero(t, allocs)
}

func TestEncoding_String(t *testing.T) {
	t.Parallel()
	require.Equal(t, "GSM-7", notify.GSM7.String())
	require.Equal(t, "UCS-2", notify.UCS2.String())
	require.Equal(t, "Encoding(0)", notify.Encoding(0).String())
}
