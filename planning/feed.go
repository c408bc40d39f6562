package planning

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// ErrInvalidFeed means [Feed] was called without a judge or a UID domain.
var ErrInvalidFeed = errors.New("planning: invalid feed input")

// FeedTZID is the time zone ID of timed events in feeds. The feed carries
// its VTIMEZONE: a fixed UTC+8 offset, exact since China has observed no
// daylight saving time since 1991.
const FeedTZID = "Asia/Shanghai"

// Defaults used when a [FeedConfig] field is zero.
const (
	DefaultFeedName    = "执行期限与工作计划"
	DefaultFeedProdID  = "-//courtkit//zhixing//ZH"
	DefaultFeedAlarmAt = 9 * time.Hour
)

// FeedConfig tunes [Feed]. Domain is required; the zero value of every
// other field means the documented default.
type FeedConfig struct {
	// Domain ends every UID, e.g. "zhixing.court.example.cn"; use one the
	// court controls, so that UIDs are globally unique (RFC 5545 3.8.4.7).
	Domain string
	// Name is the calendar's name shown by clients; default DefaultFeedName.
	Name string
	// ProdID is the PRODID; default DefaultFeedProdID.
	ProdID string
	// ApproachingWorkdays is the approaching threshold of [ReminderConfig];
	// a due item gets an alarm on the day it turns approaching. Zero or less
	// means enforcement.DefaultApproachingWorkdays.
	ApproachingWorkdays int
	// AlarmAt is the China Standard Time of day at which due-item alarms
	// go off; default DefaultFeedAlarmAt (09:00).
	AlarmAt time.Duration
}

// Feed returns judge judgeID's due items and plans as an iCalendar (RFC 5545)
// feed, for phone and desktop calendars to subscribe to. It is pure: now is
// the feed's DTSTAMP, and the same input gives the same bytes.
//
// Each open due item of the judge's cases is an all-day event (VALUE=DATE)
// on its date in force, with the legal basis and the computation in its
// description and an alarm (VALARM) at AlarmAt on each of its warning dates,
// on the day it turns approaching (enforcement.ApproachingFrom with
// ApproachingWorkdays, on cal; skipped when cal is nil or does not cover
// it) and on the due day. A party's own right (enforcement.DueItem.IsRight)
// is an event marked 【当事人权利】 in the law's words, with no alarm; a date
// that is not definite is marked （暂定）.
// Each plan item is an event: timed items in local time with
// TZID=Asia/Shanghai, all-day items as dates; items of a draft plan are
// TENTATIVE, of a submitted plan CONFIRMED.
//
// # Updates
//
// Subscribed calendars match events by UID, so a moved deadline or plan item
// updates the existing event instead of adding a second one. UIDs are stable:
//
//	due/<case ID>/<due item ID>@<Domain>
//	plan/<plan ID>/<item ID>@<Domain>
//
// SEQUENCE is the version of the record that owns the event: the case's
// Version for a due item, the plan's Version for a plan item. Stores increase
// a version on every change, and every change to a due date or a plan item
// goes through one, so the SEQUENCE of an event never decreases and grows
// whenever it moves. It may also grow when something else in the case
// changes; clients then refresh an unchanged event, which is harmless.
// LAST-MODIFIED is the case's UpdatedAt or the plan's UpdatedAt.
//
// Closed, done and cancelled due items are left out; clients drop an event
// that disappears from a subscription.
func Feed(judgeID string, plans []*Plan, cases []*enforcement.Case, now time.Time, cal *deadline.Calendar, cfg FeedConfig) ([]byte, error) {
	if strings.TrimSpace(judgeID) == "" || strings.TrimSpace(cfg.Domain) == "" {
		return nil, fmt.Errorf("%w: need a judge and a UID domain", ErrInvalidFeed)
	}
	name := cmp.Or(cfg.Name, DefaultFeedName)
	c := ical.NewCalendar()
	setText(c.Props, ical.PropProductID, cmp.Or(cfg.ProdID, DefaultFeedProdID))
	setRaw(c.Props, ical.PropVersion, "2.0")
	setRaw(c.Props, ical.PropCalendarScale, "GREGORIAN")
	setRaw(c.Props, ical.PropMethod, "PUBLISH")
	setText(c.Props, ical.PropName, name)
	setText(c.Props, "X-WR-CALNAME", name)
	setRaw(c.Props, "X-WR-TIMEZONE", FeedTZID)
	// RFC 7986 requires the VALUE parameter on REFRESH-INTERVAL.
	setRaw(c.Props, ical.PropRefreshInterval, "PT1H")
	c.Props.Get(ical.PropRefreshInterval).Params.Set(ical.ParamValue, string(ical.ValueDuration))
	setRaw(c.Props, "X-PUBLISHED-TTL", "PT1H")
	c.Children = append(c.Children, vtimezone())

	f := feed{cfg: cfg, cal: cal, stamp: now.UTC()}
	if f.cfg.AlarmAt <= 0 {
		f.cfg.AlarmAt = DefaultFeedAlarmAt
	}
	for _, cs := range cases {
		if cs == nil || cs.JudgeID != judgeID {
			continue
		}
		for i := range cs.DueItems {
			if d := &cs.DueItems[i]; d.IsOpen() && d.Due().IsValid() {
				c.Children = append(c.Children, f.dueEvent(cs, d))
			}
		}
	}
	for _, p := range plans {
		if p == nil || p.JudgeID != judgeID {
			continue
		}
		for _, it := range p.Items {
			c.Children = append(c.Children, f.planEvent(p, it))
		}
	}
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(c); err != nil {
		return nil, fmt.Errorf("planning: encode feed of %s: %w", judgeID, err)
	}
	return fold(buf.Bytes()), nil
}

