package desk

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// Court is one court (法院) of the deployment, a tenant: its cases, users,
// plans, trips, messages and audit entries are its own, and nothing of it
// is visible to another court. A province's courts (a high court, its
// intermediate courts and their basic courts) share one deployment, one
// database and the one national holiday calendar.
type Court struct {
	// Code is the court's code (法院代字) as case numbers carry it, e.g.
	// 沪01 or 沪0115; Name its full name, e.g. 上海市第一中级人民法院.
	Code string `json:"code"`
	Name string `json:"name"`
	// High marks a high court (高级人民法院): it has no cases of its own.
	High bool `json:"high,omitempty"`
	// Signature, Contact and Phone go into the court's SMS texts: the
	// signature with its brackets (【上海一中院】), the contact line and
	// the enforcement division's number parties call (联系电话).
	Signature string `json:"signature,omitempty"`
	Contact   string `json:"contact,omitempty"`
	Phone     string `json:"phone,omitempty"`
	// Leaders are the user ids of the court's leaders (the chief of the
	// enforcement bureau and the court leaders in charge), told of
	// coordinated field trips besides the court's chiefs.
	Leaders []string `json:"leaders,omitempty"`
	// Divisions are the court's enforcement divisions (庭) with their
	// heads (庭长).
	Divisions []Division `json:"divisions,omitempty"`
	// Districts are the districts the court's field trips go to, with
	// coordinates; empty means DefaultDistricts.
	Districts []District `json:"districts,omitempty"`
	// Area is the district codes the court has jurisdiction over (辖区);
	// a trip to a district in another court's area is a candidate for
	// entrusting the task to that court (执行事项委托). Empty means the
	// districts marked Home.
	Area []string `json:"area,omitempty"`

	// Rules and Settings, when set, replace the deployment's rule set and
	// settings for the court's cases.
	Rules    *enforcement.RuleSet  `json:"-"`
	Settings *enforcement.Settings `json:"-"`
	// Drafter drafts the court's messages, with its own templates (its
	// signature and contact); the server builds it (see NewCourtDrafter).
	Drafter *notify.Drafter `json:"-"`
}

// clone returns a copy of c that shares no slice with it.
func (c *Court) clone() Court {
	out := *c
	out.Leaders = slices.Clone(c.Leaders)
	out.Divisions = slices.Clone(c.Divisions)
	for i := range out.Divisions {
		out.Divisions[i].Judges = slices.Clone(out.Divisions[i].Judges)
	}
	out.Districts = slices.Clone(c.Districts)
	out.Area = slices.Clone(c.Area)
	return out
}

// AllDistricts returns the court's districts, DefaultDistricts when none
// are set, with Home set on exactly the districts of its area.
func (c *Court) AllDistricts() []District {
	ds := DefaultDistricts()
	if len(c.Districts) > 0 {
		ds = slices.Clone(c.Districts)
	}
	if len(c.Area) > 0 {
		for i := range ds {
			ds[i].Home = slices.Contains(c.Area, ds[i].Code)
		}
	}
	return ds
}

// AreaCodes returns the district codes of the court's area: Area, or the
// codes of its districts marked Home.
func (c *Court) AreaCodes() []string {
	if len(c.Area) > 0 {
		return slices.Clone(c.Area)
	}
	var out []string
	for _, d := range c.AllDistricts() {
		if d.Home {
			out = append(out, d.Code)
		}
	}
	return out
}

