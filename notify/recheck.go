package notify

import (
	"slices"

	"github.com/courtkit/zhixing/enforcement"
)

// Reasons a message is cancelled at send time, in Chinese for the court's
// staff (see [RecheckCase]).
const (
	RecheckPartyGone     = "当事人已不在本案"
	RecheckNumberChanged = "当事人号码已变更"
	RecheckCaseClosed    = "案件已结案，消息不再适用"
)

// closedObsolete lists the templates whose messages lose their purpose once
// the case is closed: a solicitation before 终本, reminders and
// supervision of nodes of an open case. Notices of what happened (filing,
// measures, closure) still go.
var closedObsolete = []string{KeyOpinionSolicit, KeyDeadlineReminder, KeySupervision}

// RecheckCase returns the reason to cancel m given its case c as it stands
// now, or "" if m may still go. A message to a party is cancelled when the
// party is no longer on the case, has opted out, has its number marked
// wrong or removed, or has a number other than the one m was drafted for;
// a message whose purpose ended with the closure of the case (a
// solicitation, a reminder, a supervision order) is cancelled once the
// case is closed. A [CheckFunc] loads the case and calls it:
//
//	d.Check = func(ctx context.Context, m notify.Message) (string, error) {
//		c, err := cases.Get(ctx, m.CaseID)
//		if err != nil {
//			return "", err
//		}
//		return notify.RecheckCase(m, c), nil
//	}
//
// The opt-out confirmation ([KeyOptOutConfirm]) always goes.
func RecheckCase(m Message, c *enforcement.Case) string {
	if m.Template == KeyOptOutConfirm {
		return ""
	}
	if m.Recipient.PartyID != "" {
		p, ok := c.Party(m.Recipient.PartyID)
		if !ok {
			return RecheckPartyGone
		}
		now := PartyRecipient(p)
		if r := SkipReasonFor(now); r != "" {
			return r.Chinese()
		}
		if now.Mobile != m.Recipient.Mobile {
			return RecheckNumberChanged
		}
	}
	if c.IsClosed() && slices.Contains(closedObsolete, m.Template) {
		return RecheckCaseClosed
	}
	return ""
}
