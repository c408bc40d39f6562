package enforcement_test

import (
	"context"
	"fmt"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// The chief's report from a source's answers. A store answers from its
// indexes; a CaseSlice answers over cases in memory. The limit keeps the
// two most urgent items in the list, while the counts cover every item.
func ExampleSuperviseFrom() {
	env := enforcement.Env{Calendar: deadline.Official(), Rules: enforcement.DefaultRules()}
	c := exampleCase(env, "301")
	var src enforcement.SupervisionSource = enforcement.CaseSlice{c}

	today := deadline.NewDate(2024, 9, 27)
	rep, err := enforcement.SuperviseFrom(context.Background(), src, c.Court, today, env.Calendar, enforcement.SupervisionConfig{DueLimit: 2})
	if err != nil {
		panic(err)
	}
	fmt.Printf("需关注%d项，列出%d项\n", rep.DueTotal(), len(rep.Due))
	for _, f := range rep.Due {
		fmt.Printf("[%s] %s 截止%s\n", f.Level.Chinese(), f.Title, f.Due)
	}
	until, err := enforcement.ApproachingUntil(env.Calendar, today, 0)
	if err != nil {
		panic(err)
	}
	fmt.Println("临期截至", until, "之前")
	// Output:
	// 需关注3项，列出2项
	// [已超期] 发出执行通知书 截止2024-03-11
	// [已超期] 申请延长办案期限 截止2024-08-27
	// 临期截至 2024-10-09 之前
}
