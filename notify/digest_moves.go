package notify

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// DigestMove is a due date of one of a judge's cases that a calendar
// change moved or made definite (next year's holiday notice loaded, a
// court closure day entered or removed), told in the judge's next digest.
type DigestMove struct {
	CaseNo   string // 案号
	Title    string // the time limit, e.g. 执行案件办案期限
	From, To deadline.Date
	// Definite is set when From was provisional (awaiting the calendar,
	// 暂定) and To is definite.
	Definite bool
	// Provisional is set when To is still provisional.
	Provisional bool
}

// DraftDigestMoves drafts judge's digest of items for day today as
// [Drafter.DraftDigest] does, with a section listing moves (期限变动),
// from the template KeyDigestMoves: the dates that changed first, then
// those that only became definite, each earliest first, as many as fit. Without moves it is DraftDigest.
// With moves it drafts even when there are no items; it drafts nothing
// (ok is false) when the judge has no number.
//
// The message's EventID is the day's digest's, as DraftDigest gives it;
// its key is per judge, day and list of moves: drafting the same moves
// again the same day yields the same message (so a caller that crashed
// after putting it finds it with [Outbox.Get] by ID), and other moves
// another one.
func (d *Drafter) DraftDigestMoves(court string, judge Recipient, today deadline.Date, items []DigestItem, moves []DigestMove, s DigestSchedule, now time.Time) (Message, bool, error) {
	if len(moves) == 0 {
		return d.DraftDigest(court, judge, today, items, s, now)
	}
	if judge.Mobile == "" {
		return Message{}, false, nil
	}
	s = s.withDefaults()
	sorted := slices.Clone(items)
	slices.SortFunc(sorted, mostUrgentFirst)
	counts, listed := "暂无临期或超期事项", "无"
	if len(sorted) > 0 {
		counts = digestCounts(sorted)
		listed = digestList(sorted[:min(s.MaxItems, len(sorted))], today, varSpecs[varIndex(VarItems)].Max)
	}
	// Dates that changed come before dates that only became definite,
	// each earliest first.
	ms := slices.Clone(moves)
	slices.SortFunc(ms, func(a, b DigestMove) int {
		return cmp.Or(compareBool(a.From == a.To, b.From == b.To), a.To.Compare(b.To),
			strings.Compare(a.CaseNo, b.CaseNo), strings.Compare(a.Title, b.Title))
	})
	v := Vars{VarJudge: judge.Name, VarDate: formatDate(today, today), VarCounts: counts, VarItems: listed,
		VarMoves: digestMoves(ms, today, varSpecs[varIndex(VarMoves)].Max)}
	judge.Role = RecipientJudge
	c := &enforcement.Case{Court: court}
	e := enforcement.Event{ID: "digest/" + judge.ID() + "/" + today.String(), Kind: "digest", Court: court}
	m, err := d.render(c, e, judge, KeyDigestMoves, v, now)
	if err != nil {
		return Message{}, false, err
	}
	m.ID = Key("", e.ID+"/"+movesHash(ms), judge.ID(), KeyDigestMoves)
	m.IdempotencyKey = m.ID
	if err := m.Queue("scheduler", now, now); err != nil {
		return Message{}, false, err
	}
	return m, true, nil
}

// compareBool orders false before true.
func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// movesHash identifies a sorted list of moves.
func movesHash(ms []DigestMove) string {
	h := sha256.New()
	for _, m := range ms {
		fmt.Fprintf(h, "%d:%s|%d:%s|%s|%s|%t|%t\n", len(m.CaseNo), m.CaseNo, len(m.Title), m.Title, m.From, m.To, m.Definite, m.Provisional)
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// digestMoves lists moves as "（2026）沪01执1号执行案件办案期限改为2027年2月9日
// (原暂定2027年2月6日)；…", whole moves only, within max UTF-16 units,
// ending in "等N项" when some are left out.
func digestMoves(ms []DigestMove, today deadline.Date, max int) string {
	const reserve = 6 // "等99项"
	var b strings.Builder
	n := 0
	for _, m := range ms {
		var s string
		switch {
		case m.Definite && m.From == m.To:
			s = fmt.Sprintf("%s%s%s已确定", m.CaseNo, m.Title, formatDate(m.To, today))
		case m.Definite:
			s = fmt.Sprintf("%s%s改为%s(原暂定%s)", m.CaseNo, m.Title, formatDate(m.To, today), formatDate(m.From, today))
		case m.Provisional:
			s = fmt.Sprintf("%s%s改为%s(暂定，原%s)", m.CaseNo, m.Title, formatDate(m.To, today), formatDate(m.From, today))
		default:
			s = fmt.Sprintf("%s%s改为%s(原%s)", m.CaseNo, m.Title, formatDate(m.To, today), formatDate(m.From, today))
		}
		if b.Len() > 0 {
			s = "；" + s
		}
		if utf16Len(b.String()+s) > max-reserve {
			break
		}
		b.WriteString(s)
		n++
	}
	switch {
	case n == 0:
		return fmt.Sprintf("共%d项，详见系统", len(ms))
	case n < len(ms):
		return fmt.Sprintf("%s等%d项", b.String(), len(ms))
	}
	return b.String()
}
