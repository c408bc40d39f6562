package notify_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

const (
	agree    = enforcement.OpinionAgree
	disagree = enforcement.OpinionDisagree
	other    = enforcement.OpinionOther
)

// parseSeeds are replies as applicants write them to the opinion.solicit
// text ("请于…前回复：K7Q2 1 同意；K7Q2 2 不同意，可附意见", ZhongBen art 5).
var parseSeeds = []struct {
	name string
	in   string
	want notify.ParsedReply
}{
	{"code and digit as asked", "K7Q2 1", notify.ParsedReply{Kind: notify.ReplyOpinion, Code: "K7Q2", Choice: agree}},
	{"lower-case code and word", "k7q2 同意", notify.ParsedReply{Kind: notify.ReplyOpinion, Code: "K7Q2", Choice: agree, Text: "同意"}},
	{"digit with a condition, no code", "1 同意，但希望继续查找财产", notify.ParsedReply{Kind: notify.ReplyOpinion, Choice: agree, Text: "同意，但希望继续查找财产"}},
	{"disagree with a reason", "K7Q2 2 被执行人有车辆在外地", notify.ParsedReply{Kind: notify.ReplyOpinion, Code: "K7Q2", Choice: disagree, Text: "被执行人有车辆在外地"}},
	{"full-width code and digit", "Ｋ７Ｑ２　２", notify.ParsedReply{Kind: notify.ReplyOpinion, Code: "K7Q2", Choice: disagree}},
	{"glued code and word", "K7Q2不同意", notify.ParsedReply{Kind: notify.ReplyOpinion, Code: "K7Q2", Choice: disagree, Text: "不同意"}},
	{"glued digit and word", "2不同意，还有房产", notify.ParsedReply{Kind: notify.ReplyOpinion, Choice: disagree, Text: "不同意，还有房产"}},
	{"word only", "不同意", notify.ParsedReply{Kind: notify.ReplyOpinion, Choice: disagree, Text: "不同意"}},
	{"other with text", "K7Q2 3 请法官来电", notify.ParsedReply{Kind: notify.ReplyOpinion, Code: "K7Q2", Choice: other, Text: "请法官来电"}},
	{"text only is an other opinion", "被执行人在外地有车", notify.ParsedReply{Kind: notify.ReplyOpinion, Choice: other, Text: "被执行人在外地有车"}},
	{"digit-led text is not a choice", "2号楼还有一套房", notify.ParsedReply{Kind: notify.ReplyOpinion, Choice: other, Text: "2号楼还有一套房"}},
	{"year is not a code", "2024年被执行人买了车", notify.ParsedReply{Kind: notify.ReplyOpinion, Choice: other, Text: "2024年被执行人买了车"}},
	{"punctuation around", "【K7Q2】1。", notify.ParsedReply{Kind: notify.ReplyOpinion, Code: "K7Q2", Choice: agree}},
	{"eight-character code", "ABCD2345 1", notify.ParsedReply{Kind: notify.ReplyOpinion, Code: "ABCD2345", Choice: agree}},
	{"digits-only code", "4821 2", notify.ParsedReply{Kind: notify.ReplyOpinion, Code: "4821", Choice: disagree}},
	{"TD is an opt-out", "TD", optOut},
	{"lower-case td", " td ", optOut},
	{"full-width ＴＤ", "ＴＤ。", optOut},
	{"退订", "退订", optOut},
	{"T alone", "t", optOut},
	{"N alone", "Ｎ", optOut},
	{"TD inside a text is an opinion", "TD是什么意思", notify.ParsedReply{Kind: notify.ReplyOpinion, Choice: other, Text: "TD是什么意思"}},
}

var optOut = notify.ParsedReply{Kind: notify.ReplyOptOut}

var parseErrors = []struct {
	name string
	in   string
}{
	{"empty", ""},
	{"blank and punctuation", " 。，  "},
	{"code alone", "K7Q2"},
	{"other without text", "K7Q2 3"},
	{"digit contradicts word", "1 不同意"},
	{"invalid UTF-8", "K7Q2 \xff"},
	{"too long", "K7Q2 2 " + strings.Repeat("财", 2001)},
}

func TestParseReply(t *testing.T) {
	t.Parallel()
	for _, tt := range parseSeeds {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := notify.ParseReply(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	for _, tt := range parseErrors {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := notify.ParseReply(tt.in)
			require.ErrorIs(t, err, notify.ErrMalformedReply)
			var re *notify.ReplyError
			require.ErrorAs(t, err, &re)
			require.NotEmpty(t, re.Reason)
			require.Zero(t, got)
		})
	}
}

