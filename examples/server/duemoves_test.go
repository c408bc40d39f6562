package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/notify"
)

// addLateCase adds judge id (with mobile, or none) and one case of theirs
// filed on 6 August 2026: its six-month limit ends on 6 February 2027, in
// the invented 2027 Spring Festival, so loading the 2027 notice moves it.
func addLateCase(t *testing.T, e *env, id, name, mobile string, seq int) *enforcement.Case {
	t.Helper()
	ctx := t.Context()
	require.NoError(t, e.app.desk.CreateUser(ctx, desk.User{ID: id, Court: e.app.desk.DefaultCourt(), Role: desk.RoleJudge, Name: name, Mobile: mobile}, "demo-"+id))
	num, err := enforcement.ParseCaseNumber(fmt.Sprintf("（2026）沪01执%d号", seq))
	require.NoError(t, err)
	filed := deadline.NewDate(2026, 8, 6)
	c, err := e.app.desk.CreateCase(ctx, &desk.Principal{Role: desk.RoleJudge, UserID: id}, &enforcement.Case{ID: id + "-late", Number: num, Cause: "民间借贷纠纷",
		AmountApplied: decimal.RequireFromString("10000.00"), ReceivedOn: filed.AddDays(-1), FiledOn: filed, Parties: parties(seq),
		Source: enforcement.SourceDocument{Title: "民事判决书", Number: fmt.Sprintf("（2026）沪0115民初%d号", seq), Issuer: "上海市浦东新区人民法院"}})
	require.NoError(t, err)
	return c
}

// Loading the 2027 notice moves a judge's deadlines. The judge had the
// day's digest already, so the moves wait for the next one (one digest a
// day); it names them, and the digests after it do not repeat them. A
// judge without a mobile number is told nothing, and the moves stay on
// their week page and in the API.
func TestFlow_NoticeMovesToldInNextDigest(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		ctx := t.Context()
		wuCase := addLateCase(t, e, "judge-wu", "吴刚", wuMobile, 991)
		maCase := addLateCase(t, e, "judge-ma", "马丽", "", 992)
		e.relay()
		e.dispatch()

		// Thursday 26 November 2026, 10:00: today's digest goes out.
		_, err := e.app.digestOnce(ctx)
		require.NoError(t, err)
		e.dispatch()
		require.Len(t, sentTo(e, wuMobile, notify.KeyDigest), 1)

		var ch desk.CalendarChange
		require.Equal(t, http.StatusOK, e.login("chief").do("POST", "/api/v1/calendar/notice", map[string]any{"year": 2027, "text": notice2027(t)}, &ch))
		var wuMoves []desk.MoveView
		for _, m := range ch.Moves {
			if m.CaseID == wuCase.ID {
				wuMoves = append(wuMoves, m)
			}
		}
		require.NotEmpty(t, wuMoves)
		var shifted desk.MoveView
		for _, m := range wuMoves {
			if m.ShiftDays != 0 && (shifted.DueID == "" || m.New.Before(shifted.New)) {
				shifted = m
			}
		}
		require.NotEmpty(t, shifted.DueID, "a date in the Spring Festival moves: %+v", wuMoves)

		// Later the same day: the moves wait for the next digest.
		e.clock.Add(time.Hour)
		_, err = e.app.digestOnce(ctx)
		require.NoError(t, err)
		e.dispatch()
		require.Empty(t, sentTo(e, wuMobile, notify.KeyDigestMoves), "one digest a day")
		require.Len(t, sentTo(e, wuMobile, notify.KeyDigest), 1)

		// Friday 27 November, 08:30: the next digest names them, once
		// however often the job runs.
		e.clock.Add(time.Date(2026, 11, 27, 8, 30, 0, 0, deadline.China).Sub(e.clock.Now()))
		for range 2 {
			_, err = e.app.digestOnce(ctx)
			require.NoError(t, err)
		}
		e.dispatch()
		got := sentTo(e, wuMobile, notify.KeyDigestMoves)
		require.Len(t, got, 1, "the moves are told in the next digest")
		want := fmt.Sprintf("期限变动：%s%s改为%d年%d月%d日(原暂定%d年%d月%d日)", wuCase.Number, shifted.Title,
			shifted.New.Year, shifted.New.Month, shifted.New.Day, shifted.Old.Year, shifted.Old.Month, shifted.Old.Day)
		require.Contains(t, got[0].Body, want, "the earliest moved date first")
		require.Contains(t, got[0].Body, "吴刚法官")
		require.Len(t, sentTo(e, wuMobile, notify.KeyDigest), 1, "no second digest that day")

		// A crash after the digest was put and before the moves were
		// marked told: the next run finds it and marks them.
		_, err = e.app.desk.DB.Exec(ctx, `UPDATE server_due_moves SET told_at = NULL`)
		require.NoError(t, err)
		_, err = e.app.digestOnce(ctx)
		require.NoError(t, err)
		e.dispatch()
		require.Len(t, sentTo(e, wuMobile, notify.KeyDigestMoves), 1, "not sent again")

		// Monday 30 November: the digest no longer repeats them.
		e.clock.Add(time.Date(2026, 11, 30, 8, 30, 0, 0, deadline.China).Sub(e.clock.Now()))
		_, err = e.app.digestOnce(ctx)
		require.NoError(t, err)
		e.dispatch()
		require.Len(t, sentTo(e, wuMobile, notify.KeyDigestMoves), 1, "moves are told once")
		plain := sentTo(e, wuMobile, notify.KeyDigest)
		require.Len(t, plain, 2)
		require.NotContains(t, plain[1].Body, "期限变动")

		// The judge without a mobile number: nothing sent, nothing marked
		// told, the moves on the week page and in the API.
		var wuList, maList []api.DueMove
		require.Equal(t, http.StatusOK, e.login("judge-wu").do("GET", "/api/v1/judges/judge-wu/due-moves", nil, &wuList))
		require.Len(t, wuList, len(wuMoves))
		for _, m := range wuList {
			require.NotNil(t, m.ToldAt, "%+v", m)
		}
		require.Equal(t, http.StatusOK, e.login("chief").do("GET", "/api/v1/judges/judge-ma/due-moves", nil, &maList))
		require.NotEmpty(t, maList)
		for _, m := range maList {
			require.Nil(t, m.ToldAt, "%+v", m)
			require.Equal(t, maCase.ID, m.CaseID)
		}
		require.Equal(t, http.StatusForbidden, e.login("judge-wu").do("GET", "/api/v1/judges/judge-ma/due-moves", nil, nil), "a judge sees their own")
		st, _, page := e.signIn("judge-ma").get("/week")
		require.Equal(t, http.StatusOK, st)
		require.Contains(t, page, "期限变动")
		require.Contains(t, page, maCase.Number.String())
		require.Contains(t, page, "尚未短信告知")
		require.Equal(t, 1, strings.Count(page, `id="moves-h"`))
		st, _, page = e.signIn("judge-wu").get("/week")
		require.Equal(t, http.StatusOK, st)
		require.Contains(t, page, "已于 2026-11-27 08:30 短信告知")
	})
}
