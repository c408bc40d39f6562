package enforcement_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

func TestCase_OverrideDue(t *testing.T) {
	t.Parallel()
	const id = "notice.enforcement_legal/filing"
	// Filed 2024-03-01; the item is computed for 2024-03-11.
	tests := []struct {
		name     string
		id       string
		date     deadline.Date
		reason   string
		by       string
		policy   enforcement.OverridePolicy
		want     error
		wantCode string
	}{
		{"Valid", id, ymd(2024, 3, 8), "院内要求提前办理", "judge-wang", enforcement.OverridePolicy{}, nil, ""},
		{"OnTrigger", id, ymd(2024, 3, 1), "院内要求提前办理", "judge-wang", enforcement.OverridePolicy{}, nil, ""},
		{"OneYearLater", id, ymd(2025, 3, 11), "等待鉴定结论作出", "judge-wang", enforcement.OverridePolicy{}, nil, ""},
		{"FarFuture", id, ymd(9999, 12, 31), "等待鉴定结论作出", "judge-wang", enforcement.OverridePolicy{}, enforcement.ErrOverride, "after_latest"},
		{"DayAfterBound", id, ymd(2025, 3, 12), "等待鉴定结论作出", "judge-wang", enforcement.OverridePolicy{}, enforcement.ErrOverride, "after_latest"},
		{"BeforeTrigger", id, ymd(2024, 2, 29), "院内要求提前办理", "judge-wang", enforcement.OverridePolicy{}, enforcement.ErrOverride, "before_earliest"},
		{"Year1900", id, ymd(1900, 1, 1), "院内要求提前办理", "judge-wang", enforcement.OverridePolicy{}, enforcement.ErrOverride, "before_earliest"},
		{"CourtBoundThreeMonths", id, ymd(2024, 6, 12), "等待鉴定结论作出", "judge-wang", enforcement.OverridePolicy{MaxLaterMonths: 3}, enforcement.ErrOverride, "after_latest"},
		{"CourtBoundThreeMonthsOK", id, ymd(2024, 6, 11), "等待鉴定结论作出", "judge-wang", enforcement.OverridePolicy{MaxLaterMonths: 3}, nil, ""},
		{"ReasonDot", id, ymd(2024, 3, 8), ".", "judge-wang", enforcement.OverridePolicy{}, enforcement.ErrInvalid, "reason_too_short"},
		{"ReasonPunctuationOnly", id, ymd(2024, 3, 8), "。。。。。。，，，!!!   ", "judge-wang", enforcement.OverridePolicy{}, enforcement.ErrInvalid, "reason_too_short"},
		{"ReasonFiveLetters", id, ymd(2024, 3, 8), "院内要求。", "judge-wang", enforcement.OverridePolicy{}, enforcement.ErrInvalid, "reason_too_short"},
		{"CourtReasonShorter", id, ymd(2024, 3, 8), "院内要求", "judge-wang", enforcement.OverridePolicy{MinReason: 4}, nil, ""},
		{"InvalidDate", id, badDate, "院内要求提前办理", "judge-wang", enforcement.OverridePolicy{}, enforcement.ErrInvalid, "invalid_date"},
		{"NeedsUser", id, ymd(2024, 3, 8), "院内要求提前办理", " ", enforcement.OverridePolicy{}, enforcement.ErrInvalid, ""},
		{"UnknownItem", "nope", ymd(2024, 3, 8), "院内要求提前办理", "judge-wang", enforcement.OverridePolicy{}, enforcement.ErrNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := filedCase(t, "c1", ymd(2024, 3, 1))
			env := testEnv(t)
			env.Settings.Overrides = tt.policy
			before := c.Clone()
			evs, err := c.OverrideDue(tt.id, tt.date, tt.reason, tt.by, env, at(ymd(2024, 3, 2)))
			if tt.want != nil {
				require.ErrorIs(t, err, tt.want)
				if tt.wantCode != "" {
					var oe *enforcement.OverrideError
					require.ErrorAs(t, err, &oe)
					require.Equal(t, tt.wantCode, oe.Code)
					require.Equal(t, ymd(2024, 3, 1), oe.Earliest)
				}
				require.Equal(t, before, c, "unchanged on error")
				return
			}
			require.NoError(t, err)
			require.Equal(t, []enforcement.EventKind{enforcement.EventDueOverridden}, kinds(evs))
			x := dueOf(t, c, id)
			require.Equal(t, ymd(2024, 3, 11), x.Due(), "pending: the computed date stays in force")
			require.True(t, x.Override.IsPending())
			require.Equal(t, tt.date, x.Override.Date)
			require.Equal(t, "judge-wang", x.Override.By)
			require.Equal(t, at(ymd(2024, 3, 2)), x.Override.At)
		})
	}
}

