package desk_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/planning"
)

// pointInputs are ParsePoint's table rows; the fuzz target is seeded with
// them.
var pointInputs = []struct {
	name, in string
	lat, lng float64
	code     string // "" when accepted
}{
	{"人民广场", "31.2304,121.4737", 31.2304, 121.4737, ""},
	{"spaces and full-width comma", " 31.2304 ， 121.4737 ", 31.2304, 121.4737, ""},
	{"whole degrees", "31,121", 31, 121, ""},
	{"漠河, the northern edge", "53.5,122.3", 53.5, 122.3, ""},
	{"曾母暗沙, the southern edge", "3.87,112.28", 3.87, 112.28, ""},
	{"empty", "", 0, 0, "invalid_point"},
	{"one number", "31.2304", 0, 0, "invalid_point"},
	{"three numbers", "31.2,121.4,5", 0, 0, "invalid_point"},
	{"exponent", "3.1e1,121.4", 0, 0, "invalid_point"},
	{"NaN", "NaN,121.4", 0, 0, "invalid_point"},
	{"infinity", "31.2,Inf", 0, 0, "invalid_point"},
	{"hex float", "0x1Fp0,121.4", 0, 0, "invalid_point"},
	{"underscores", "3_1.2,121.4", 0, 0, "invalid_point"},
	{"plus sign", "+31.2,121.4", 0, 0, "invalid_point"},
	{"bare point", "31.,121.4", 0, 0, "invalid_point"},
	{"too many decimals", "31.1234567890123456,121.4", 0, 0, "invalid_point"},
	{"degrees and minutes", "31°14′,121°28′", 0, 0, "invalid_point"},
	{"swapped", "121.4737,31.2304", 0, 0, "swapped"},
	{"null island", "0,0", 0, 0, "lat_range"},
	{"Singapore, south of China", "1.35,103.82", 0, 0, "lat_range"},
	{"Paris", "48.85,2.35", 0, 0, "lng_range"},
	{"southern hemisphere", "-31.2,121.4", 0, 0, "lat_range"},
	{"too long", strings.Repeat("1", 65) + ",121", 0, 0, "invalid_point"},
	{"invalid UTF-8", "31.2\xff,121.4", 0, 0, "invalid_point"},
}

func TestParsePoint(t *testing.T) {
	for _, tt := range pointInputs {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lat, lng, err := desk.ParsePoint("point", tt.in)
			if tt.code == "" {
				require.NoError(t, err)
				require.Equal(t, tt.lat, lat)
				require.Equal(t, tt.lng, lng)
				return
			}
			var pe *desk.PointError
			require.ErrorAs(t, err, &pe)
			require.ErrorIs(t, err, desk.ErrBadInput)
			require.Equal(t, tt.code, pe.Code)
			require.Equal(t, "point", pe.Field)
			require.NotEmpty(t, pe.MessageZh)
			require.Zero(t, lat)
			require.Zero(t, lng)
		})
	}
}

// FuzzTripParsePoint checks that ParsePoint never panics, returns zero
// values with an error, accepts only points inside China, and reads back
// what FormatPoint writes.
func FuzzTripParsePoint(f *testing.F) {
	for _, tt := range pointInputs {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lat, lng, err := desk.ParsePoint("point", s)
		if err != nil {
			var pe *desk.PointError
			if !strings.Contains(err.Error(), "point") || !errors.As(err, &pe) || pe.MessageZh == "" {
				t.Fatalf("ParsePoint(%q): untyped error %v", s, err)
			}
			if lat != 0 || lng != 0 {
				t.Fatalf("ParsePoint(%q): error with non-zero point %v,%v", s, lat, lng)
			}
			return
		}
		if math.IsNaN(lat) || lat < 3.8 || lat > 53.6 || lng < 73.5 || lng > 135.1 {
			t.Fatalf("ParsePoint(%q) = %v,%v: outside China", s, lat, lng)
		}
		text := desk.FormatPoint(lat, lng)
		lat2, lng2, err := desk.ParsePoint("point", text)
		if err != nil || lat2 != lat || lng2 != lng {
			t.Fatalf("ParsePoint(FormatPoint(%v,%v) = %q) = %v,%v, %v", lat, lng, text, lat2, lng2, err)
		}
	})
}

func TestDefaultDistricts(t *testing.T) {
	ds := desk.DefaultDistricts()
	require.NoError(t, desk.ValidateDistricts(ds))
	home := 0
	for _, d := range ds {
		if d.Home {
			home++
			require.True(t, strings.HasPrefix(d.Code, "31"), d.Name)
		}
	}
	require.Equal(t, 16, home, "Shanghai has 16 districts")
	err := desk.ValidateDistricts([]desk.District{{Code: "3101", Name: "x", Lat: 31, Lng: 121}, {Code: "310101", Lat: 0, Lng: 0}, {Code: "310101", Name: "黄浦区", Lat: 31, Lng: 121}})
	require.Error(t, err)
	for _, want := range []string{"six digits", "no name", "outside China", "listed twice"} {
		require.Contains(t, err.Error(), want)
	}
}

func TestDesk_Place(t *testing.T) {
	d := &desk.Desk{}
	huangpu := desk.DefaultDistricts()[0]
	tests := []struct {
		name  string
		in    desk.PlaceIn
		want  planning.Place
		field string // the refused field, "" when accepted
	}{
		{"district: its seat's coordinates", desk.PlaceIn{Division: "310101", Address: "南京东路3号"},
			planning.Place{Address: "南京东路3号", Division: "310101", Lat: huangpu.Lat, Lng: huangpu.Lng, HasCoords: true}, ""},
		{"district and point: the point", desk.PlaceIn{Division: "310106", Point: "31.2400,121.4700"},
			planning.Place{Address: "静安区", Division: "310106", Lat: 31.24, Lng: 121.47, HasCoords: true}, ""},
		{"point alone", desk.PlaceIn{Point: "31.2304,121.4737"},
			planning.Place{Address: "地图坐标 31.2304,121.4737", Lat: 31.2304, Lng: 121.4737, HasCoords: true}, ""},
		{"address naming a district", desk.PlaceIn{Address: "浦东新区张江路100号"},
			planning.Place{Address: "浦东新区张江路100号", Division: "310115", Lat: 31.2215, Lng: 121.5447, HasCoords: true}, ""},
		{"address naming a district out of the city", desk.PlaceIn{Address: "姑苏区人民路1号"},
			planning.Place{Address: "姑苏区人民路1号", Division: "320508", Lat: 31.3120, Lng: 120.6187, HasCoords: true}, ""},
		{"district off the list: kept, no coordinates", desk.PlaceIn{Division: "440305"},
			planning.Place{Address: "440305", Division: "440305"}, ""},
		{"address naming no district", desk.PlaceIn{Address: "张江路100号"}, planning.Place{}, "address"},
		{"nothing", desk.PlaceIn{Prefix: "trip."}, planning.Place{}, "trip.address"},
		{"bad point", desk.PlaceIn{Division: "310101", Point: "121.47,31.23"}, planning.Place{}, "point"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.Place(tt.in)
			if tt.field != "" {
				require.ErrorIs(t, err, desk.ErrBadInput)
				var pe *desk.PointError
				var ie *desk.InputError
				switch {
				case errors.As(err, &pe):
					require.Equal(t, tt.field, pe.Field)
				case errors.As(err, &ie):
					require.Equal(t, tt.field, ie.Fields[0].Field)
				default:
					t.Fatalf("untyped error %v", err)
				}
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
}
