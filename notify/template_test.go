package notify_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/notify"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// court is the configuration of the Shanghai No.1 Intermediate Court used by
// the tests.
var court = notify.Config{
	Signature: "【上海一中院】",
	Contact:   "诉讼服务热线12368",
	QuerySite: "zxgk.court.gov.cn",
}

func mustDefault(tb testing.TB, cfg notify.Config) *notify.Templates {
	tb.Helper()
	ts, err := notify.DefaultTemplates(cfg)
	require.NoError(tb, err)
	return ts
}

// fixture returns realistic variables for key.
func fixture(key string) notify.Vars {
	v := notify.Vars{
		notify.VarPartyName:  "张三明",
		notify.VarApplicant:  "张三明",
		notify.VarRespondent: "上海某某贸易有限公司",
		notify.VarCaseNo:     "（2024）沪01执123号",
		notify.VarJudge:      "王明",
		notify.VarPhone:      "021-12345678",
		notify.VarNodes:      "7日内发出执行通知；1个月内完成财产调查；6个月内执结",
		notify.VarQueryCode:  "K7Q2X9",
		notify.VarIDNumber:   "310101199001011234",
		notify.VarSignIn:     "身份证号310***********1234及查询码K7Q2X9",
		notify.VarAddressee:  "被执行人",
		notify.VarMeasure:    "查封",
		notify.VarTarget:     "被执行人名下房产",
		notify.VarResult:     "查封完成",
		notify.VarAmount:     "123,456.78",
		notify.VarReplyCode:  "K7Q2",
		notify.VarDueDate:    "2024年10月18日",
		notify.VarNode:       "财产调查",
		notify.VarLevel:      "黄色预警",
		notify.VarDate:       "2024年10月8日",
		notify.VarPlace:      "浦东新区不动产登记中心",
		notify.VarJudges:     "李四、王五",
		notify.VarLeader:     "赵庭长",
		notify.VarSupervisor: "执行局",
		notify.VarReplyBy:    "2024年10月15日",
		notify.VarRequest:    "申请调查被执行人的车辆",
		notify.VarAnswer:     "已于10月9日通过网络查控系统查询，暂未发现登记车辆",
		notify.VarChoice:     "同意",
		notify.VarOutcome:    "执行完毕",
		notify.VarNextStep:   "无需再办理其他事项",
		notify.VarCounts:     "已超期2件，今日到期1件，临期3件",
		notify.VarItems:      "（2024）沪01执123号财产调查(10月8日)；（2024）沪01执124号发出执行通知书(10月9日)",
		notify.VarOTP:        "482915",
		notify.VarMoves:      "（2026）沪01执88号执行案件办案期限改为2027年2月9日(原暂定2027年2月6日)",
	}
	switch key {
	case notify.KeyFilingRespondent:
		v[notify.VarPartyName] = "李四"
		v[notify.VarIDNumber] = "31010119850505432X"
		v[notify.VarSignIn] = "查询码K7Q2X9"
	case notify.KeyMeasureMoney:
		v[notify.VarMeasure] = "冻结"
		v[notify.VarTarget] = "被执行人银行存款"
		v[notify.VarResult] = "冻结完成"
	case notify.KeyCaseSuspended:
		v[notify.VarNode] = "中止执行"
	case notify.KeySupervisionAnswered:
		v[notify.VarNode] = "三日内完成财产调查"
		v[notify.VarAnswer] = "已完成网络查控，未发现财产"
	case notify.KeyClosureCheck:
		v[notify.VarDate] = "2025年4月8日"
		v[notify.VarResult] = "未发现可供执行的财产"
	}
	return v
}

