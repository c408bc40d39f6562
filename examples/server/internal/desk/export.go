package desk

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/enforcement"
)

// The chief's exports: the figures reported upward for a chosen period,
// as a spreadsheet (.xlsx) or CSV. The per-judge figures are counted by
// the store from indexed columns (sqlstore.Store.TallyPeriod), never by
// building the supervision report, so they stay fast at any court size.

// ExportKind names an export.
type ExportKind string

// Exports.
const (
	ExportJudges   ExportKind = "judges"    // per-judge figures of the period
	ExportOverdue  ExportKind = "overdue"   // open items due in the period and now overdue
	ExportKeyCases ExportKind = "key-cases" // key cases pending during the period
)

// ExportKinds lists the exports in the order the page offers them.
var ExportKinds = []ExportKind{ExportJudges, ExportOverdue, ExportKeyCases}

// Chinese is the export's title.
func (k ExportKind) Chinese() string {
	switch k {
	case ExportJudges:
		return "各法官办案数据"
	case ExportOverdue:
		return "超期未办期限清单"
	case ExportKeyCases:
		return "重点案件清单"
	}
	return ""
}

// IsKnown reports whether k is an export.
func (k ExportKind) IsKnown() bool { return k.Chinese() != "" }

// Export formats.
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
)

// Period is the inclusive span of days an export covers.
type Period struct {
	From, To deadline.Date
}

// maxPeriodDays bounds an export's period: ten years.
const maxPeriodDays = 3660

// ParsePeriod reads the period typed in a form or a query. An empty start
// is the first day of this year, an empty end today. The end may not be
// after today nor before the start.
func (d *Desk) ParsePeriod(from, to string) (Period, error) {
	today := d.Today()
	p := Period{From: deadline.Date{Year: today.Year, Month: 1, Day: 1}, To: today}
	var ie InputError
	if s := strings.TrimSpace(from); s != "" {
		v, err := deadline.ParseDate(s)
		if err != nil {
			ie.Add("from", "invalid_date", "开始日期不是有效日期："+s+"（格式为 YYYY-MM-DD）")
		}
		p.From = v
	}
	if s := strings.TrimSpace(to); s != "" {
		v, err := deadline.ParseDate(s)
		switch {
		case err != nil:
			ie.Add("to", "invalid_date", "结束日期不是有效日期："+s+"（格式为 YYYY-MM-DD）")
		case v.After(today):
			ie.Add("to", "in_future", "结束日期不能晚于今天（"+today.String()+"）："+s)
		}
		p.To = v
	}
	if len(ie.Fields) == 0 {
		switch {
		case p.To.Before(p.From):
			ie.Add("to", "before_start", "结束日期不能早于开始日期")
		case p.To.Sub(p.From) > maxPeriodDays:
			ie.Add("from", "too_long", "统计期间最长十年")
		}
	}
	return p, ie.Err()
}

// Table is an export: a title, a header row and the rows. A cell is a
// string, an int or a decimal.Decimal (an amount in yuan).
type Table struct {
	Title  string
	Header []string
	Rows   [][]any
}

// Export builds export kind for period per; the chief only.
func (d *Desk) Export(ctx context.Context, p *Principal, kind ExportKind, per Period) (Table, error) {
	if err := Need(p, RoleChief); err != nil {
		return Table{}, err
	}
	court := d.CourtFor(p)
	title := fmt.Sprintf("%s %s（%s至%s）", d.CourtName(court), kind.Chinese(), per.From, per.To)
	switch kind {
	case ExportJudges:
		return d.exportJudges(ctx, court, title, per)
	case ExportOverdue:
		return d.exportOverdue(ctx, court, title, per)
	case ExportKeyCases:
		return d.exportKeyCases(ctx, court, title, per)
	}
	return Table{}, BadField("kind", "unknown_value", "导出内容的取值无法识别："+string(kind))
}

