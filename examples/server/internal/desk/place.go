package desk

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/courtkit/zhixing/planning"
)

// District is a county-level division (区县) a field trip can go to: the
// court's own districts and the neighbouring ones its judges travel to,
// with the coordinates (WGS-84 degrees) of the district's seat, so that
// trips picked by district are matched by distance too (see
// planning.CoordinationConfig.MaxDistanceKm).
type District struct {
	Code string  `json:"code"` // six-digit GB/T 2260 code, e.g. 310115
	Name string  `json:"name"` // e.g. 浦东新区, or 苏州市姑苏区 out of the city
	Lat  float64 `json:"lat"`
	Lng  float64 `json:"lng"`
	// Home marks the court's own jurisdiction (辖区); a trip elsewhere is
	// suggested for entrustment to the local court (执行事项委托).
	Home bool `json:"home"`
}

// DefaultDistricts are the 16 districts of Shanghai, the demo court's
// area, and four neighbouring ones out of it, with the approximate
// coordinates of each district government's seat. A court replaces them
// with its own (config -districts).
func DefaultDistricts() []District {
	return []District{
		{"310101", "黄浦区", 31.2317, 121.4846, true},
		{"310104", "徐汇区", 31.1885, 121.4365, true},
		{"310105", "长宁区", 31.2204, 121.4244, true},
		{"310106", "静安区", 31.2294, 121.4480, true},
		{"310107", "普陀区", 31.2496, 121.3970, true},
		{"310109", "虹口区", 31.2646, 121.5054, true},
		{"310110", "杨浦区", 31.2595, 121.5260, true},
		{"310112", "闵行区", 31.1128, 121.3816, true},
		{"310113", "宝山区", 31.4054, 121.4893, true},
		{"310114", "嘉定区", 31.3747, 121.2655, true},
		{"310115", "浦东新区", 31.2215, 121.5447, true},
		{"310116", "金山区", 30.7420, 121.3420, true},
		{"310117", "松江区", 31.0322, 121.2277, true},
		{"310118", "青浦区", 31.1508, 121.1242, true},
		{"310120", "奉贤区", 30.9181, 121.4740, true},
		{"310151", "崇明区", 31.6230, 121.3975, true},
		// Neighbouring districts out of the court's area, where a task may
		// be entrusted to the local court (执行事项委托).
		{"320505", "苏州市虎丘区", 31.2953, 120.5663, false},
		{"320508", "苏州市姑苏区", 31.3120, 120.6187, false},
		{"330106", "杭州市西湖区", 30.2595, 120.1300, false},
		{"330782", "义乌市", 29.3068, 120.0752, false},
	}
}

// ValidateDistricts reports every problem with a court's district list:
// a code that is not six digits, a missing name, a code listed twice,
// coordinates outside China.
func ValidateDistricts(ds []District) error {
	var errs []error
	seen := map[string]bool{}
	for i, d := range ds {
		if len(d.Code) != 6 || strings.Trim(d.Code, "0123456789") != "" {
			errs = append(errs, fmt.Errorf("district %d: code %q is not six digits", i, d.Code))
		}
		if seen[d.Code] {
			errs = append(errs, fmt.Errorf("district %d: code %s listed twice", i, d.Code))
		}
		seen[d.Code] = true
		if strings.TrimSpace(d.Name) == "" {
			errs = append(errs, fmt.Errorf("district %d (%s): no name", i, d.Code))
		}
		if reason := pointProblem(d.Lat, d.Lng); reason != "" {
			errs = append(errs, fmt.Errorf("district %d (%s): %s", i, d.Code, reason))
		}
	}
	return errors.Join(errs...)
}

// AllDistricts returns the districts of court code (see
// Court.AllDistricts).
func (d *Desk) AllDistricts(code string) []District {
	return d.court(code).AllDistricts()
}

// China's extent in WGS-84 degrees, from 曾母暗沙 (3°52′N) to 漠河 (53°33′N)
// and from 帕米尔 (73°33′E) to 黑瞎子岛 (135°05′E), rounded outwards.
const (
	minLat, maxLat = 3.8, 53.6
	minLng, maxLng = 73.5, 135.1
)

// pointProblem says, in English, what is wrong with a point, or "".
func pointProblem(lat, lng float64) string {
	switch {
	case !(lat >= minLat && lat <= maxLat):
		return fmt.Sprintf("latitude %v outside China (%v..%v)", lat, minLat, maxLat)
	case !(lng >= minLng && lng <= maxLng):
		return fmt.Sprintf("longitude %v outside China (%v..%v)", lng, minLng, maxLng)
	}
	return ""
}

// PointError is a map point that does not parse or lies outside China. It
// matches ErrBadInput, and the API and pages show MessageZh at Field.
type PointError struct {
	Field     string // the form or JSON field, e.g. "point"
	Input     string
	Code      string // invalid_point, lat_range, lng_range, swapped
	MessageZh string
}

func (e *PointError) Error() string {
	return fmt.Sprintf("server: point %q: %s", e.Input, e.Code)
}

// Unwrap returns ErrBadInput.
func (e *PointError) Unwrap() error { return ErrBadInput }

// FieldError returns the problem as the API reports it.
func (e *PointError) FieldError() FieldError {
	return FieldError{Field: e.Field, Code: e.Code, MessageZh: e.MessageZh}
}

// maxPointLen bounds the text ParsePoint reads.
const maxPointLen = 64