type feed struct {
	cfg   FeedConfig
	cal   *deadline.Calendar
	stamp time.Time
}

// vtimezone returns the VTIMEZONE of FeedTZID: UTC+8 all year.
func vtimezone() *ical.Component {
	std := ical.NewComponent(ical.CompTimezoneStandard)
	setRaw(std.Props, ical.PropDateTimeStart, "19700101T000000")
	setRaw(std.Props, ical.PropTimezoneOffsetFrom, "+0800")
	setRaw(std.Props, ical.PropTimezoneOffsetTo, "+0800")
	setRaw(std.Props, ical.PropTimezoneName, "CST")
	tz := ical.NewComponent(ical.CompTimezone)
	setRaw(tz.Props, ical.PropTimezoneID, FeedTZID)
	tz.Children = append(tz.Children, std)
	return tz
}

// setText sets a property of type TEXT, escaped, dropping carriage returns,
// which RFC 5545 text cannot carry (line feeds are escaped as \n).
func setText(props ical.Props, name, text string) {
	p := ical.NewProp(name)
	p.SetText(strings.ReplaceAll(text, "\r", ""))
	p.Params.Del(ical.ParamValue)
	props.Set(p)
}

// setRaw sets a property to a value that needs no escaping, in the
// property's default value type.
func setRaw(props ical.Props, name, value string) {
	p := ical.NewProp(name)
	p.Value = value
	props.Set(p)
}

func setDate(props ical.Props, name string, d deadline.Date) {
	p := ical.NewProp(name)
	p.SetValueType(ical.ValueDate)
	p.Value = fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day)
	props.Set(p)
}

func setLocal(props ical.Props, name string, t time.Time) {
	p := ical.NewProp(name)
	p.Params.Set(ical.ParamTimezoneID, FeedTZID)
	p.Value = t.In(deadline.China).Format("20060102T150405")
	props.Set(p)
}

func setUTC(props ical.Props, name string, t time.Time) {
	p := ical.NewProp(name)
	p.Value = t.UTC().Format("20060102T150405Z")
	props.Set(p)
}

func (f *feed) event(uid string, seq int64, modified time.Time) *ical.Event {
	e := ical.NewEvent()
	setText(e.Props, ical.PropUID, uid+"@"+f.cfg.Domain)
	setUTC(e.Props, ical.PropDateTimeStamp, f.stamp)
	setRaw(e.Props, ical.PropSequence, strconv.FormatInt(max(seq, 0), 10))
	if !modified.IsZero() {
		setUTC(e.Props, ical.PropLastModified, modified)
	}
	return e
}