func TestDefaultTemplates_Golden(t *testing.T) {
	t.Parallel()
	ts := mustDefault(t, court)
	for _, spec := range notify.TemplateSpecs() {
		t.Run(spec.Key, func(t *testing.T) {
			t.Parallel()
			r, err := ts.Render(spec.Key, fixture(spec.Key))
			require.NoError(t, err)
			got := r.Text + "\n" + "segments: " + strconv.Itoa(r.Segments) + " encoding: " + r.Encoding.String() + "\n"
			path := filepath.Join("testdata", "golden", spec.Key+".txt")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test -update to create the golden file")
			require.Equal(t, string(want), got)
		})
	}
}

func TestDefaultTemplates_NeverClaimService(t *testing.T) {
	t.Parallel()
	// Rule A16 / P15 of the reference: an SMS informs; it is not 送达.
	require.NotContains(t, string(notify.DefaultTemplateSet()), "送达")
}

func TestDefaultTemplates_CoverEveryKey(t *testing.T) {
	t.Parallel()
	ts := mustDefault(t, court)
	for _, spec := range notify.TemplateSpecs() {
		src, ok := ts.Source(spec.Key)
		require.True(t, ok, spec.Key)
		require.NotEmpty(t, src)
	}
	_, ok := ts.Source("no.such")
	require.False(t, ok)
}

// setWith returns the default set with the text of key replaced (or the
// template removed when text is "").
func setWith(tb testing.TB, edit func(ts []map[string]string) []map[string]string) []byte {
	tb.Helper()
	var set struct {
		Templates []map[string]string `json:"templates"`
	}
	require.NoError(tb, json.Unmarshal(notify.DefaultTemplateSet(), &set))
	set.Templates = edit(set.Templates)
	b, err := json.Marshal(set)
	require.NoError(tb, err)
	return b
}

func replaceText(key, text string) func([]map[string]string) []map[string]string {
	return func(ts []map[string]string) []map[string]string {
		for _, t := range ts {
			if t["key"] == key {
				t["text"] = text
			}
		}
		return ts
	}
}