// ValidateCourts reports every problem with a deployment's court list:
// none listed, a court without a code or name, a code listed twice, a
// division without a head, a bad district list, and a district in the
// area of two courts.
func ValidateCourts(cs []Court) error {
	if len(cs) == 0 {
		return errors.New("no court listed")
	}
	var errs []error
	seen := map[string]bool{}
	areaOf := map[string]string{}
	for i, c := range cs {
		name := fmt.Sprintf("court %d (%s)", i, c.Code)
		if strings.TrimSpace(c.Code) == "" {
			errs = append(errs, fmt.Errorf("court %d: no code", i))
		} else if c.Code != strings.TrimSpace(c.Code) || strings.ContainsAny(c.Code, "/?#&") {
			errs = append(errs, fmt.Errorf("%s: code has spaces or URL characters", name))
		}
		if seen[c.Code] {
			errs = append(errs, fmt.Errorf("%s: code listed twice", name))
		}
		seen[c.Code] = true
		if strings.TrimSpace(c.Name) == "" {
			errs = append(errs, fmt.Errorf("%s: no name", name))
		}
		for j, dv := range c.Divisions {
			if strings.TrimSpace(dv.Head) == "" {
				errs = append(errs, fmt.Errorf("%s: division %d (%s) has no head", name, j, dv.Name))
			}
		}
		if len(c.Districts) > 0 {
			if err := ValidateDistricts(c.Districts); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
		for _, a := range c.Area {
			if o, dup := areaOf[a]; dup && o != c.Code {
				errs = append(errs, fmt.Errorf("%s: district %s is already in the area of %s", name, a, o))
			}
			areaOf[a] = c.Code
		}
	}
	if len(cs) > 0 && allHigh(cs) {
		errs = append(errs, errors.New("only high courts listed: at least one court must take cases"))
	}
	return errors.Join(errs...)
}

func allHigh(cs []Court) bool {
	for _, c := range cs {
		if !c.High {
			return false
		}
	}
	return true
}

// SetCourts sets the deployment's courts (see ValidateCourts). The first
// court that is not a high court is the default one: the court of a
// principal that names none, as of sessions opened before courts were
// recorded on them. It is called once, before the desk serves.
func (d *Desk) SetCourts(cs []Court) error {
	if err := ValidateCourts(cs); err != nil {
		return err
	}
	d.courts = make([]*Court, len(cs))
	d.courtIdx = make(map[string]*Court, len(cs))
	for i := range cs {
		c := cs[i].clone()
		d.courts[i] = &c
		d.courtIdx[c.Code] = &c
	}
	for _, c := range d.courts {
		if !c.High {
			d.home = c.Code
			break
		}
	}
	return nil
}

// Courts returns the deployment's courts in the configured order.
func (d *Desk) Courts() []Court {
	out := make([]Court, len(d.courts))
	for i, c := range d.courts {
		out[i] = c.clone()
	}
	return out
}

// CaseCourts returns the codes of the courts that take cases (all but the
// high courts), for jobs that loop over the courts.
func (d *Desk) CaseCourts() []string {
	var out []string
	for _, c := range d.courts {
		if !c.High {
			out = append(out, c.Code)
		}
	}
	return out
}

// CourtOf returns the court with code and whether there is one.
func (d *Desk) CourtOf(code string) (Court, bool) {
	c, ok := d.courtIdx[code]
	if !ok {
		return Court{}, false
	}
	return c.clone(), true
}

// DefaultCourt is the code of the default court (see SetCourts).
func (d *Desk) DefaultCourt() string { return d.home }

// CourtFor returns the code of p's court: p.Court, or the default court
// when p names none.
func (d *Desk) CourtFor(p *Principal) string {
	if p != nil && p.Court != "" {
		return p.Court
	}
	return d.home
}

// CourtName returns the name of the court with code, or code itself for
// a court not configured.
func (d *Desk) CourtName(code string) string {
	if c, ok := d.courtIdx[code]; ok {
		return c.Name
	}
	return code
}

// court returns the configured court with code, or an empty court of
// that code (DefaultDistricts, the deployment's rules) when there is none.
func (d *Desk) court(code string) *Court {
	if c, ok := d.courtIdx[code]; ok {
		return c
	}
	return &Court{Code: code, Name: code}
}

// Drafter returns the drafter of court code's messages, nil when none is
// set.
func (d *Desk) Drafter(code string) *notify.Drafter {
	if c, ok := d.courtIdx[code]; ok && c.Drafter != nil {
		return c.Drafter
	}
	if d.home != "" {
		if c := d.courtIdx[d.home]; c != nil {
			return c.Drafter
		}
	}
	return nil
}

// NewCourtDrafter builds court c's drafter: the default templates with its
// signature, contact and phone and the query site; staff and query codes
// come from the desk.
func (d *Desk) NewCourtDrafter(c Court, querySite string) (*notify.Drafter, error) {
	tpl, err := notify.DefaultTemplates(notify.Config{Signature: c.Signature, Contact: c.Contact, QuerySite: querySite})
	if err != nil {
		return nil, fmt.Errorf("court %s templates: %w", c.Code, err)
	}
	return &notify.Drafter{Templates: tpl, Policy: d.Policy, Staff: d.Staff, Phone: c.Phone, QueryCode: d.PartyCode}, nil
}

// Env returns the environment of court code's cases: the calendar in use
// and the court's rules and settings, or the deployment's.
func (d *Desk) Env(code string) enforcement.Env {
	env := enforcement.Env{Calendar: d.cal.Load(), Rules: d.Rules, Settings: d.Settings}
	if c, ok := d.courtIdx[code]; ok {
		if c.Rules != nil {
			env.Rules = c.Rules
		}
		if c.Settings != nil {
			env.Settings = *c.Settings
		}
	}
	return env
}

// RulesOf returns the rule set of court code's cases and whether they may
// have provisional due dates.
func (d *Desk) RulesOf(code string) (*enforcement.RuleSet, bool) {
	rules, settings := d.Rules, d.Settings
	if c, ok := d.courtIdx[code]; ok {
		if c.Rules != nil {
			rules = c.Rules
		}
		if c.Settings != nil {
			settings = *c.Settings
		}
	}
	return rules, settings.AllowProvisional
}

// AreaCourt returns the court of the deployment whose area holds district
// code, and whether there is one.
func (d *Desk) AreaCourt(district string) (Court, bool) {
	for _, c := range d.courts {
		if slices.Contains(c.AreaCodes(), district) {
			return c.clone(), true
		}
	}
	return Court{}, false
}
