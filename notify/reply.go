package notify

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/courtkit/zhixing/enforcement"
)

// ErrMalformedReply is returned (in a *ReplyError) by [ParseReply] for a
// reply that says nothing it can read.
var ErrMalformedReply = errors.New("notify: malformed reply")

// ReplyError says why a reply could not be read.
type ReplyError struct {
	Text   string
	Reason string
}

func (e *ReplyError) Error() string {
	return fmt.Sprintf("notify: malformed reply %q: %s", e.Text, e.Reason)
}

// Unwrap returns ErrMalformedReply.
func (e *ReplyError) Unwrap() error { return ErrMalformedReply }

// ReplyKind is what an inbound SMS asks for. Its value is a stable text
// code.
type ReplyKind string

// Reply kinds.
const (
	// ReplyOpinion is an answer to an opinion solicitation (征询意见).
	ReplyOpinion ReplyKind = "opinion"
	// ReplyOptOut is a request to receive no more SMS at the sender's
	// number (退订): "TD", "退订", "T" or "N". It is never an opinion.
	ReplyOptOut ReplyKind = "opt_out"
)

// optOutWords are the replies that ask to stop SMS, upper-case after
// folding full-width forms; carriers require each to be honoured.
var optOutWords = []string{"TD", "T", "N", "退订"}

// ParsedReply is what an SMS reply says: an applicant's answer to an
// opinion solicitation, or an opt-out request.
type ParsedReply struct {
	Kind ReplyKind
	// Code is the solicitation's reply code, upper-case, or "" if the
	// reply has none.
	Code   string
	Choice enforcement.OpinionChoice
	// Text is the free text after the code and the choice digit, in the
	// applicant's own characters.
	Text string
}

var choiceDigits = map[enforcement.OpinionChoice]string{enforcement.OpinionAgree: "1", enforcement.OpinionDisagree: "2", enforcement.OpinionOther: "3"}

// String returns the canonical form of r, which ParseReply reads back as r:
// "TD" for an opt-out, otherwise the code, the choice digit and the text,
// separated by spaces.
func (r ParsedReply) String() string {
	if r.Kind == ReplyOptOut {
		return "TD"
	}
	parts := make([]string, 0, 3)
	for _, s := range []string{r.Code, choiceDigits[r.Choice], r.Text} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// maxReplyRunes bounds a reply's length; a concatenated SMS is at most a
// few hundred characters, and an opinion's text at most 2000.
const maxReplyRunes = 2000

// ParseReply reads an SMS reply. "TD", "退订", "T" or "N" alone (any case,
// full- or half-width, spaces and punctuation around them ignored) is an
// opt-out request (Kind ReplyOptOut, no other field set). Anything else is
// read as an applicant's reply to an opinion solicitation (征询意见,
// Kind ReplyOpinion), as the solicitation text asks for it: "K7Q2 1"
// (agree), "K7Q2 2 被执行人有车辆在外地" (disagree, with a reason). It
// accepts:
//
//   - full-width letters, digits and punctuation (ＫＩＱ２，１), and any
//     case of the code;
//   - an optional leading reply code: 4 to 8 letters and digits standing
//     alone (a code of digits only must be followed by a space or a
//     punctuation mark, so "2024年…" is text, not a code);
//   - a choice digit standing alone, or right before 同意, 不同意 or 其他:
//     1 同意 (agree), 2 不同意 (disagree), 3 其他意见 (other, text
//     required); "2号楼…" is text;
//   - without a digit, text starting with 同意 or 不同意 (or 不同意的), and
//     otherwise any text as an "other" opinion.
//
// A digit that contradicts the word after it ("1 不同意"), a reply with no
// choice and no text, a digit 3 without text, or a text longer than 2000
// characters is an error matching ErrMalformedReply; the reply is then to
// be read by a person, never guessed.
func ParseReply(text string) (ParsedReply, error) {
	fail := func(reason string) (ParsedReply, error) {
		return ParsedReply{}, &ReplyError{Text: text, Reason: reason}
	}
	if !utf8.ValidString(text) {
		return fail("not valid UTF-8")
	}
	orig := strings.TrimFunc(text, func(r rune) bool { return isSep(foldRune(r)) })
	if orig == "" {
		return fail("empty")
	}
	total := utf8.RuneCountInString(orig)
	if total > maxReplyRunes {
		return fail("longer than 2000 characters")
	}
	s := strings.Map(foldRune, orig)
	if slices.Contains(optOutWords, strings.ToUpper(s)) {
		return ParsedReply{Kind: ReplyOptOut}, nil
	}
	r := ParsedReply{Kind: ReplyOpinion}
	if tok, rest, ok := leadingCode(s); ok {
		r.Code, s = strings.ToUpper(tok), strings.TrimLeftFunc(rest, isSep)
	}
	digit := ""
	if len(s) > 0 && s[0] >= '1' && s[0] <= '3' {
		next, _ := utf8.DecodeRuneInString(s[1:])
		if len(s) == 1 || isSep(next) || isHan(next) && (wordChoice(s[1:]) != "" || strings.HasPrefix(s[1:], "其他")) {
			digit, s = s[:1], strings.TrimLeftFunc(s[1:], isSep)
		}
	}
	// The text keeps the applicant's own characters (full-width
	// punctuation included); folding maps rune to rune, so rune offsets
	// agree.
	r.Text = string([]rune(orig)[total-utf8.RuneCountInString(s):])
	word := wordChoice(s)
	switch digit {
	case "1":
		r.Choice = enforcement.OpinionAgree
	case "2":
		r.Choice = enforcement.OpinionDisagree
	case "3":
		r.Choice = enforcement.OpinionOther
		if s == "" {
			return fail("choice 3 (other opinion) needs text")
		}
	default:
		switch {
		case word != "":
			r.Choice = word
		case s != "":
			r.Choice = enforcement.OpinionOther
		default:
			return fail("no choice and no text")
		}
	}
	if word != "" && r.Choice != word && r.Choice != enforcement.OpinionOther {
		return fail("choice " + digit + " contradicts " + word.Chinese())
	}
	return r, nil
}

// foldRune maps full-width ASCII forms (U+FF01–U+FF5E) to ASCII and
// every space character (the ideographic space U+3000 included) to a
// space.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case unicode.IsSpace(r):
		return ' '
	}
	return r
}