// ParsePoint parses a map point "lat,lng" in WGS-84 degrees, e.g.
// "31.2304,121.4737": two decimal numbers (at most 3 digits before the
// point and 15 after it) separated by a comma (or a full-width "，"), with
// spaces allowed around them, inside China. Problems are a *PointError for
// field.
func ParsePoint(field, s string) (lat, lng float64, err error) {
	fail := func(code, msg string) (float64, float64, error) {
		in := s
		if len(in) > maxPointLen {
			in = strings.ToValidUTF8(in[:maxPointLen], "")
		}
		return 0, 0, &PointError{Field: field, Input: in, Code: code, MessageZh: msg}
	}
	const format = "坐标格式应为“纬度,经度”，如 31.2304,121.4737"
	if len(s) > maxPointLen || !utf8.ValidString(s) {
		return fail("invalid_point", format)
	}
	a, b, ok := strings.Cut(strings.ReplaceAll(s, "，", ","), ",")
	if !ok {
		return fail("invalid_point", format)
	}
	la, okA := decimalDegrees(strings.TrimSpace(a))
	lo, okB := decimalDegrees(strings.TrimSpace(b))
	if !okA || !okB {
		return fail("invalid_point", format)
	}
	if pointProblem(la, lo) != "" && pointProblem(lo, la) == "" {
		return fail("swapped", "纬度和经度可能写反了：请先写纬度（如 31.23），再写经度（如 121.47）")
	}
	if !(la >= minLat && la <= maxLat) {
		return fail("lat_range", "纬度须在 3.8 至 53.6 之间（中国境内）")
	}
	if !(lo >= minLng && lo <= maxLng) {
		return fail("lng_range", "经度须在 73.5 至 135.1 之间（中国境内）")
	}
	return la, lo, nil
}

// decimalDegrees parses "-?d{1,3}(.d{1,15})?" and nothing else (no
// exponent, hex, underscores, NaN or infinities, which strconv accepts).
func decimalDegrees(s string) (float64, bool) {
	digits := strings.TrimPrefix(s, "-")
	whole, frac, hasPoint := strings.Cut(digits, ".")
	if len(whole) < 1 || len(whole) > 3 || (hasPoint && (len(frac) < 1 || len(frac) > 15)) {
		return 0, false
	}
	if strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// FormatPoint is the text ParsePoint reads back as lat and lng.
func FormatPoint(lat, lng float64) string {
	return strconv.FormatFloat(lat, 'f', -1, 64) + "," + strconv.FormatFloat(lng, 'f', -1, 64)
}

// PlaceIn is a field trip's place as a form or the API gives it: a
// district of the court's list, a map point "lat,lng", an address, or a
// mix. Prefix is put before the field names of problems ("place." in the
// API's trip, "" in the page's form). Court is the code of the court whose
// district list applies.
type PlaceIn struct {
	Division, Point, Address string
	Prefix                   string
	Court                    string
}

// Place resolves in to a trip's place. The point, when given, is the
// place's coordinates; otherwise a district's seat stands for them. The
// district is the one picked, or else the first of the court's districts
// whose name the address names (浦东新区张江路100号 → 310115). A district
// code not on the court's list is kept as given, without coordinates (the
// domain checks the code). A place with no district and no point, and an
// address naming none, is refused at the address.
func (d *Desk) Place(in PlaceIn) (planning.Place, error) {
	pl := planning.Place{Address: strings.TrimSpace(in.Address), Division: strings.TrimSpace(in.Division)}
	ds := d.AllDistricts(in.Court)
	if pl.Division == "" && pl.Address != "" {
		// Longer names first, so that 苏州市姑苏区 wins over a shorter name
		// it contains.
		byLen := slices.Clone(ds)
		slices.SortStableFunc(byLen, func(a, b District) int { return len(b.Name) - len(a.Name) })
		for _, dt := range byLen {
			short := dt.Name
			if _, after, ok := strings.Cut(dt.Name, "市"); ok && utf8.RuneCountInString(after) >= 2 {
				short = after // 苏州市姑苏区 → 姑苏区
			}
			if strings.Contains(pl.Address, dt.Name) || strings.Contains(pl.Address, short) {
				pl.Division = dt.Code
				break
			}
		}
	}
	if p := strings.TrimSpace(in.Point); p != "" {
		lat, lng, err := ParsePoint(in.Prefix+"point", p)
		if err != nil {
			return pl, err
		}
		pl.Lat, pl.Lng, pl.HasCoords = lat, lng, true
	} else if i := slices.IndexFunc(ds, func(dt District) bool { return dt.Code == pl.Division }); i >= 0 {
		pl.Lat, pl.Lng, pl.HasCoords = ds[i].Lat, ds[i].Lng, true
	}
	if pl.Division == "" && !pl.HasCoords {
		return pl, BadField(in.Prefix+"address", "no_place", "请选择区县、填写地图坐标，或在地址中写明区县（如 浦东新区张江路100号）")
	}
	if pl.Address == "" {
		if i := slices.IndexFunc(ds, func(dt District) bool { return dt.Code == pl.Division }); i >= 0 {
			pl.Address = ds[i].Name
		} else if pl.HasCoords {
			pl.Address = "地图坐标 " + FormatPoint(pl.Lat, pl.Lng)
		} else {
			pl.Address = pl.Division
		}
	}
	return pl, nil
}
