package enforcement

import (
	"slices"
	"time"
)

// PartyUpdate is a partial update of a party's contact details and SMS
// marks. Nil fields are left unchanged.
type PartyUpdate struct {
	Mobile      *string // normalised with NormaliseMobile; "" clears it
	OptOut      *bool
	WrongNumber *bool
}

// UpdateParty changes party id's mobile number, opt-out or wrong-number
// mark, as a party asks or a failed delivery shows. A new number clears the
// wrong-number mark unless the update sets it. On error c is unchanged.
func (c *Case) UpdateParty(id string, u PartyUpdate, by string, now time.Time) ([]Event, error) {
	i := slices.IndexFunc(c.Parties, func(p Party) bool { return p.ID == id })
	if i < 0 {
		return nil, &ValidationError{What: "party update", Fields: []FieldError{{Field: "party_id", Code: "unknown_party", Detail: id}}}
	}
	p := c.Parties[i]
	if u.Mobile != nil {
		if *u.Mobile == "" {
			p.Mobile = ""
		} else {
			m, err := NormaliseMobile(*u.Mobile)
			if err != nil {
				return nil, &ValidationError{What: "party update", Fields: []FieldError{{Field: "mobile", Code: "invalid_mobile", Detail: err.Error()}}}
			}
			if m != p.Mobile {
				p.WrongNumber = false
			}
			p.Mobile = m
		}
	}
	if u.OptOut != nil {
		p.OptOut = *u.OptOut
	}
	if u.WrongNumber != nil {
		p.WrongNumber = *u.WrongNumber
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	work := c.Clone()
	work.Parties[i] = p
	work.UpdatedAt = now
	return work.commit(c, []Event{newEvent(work, EventPartyUpdated, id+"@"+now.UTC().Format(time.RFC3339Nano), now, by)})
}
