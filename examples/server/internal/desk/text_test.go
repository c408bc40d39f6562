package desk_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

func TestCheckText(t *testing.T) {
	tests := []struct {
		name, in  string
		max       int
		multiline bool
		code      string // "" when accepted
	}{
		{"empty", "", desk.MaxTitle, false, ""},
		{"plain", "现场调查被执行人财产", desk.MaxTitle, false, ""},
		{"at the limit", strings.Repeat("查", 200), desk.MaxTitle, false, ""},
		{"over the limit", strings.Repeat("查", 201), desk.MaxTitle, false, "too_long"},
		{"note at the limit", strings.Repeat("答", 2000), desk.MaxNote, true, ""},
		{"note over the limit", strings.Repeat("答", 2001), desk.MaxNote, true, "too_long"},
		{"line break in a note", "第一行\n第二行", desk.MaxNote, true, ""},
		{"line break in a title", "第一行\n第二行", desk.MaxTitle, false, "control_char"},
		{"bell", "查封\x07", desk.MaxNote, true, "control_char"},
		{"DEL", "查封\x7f", desk.MaxNote, true, "control_char"},
		{"RLO", "查封\u202e房产", desk.MaxNote, true, "bidi_control"},
		{"LRE", "\u202a查封", desk.MaxNote, true, "bidi_control"},
		{"FSI", "查封\u2068房产\u2069", desk.MaxNote, true, "bidi_control"},
		{"zero width only", "\u200b\u200c\u200d\ufeff", desk.MaxNote, true, "invisible"},
		{"spaces only", "   ", desk.MaxNote, true, "invisible"},
		{"zero width inside text", "查\u200b封", desk.MaxNote, true, ""},
		{"invalid UTF-8", "查\xff", desk.MaxNote, true, "encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := desk.CheckText("title", tt.in, tt.max, tt.multiline)
			if tt.code == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, desk.ErrBadInput)
			var ie *desk.InputError
			require.ErrorAs(t, err, &ie)
			require.Equal(t, "title", ie.Fields[0].Field)
			require.Equal(t, tt.code, ie.Fields[0].Code)
			require.NotEmpty(t, ie.Fields[0].MessageZh)
		})
	}
}
