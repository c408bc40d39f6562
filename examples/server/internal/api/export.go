package api

import (
	"errors"
	"net/http"

	"github.com/courtkit/zhixing/examples/server/internal/desk"
)

// XLSXType is the media type of an Excel workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// export sends one of the chief's exports for a period as .xlsx or CSV.
func (h *API) export(w http.ResponseWriter, r *http.Request, p *desk.Principal) error {
	return WriteExport(w, r, h.desk, p, desk.ExportKind(r.PathValue("kind")))
}

// WriteExport answers a request for export kind: the period from the
// query's from and to, the format from its format (xlsx unless csv). The
// pages send their downloads through it too.
func WriteExport(w http.ResponseWriter, r *http.Request, d *desk.Desk, p *desk.Principal, kind desk.ExportKind) error {
	if err := desk.Need(p, desk.RoleChief); err != nil {
		return err
	}
	q := r.URL.Query()
	var ie desk.InputError
	if !kind.IsKnown() {
		ie.Add("kind", "unknown_value", "导出内容的取值无法识别："+string(kind))
	}
	format := q.Get("format")
	switch format {
	case "":
		format = desk.FormatXLSX
	case desk.FormatXLSX, desk.FormatCSV:
	default:
		ie.Add("format", "unknown_value", "导出格式须为 xlsx 或 csv："+format)
	}
	per, err := d.ParsePeriod(q.Get("from"), q.Get("to"))
	var ferr *desk.InputError
	if errors.As(err, &ferr) {
		ie.Fields = append(ie.Fields, ferr.Fields...)
	} else if err != nil {
		return err
	}
	if err := ie.Err(); err != nil {
		return err
	}
	t, err := d.Export(r.Context(), p, kind, per)
	if err != nil {
		return err
	}
	name := string(kind) + "-" + per.From.String() + "-" + per.To.String() + "." + format
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	if format == desk.FormatCSV {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		return desk.WriteCSV(w, t)
	}
	w.Header().Set("Content-Type", XLSXType)
	return desk.WriteXLSX(w, t)
}