// JudgePeriods returns each judge's figures for per: every judge of the
// court, with or without cases, by user ID.
func (d *Desk) JudgePeriods(ctx context.Context, p *Principal, per Period) ([]sqlstore.JudgePeriod, map[string]string, error) {
	if err := Need(p, RoleChief); err != nil {
		return nil, nil, err
	}
	return d.judgePeriods(ctx, d.CourtFor(p), per)
}

func (d *Desk) judgePeriods(ctx context.Context, court string, per Period) ([]sqlstore.JudgePeriod, map[string]string, error) {
	ps, err := d.Store.TallyPeriod(ctx, court, per.From, per.To)
	if err != nil {
		return nil, nil, err
	}
	us, err := d.ListUsers(ctx, court)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	have := map[string]bool{}
	for _, x := range ps {
		have[x.JudgeID] = true
	}
	for _, u := range us {
		names[u.ID] = u.Name
		if u.Role == RoleJudge && !have[u.ID] {
			ps = append(ps, sqlstore.JudgePeriod{JudgeID: u.ID, Applied: decimal.Zero, Recovered: decimal.Zero})
		}
	}
	slices.SortFunc(ps, func(a, b sqlstore.JudgePeriod) int { return strings.Compare(a.JudgeID, b.JudgeID) })
	return ps, names, nil
}

// Ratio is part/whole as a percentage with one decimal ("85.0%"), "—"
// when whole is zero.
func Ratio(part, whole decimal.Decimal) string {
	if whole.IsZero() {
		return "—"
	}
	return part.Mul(decimal.NewFromInt(100)).DivRound(whole, 1).StringFixed(1) + "%"
}

func (d *Desk) exportJudges(ctx context.Context, court, title string, per Period) (Table, error) {
	ps, names, err := d.judgePeriods(ctx, court, per)
	if err != nil {
		return Table{}, err
	}
	t := Table{Title: title, Header: []string{"法官", "旧存", "新收", "已结", "其中终本", "未结", "结案率", "终本率", "已结案件申请标的（元）", "已结案件执行到位（元）", "执行到位率"}}
	row := func(name string, x sqlstore.JudgePeriod) []any {
		n := decimal.NewFromInt
		return []any{name, x.CarriedOver, x.Filed, x.Closed, x.ZhongBen, x.Pending,
			Ratio(n(int64(x.Closed)), n(int64(x.CarriedOver+x.Filed))), Ratio(n(int64(x.ZhongBen)), n(int64(x.Closed))),
			x.Applied, x.Recovered, Ratio(x.Recovered, x.Applied)}
	}
	for _, x := range ps {
		name := names[x.JudgeID]
		if name == "" {
			name = x.JudgeID
		}
		t.Rows = append(t.Rows, row(name, x))
	}
	t.Rows = append(t.Rows, row("合计", PeriodTotal(ps)))
	return t, nil
}

// PeriodTotal sums the per-judge figures ps into the court's row.
func PeriodTotal(ps []sqlstore.JudgePeriod) sqlstore.JudgePeriod {
	sum := sqlstore.JudgePeriod{Applied: decimal.Zero, Recovered: decimal.Zero}
	for _, x := range ps {
		sum.CarriedOver += x.CarriedOver
		sum.Filed += x.Filed
		sum.Closed += x.Closed
		sum.ZhongBen += x.ZhongBen
		sum.Pending += x.Pending
		sum.Applied = sum.Applied.Add(x.Applied)
		sum.Recovered = sum.Recovered.Add(x.Recovered)
	}
	return sum
}

