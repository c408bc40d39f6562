package planning_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/courtkit/zhixing/planning"
)

// novAt returns a time on a November 2024 day in China Standard Time.
func novAt(day, hour, minute int) time.Time {
	return time.Date(2024, time.November, day, hour, minute, 0, 0, time.FixedZone("CST", 8*3600))
}

func ExampleCoordinate() {
	trips := []planning.Trip{
		{
			ID: "t1", JudgeID: "j-zhang", JudgeName: "张法官", CaseID: "（2024）沪0115执1001号",
			Start: novAt(27, 9, 0), End: novAt(27, 11, 30),
			Place:   planning.Place{Address: "浦东新区张江路100号", Division: "310115"},
			Purpose: "现场调查被执行人财产",
		},
		{
			ID: "t2", JudgeID: "j-li", JudgeName: "李法官", CaseID: "（2024）沪0115执1002号",
			Start: novAt(27, 9, 30), End: novAt(27, 11, 0),
			Place:   planning.Place{Address: "浦东新区世纪大道1号", Division: "310115"},
			Purpose: "送达执行通知书",
		},
		{
			ID: "t3", JudgeID: "j-wang", JudgeName: "王法官", CaseID: "（2024）沪0115执1003号",
			Start: novAt(28, 14, 0), End: novAt(28, 16, 0),
			Place: planning.Place{Address: "苏州市姑苏区人民路1号", Division: "320508"},
		},
		{
			ID: "t4", JudgeID: "j-zhao", JudgeName: "赵法官", CaseID: "（2024）沪0115执1004号",
			Start: novAt(29, 8, 30), End: novAt(29, 10, 0),
			Place: planning.Place{Address: "苏州市姑苏区干将路2号", Division: "320508"},
		},
		{
			ID: "t5", JudgeID: "j-zhang", JudgeName: "张法官", CaseID: "（2024）沪0115执1005号",
			Start: novAt(29, 14, 0), End: novAt(29, 15, 0),
			Place: planning.Place{Address: "闵行区莘庄", Division: "310112"},
		},
	}
	cfg := planning.CoordinationConfig{
		HomeDivisionPrefixes: []string{"3101"},
		DivisionNames:        map[string]string{"310115": "浦东新区", "310112": "闵行区", "320508": "姑苏区"},
	}
	groups, err := planning.Coordinate(trips, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range groups {
		fmt.Println(g.Summary)
		fmt.Println("  judges:", g.Judges, "common window:", g.Common != nil)
		for _, s := range g.Stops {
			fmt.Println("  stop:", s.Start.Format("01-02 15:04"), s.Place.Address, s.TripIDs)
		}
		for _, d := range g.Delegations {
			fmt.Println("  delegate to the court of", d.Name, d.Division, d.TripIDs)
		}
	}
	// Output:
	// 张法官、李法官 11月27日上午 均赴浦东新区(310115) 办案，建议合并出行
	//   judges: [j-zhang j-li] common window: true
	//   stop: 11-27 09:00 浦东新区张江路100号 [t1]
	//   stop: 11-27 09:30 浦东新区世纪大道1号 [t2]
	// 王法官、赵法官 11月28日下午至11月29日上午 均赴姑苏区(320508) 办案，建议合并出行；姑苏区(320508)不在本院辖区，也可委托当地法院办理（执行事项委托）
	//   judges: [j-wang j-zhao] common window: false
	//   stop: 11-28 14:00 苏州市姑苏区人民路1号 [t3]
	//   stop: 11-29 08:30 苏州市姑苏区干将路2号 [t4]
	//   delegate to the court of 姑苏区 320508 [t3 t4]
}

func ExampleTrip_Validate() {
	t := planning.Trip{
		ID:    "t9",
		Start: novAt(27, 14, 0), End: novAt(27, 9, 0),
		Place: planning.Place{Division: "31015", Lat: 95, Lng: 121.5, HasCoords: true},
	}
	err := t.Validate()
	fmt.Println(errors.Is(err, planning.ErrTripEndBeforeStart), errors.Is(err, planning.ErrInvalidDivision))
	fmt.Println(err)
	// Output:
	// true true
	// planning: trip "t9": JudgeID: empty
	// planning: trip "t9": End: 2024-11-27T09:00:00+08:00 is before start 2024-11-27T14:00:00+08:00
	// planning: trip "t9": Place.Division: "31015": want 6 digits
	// planning: trip "t9": Place.Lat: 95 not in [-90, 90]
}
