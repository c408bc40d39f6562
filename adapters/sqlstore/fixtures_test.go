package sqlstore_test

import (
	"reflect"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
	"github.com/courtkit/zhixing/planning"
)

// The fixture values below are what testdata/legacy holds, as rows written
// by the store before its documents were versioned. They fill every field,
// so that a field the document mapping forgets shows up as a difference.

func at(hour, minute int) time.Time {
	return time.Date(2026, 3, 2, hour, minute, 5, 123000000, deadline.China)
}

func day(s string) deadline.Date { return deadline.MustParseDate(s) }

func fixtureCase() *enforcement.Case {
	num, err := enforcement.ParseCaseNumber("（2026）沪0115执1234号")
	if err != nil {
		panic(err)
	}
	return &enforcement.Case{
		ID: "c-legacy", Number: num, Court: "沪0115", Cause: "民间借贷纠纷",
		Source: enforcement.SourceDocument{Title: "民事判决书", Number: "（2025）沪0115民初4567号", Issuer: "上海市浦东新区人民法院",
			EffectiveOn: day("2026-01-20"), PerformanceDue: day("2026-02-05")},
		NonLitigation: true,
		Parties: []enforcement.Party{
			{ID: "a1", Role: enforcement.RoleApplicant, Kind: enforcement.PartyPerson, Name: "张三", IDNumber: enforcement.NewIDNumber("310101199001011234"),
				Mobile: "13800138000", OptOut: true},
			{ID: "r1", Role: enforcement.RoleRespondent, Kind: enforcement.PartyOrganisation, Name: "某某有限公司",
				IDNumber: enforcement.NewIDNumber("91310115MA1K4XXXX1"), Mobile: "13700137000", WrongNumber: true},
		},
		AmountApplied:   decimal.RequireFromString("120000.50"),
		AmountRecovered: decimal.RequireFromString("12000"),
		ReceivedOn:      day("2026-02-27"),
		FiledOn:         day("2026-03-02"),
		JudgeID:         "j1",
		Key:             true,
		Status:          enforcement.StatusSuspended,
		QueryCode:       "K7Q2X9",
		Nodes: []enforcement.Node{
			{ID: "n1", Kind: enforcement.NodeFiling, Date: day("2026-03-02"), At: at(9, 0), Actor: "clerk", Note: "立案", Urgent: true},
		},
		Measures: []enforcement.Measure{
			{ID: "m1", Node: enforcement.NodeFiling, Kind: enforcement.MeasureFreeze, Property: enforcement.PropertyDeposit, Target: "工商银行账户",
				Amount: decimal.RequireFromString("12000.00"), TakenOn: day("2026-03-03"), EffectiveOn: day("2026-03-04"), ExpiresOn: day("2027-03-03"),
				Outcome: enforcement.OutcomeDone, Result: "冻结存款人民币12,000.00元", RenewalOf: "m0", At: at(10, 30), Actor: "j1"},
		},
		DueItems: []enforcement.DueItem{
			{ID: "d1", Rule: "notice.enforcement_legal", Title: "发出执行通知书", RuleVersion: "2026.1", Owner: "handler",
				Severity: enforcement.SeverityCritical, Basis: "民诉法解释第480条", Trigger: day("2026-03-02"), TriggerRef: "n1",
				Computed: day("2026-03-12"), Deadline: time.Date(2026, 3, 12, 23, 59, 59, 0, deadline.China),
				Steps:     []deadline.Step{{Code: deadline.StepStart, Date: day("2026-03-02"), Text: "立案之日"}, {Code: deadline.StepCount, Date: day("2026-03-12"), Text: "十日"}},
				CalcBasis: []string{"10日", "不含法定节假日"}, Provisional: true, Warnings: []deadline.Date{day("2026-03-09"), day("2026-03-11")},
				Override: &enforcement.Override{Date: day("2026-03-16"), Reason: "院长批准延期", By: "chief", At: at(11, 0)},
				Status:   enforcement.DueOpen, Internal: true},
			{ID: "d2", Rule: "case.limit", Title: "办案期限", Owner: "court", Severity: enforcement.SeverityWarning,
				Trigger: day("2026-03-02"), Computed: day("2026-09-02"), Status: enforcement.DueDone, DoneOn: day("2026-04-01")},
		},
		Deductions: []enforcement.Deduction{{Kind: enforcement.DeductSuspension, From: day("2026-04-01"), To: day("2026-04-20"), Ref: "n1"}},
		Solicitations: []enforcement.Solicitation{
			{ID: "s1", PartyID: "a1", ReplyCode: "A1", Purpose: enforcement.ClosureZhongBen, Summary: "拟终本", AskedOn: day("2026-05-06"),
				At: at(14, 0), By: "j1", ReplyBy: day("2026-05-13"),
				Answer: &enforcement.Opinion{Choice: enforcement.OpinionAgree, Text: "同意", Channel: "sms", ReceivedAt: at(15, 0), RecordedBy: "clerk"}},
		},
		Requests: []enforcement.Request{
			{ID: "q1", PartyID: "a1", Channel: "web", Text: "请尽快冻结", ReceivedAt: at(16, 0), RecordBy: day("2026-03-03"), ResolveBy: day("2026-03-09"),
				Answer: "已冻结", AnsweredBy: "j1", AnsweredAt: at(17, 0)},
		},
		Orders: []enforcement.SupervisionOrder{
			{ID: "o1", IssuedBy: "chief", IssuedAt: at(18, 0), Text: "请说明进展", Due: day("2026-03-10"), Response: "已说明", RespondedBy: "j1", RespondedAt: at(19, 0)},
		},
		Closure: &enforcement.ClosureRecord{Mode: enforcement.ClosureZhongBen, On: day("2026-06-01"), Reason: "无可供执行财产", By: "j1", At: at(20, 0),
			Checks: []enforcement.Precondition{{Key: "zhongben.three_months", Title: "已满三个月", Basis: "终本规定第1条", Met: true, Detail: "3个月"}},
			Unmet:  []string{"zhongben.interview"}},
		UpdatedAt: at(21, 0),
	}
}