func TestLoadTemplates_Errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
		cfg  notify.Config
		want []error
	}{
		{"unknown variable", setWith(t, replaceText(notify.KeyDeadlineReminder, "{judge}法官：{case_no}案“{node}”{due_date}{level}{amount}")), court,
			[]error{notify.ErrUnknownVar}},
		{"variable of another key", setWith(t, replaceText(notify.KeyReplyAck, "{party_name}：{case_no}{choice}{answer}")), court,
			[]error{notify.ErrUnknownVar}},
		{"unclosed brace", setWith(t, replaceText(notify.KeyReplyAck, "{party_name：{case_no}{choice}")), court,
			[]error{notify.ErrSyntax}},
		{"unmatched closing brace", setWith(t, replaceText(notify.KeyReplyAck, "{case_no}}{choice}")), court,
			[]error{notify.ErrSyntax}},
		{"text/template syntax is not accepted", setWith(t, replaceText(notify.KeyReplyAck, "{{.case_no}}{case_no}{choice}")), court,
			nil},
		{"bad placeholder name", setWith(t, replaceText(notify.KeyReplyAck, "{Case No}{case_no}{choice}")), court,
			[]error{notify.ErrSyntax}},
		{"ZhongBen art 5 opinion solicitation must carry the reply code", setWith(t, replaceText(notify.KeyOpinionSolicit, "{party_name}：{case_no}拟终本，请于{due_date}前回复。")), court,
			[]error{notify.ErrRequiredVar}},
		{"CPL 90 an SMS never claims service", setWith(t, replaceText(notify.KeyClosureOutcome, "{case_no}结案通知已送达：{outcome}")), court,
			[]error{notify.ErrClaimsService}},
		{"signature brackets in text", setWith(t, replaceText(notify.KeyClosureOutcome, "【假冒】{case_no}{outcome}")), court,
			[]error{notify.ErrSyntax}},
		{"empty text", setWith(t, replaceText(notify.KeyClosureOutcome, " ")), court,
			[]error{notify.ErrSyntax}},
		{"worst case exceeds the segment limit", notify.DefaultTemplateSet(), notify.Config{Signature: court.Signature, Contact: court.Contact, QuerySite: court.QuerySite, MaxSegments: 2},
			[]error{notify.ErrTooLong}},
		{"unknown key", setWith(t, func(ts []map[string]string) []map[string]string {
			return append(ts, map[string]string{"key": "filing.agent", "audience": "party", "text": "x"})
		}), court, []error{notify.ErrUnknownKey}},
		{"duplicate key", setWith(t, func(ts []map[string]string) []map[string]string { return append(ts, ts[0]) }), court,
			[]error{notify.ErrDuplicateKey}},
		{"missing key", setWith(t, func(ts []map[string]string) []map[string]string { return ts[1:] }), court,
			[]error{notify.ErrMissingKey}},
		{"audience mismatch", setWith(t, func(ts []map[string]string) []map[string]string { ts[0]["audience"] = "judge"; return ts }), court,
			[]error{notify.ErrAudience}},
		{"malformed JSON", []byte(`{"templates": [`), court, []error{notify.ErrSyntax}},
		{"unknown field", []byte(`{"templates": [], "version": 2}`), court, []error{notify.ErrSyntax}},
		{"trailing data", append(notify.DefaultTemplateSet(), "{}"...), court, []error{notify.ErrSyntax}},
		{"no templates list", []byte(`{}`), court, []error{notify.ErrSyntax, notify.ErrMissingKey}},
		{"config variable without value", notify.DefaultTemplateSet(), notify.Config{Signature: court.Signature}, []error{notify.ErrConfig}},
		{"signature without brackets", notify.DefaultTemplateSet(), notify.Config{Signature: "上海一中院", Contact: court.Contact, QuerySite: court.QuerySite}, []error{notify.ErrConfig}},
		{"contact with a signature", notify.DefaultTemplateSet(), notify.Config{Contact: "【x】12368", QuerySite: court.QuerySite}, []error{notify.ErrConfig}},
		{"negative segment limit", notify.DefaultTemplateSet(), notify.Config{Contact: court.Contact, QuerySite: court.QuerySite, MaxSegments: -1}, []error{notify.ErrConfig}},
		{"every problem at once", setWith(t, func(ts []map[string]string) []map[string]string {
			ts[0]["text"] = "{nope}"
			ts[1]["audience"] = "leader"
			return ts[:len(ts)-1]
		}), court, []error{notify.ErrUnknownVar, notify.ErrRequiredVar, notify.ErrAudience, notify.ErrMissingKey}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts, err := notify.LoadTemplates(bytes.NewReader(tt.data), tt.cfg)
			if tt.want == nil {
				require.NoError(t, err)
				require.NotNil(t, ts)
				return
			}
			require.Error(t, err)
			require.Nil(t, ts)
			var le *notify.LoadError
			require.ErrorAs(t, err, &le)
			for _, w := range tt.want {
				require.ErrorIs(t, err, w)
			}
			for _, p := range le.Problems {
				require.NotEmpty(t, p.Detail)
			}
		})
	}
}

func TestLoadTemplates_TextTemplateBracesAreLiteral(t *testing.T) {
	t.Parallel()
	ts, err := notify.LoadTemplates(bytes.NewReader(setWith(t, replaceText(notify.KeyReplyAck, "{{.x}}{case_no}{choice}"))), court)
	require.NoError(t, err)
	r, err := ts.Render(notify.KeyReplyAck, fixture(notify.KeyReplyAck))
	require.NoError(t, err)
	require.Equal(t, "【上海一中院】{.x}（2024）沪01执123号同意", r.Text)
}

