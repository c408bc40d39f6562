package enforcement

import (
	"fmt"
	"slices"
	"time"

	"github.com/courtkit/zhixing/deadline"
)

// CorrectNode corrects the date of node id, recorded wrongly, and
// recomputes the open due items the node started (and those derived from
// them) from the corrected date. The node keeps its ID, so the record of
// the correction is the event (and the caller's audit log of the case
// before and after): an [EventNodeCorrected] event, and an [EventDueMoved]
// event listing the items that moved. The filing nodes follow the case's
// filing and receipt dates and are not corrected here. On error c is
// unchanged.
func (c *Case) CorrectNode(id string, date deadline.Date, env Env, actor string, now time.Time) ([]Event, error) {
	if c.IsClosed() {
		return nil, &StateError{Action: "correct node", Reason: "case is closed", Closed: true}
	}
	i := slices.IndexFunc(c.Nodes, func(n Node) bool { return n.ID == id })
	if i < 0 {
		return nil, fmt.Errorf("enforcement: node %s: %w", id, ErrNotFound)
	}
	if k := c.Nodes[i].Kind; k == NodeApplication || k == NodeFiling {
		return nil, &StateError{Action: "correct node", Reason: "the filing nodes follow the case's filing and receipt dates"}
	}
	pr := problems{what: "node"}
	if !date.IsValid() {
		pr.add("date", "invalid_date", "")
	} else if date.Before(c.FiledOn) {
		pr.add("date", "before_filing", "must not be before filed_on")
	}
	if err := pr.err(); err != nil {
		return nil, err
	}
	work := c.Clone()
	work.Nodes[i].Date = date
	events := []Event{newEvent(work, EventNodeCorrected, id+"@"+now.UTC().Format(time.RFC3339Nano), now, actor)}
	r, ok := env.Rules.(Recomputer)
	if !ok || env.Calendar == nil {
		return work.commit(c, events)
	}
	var moved []string
	for j, d := range work.DueItems {
		if !d.IsOpen() || d.TriggerRef != id {
			continue
		}
		n, err := r.Recompute(work, d, env.Calendar, env.Settings.AllowProvisional)
		if err != nil {
			return nil, fmt.Errorf("enforcement: recompute %s: %w", d.ID, err)
		}
		// The item takes the new trigger date and steps; it moved when
		// its date or reminders changed.
		work.DueItems[j] = n
		if n.Computed != d.Computed || n.Provisional != d.Provisional || !slices.Equal(n.Warnings, d.Warnings) {
			moved = append(moved, d.ID)
		}
	}
	if len(moved) > 0 {
		events = append(events, newEvent(work, EventDueMoved, "node/"+id+"@"+now.UTC().Format(time.RFC3339Nano), now, actor, moved...))
	}
	return work.commit(c, events)
}