func (f *feed) dueEvent(c *enforcement.Case, d *enforcement.DueItem) *ical.Component {
	due := d.Due()
	e := f.event("due/"+c.ID+"/"+d.ID, c.Version, c.UpdatedAt)
	setDate(e.Props, ical.PropDateTimeStart, due)
	setDate(e.Props, ical.PropDateTimeEnd, due.AddDays(1))
	summary := "【期限】" + d.Title + " " + c.Number.String()
	if !d.IsDefinite() {
		summary += "（暂定）"
	}
	if d.IsRight() {
		// A party's own right is not the judge's deadline: it is shown
		// for reference, in the law's words, with no alarm.
		summary = "【当事人权利】" + d.RightText() + " " + c.Number.String()
	}
	setText(e.Props, ical.PropSummary, summary)
	setText(e.Props, ical.PropDescription, dueDescription(c, d))
	setRaw(e.Props, ical.PropTransparency, "TRANSPARENT")
	setRaw(e.Props, ical.PropStatus, "CONFIRMED")
	setText(e.Props, ical.PropCategories, "执行期限")
	if d.IsRight() {
		return e.Component
	}

	// Alarm days: the warning dates, the day the item turns approaching
	// (the day enforcement.LevelOf says so, also for a due date on a rest
	// day), and the due day, each once, in date order.
	days := slices.Clone(d.Warnings)
	if f.cal != nil {
		if a, err := enforcement.ApproachingFrom(f.cal, due, f.cfg.ApproachingWorkdays); err == nil {
			days = append(days, a)
		}
	}
	days = append(days, due)
	slices.SortFunc(days, deadline.Date.Compare)
	days = slices.Compact(days)
	for _, day := range days {
		if !day.IsValid() || day.After(due) {
			continue
		}
		a := ical.NewComponent(ical.CompAlarm)
		setRaw(a.Props, ical.PropAction, "DISPLAY")
		trig := ical.NewProp(ical.PropTrigger)
		trig.SetValueType(ical.ValueDateTime)
		trig.Value = day.Start().Add(f.cfg.AlarmAt).UTC().Format("20060102T150405Z")
		a.Props.Set(trig)
		label := "期限提醒"
		if day == due {
			label = "今日到期"
		}
		setText(a.Props, ical.PropDescription, fmt.Sprintf("%s：%s %s（%s 到期）", label, d.Title, c.Number, due))
		e.Children = append(e.Children, a)
	}
	return e.Component
}

func dueDescription(c *enforcement.Case, d *enforcement.DueItem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "案号：%s\n期限：%s", c.Number, d.Due())
	if d.IsOverridden() {
		fmt.Fprintf(&b, "（人工调整，原计算为 %s：%s）", d.Computed, d.Override.Reason)
	}
	if d.Basis != "" {
		fmt.Fprintf(&b, "\n依据：%s", d.Basis)
	}
	if len(d.CalcBasis) > 0 {
		fmt.Fprintf(&b, "\n期间计算：%s", strings.Join(d.CalcBasis, "；"))
	}
	for _, s := range d.Steps {
		fmt.Fprintf(&b, "\n· %s", s.Text)
	}
	return b.String()
}

func (f *feed) planEvent(p *Plan, it Item) *ical.Component {
	e := f.event("plan/"+p.ID+"/"+it.ID, p.Version, p.UpdatedAt)
	if it.IsAllDay() {
		setDate(e.Props, ical.PropDateTimeStart, it.Day)
		setDate(e.Props, ical.PropDateTimeEnd, it.Day.AddDays(1))
	} else {
		setLocal(e.Props, ical.PropDateTimeStart, it.Start)
		if it.End.After(it.Start) {
			setLocal(e.Props, ical.PropDateTimeEnd, it.End)
		}
	}
	summary := "【" + it.Kind.Chinese() + "】" + it.Title
	if it.Done {
		summary += "（已完成）"
	}
	setText(e.Props, ical.PropSummary, summary)
	status := "TENTATIVE"
	if p.Status == StatusSubmitted {
		status = "CONFIRMED"
	}
	setRaw(e.Props, ical.PropStatus, status)
	setText(e.Props, ical.PropCategories, "工作计划")
	var desc []string
	if it.CaseID != "" {
		desc = append(desc, "案件："+it.CaseID)
	}
	if it.DueID != "" {
		desc = append(desc, "对应期限："+it.DueID)
	}
	if t := it.Trip; t != nil {
		if t.Place.Address != "" {
			setText(e.Props, ical.PropLocation, t.Place.Address)
		}
		if t.Place.HasCoords {
			setRaw(e.Props, ical.PropGeo, strconv.FormatFloat(t.Place.Lat, 'f', 6, 64)+";"+strconv.FormatFloat(t.Place.Lng, 'f', 6, 64))
		}
		if t.Purpose != "" {
			desc = append(desc, "事由："+t.Purpose)
		}
	}
	if len(desc) > 0 {
		setText(e.Props, ical.PropDescription, strings.Join(desc, "\n"))
	}
	return e.Component
}

// fold folds content lines longer than 75 octets (RFC 5545 3.1), breaking
// between UTF-8 sequences so that no character is split.
func fold(b []byte) []byte {
	const limit = 75
	var out bytes.Buffer
	out.Grow(len(b) + len(b)/64)
	for len(b) > 0 {
		i := bytes.Index(b, []byte("\r\n"))
		line := b
		if i >= 0 {
			line, b = b[:i], b[i+2:]
		} else {
			b = nil
		}
		room := limit
		for len(line) > room {
			cut := room
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			out.Write(line[:cut])
			out.WriteString("\r\n ")
			line = line[cut:]
			room = limit - 1
		}
		out.Write(line)
		out.WriteString("\r\n")
	}
	return out.Bytes()
}