func TestTemplates_RenderErrors(t *testing.T) {
	t.Parallel()
	ts := mustDefault(t, court)
	without := func(key string, drop ...string) notify.Vars {
		v := fixture(key)
		for _, d := range drop {
			delete(v, d)
		}
		return v
	}
	withVal := func(key, name, val string) notify.Vars {
		v := fixture(key)
		v[name] = val
		return v
	}
	tests := []struct {
		name string
		key  string
		vars notify.Vars
		want error
		vs   []string
	}{
		{"unknown key", "filing.agent", fixture(notify.KeyReplyAck), notify.ErrUnknownKey, nil},
		{"missing case number", notify.KeyReplyAck, without(notify.KeyReplyAck, notify.VarCaseNo), notify.ErrMissingVar, []string{notify.VarCaseNo}},
		{"every missing variable listed", notify.KeyReplyAck, without(notify.KeyReplyAck, notify.VarCaseNo, notify.VarJudge), notify.ErrMissingVar, []string{notify.VarCaseNo, notify.VarJudge}},
		{"empty value is missing", notify.KeyReplyAck, withVal(notify.KeyReplyAck, notify.VarChoice, ""), notify.ErrMissingVar, []string{notify.VarChoice}},
		{"blank value is missing", notify.KeyReplyAck, withVal(notify.KeyReplyAck, notify.VarChoice, " \u3000"), notify.ErrMissingVar, []string{notify.VarChoice}},
		{"nil vars", notify.KeyReplyAck, nil, notify.ErrMissingVar, nil},
		{"identifier too long is never cut", notify.KeyOpinionSolicit, withVal(notify.KeyOpinionSolicit, notify.VarReplyCode, "K7Q2K7Q"), notify.ErrValueTooLong, []string{notify.VarReplyCode}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := ts.Render(tt.key, tt.vars)
			require.ErrorIs(t, err, tt.want)
			require.Zero(t, r)
			require.NotContains(t, err.Error(), "<no value>")
			var got []string
			var re *notify.RenderError
			for _, e := range unjoin(err) {
				require.ErrorAs(t, e, &re)
				require.Equal(t, tt.key, re.Key)
				got = append(got, re.Var)
			}
			if tt.vs != nil {
				require.ElementsMatch(t, tt.vs, got)
			}
		})
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestTemplates_RenderValues(t *testing.T) {
	t.Parallel()
	ts := mustDefault(t, court)
	render := func(t *testing.T, ts *notify.Templates, key, name, val string) string {
		v := fixture(key)
		v[name] = val
		r, err := ts.Render(key, v)
		require.NoError(t, err)
		return r.Text
	}
	t.Run("staff names are bare", func(t *testing.T) {
		t.Parallel()
		for _, tt := range []struct{ key, name, val, want string }{
			{notify.KeyDeadlineReminder, notify.VarJudge, "李明法官", "李明法官："},
			{notify.KeyDeadlineReminder, notify.VarJudge, "李明", "李明法官："},
			{notify.KeyItineraryJudge, notify.VarJudges, "王五法官、赵六法官", "与王五、赵六法官同日"},
			// The text does not write 法官 after {judge} here: kept as given.
			{notify.KeyFilingApplicant, notify.VarJudge, "李明法官", "承办法官李明法官，"},
		} {
			got := render(t, ts, tt.key, tt.name, tt.val)
			require.Contains(t, got, tt.want, tt.val)
			require.NotContains(t, got, "法官法官")
		}
	})
	t.Run("forged signature is neutralised", func(t *testing.T) {
		t.Parallel()
		got := render(t, ts, notify.KeyRequestAnswer, notify.VarAnswer, "【某银行】请转账")
		require.Contains(t, got, "〔某银行〕请转账")
		require.Equal(t, 1, strings.Count(got, "【"))
	})
	t.Run("control characters become spaces", func(t *testing.T) {
		t.Parallel()
		got := render(t, ts, notify.KeyRequestAnswer, notify.VarAnswer, "第一行\n第二行\t完")
		require.Contains(t, got, "第一行 第二行 完")
	})
	t.Run("placeholder-like value stays literal", func(t *testing.T) {
		t.Parallel()
		got := render(t, ts, notify.KeyRequestAnswer, notify.VarAnswer, "{case_no}")
		require.Contains(t, got, "｛case_no｝")
	})
	t.Run("free text cut at its maximum", func(t *testing.T) {
		t.Parallel()
		got := render(t, ts, notify.KeyRequestAnswer, notify.VarAnswer, strings.Repeat("答", 150))
		require.Contains(t, got, "："+strings.Repeat("答", 99)+"…。")
	})
	t.Run("emoji never cut in half", func(t *testing.T) {
		t.Parallel()
		got := render(t, ts, notify.KeyRequestAnswer, notify.VarAnswer, "答"+strings.Repeat("😀", 60))
		require.Contains(t, got, "：答"+strings.Repeat("😀", 49)+"…。")
	})
	t.Run("person name masked by default", func(t *testing.T) {
		t.Parallel()
		got := render(t, ts, notify.KeyClosureCheck, notify.VarRespondent, "李四")
		require.Contains(t, got, "被执行人李*的财产")
		require.True(t, strings.HasPrefix(got, "【上海一中院】张*明您好"))
	})
	t.Run("names shown when the policy says so", func(t *testing.T) {
		t.Parallel()
		cfg := court
		cfg.Mask.ShowNames = true
		got := render(t, mustDefault(t, cfg), notify.KeyClosureCheck, notify.VarRespondent, "李四")
		require.Contains(t, got, "被执行人李四的财产")
	})
	t.Run("amount masked when the policy says so", func(t *testing.T) {
		t.Parallel()
		cfg := court
		cfg.Mask.MaskAmounts = true
		got := render(t, mustDefault(t, cfg), notify.KeyMeasureMoney, notify.VarAmount, "123,456.78")
		require.Contains(t, got, "***,***.**元")
	})
	t.Run("no signature when the gateway adds it", func(t *testing.T) {
		t.Parallel()
		cfg := court
		cfg.Signature = ""
		got := render(t, mustDefault(t, cfg), notify.KeyReplyAck, notify.VarChoice, "同意")
		require.True(t, strings.HasPrefix(got, "张*明您好"))
	})
}

// maxVars returns values for every variable at its maximum length, made of
// characters that each cost two UTF-16 units where the maximum allows.
func maxVars(fill string) notify.Vars {
	v := notify.Vars{}
	for _, s := range notify.VarSpecs() {
		if s.Kind == notify.KindConfig {
			continue
		}
		v[s.Name] = strings.Repeat(fill, s.Max/len([]rune(fill))+2)
		if !s.Truncate {
			v[s.Name] = strings.Repeat("中", s.Max)
		}
	}
	return v
}

func TestTemplates_WorstCaseWithinLimit(t *testing.T) {
	t.Parallel()
	ts := mustDefault(t, court)
	for _, fill := range []string{"中", "😀", "中😀", "{", "a"} {
		for _, spec := range notify.TemplateSpecs() {
			r, err := ts.Render(spec.Key, maxVars(fill))
			require.NoError(t, err, spec.Key)
			units, seg, ok := ts.WorstCase(spec.Key)
			require.True(t, ok)
			require.LessOrEqual(t, len(utf16(r.Text)), units, spec.Key)
			require.LessOrEqual(t, r.Segments, seg, spec.Key)
			require.LessOrEqual(t, r.Segments, notify.DefaultMaxSegments, spec.Key)
		}
	}
}

func utf16(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r > 0xFFFF {
			out = append(out, 0, 0)
		} else {
			out = append(out, 0)
		}
	}
	return out
}

