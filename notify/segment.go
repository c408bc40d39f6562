package notify

import (
	"strconv"
	"unicode/utf8"
)

// Encoding is the character encoding an SMS is sent in. The zero Encoding is
// unset.
type Encoding uint8

// Encodings. Which one a text needs follows from its characters: GSM7 when
// every character is in the GSM 03.38 default alphabet or its extension table,
// UCS2 otherwise. Any Chinese character makes a text UCS2.
const (
	GSM7 Encoding = iota + 1 // GSM 03.38 7-bit default alphabet
	UCS2                     // UCS-2 (UTF-16 code units)
)

// String returns "GSM-7", "UCS-2", or "Encoding(n)" for other values.
func (e Encoding) String() string {
	switch e {
	case GSM7:
		return "GSM-7"
	case UCS2:
		return "UCS-2"
	}
	return "Encoding(" + strconv.Itoa(int(e)) + ")"
}

// Segment capacities of the SMS standards (3GPP TS 23.040 and 23.038): a single
// message carries 140 octets; a part of a concatenated message loses 6 octets
// to its user data header.
const (
	GSM7Single = 160 // septets in a single GSM-7 message
	GSM7Part   = 153 // septets in each part of a multipart GSM-7 message
	UCS2Single = 70  // UTF-16 code units in a single UCS-2 message
	UCS2Part   = 67  // UTF-16 code units in each part of a multipart UCS-2 message
)

// gsmASCII classifies the ASCII range: 0 not in GSM-7, 1 default alphabet (one
// septet), 2 extension table (escape + septet, two septets).
var gsmASCII = [128]uint8{
	'\n': 1, '\r': 1, '\f': 2,
	' ': 1, '!': 1, '"': 1, '#': 1, '$': 1, '%': 1, '&': 1, '\'': 1,
	'(': 1, ')': 1, '*': 1, '+': 1, ',': 1, '-': 1, '.': 1, '/': 1,
	'0': 1, '1': 1, '2': 1, '3': 1, '4': 1, '5': 1, '6': 1, '7': 1, '8': 1, '9': 1,
	':': 1, ';': 1, '<': 1, '=': 1, '>': 1, '?': 1, '@': 1,
	'A': 1, 'B': 1, 'C': 1, 'D': 1, 'E': 1, 'F': 1, 'G': 1, 'H': 1, 'I': 1,
	'J': 1, 'K': 1, 'L': 1, 'M': 1, 'N': 1, 'O': 1, 'P': 1, 'Q': 1, 'R': 1,
	'S': 1, 'T': 1, 'U': 1, 'V': 1, 'W': 1, 'X': 1, 'Y': 1, 'Z': 1,
	'[': 2, '\\': 2, ']': 2, '^': 2, '_': 1,
	'a': 1, 'b': 1, 'c': 1, 'd': 1, 'e': 1, 'f': 1, 'g': 1, 'h': 1, 'i': 1,
	'j': 1, 'k': 1, 'l': 1, 'm': 1, 'n': 1, 'o': 1, 'p': 1, 'q': 1, 'r': 1,
	's': 1, 't': 1, 'u': 1, 'v': 1, 'w': 1, 'x': 1, 'y': 1, 'z': 1,
	'{': 2, '|': 2, '}': 2, '~': 2,
	// Not in GSM-7: '`' and the other control characters.
}

// gsmSeptets returns how many septets r takes in GSM-7 (1 or 2), or 0 if r is
// not in the default alphabet or its extension table.
func gsmSeptets(r rune) int {
	if r < utf8.RuneSelf {
		return int(gsmASCII[r])
	}
	switch r {
	case '£', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', 'Ø', 'ø', 'Å', 'å',
		'Δ', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ',
		'Æ', 'æ', 'ß', 'É', '¤', '¡', 'Ä', 'Ö', 'Ñ', 'Ü', '§', '¿',
		'ä', 'ö', 'ñ', 'ü', 'à':
		return 1
	case '€':
		return 2
	}
	return 0
}

// Segments returns how many SMS segments s takes and the encoding it is sent
// in. It does not allocate.
//
// A text is GSM-7 when every character is in the GSM 03.38 default alphabet or
// its extension table; an extension character (^ { } \ [ ~ ] | € and form
// feed) is sent as an escape plus a septet and counts as two. GSM-7 fits 160
// septets in one message and 153 in each part of a longer one.
//
// Any other character (every Chinese character, full-width punctuation, the
// backtick, emoji) makes the whole text UCS-2. UCS-2 is counted in UTF-16 code
// units, as the handset and the gateway count it: a character outside the
// Basic Multilingual Plane (most emoji) counts as two. UCS-2 fits 70 units in
// one message and 67 in each part of a longer one. Invalid UTF-8 bytes are
// sent as U+FFFD and count as one unit each.
//
// The count is exact for gateways that, like handsets, never split an escape
// sequence or a surrogate pair across two parts: such a character that would
// straddle a boundary starts the next part.
//
// The empty string takes zero segments (there is nothing to send) and is GSM-7.
func Segments(s string) (n int, enc Encoding) {
	if len(s) == 0 {
		return 0, GSM7
	}
	// GSM-7 while every character allows it. Every GSM-7 character is one
	// UTF-16 unit, so runes counts the UCS-2 length of the prefix too.
	septets, parts, fill, runes := 0, 1, 0, 0
	i := 0
	for i < len(s) {
		c := s[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		w := gsmSeptets(r)
		if w == 0 {
			break
		}
		i += size
		runes++
		septets += w
		fill += w
		if fill > GSM7Part {
			parts++
			fill = w
		}
	}
	if i == len(s) {
		if septets <= GSM7Single {
			return 1, GSM7
		}
		return parts, GSM7
	}
	// UCS-2 from here on: count UTF-16 units; only a surrogate pair can
	// make the greedy split differ from plain division.
	units, astral := runes, false
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			units++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		units++
		if r > 0xFFFF {
			units++
			astral = true
		}
	}
	switch {
	case units <= UCS2Single:
		return 1, UCS2
	case !astral:
		return (units + UCS2Part - 1) / UCS2Part, UCS2
	}
	return ucs2Parts(s), UCS2
}

// ucs2Parts packs s greedily into UCS-2 parts, moving a surrogate pair that
// would straddle a boundary to the next part.
func ucs2Parts(s string) int {
	parts, fill := 1, 0
	for _, r := range s {
		u := 1
		if r > 0xFFFF {
			u = 2
		}
		fill += u
		if fill > UCS2Part {
			parts++
			fill = u
		}
	}
	return parts
}

// utf16Len returns the length of s in UTF-16 code units, the unit in which
// UCS-2 texts, variable limits and worst cases are counted.
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}

// worstSegments is the most segments any text of at most units UTF-16
// code units can take, whatever its characters. GSM-7 never takes more
// parts than UCS-2 for the same characters, so the bound is UCS-2's: up to
// UCS2Single units fit one part; beyond, each part but the last holds at
// least UCS2Part-1 units (a surrogate pair that would straddle its end
// moves to the next part), and a part after one that lost a unit starts
// with that pair, so k parts need at least (k-1)·(UCS2Part-1)+2 units.
// The bound is exact: a text of that many units, with a pair at each
// boundary, takes k parts.
func worstSegments(units int) int {
	switch {
	case units <= 0:
		return 0
	case units <= UCS2Single:
		return 1
	}
	return (units-2)/(UCS2Part-1) + 1
}