// isSep reports whether r separates the parts of a reply: spaces and
// punctuation, ASCII or Chinese.
func isSep(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// leadingCode splits a reply code off the start of s. The code alphabet is
// 0-9 and A-Z without I and O (see enforcement.Solicitation.ReplyCode).
func leadingCode(s string) (code, rest string, ok bool) {
	i := 0
	letters := false
	for i < len(s) && isAlnum(rune(s[i])) {
		c := s[i] &^ 0x20 // upper-case letters; digits are checked before
		if s[i] > '9' {
			if c == 'I' || c == 'O' {
				return "", s, false
			}
			letters = true
		}
		i++
	}
	if i < 4 || i > 8 {
		return "", s, false
	}
	if i < len(s) {
		next, _ := utf8.DecodeRuneInString(s[i:])
		if !isSep(next) && !(letters && isHan(next)) {
			return "", s, false
		}
	}
	return s[:i], s[i:], true
}

// wordChoice returns the choice s starts with in words, or "".
func wordChoice(s string) enforcement.OpinionChoice {
	switch {
	case strings.HasPrefix(s, "不同意"):
		return enforcement.OpinionDisagree
	case strings.HasPrefix(s, "同意"):
		return enforcement.OpinionAgree
	}
	return ""
}

// InboundReply is an SMS a gateway received: only the sender's number, the
// text and, where the court has one per solicitation, the extension code
// the reply was sent to.
type InboundReply struct {
	From       string
	Text       string
	ExtCode    string
	ReceivedAt time.Time
}

// OpenSolicitation is an opinion solicitation awaiting its reply, with the
// number it was sent to.
type OpenSolicitation struct {
	CaseID         string
	SolicitationID string
	PartyMobile    string
	ReplyCode      string
	ExtCode        string // "" if the court has no extension codes
}

// MatchStatus is how a reply was matched. Its value is a stable text code.
type MatchStatus string

// Match statuses. Every status but matched needs a person.
const (
	MatchMatched   MatchStatus = "matched"   // one solicitation, and the reply reads
	MatchAmbiguous MatchStatus = "ambiguous" // several solicitations could be meant
	MatchUnmatched MatchStatus = "unmatched" // no open solicitation fits
	MatchMalformed MatchStatus = "malformed" // the reply cannot be read
	// MatchOptOut: the reply asks to stop SMS to its number (see
	// [ReplyOptOut]). The caller sets the opt-out of every party with that
	// number and sends the confirmation ([Drafter.DraftOptOutConfirmation]);
	// no opinion is recorded and no person needs to read it.
	MatchOptOut MatchStatus = "opt_out"
)

// Match is the result of [MatchReply].
type Match struct {
	Status         MatchStatus
	CaseID         string
	SolicitationID string
	// Opinion is the applicant's opinion, for
	// [enforcement.Case.RecordOpinion], when Status is matched.
	Opinion enforcement.Opinion
	Parsed  ParsedReply
	// Candidates are the solicitations the reply may be about, for the
	// person who reads it: the ones of its number (and extension code),
	// or the ones its code names.
	Candidates []OpenSolicitation
	// Reason says, in Chinese, why a person must look at it.
	Reason string
}

// NeedsPerson reports whether a person must read the reply: it neither
// matched exactly one solicitation in a readable form nor asked to opt
// out.
func (m Match) NeedsPerson() bool { return m.Status != MatchMatched && m.Status != MatchOptOut }

// MatchReply matches reply r to one of the open solicitations:
//
//  1. the candidates are the solicitations sent to r.From (compared as
//     11-digit numbers) and, if r has an extension code, sent with that
//     code (or with none);
//  2. a reply code narrows them to the solicitation with that code; a code
//     that none of them has is unmatched, even if another number's
//     solicitation has it (a person checks who wrote);
//  3. without a code, one candidate is matched, several are ambiguous,
//     none is unmatched;
//  4. a reply that [ParseReply] cannot read is malformed, with the
//     candidates it may concern;
//  5. an opt-out request is MatchOptOut whatever the candidates (which it
//     lists), and never an opinion.
//
// It never guesses: every status but matched is for a person to resolve,
// and the reply must be kept with the match.
func MatchReply(r InboundReply, open []OpenSolicitation) Match {
	from := normaliseFrom(r.From)
	var cands []OpenSolicitation
	for _, o := range open {
		if normaliseFrom(o.PartyMobile) == from && (r.ExtCode == "" || o.ExtCode == "" || o.ExtCode == r.ExtCode) {
			cands = append(cands, o)
		}
	}
	p, err := ParseReply(r.Text)
	if err != nil {
		var re *ReplyError
		reason := "无法识别的回复"
		if errors.As(err, &re) {
			reason += "：" + re.Reason
		}
		return Match{Status: MatchMalformed, Candidates: cands, Reason: reason}
	}
	m := Match{Parsed: p}
	if p.Kind == ReplyOptOut {
		m.Status, m.Candidates, m.Reason = MatchOptOut, cands, "回复退订，停止向该号码发送短信"
		return m
	}
	if p.Code != "" {
		var coded []OpenSolicitation
		for _, o := range cands {
			if strings.EqualFold(o.ReplyCode, p.Code) {
				coded = append(coded, o)
			}
		}
		if len(coded) == 0 {
			for _, o := range open {
				if strings.EqualFold(o.ReplyCode, p.Code) {
					m.Candidates = append(m.Candidates, o)
				}
			}
			m.Status, m.Reason = MatchUnmatched, "回复码"+p.Code+"与该号码的待回复征询不符"
			if len(m.Candidates) == 0 {
				m.Candidates = cands
			}
			return m
		}
		cands = coded
	}
	m.Candidates = cands
	switch len(cands) {
	case 0:
		m.Status, m.Reason = MatchUnmatched, "该号码没有待回复的征询"
	case 1:
		m.Status, m.CaseID, m.SolicitationID = MatchMatched, cands[0].CaseID, cands[0].SolicitationID
		m.Opinion = enforcement.Opinion{Choice: p.Choice, Text: p.Text, Channel: "sms", ReceivedAt: r.ReceivedAt}
	default:
		m.Status, m.Reason = MatchAmbiguous, fmt.Sprintf("该号码有%d个待回复的征询，回复未注明回复码", len(cands))
	}
	return m
}

func normaliseFrom(s string) string {
	if n, err := enforcement.NormaliseMobile(s); err == nil {
		return n
	}
	return strings.TrimSpace(s)
}