func TestTemplates_RenderAllocs(t *testing.T) {
	ts := mustDefault(t, court)
	vars := fixture(notify.KeyFilingApplicant)
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = ts.Render(notify.KeyFilingApplicant, vars)
	})
	require.LessOrEqual(t, allocs, 1.0, "one allocation: the text")
}

// placeholder matches anything a template could leave unreplaced.
var placeholder = regexp.MustCompile(`\{[a-z][a-z0-9_]*\}`)

func FuzzRender(f *testing.F) {
	ts := mustDefault(f, court)
	specs := notify.TemplateSpecs()
	f.Add(uint8(0), "张三明", "（2024）沪01执123号", "7日内发出执行通知")        // a realistic filing notice
	f.Add(uint8(5), "", "", "")                                  // every value missing
	f.Add(uint8(11), "【假冒】", "{case_no}", "\n\r\t")              // forged signature, placeholder, controls
	f.Add(uint8(3), "😀😀😀", strings.Repeat("中", 200), "\xff\xfe") // emoji, overlong, invalid UTF-8
	f.Add(uint8(7), "{{", "}}", "{")                             // stray braces
	f.Fuzz(func(t *testing.T, k uint8, a, b, c string) {
		spec := specs[int(k)%len(specs)]
		vals := []string{a, b, c}
		vars := notify.Vars{}
		for i, name := range spec.Vars {
			vars[name] = vals[i%3]
		}
		r, err := ts.Render(spec.Key, vars)
		if err != nil {
			require.Zero(t, r)
			require.True(t, errors.Is(err, notify.ErrMissingVar) || errors.Is(err, notify.ErrValueTooLong), err)
			return
		}
		require.False(t, placeholder.MatchString(r.Text), "unreplaced placeholder in %q", r.Text)
		require.NotContains(t, r.Text, "<no value>")
		n, enc := notify.Segments(r.Text)
		require.Equal(t, n, r.Segments)
		require.Equal(t, enc, r.Encoding)
		_, worst, _ := ts.WorstCase(spec.Key)
		require.LessOrEqual(t, r.Segments, worst)
		require.True(t, strings.HasPrefix(r.Text, court.Signature))
		require.Equal(t, 1, strings.Count(r.Text, "【"))
	})
}