func (d *Desk) exportOverdue(ctx context.Context, court, title string, per Period) (Table, error) {
	today := d.Today()
	t := Table{Title: title, Header: []string{"案号", "承办法官", "重点案件", "期限事项", "办理方", "期限日期", "已超期天数"}}
	through := per.To
	if !through.Before(today) {
		through = today.AddDays(-1)
	}
	if through.Before(per.From) {
		return t, nil
	}
	refs, err := d.Store.ListDue(ctx, court, per.From, through, 0)
	if err != nil {
		return Table{}, err
	}
	slices.SortFunc(refs, func(a, b enforcement.DueRef) int {
		if c := a.Item.Due().Compare(b.Item.Due()); c != 0 {
			return c
		}
		if c := strings.Compare(a.Number, b.Number); c != 0 {
			return c
		}
		return strings.Compare(a.Item.ID, b.Item.ID)
	})
	names := d.userNames(ctx, court)
	for _, r := range refs {
		due := r.Item.Due()
		if !due.Before(today) {
			continue // the override moved it out of the past
		}
		key := "否"
		if r.Key {
			key = "是"
		}
		t.Rows = append(t.Rows, []any{r.Number, cmpName(names, r.JudgeID), key, r.Item.Title, enforcement.Owner(r.Item.Owner).Chinese(),
			due.String(), today.Sub(due)})
	}
	return t, nil
}

func (d *Desk) exportKeyCases(ctx context.Context, court, title string, per Period) (Table, error) {
	cs, err := d.Store.KeyCasesInPeriod(ctx, court, per.From, per.To)
	if err != nil {
		return Table{}, err
	}
	names := d.userNames(ctx, court)
	t := Table{Title: title, Header: []string{"案号", "承办法官", "状态", "立案日期", "结案日期", "结案方式", "申请标的（元）", "执行到位（元）", "执行到位率"}}
	for _, c := range cs {
		closed := ""
		if !c.ClosedOn.IsZero() {
			closed = c.ClosedOn.String()
		}
		t.Rows = append(t.Rows, []any{c.Number, cmpName(names, c.JudgeID), c.Status.Chinese(), c.FiledOn.String(), closed, c.Mode.Chinese(),
			c.Applied, c.Recovered, Ratio(c.Recovered, c.Applied)})
	}
	return t, nil
}

func (d *Desk) userNames(ctx context.Context, court string) map[string]string {
	out := map[string]string{}
	us, err := d.ListUsers(ctx, court)
	if err != nil {
		return out
	}
	for _, u := range us {
		out[u.ID] = u.Name
	}
	return out
}

func cmpName(names map[string]string, id string) string {
	if n := names[id]; n != "" {
		return n
	}
	return id
}

// cellText is a cell as CSV text: amounts with two decimals.
func cellText(v any) string {
	switch x := v.(type) {
	case string:
		return csvCell(x)
	case int:
		return strconv.Itoa(x)
	case decimal.Decimal:
		return x.StringFixed(2)
	}
	return csvCell(fmt.Sprint(v))
}

// WriteCSV writes t as CSV, UTF-8 with a byte-order mark so that Excel
// reads the Chinese text: the header, then the rows (every record of the
// same width, so the title is left to the file's name).
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	rec := make([]string, len(t.Header))
	for _, r := range t.Rows {
		for i, v := range r {
			rec[i] = cellText(v)
		}
		if err := cw.Write(rec[:len(r)]); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes t as an Excel workbook of one sheet: the title in the
// first row, the header in bold, counts as numbers and amounts as numbers
// with two decimals. An amount is written as the float64 nearest to it,
// whose shortest decimal form (what the file holds) is the amount itself
// for any sum below 2^53 fen.
func WriteXLSX(w io.Writer, t Table) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, len(t.Header), 16); err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: t.Title}}); err != nil {
		return err
	}
	head := make([]any, len(t.Header))
	for i, h := range t.Header {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A2", head); err != nil {
		return err
	}
	for n, r := range t.Rows {
		row := make([]any, len(r))
		for i, v := range r {
			switch x := v.(type) {
			case decimal.Decimal:
				row[i] = excelize.Cell{StyleID: money, Value: x.Round(2).InexactFloat64()}
			default:
				row[i] = v
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, n+3)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
