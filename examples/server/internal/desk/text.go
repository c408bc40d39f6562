package desk

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Length limits of free text, in characters.
const (
	// MaxTitle bounds titles: plan items, trip purposes and addresses.
	MaxTitle = 200
	// MaxNote bounds reasons, answers, opinions, requests and notes.
	MaxNote = 2000
)

// CheckText applies the rules every free-text field follows, whether it
// comes from a page form or the JSON API: at most max characters, valid
// UTF-8, no control characters (line breaks and tabs are allowed when
// multiline), no bidirectional overrides or isolates (U+202A–U+202E,
// U+2066–U+2069), and not only invisible characters. Empty text passes;
// whether a field is required is the caller's rule. The error names field
// and says what is wrong in Chinese.
func CheckText(field, s string, max int, multiline bool) error {
	if s == "" {
		return nil
	}
	if !utf8.ValidString(s) {
		return BadField(field, "encoding", "含有无法识别的字符")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return BadField(field, "too_long", fmt.Sprintf("不能超过%d个字（现有%d个字）", max, n))
	}
	visible := false
	for _, r := range s {
		switch {
		case isBidiControl(r):
			return BadField(field, "bidi_control", "不能含有文字方向控制字符")
		case r == '\n' || r == '\r' || r == '\t':
			if !multiline {
				return BadField(field, "control_char", "不能含有换行等控制字符")
			}
		case unicode.IsControl(r):
			return BadField(field, "control_char", "不能含有控制字符")
		case isInvisible(r) || unicode.IsSpace(r):
		default:
			visible = true
		}
	}
	if !visible {
		return BadField(field, "invisible", "不能只含有空白或不可见字符")
	}
	return nil
}

// isBidiControl reports the embedding, override and isolate controls
// that can make text read differently from how it is stored.
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// isInvisible reports zero-width and other format characters that show
// nothing on their own.
func isInvisible(r rune) bool {
	switch r {
	case 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD, 0x180E:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// checkTexts applies CheckText to field/text pairs and gathers every
// problem into one InputError.
func checkTexts(max int, multiline bool, pairs ...string) error {
	var ie InputError
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := CheckText(pairs[i], pairs[i+1], max, multiline); err != nil {
			ie.Fields = append(ie.Fields, err.(*InputError).Fields...)
		}
	}
	return ie.Err()
}