func FuzzLoadTemplates(f *testing.F) {
	f.Add(notify.DefaultTemplateSet())                                                                   // the embedded set: valid
	f.Add([]byte(`{"templates": []}`))                                                                   // every key missing
	f.Add([]byte(`{"templates": [{"key":"reply.ack","audience":"party","text":"{case_no}{choice}{"}]}`)) // unclosed brace
	f.Add([]byte(`{"templates": [{"key":"reply.ack","audience":"party","text":"{{.case_no}}"}]}`))       // text/template syntax
	f.Add([]byte(`not json`))                                                                            // not JSON at all
	f.Add(setWith(f, replaceText(notify.KeyReplyAck, "{case_no}已送达{choice}")))
	longest := maxVars("😀")
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := notify.LoadTemplates(bytes.NewReader(data), court)
		if err != nil {
			require.Nil(t, ts)
			var le *notify.LoadError
			require.ErrorAs(t, err, &le)
			require.NotEmpty(t, le.Problems)
			return
		}
		// Round trip: the sources of a loaded set load again to the same
		// renderings, and every rendering keeps to the segment limit.
		var set struct {
			Templates []map[string]string `json:"templates"`
		}
		for _, spec := range notify.TemplateSpecs() {
			src, ok := ts.Source(spec.Key)
			require.True(t, ok)
			set.Templates = append(set.Templates, map[string]string{"key": spec.Key, "audience": spec.Audience.String(), "text": src})
		}
		b, err := json.Marshal(set)
		require.NoError(t, err)
		ts2, err := notify.LoadTemplates(bytes.NewReader(b), court)
		require.NoError(t, err)
		for _, spec := range notify.TemplateSpecs() {
			r1, err1 := ts.Render(spec.Key, longest)
			r2, err2 := ts2.Render(spec.Key, longest)
			require.Equal(t, r1, r2)
			require.Equal(t, err1 == nil, err2 == nil)
			if err1 == nil {
				require.LessOrEqual(t, r1.Segments, notify.DefaultMaxSegments)
			}
		}
	})
}