func fixtureEvents() []enforcement.Event {
	return []enforcement.Event{
		{ID: "e1", Kind: enforcement.EventCaseFiled, CaseID: "c-legacy", Court: "沪0115", Ref: "n1", At: at(9, 0), Actor: "clerk", Due: []string{"d1", "d2"}},
		{ID: "e2", Kind: enforcement.EventRequestReceived, CaseID: "c-legacy", Court: "沪0115", Ref: "q1", At: at(16, 0), Actor: "web"},
	}
}

func fixtureMessage() notify.Message {
	return notify.Message{
		ID: "msg1", IdempotencyKey: "e1/a1/filing.applicant", CaseID: "c-legacy", Court: "沪0115", EventID: "e1",
		Recipient: notify.Recipient{PartyID: "a1", UserID: "u1", Role: notify.RecipientApplicant, Name: "张三", Mobile: "13800138000", OptOut: true, WrongNumber: true},
		Template:  "filing.applicant", Params: map[string]string{"case": "（2026）沪0115执1234号", "judge": "李"},
		Body: "【上海一中院】立案告知", Segments: 2, State: notify.StateQueued, Urgent: true, NotBefore: at(9, 1), Attempts: 3,
		NextAttemptAt: at(9, 2), Lease: "lease-1", LeaseUntil: at(9, 3),
		LastError: notify.Failure{Code: "isv.BUSINESS_LIMIT_CONTROL", Reason: "流控", Retryable: true},
		Skipped:   notify.SkipReason("opted_out"), ProviderID: "biz-1", Gateway: "aliyun", SentAt: at(9, 4), DeliveredAt: at(9, 5),
		History:   []notify.Transition{{From: notify.StateDrafted, To: notify.StateQueued, At: at(9, 1), Actor: "policy", Note: "工作时间"}},
		CreatedAt: at(9, 0),
	}
}

func fixtureReceipt() notify.DeliveryReceipt {
	return notify.DeliveryReceipt{ProviderID: "biz-unknown", Key: "k-unknown", Status: notify.ReceiptDelivered, Code: "DELIVRD", Reason: "ok", At: at(9, 6)}
}

func fixturePlan() *planning.Plan {
	w := planning.Week{Year: 2026, Number: 10}
	task := planning.Item{ID: "i1", Kind: planning.KindTask, CaseID: "c-legacy", DueID: "d1", Title: "发出执行通知书", Day: day("2026-03-03"), Done: true}
	trip := planning.Item{ID: "i2", Kind: planning.KindTrip, CaseID: "c-legacy", Title: "现场调查被执行人财产",
		Start: time.Date(2026, 3, 4, 9, 0, 0, 0, deadline.China), End: time.Date(2026, 3, 4, 12, 0, 0, 0, deadline.China),
		Trip: &planning.Trip{ID: "t1", JudgeID: "j1", JudgeName: "李法官", CaseID: "（2026）沪0115执1234号",
			Start: time.Date(2026, 3, 4, 9, 0, 0, 0, deadline.China), End: time.Date(2026, 3, 4, 12, 0, 0, 0, deadline.China),
			Place:   planning.Place{Address: "浦东新区张江路100号", Division: "310115", Lat: 31.2, Lng: 121.6, HasCoords: true},
			Purpose: "现场调查被执行人财产"}}
	before := task
	before.Done = false
	return &planning.Plan{
		ID: planning.PlanID("j1", w), Court: "沪0115", JudgeID: "j1", Week: w, Items: []planning.Item{task, trip},
		Status: planning.StatusSubmitted, SubmittedAt: at(8, 0), SubmittedBy: "j1", UpdatedAt: at(8, 30),
		History: []planning.Revision{
			{At: at(8, 0), By: "j1", Op: planning.OpSubmit},
			{At: at(8, 30), By: "j1", Op: planning.OpUpdate, ItemID: "i1", Changed: []string{"Done"}, Before: &before, After: &task},
		},
	}
}

// normalize rewrites, in place, every time in v to UTC and every amount to
// the form it parses from, so that values equal in meaning compare equal
// with require.Equal whatever zone or scale they were built with.
func normalize(v any) {
	normalizeValue(reflect.ValueOf(v))
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	decimalType = reflect.TypeFor[decimal.Decimal]()
)

func normalizeValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			normalizeValue(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			normalizeValue(v.Index(i))
		}
	case reflect.Struct:
		switch v.Type() {
		case timeType:
			if v.CanSet() {
				t := v.Interface().(time.Time)
				if t.IsZero() {
					v.Set(reflect.ValueOf(time.Time{}))
				} else {
					v.Set(reflect.ValueOf(t.UTC()))
				}
			}
			return
		case decimalType:
			if v.CanSet() {
				v.Set(reflect.ValueOf(decimal.RequireFromString(v.Interface().(decimal.Decimal).String())))
			}
			return
		}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			// An empty slice the domain's own JSON omits is stored as
			// absent and reads back nil.
			if fv := v.Field(i); f.Type.Kind() == reflect.Slice && fv.Len() == 0 && fv.CanSet() &&
				strings.Contains(f.Tag.Get("json"), "omitempty") {
				fv.Set(reflect.Zero(f.Type))
			}
			normalizeValue(v.Field(i))
		}
	}
}
