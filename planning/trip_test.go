package planning_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/planning"
)

// validTrip is a trip that passes Validate, for tests to break one field at
// a time.
func validTrip() planning.Trip {
	return planning.Trip{
		ID: "t1", JudgeID: "j1", JudgeName: "张法官", CaseID: "（2024）沪0115执1号",
		Start: novAt(27, 9, 0), End: novAt(27, 11, 0),
		Place: planning.Place{Address: "浦东新区张江路100号", Division: "310115", Lat: 31.2, Lng: 121.6, HasCoords: true},
	}
}

func TestTrip_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		modify func(*planning.Trip)
		want   []error // sentinels, in Validate's order
		fields []string
	}{
		{"Valid", func(*planning.Trip) {}, nil, nil},
		{"ZeroLengthTripIsValid", func(tr *planning.Trip) { tr.End = tr.Start }, nil, nil},
		{"CoordsOnly", func(tr *planning.Trip) { tr.Place.Division = "" }, nil, nil},
		{"DivisionOnly", func(tr *planning.Trip) { tr.Place.HasCoords = false; tr.Place.Lat = 999 }, nil, nil},
		{"HongKongDivision", func(tr *planning.Trip) { tr.Place.Division = "810000" }, nil, nil},
		{"EndBeforeStart", func(tr *planning.Trip) { tr.End = tr.Start.Add(-time.Minute) },
			[]error{planning.ErrTripEndBeforeStart}, []string{"End"}},
		{"EmptyJudge", func(tr *planning.Trip) { tr.JudgeID = " " },
			[]error{planning.ErrTripNoJudge}, []string{"JudgeID"}},
		{"EmptyID", func(tr *planning.Trip) { tr.ID = "" },
			[]error{planning.ErrTripNoID}, []string{"ID"}},
		{"ZeroTimes", func(tr *planning.Trip) { tr.Start, tr.End = time.Time{}, time.Time{} },
			[]error{planning.ErrTripNoTime, planning.ErrTripNoTime}, []string{"Start", "End"}},
		{"DivisionTooShort", func(tr *planning.Trip) { tr.Place.Division = "31011" },
			[]error{planning.ErrInvalidDivision}, []string{"Place.Division"}},
		{"DivisionNotDigits", func(tr *planning.Trip) { tr.Place.Division = "31O115" },
			[]error{planning.ErrInvalidDivision}, []string{"Place.Division"}},
		{"DivisionUnknownProvince", func(tr *planning.Trip) { tr.Place.Division = "990115" },
			[]error{planning.ErrInvalidDivision}, []string{"Place.Division"}},
		{"LatOutOfRange", func(tr *planning.Trip) { tr.Place.Lat = 90.5 },
			[]error{planning.ErrInvalidCoords}, []string{"Place.Lat"}},
		{"LngNaN", func(tr *planning.Trip) { tr.Place.Lng = math.NaN() },
			[]error{planning.ErrInvalidCoords}, []string{"Place.Lng"}},
		{"NoPlace", func(tr *planning.Trip) { tr.Place = planning.Place{Address: "某处"} },
			[]error{planning.ErrTripNoPlace}, []string{"Place"}},
		{"EveryProblemAtOnce", func(tr *planning.Trip) {
			tr.JudgeID = ""
			tr.End = tr.Start.Add(-time.Hour)
			tr.Place.Division = "3101150"
			tr.Place.Lat, tr.Place.Lng = -91, 181
		}, []error{planning.ErrTripNoJudge, planning.ErrTripEndBeforeStart, planning.ErrInvalidDivision, planning.ErrInvalidCoords, planning.ErrInvalidCoords},
			[]string{"JudgeID", "End", "Place.Division", "Place.Lat", "Place.Lng"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := validTrip()
			tt.modify(&tr)
			err := tr.Validate()
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			joined, ok := err.(interface{ Unwrap() []error })
			require.True(t, ok, "Validate joins its problems")
			errs := joined.Unwrap()
			require.Len(t, errs, len(tt.want))
			for i, e := range errs {
				require.ErrorIs(t, e, tt.want[i])
				var te *planning.TripError
				require.ErrorAs(t, e, &te)
				require.Equal(t, tt.fields[i], te.Field)
				require.Equal(t, tr.ID, te.TripID)
			}
			require.True(t, errors.Is(err, tt.want[0]))
		})
	}
}

func TestDistanceKm(t *testing.T) {
	t.Parallel()
	peoplesSquare := planning.Place{Lat: 31.2304, Lng: 121.4737, HasCoords: true}
	tiananmen := planning.Place{Lat: 39.9087, Lng: 116.3975, HasCoords: true}
	require.InDelta(t, 1067, planning.DistanceKm(peoplesSquare, tiananmen), 5)
	require.InDelta(t, 0, planning.DistanceKm(tiananmen, tiananmen), 1e-9)
	// One degree of latitude is about 111.2 km everywhere.
	require.InDelta(t, 111.2, planning.DistanceKm(planning.Place{Lat: 10}, planning.Place{Lat: 11}), 0.1)
	// Across the 180° meridian the short way round is taken.
	require.InDelta(t, 111.2, planning.DistanceKm(planning.Place{Lng: 179.5}, planning.Place{Lng: -179.5}), 0.1)
}
