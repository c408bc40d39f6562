package planning

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Sentinel errors for problems with a [Trip]. Each is matched by a *TripError
// with errors.Is.
var (
	// ErrTripNoID means the trip has no ID. Group IDs are derived from trip
	// IDs, so every trip needs one.
	ErrTripNoID = errors.New("planning: trip has no ID")
	// ErrTripNoJudge means the trip names no judge.
	ErrTripNoJudge = errors.New("planning: trip has no judge")
	// ErrTripNoTime means the trip's start or end is the zero time.
	ErrTripNoTime = errors.New("planning: trip has no start or end time")
	// ErrTripEndBeforeStart means the trip ends before it starts.
	ErrTripEndBeforeStart = errors.New("planning: trip ends before it starts")
	// ErrTripNoPlace means the place has neither a division code nor
	// coordinates, so it can never be matched with another trip.
	ErrTripNoPlace = errors.New("planning: trip has no division code or coordinates")
	// ErrInvalidDivision means a division code is not a six-digit
	// administrative division code (行政区划代码) of a known province.
	ErrInvalidDivision = errors.New("planning: invalid administrative division code")
	// ErrInvalidCoords means the latitude or longitude is out of range or
	// not a number.
	ErrInvalidCoords = errors.New("planning: coordinates out of range")
	// ErrDuplicateTrip means two trips passed to [Coordinate] share an ID.
	ErrDuplicateTrip = errors.New("planning: duplicate trip ID")
)

// TripError is one problem with one trip. It matches its sentinel (Err) with
// errors.Is.
type TripError struct {
	TripID string // the trip's ID, empty if the trip has none
	Field  string // the offending field, e.g. "End" or "Place.Division"
	Reason string // what is wrong, in English
	Err    error  // the sentinel, e.g. ErrTripEndBeforeStart
}

func (e *TripError) Error() string {
	return fmt.Sprintf("planning: trip %q: %s: %s", e.TripID, e.Field, e.Reason)
}

// Unwrap returns the sentinel.
func (e *TripError) Unwrap() error { return e.Err }

// Trip is a judge's field trip (外出办案): a visit to a place outside the court
// to serve documents, investigate property, seize assets or meet a party.
// Trips of different judges that coincide in time and place can be pooled
// (集约出行); see [Coordinate].
type Trip struct {
	ID        string    // unique within the trips passed to Coordinate
	JudgeID   string    // the judge (承办法官) making the trip
	JudgeName string    // the judge's name as shown in summaries, e.g. "张法官"
	CaseID    string    // case number text (案号), e.g. "（2024）沪0115执1234号"
	Start     time.Time // when the judge leaves
	End       time.Time // when the judge is back; not before Start
	Place     Place     // where the judge goes
	Purpose   string    // free text, e.g. "现场调查被执行人财产"
}

// Place is where a trip goes. A place is identified by its division code, its
// coordinates, or both; the address text is for people.
type Place struct {
	Address string // free text, e.g. "浦东新区张江路100号"
	// Division is the six-digit administrative division code (行政区划代码,
	// GB/T 2260) of the county-level area, e.g. "310115" for 浦东新区.
	// Empty when unknown.
	Division string
	// Lat and Lng are WGS-84 degrees. They are used only when HasCoords is
	// true, so (0, 0) is not mistaken for a real place.
	Lat, Lng  float64
	HasCoords bool
}

// Validate reports every problem with t at once, as *TripError values joined
// with errors.Join. It returns nil for a valid trip. A trip may start and end
// at the same instant.
func (t Trip) Validate() error {
	var errs []error
	add := func(field, reason string, sentinel error) {
		errs = append(errs, &TripError{TripID: t.ID, Field: field, Reason: reason, Err: sentinel})
	}
	if strings.TrimSpace(t.ID) == "" {
		add("ID", "empty", ErrTripNoID)
	}
	if strings.TrimSpace(t.JudgeID) == "" {
		add("JudgeID", "empty", ErrTripNoJudge)
	}
	if t.Start.IsZero() {
		add("Start", "zero time", ErrTripNoTime)
	}
	if t.End.IsZero() {
		add("End", "zero time", ErrTripNoTime)
	}
	if !t.Start.IsZero() && !t.End.IsZero() && t.End.Before(t.Start) {
		add("End", fmt.Sprintf("%s is before start %s", t.End.Format(time.RFC3339), t.Start.Format(time.RFC3339)), ErrTripEndBeforeStart)
	}
	p := t.Place
	if p.Division == "" && !p.HasCoords {
		add("Place", "neither a division code nor coordinates", ErrTripNoPlace)
	}
	if p.Division != "" {
		if reason := divisionProblem(p.Division); reason != "" {
			add("Place.Division", fmt.Sprintf("%q: %s", p.Division, reason), ErrInvalidDivision)
		}
	}
	if p.HasCoords {
		if !(p.Lat >= -90 && p.Lat <= 90) { // also catches NaN
			add("Place.Lat", fmt.Sprintf("%v not in [-90, 90]", p.Lat), ErrInvalidCoords)
		}
		if !(p.Lng >= -180 && p.Lng <= 180) {
			add("Place.Lng", fmt.Sprintf("%v not in [-180, 180]", p.Lng), ErrInvalidCoords)
		}
	}
	return errors.Join(errs...)
}

// provinceCodes are the two-digit province-level prefixes of GB/T 2260 division
// codes, including Taiwan (71), Hong Kong (81) and Macao (82).
var provinceCodes = [100]bool{
	11: true, 12: true, 13: true, 14: true, 15: true,
	21: true, 22: true, 23: true,
	31: true, 32: true, 33: true, 34: true, 35: true, 36: true, 37: true,
	41: true, 42: true, 43: true, 44: true, 45: true, 46: true,
	50: true, 51: true, 52: true, 53: true, 54: true,
	61: true, 62: true, 63: true, 64: true, 65: true,
	71: true, 81: true, 82: true,
}

// divisionPrefixProblem returns why code is not a division code, or "" if it
// is. With full set to false it accepts any prefix of 2 to 6 digits.
func divisionPrefixProblem(code string, full bool) string {
	if full && len(code) != 6 {
		return "want 6 digits"
	}
	if !full && (len(code) < 2 || len(code) > 6) {
		return "want 2 to 6 digits"
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return "want digits only"
		}
	}
	if !provinceCodes[int(code[0]-'0')*10+int(code[1]-'0')] {
		return "unknown province code " + code[:2]
	}
	return ""
}

func divisionProblem(code string) string { return divisionPrefixProblem(code, true) }

// earthRadiusKm is the mean Earth radius (IUGG), in kilometres.
const earthRadiusKm = 6371.0088

// DistanceKm returns the great-circle (haversine) distance in kilometres
// between two places' coordinates. It ignores HasCoords; callers check it.
func DistanceKm(a, b Place) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLng := (b.Lng - a.Lng) * rad
	s1 := math.Sin(dLat / 2)
	s2 := math.Sin(dLng / 2)
	h := s1*s1 + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*s2*s2
	if h > 1 {
		h = 1
	}
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(h))
}
