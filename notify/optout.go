package notify

import (
	"time"

	"github.com/courtkit/zhixing/enforcement"
)

// DraftOptOutConfirmation drafts the confirmation (退订确认) carriers
// require after an opt-out reply ([ReplyOptOut]) from r.Mobile: the
// number will get no more SMS from the court. replyID identifies the
// inbound reply (the provider's id), so drafting it twice yields one
// message. r is the party that wrote, or a recipient with only Mobile and
// a party Role when the number belongs to no known party. The message is
// queued at once, quiet hours or not, since it answers the sender, and it
// is addressed to the number whatever its opt-out: it is the last SMS the
// number gets. court is the court whose signature it carries.
func (d *Drafter) DraftOptOutConfirmation(court string, r Recipient, replyID string, now time.Time) (Message, error) {
	c := &enforcement.Case{Court: court}
	e := enforcement.Event{ID: "optout/" + replyID, Kind: "opt_out", Court: court}
	r.OptOut = false
	m, err := d.render(c, e, r, KeyOptOutConfirm, Vars{}, now)
	if err != nil {
		return Message{}, err
	}
	m.Urgent = true
	if err := m.Queue("inbound", now, now); err != nil {
		return Message{}, err
	}
	return m, nil
}