func FuzzParseReply(f *testing.F) {
	for _, s := range parseSeeds {
		f.Add(s.in) // valid replies
	}
	for _, s := range parseErrors {
		f.Add(s.in) // malformed replies
	}
	f.Add("K7Q2 1 １号楼") // full-width digit in the text
	f.Add("ABCDE")      // code-like word alone
	f.Fuzz(func(t *testing.T, in string) {
		got, err := notify.ParseReply(in)
		if err != nil {
			require.Zero(t, got)
			require.ErrorIs(t, err, notify.ErrMalformedReply)
			return
		}
		switch got.Kind {
		case notify.ReplyOptOut:
			require.Equal(t, optOut, got)
		case notify.ReplyOpinion:
			require.True(t, got.Choice.IsKnown())
			require.True(t, utf8.ValidString(got.Text))
		default:
			t.Fatalf("unknown kind %q", got.Kind)
		}
		again, err := notify.ParseReply(got.String())
		require.NoError(t, err, "canonical form %q", got.String())
		require.Equal(t, got, again, "round trip of %q via %q", in, got.String())
	})
}

func TestMatchReply(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 10, 9, 9, 30, 0, 0, time.UTC)
	open := []notify.OpenSolicitation{
		{CaseID: "c1", SolicitationID: "s1", PartyMobile: "13800138000", ReplyCode: "K7Q2"},
		{CaseID: "c2", SolicitationID: "s2", PartyMobile: "13800138000", ReplyCode: "M3X9"},
		{CaseID: "c3", SolicitationID: "s3", PartyMobile: "13900139000", ReplyCode: "K7Q2"},
		{CaseID: "c4", SolicitationID: "s4", PartyMobile: "13700137000", ReplyCode: "AB12", ExtCode: "0401"},
		{CaseID: "c5", SolicitationID: "s5", PartyMobile: "13700137000", ReplyCode: "CD34", ExtCode: "0402"},
	}
	tests := []struct {
		name   string
		reply  notify.InboundReply
		status notify.MatchStatus
		sol    string
		choice enforcement.OpinionChoice
		text   string
		cands  int
	}{
		{"code picks one of the number's cases", notify.InboundReply{From: "+86 138-0013-8000", Text: "m3x9 2 还有车", ReceivedAt: at}, notify.MatchMatched, "s2", disagree, "还有车", 1},
		{"same code on another number's case is not taken", notify.InboundReply{From: "13900139000", Text: "K7Q2 1"}, notify.MatchMatched, "s3", agree, "", 1},
		{"one open solicitation needs no code", notify.InboundReply{From: "13900139000", Text: "同意"}, notify.MatchMatched, "s3", agree, "同意", 1},
		{"extension code picks the case", notify.InboundReply{From: "13700137000", Text: "1", ExtCode: "0402"}, notify.MatchMatched, "s5", agree, "", 1},
		{"several cases and no code is ambiguous", notify.InboundReply{From: "13800138000", Text: "1"}, notify.MatchAmbiguous, "", "", "", 2},
		{"a code the number was not sent is unmatched", notify.InboundReply{From: "13800138000", Text: "AB12 1"}, notify.MatchUnmatched, "", "", "", 1},
		{"wrong code for the only solicitation is unmatched", notify.InboundReply{From: "13900139000", Text: "M3X9 1"}, notify.MatchUnmatched, "", "", "", 1},
		{"unknown number, code of two other numbers", notify.InboundReply{From: "13600136000", Text: "K7Q2 1"}, notify.MatchUnmatched, "", "", "", 2},
		{"unreadable reply keeps the candidates", notify.InboundReply{From: "13800138000", Text: "1 不同意"}, notify.MatchMalformed, "", "", "", 2},
		{"TD to the only solicitation is an opt-out, not an opinion", notify.InboundReply{From: "13900139000", Text: "TD"}, notify.MatchOptOut, "", "", "", 1},
		{"退订 from a number with two solicitations", notify.InboundReply{From: "13800138000", Text: "退订"}, notify.MatchOptOut, "", "", "", 2},
		{"N from an unknown number", notify.InboundReply{From: "13600136000", Text: "n"}, notify.MatchOptOut, "", "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := notify.MatchReply(tt.reply, open)
			require.Equal(t, tt.status, m.Status, m.Reason)
			require.Len(t, m.Candidates, tt.cands)
			require.Equal(t, tt.status != notify.MatchMatched && tt.status != notify.MatchOptOut, m.NeedsPerson())
			if tt.status == notify.MatchOptOut {
				require.Equal(t, notify.ReplyOptOut, m.Parsed.Kind)
				require.Zero(t, m.Opinion, "an opt-out is never an opinion")
			}
			if tt.status != notify.MatchMatched {
				require.NotEmpty(t, m.Reason)
				require.Empty(t, m.SolicitationID)
				return
			}
			require.Equal(t, tt.sol, m.SolicitationID)
			require.Equal(t, enforcement.Opinion{Choice: tt.choice, Text: tt.text, Channel: "sms", ReceivedAt: tt.reply.ReceivedAt}, m.Opinion)
		})
	}
}