func TestCase_ApproveOverride(t *testing.T) {
	t.Parallel()
	const id = "notice.enforcement_legal/filing"
	requested := func(t *testing.T) *enforcement.Case {
		c := filedCase(t, "c1", ymd(2024, 3, 1))
		_, err := c.OverrideDue(id, ymd(2024, 4, 30), "等待鉴定结论作出", "judge-wang", testEnv(t), at(ymd(2024, 3, 2)))
		require.NoError(t, err)
		return c
	}
	t.Run("Approve", func(t *testing.T) {
		t.Parallel()
		c := requested(t)
		evs, err := c.ApproveOverride(id, "同意延期", "chief-li", at(ymd(2024, 3, 3)))
		require.NoError(t, err)
		require.Equal(t, []enforcement.EventKind{enforcement.EventOverrideApproved}, kinds(evs))
		x := dueOf(t, c, id)
		require.Equal(t, ymd(2024, 4, 30), x.Due(), "approved: the override is in force")
		require.True(t, x.IsOverridden())
		require.Equal(t, enforcement.Override{Date: ymd(2024, 4, 30), Reason: "等待鉴定结论作出", By: "judge-wang", At: at(ymd(2024, 3, 2)),
			Status: enforcement.OverrideApproved, DecidedBy: "chief-li", DecidedAt: at(ymd(2024, 3, 3)), Note: "同意延期"}, *x.Override)

		t.Run("NewRequestPutsComputedBackInForce", func(t *testing.T) {
			_, err := c.OverrideDue(id, ymd(2024, 5, 30), "鉴定机构再次延期", "judge-wang", testEnv(t), at(ymd(2024, 3, 4)))
			require.NoError(t, err)
			require.Equal(t, ymd(2024, 3, 11), dueOf(t, c, id).Due())
		})
	})
	t.Run("Reject", func(t *testing.T) {
		t.Parallel()
		c := requested(t)
		evs, err := c.RejectOverride(id, "理由不充分", "chief-li", at(ymd(2024, 3, 3)))
		require.NoError(t, err)
		require.Equal(t, []enforcement.EventKind{enforcement.EventOverrideRejected}, kinds(evs))
		x := dueOf(t, c, id)
		require.Equal(t, ymd(2024, 3, 11), x.Due())
		require.Equal(t, enforcement.OverrideRejected, x.Override.Status)
		require.Equal(t, "理由不充分", x.Override.Note)
	})
	refused := []struct {
		name string
		fn   func(c *enforcement.Case) error
		want error
	}{
		{"SelfApproval", func(c *enforcement.Case) error {
			_, err := c.ApproveOverride(id, "", "judge-wang", at(ymd(2024, 3, 3)))
			return err
		}, enforcement.ErrNotAllowed},
		{"RejectWithoutNote", func(c *enforcement.Case) error {
			_, err := c.RejectOverride(id, " ", "chief-li", at(ymd(2024, 3, 3)))
			return err
		}, enforcement.ErrInvalid},
		{"NoPending", func(c *enforcement.Case) error {
			_, err := c.ApproveOverride("case.limit/filing", "同意", "chief-li", at(ymd(2024, 3, 3)))
			return err
		}, enforcement.ErrNotAllowed},
		{"DecidedTwice", func(c *enforcement.Case) error {
			if _, err := c.ApproveOverride(id, "同意", "chief-li", at(ymd(2024, 3, 3))); err != nil {
				return err
			}
			_, err := c.RejectOverride(id, "改变主意", "chief-li", at(ymd(2024, 3, 4)))
			return err
		}, enforcement.ErrNotAllowed},
		{"UnknownItem", func(c *enforcement.Case) error {
			_, err := c.ApproveOverride("nope", "同意", "chief-li", at(ymd(2024, 3, 3)))
			return err
		}, enforcement.ErrNotFound},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := requested(t)
			require.ErrorIs(t, tt.fn(c), tt.want)
		})
	}
}
