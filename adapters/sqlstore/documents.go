package sqlstore

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/courtkit/zhixing/deadline"
)

// The store keeps each aggregate as a JSON document whose form is declared
// in this package (documents_*.go), not derived from the domain's Go
// structs: renaming a domain field cannot change what is stored, and rows
// written years ago still read. Every document has snake_case names and a
// "v" field with its format version (docVersion). Enums are stored by
// their stable text codes, dates as YYYY-MM-DD, times as RFC 3339 with
// their offset, amounts as decimal strings, and identity numbers in full.
//
// Rows written before documents were versioned have no "v": they hold the
// JSON of the domain structs, with the Go field names as keys. They are
// read by renaming their keys to snake_case (legacyKeys), which gives the
// version-1 document, since version 1 kept every value's form and named
// every field after its Go field. Fixtures of that format are in
// testdata/legacy.

// docVersion is the format version of the documents this code writes.
const docVersion = 1

// ErrDocumentVersion is returned when a stored document has a format
// version newer than this code knows: the row was written by a newer
// release.
var ErrDocumentVersion = errors.New("sqlstore: document written by a newer version")

// versionOf returns the "v" field of a stored document, 0 when it has none
// (the legacy format).
func versionOf(b []byte) (int, error) {
	// Documents written by this package start with their version.
	if rest, ok := bytes.CutPrefix(b, []byte(`{"v":`)); ok {
		if i := bytes.IndexAny(rest, ",}"); i > 0 {
			if v, err := strconv.Atoi(string(rest[:i])); err == nil {
				return v, nil
			}
		}
	}
	var probe struct {
		V int `json:"v"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return 0, err
	}
	return probe.V, nil
}

// decodeDoc decodes a stored document into dst, a pointer to a current
// document type, upgrading a legacy document (no "v") on the way; rename
// adjusts the legacy tree after its keys are converted, and may be nil.
func decodeDoc(b []byte, dst any, rename func(map[string]any) error) error {
	v, err := versionOf(b)
	if err != nil {
		return err
	}
	switch {
	case v == 0:
		var tree any
		if err := json.Unmarshal(b, &tree); err != nil {
			return err
		}
		m, ok := tree.(map[string]any)
		if !ok {
			return errors.New("document is not an object")
		}
		tree, err = legacyKeys(m, "")
		if err != nil {
			return err
		}
		m = tree.(map[string]any)
		if rename != nil {
			if err := rename(m); err != nil {
				return err
			}
		}
		m["v"] = docVersion
		up, err := json.Marshal(m)
		if err != nil {
			return err
		}
		return json.Unmarshal(up, dst)
	case v > docVersion:
		return fmt.Errorf("%w: format version %d, this code reads up to %d", ErrDocumentVersion, v, docVersion)
	case v < 0:
		return fmt.Errorf("format version %d", v)
	}
	return json.Unmarshal(b, dst)
}

// legacyKeys returns the tree v with every object key renamed from a Go
// field name to snake_case, except inside the objects whose values are
// maps keyed by data (a message's template parameters, a case's identity
// numbers by party ID).
func legacyKeys(v any, parent string) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if parent == "params" || parent == "id_numbers" {
			return x, nil
		}
		out := make(map[string]any, len(x))
		from := make(map[string]string, len(x))
		for k, e := range x {
			sk := snake(k)
			// Two members becoming one ("At" and "at") would leave
			// which value is kept to the map's order: refuse instead.
			if other, ok := from[sk]; ok {
				a, b := min(k, other), max(k, other)
				return nil, fmt.Errorf("legacy document: members %q and %q are both %q", a, b, sk)
			}
			from[sk] = k
			up, err := legacyKeys(e, sk)
			if err != nil {
				return nil, err
			}
			out[sk] = up
		}
		return out, nil
	case []any:
		for i, e := range x {
			up, err := legacyKeys(e, parent)
			if err != nil {
				return nil, err
			}
			x[i] = up
		}
		return x, nil
	}
	return v, nil
}

// snake returns a Go field name in snake_case: "JudgeID" → "judge_id",
// "IDNumber" → "id_number".
func snake(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		isUpper := c >= 'A' && c <= 'Z'
		if isUpper && i > 0 {
			prev := s[i-1]
			prevLower := (prev >= 'a' && prev <= 'z') || (prev >= '0' && prev <= '9')
			nextLower := i+1 < len(s) && s[i+1] >= 'a' && s[i+1] <= 'z'
			if prevLower || (prev >= 'A' && prev <= 'Z' && nextLower) {
				b = append(b, '_')
			}
		}
		if isUpper {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// Encoding of values.

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

func dateText(d deadline.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func dateTexts(ds []deadline.Date) []string {
	return mapSlice(ds, dateText)
}

func moneyText(a decimal.Decimal) string { return a.String() }

// text returns the text code of an enum or value with a MarshalText.
func text(m encoding.TextMarshaler, err *error) string {
	b, e := m.MarshalText()
	if e != nil && *err == nil {
		*err = e
	}
	return string(b)
}

// mapSlice maps s with f, keeping a nil slice nil and an empty one empty.
func mapSlice[S, D any](s []S, f func(S) D) []D {
	if s == nil {
		return nil
	}
	out := make([]D, len(s))
	for i, e := range s {
		out[i] = f(e)
	}
	return out
}

// decoder decodes values from their stored text, keeping the first error
// with the name of its field.
type decoder struct{ err error }

func (d *decoder) fail(field string, err error) {
	if d.err == nil {
		d.err = fmt.Errorf("%s: %w", field, err)
	}
}

func (d *decoder) time(field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		d.fail(field, err)
		return time.Time{}
	}
	return t
}

func (d *decoder) date(field, s string) deadline.Date {
	if s == "" {
		return deadline.Date{}
	}
	v, err := deadline.ParseDate(s)
	if err != nil {
		d.fail(field, err)
		return deadline.Date{}
	}
	return v
}

func (d *decoder) dates(field string, ss []string) []deadline.Date {
	return mapSlice(ss, func(s string) deadline.Date { return d.date(field, s) })
}

func (d *decoder) money(field, s string) decimal.Decimal {
	if s == "" {
		return decimal.Decimal{}
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		d.fail(field, err)
		return decimal.Decimal{}
	}
	return v
}

func (d *decoder) text(field, s string, u encoding.TextUnmarshaler) {
	if err := u.UnmarshalText([]byte(s)); err != nil {
		d.fail(field, err)
	}
}
