package enforcement

import (
	"slices"
	"strconv"
	"time"
)

// ResetQueryCode invalidates the query code (查询码) of party id and gives
// it a new one, by advancing the party's [Party.CodeGeneration]. The event
// (EventQueryCodeReset, Ref "party@generation") lets notify send the party
// a notice with the new code. A judge resets a code when a party reports it
// lost or seen by someone else.
func (c *Case) ResetQueryCode(id, by string, now time.Time) ([]Event, error) {
	i := slices.IndexFunc(c.Parties, func(p Party) bool { return p.ID == id })
	if i < 0 {
		return nil, &ValidationError{What: "query code reset", Fields: []FieldError{{Field: "party_id", Code: "unknown_party", Detail: id}}}
	}
	work := c.Clone()
	work.Parties[i].CodeGeneration++
	work.UpdatedAt = now
	ref := id + "@" + strconv.Itoa(work.Parties[i].CodeGeneration)
	return work.commit(c, []Event{newEvent(work, EventQueryCodeReset, ref, now, by)})
}
