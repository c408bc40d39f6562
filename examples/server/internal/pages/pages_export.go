package pages

import (
	"net/http"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/adapters/sqlstore"
	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
)

// exportView is the chief's exports page: the period form, the per-judge
// figures of the period and the download links.
type exportView struct {
	Form   typedForm
	Period desk.Period
	Judges []periodRow
	Total  periodRow
	// Links are the downloads of the period; none while it is refused.
	Links []downloadLink
}

// downloadLink is one export of the period in both formats.
type downloadLink struct {
	Kind      desk.ExportKind
	XLSX, CSV string
}

// periodRow is a judge's figures of the period with their name and rates.
type periodRow struct {
	sqlstore.JudgePeriod
	Name                    string
	ClosureRate, ZhongBenRt string
	RecoveryRate            string
}

func newPeriodRow(name string, x sqlstore.JudgePeriod) periodRow {
	n := func(i int) decimal.Decimal { return decimal.NewFromInt(int64(i)) }
	return periodRow{JudgePeriod: x, Name: name, ClosureRate: desk.Ratio(n(x.Closed), n(x.CarriedOver+x.Filed)),
		ZhongBenRt: desk.Ratio(n(x.ZhongBen), n(x.Closed)), RecoveryRate: desk.Ratio(x.Recovered, x.Applied)}
}

// exports shows the figures of the period typed (this year by default)
// and the links to download them.
func (pg *pages) exports(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	return pg.renderExports(w, r, p, nil)
}

func (pg *pages) renderExports(w http.ResponseWriter, r *http.Request, p *desk.Principal, cause error) error {
	if err := desk.Need(p, desk.RoleChief); err != nil {
		return err
	}
	q := r.URL.Query()
	f := typedForm{Values: map[string]string{"from": q.Get("from"), "to": q.Get("to")}, Errors: map[string]string{}}
	var v exportView
	per, err := pg.desk.ParsePeriod(q.Get("from"), q.Get("to"))
	if err == nil {
		err = cause
	}
	status := http.StatusOK
	if err != nil {
		if !f.refuse(err, nil) {
			return err
		}
		status = respond.Lookup(err).Status
	} else {
		v.Period = per
		if f.Values["from"] == "" {
			f.Values["from"] = per.From.String()
		}
		if f.Values["to"] == "" {
			f.Values["to"] = per.To.String()
		}
		for _, k := range desk.ExportKinds {
			u := "/chief/exports/" + string(k) + "?from=" + per.From.String() + "&to=" + per.To.String() + "&format="
			v.Links = append(v.Links, downloadLink{Kind: k, XLSX: u + desk.FormatXLSX, CSV: u + desk.FormatCSV})
		}
		ps, names, err := pg.desk.JudgePeriods(r.Context(), p, per)
		if err != nil {
			return err
		}
		for _, x := range ps {
			name := names[x.JudgeID]
			if name == "" {
				name = x.JudgeID
			}
			v.Judges = append(v.Judges, newPeriodRow(name, x))
		}
		v.Total = newPeriodRow("合计", desk.PeriodTotal(ps))
	}
	v.Form = f
	return pg.render(w, r, status, "exports", page{Title: "数据导出", Nav: "exports", Data: v})
}

// download sends an export as the API does; a bad period or format comes
// back on the exports page at its field.
func (pg *pages) download(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	err := api.WriteExport(w, r, pg.desk, p, desk.ExportKind(r.PathValue("kind")))
	if err != nil && len(respond.Fields(err)) > 0 {
		return pg.renderExports(w, r, p, err)
	}
	return err
}
