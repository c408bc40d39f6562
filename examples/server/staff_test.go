package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/notify"
)

// The judge hears by SMS when a party answers a solicitation or submits a
// request, and the chief when a 督办 order is answered; every text names
// the staff by their display names, never by user IDs.
func TestFlow_StaffTextsUseNames(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		e := start(t, b)
		ctx := t.Context()
		e.relay()
		e.dispatch()
		noIDs := func(t *testing.T, body string) {
			t.Helper()
			for _, id := range []string{"chief", "judge-li", "judge-zhang", "judge-chen"} {
				require.NotContains(t, body, id)
			}
		}

		// The 督办 order seeded on demo-8 reads the chief's name.
		orders := sentTo(e, "13900000004", notify.KeySupervision)
		require.NotEmpty(t, orders)
		require.Contains(t, orders[0].Body, "王建国")
		noIDs(t, orders[0].Body)

		// The applicant of demo-7 answers the solicitation by SMS.
		st := e.webhook("/api/v1/sms/replies", map[string]any{"event_id": "in-op", "from": "13800001007", "text": "K7Q2 1",
			"received_at": e.clock.Now().Format(time.RFC3339), "provider_id": "mo-op"})
		require.Equal(t, http.StatusNoContent, st)
		// A party of demo-8 submits a request.
		_, err := e.app.desk.ReceiveRequest(ctx, &desk.Principal{Role: desk.RoleParty, CaseID: "demo-8", PartyID: "a1", ActingUntil: e.clock.Now().Add(time.Hour)}, "demo-8",
			enforcement.Request{Text: "请尽快查询被执行人名下车辆"})
		require.NoError(t, err)
		// judge-chen answers the 督办 order of demo-8.
		c, err := e.app.store.Get(ctx, "demo-8")
		require.NoError(t, err)
		require.NotEmpty(t, c.Orders)
		_, err = e.app.desk.AnswerSupervision(ctx, &desk.Principal{Role: desk.RoleJudge, UserID: "judge-chen"}, "demo-8", c.Orders[0].ID, "已完成网络查控，正在调查车辆。")
		require.NoError(t, err)
		e.dispatch()

		opinion := sentTo(e, "13900000003", notify.KeyOpinionJudge)
		require.Len(t, opinion, 1, "judge-zhang is told of the answer")
		require.Contains(t, opinion[0].Body, "张华法官")
		noIDs(t, opinion[0].Body)

		var request []notify.Outgoing
		for _, o := range sentTo(e, "13900000004", notify.KeyRequestReceived) {
			if strings.Contains(o.Body, "执108号") {
				request = append(request, o)
			}
		}
		require.Len(t, request, 1, "judge-chen is told of the request on demo-8")
		require.Contains(t, request[0].Body, "陈静法官")
		require.Contains(t, request[0].Body, "车辆")
		noIDs(t, request[0].Body)

		answered := sentTo(e, "13900000001", notify.KeySupervisionAnswered)
		require.Len(t, answered, 1, "the chief is told the order was answered")
		require.Contains(t, answered[0].Body, "王建国")
		require.Contains(t, answered[0].Body, "陈静法官")
		noIDs(t, answered[0].Body)
	})
}
