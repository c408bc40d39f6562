package sqlstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/courtkit/zhixing/enforcement"
)

// The bulk import encodes due items and their heads, which are most of its
// rows, with the appenders below instead of encoding/json's reflection,
// and encodes each due item once for due_items.doc and for the case
// document. They write exactly the bytes json.Marshal writes for the same
// documents (documents_append_test.go checks every field and every kind of
// string against it); any string that is not plain text goes through
// json.Marshal itself.

// encodeCaseForImport returns c's document as MarshalCase writes it, its
// due items appended without reflection.
func encodeCaseForImport(c *enforcement.Case) (string, error) {
	doc, err := caseToDoc(c)
	if err != nil {
		return "", fmt.Errorf("sqlstore: marshal case %s: %w", c.ID, err)
	}
	items := doc.DueItems
	doc.DueItems = nil
	b, err := json.Marshal(doc)
	if err != nil || items == nil {
		return string(b), err
	}
	// The document was encoded without its due items, as null: they go
	// in its place. The key is written once, outside any string (a quote
	// inside a string is escaped), so the first match is it.
	const key = `"due_items":`
	at := bytes.Index(b, []byte(key+"null"))
	if at < 0 {
		return "", errDueItemsKey
	}
	at += len(key)
	full := make([]byte, 0, len(b)+400*len(items))
	full = append(append(full, b[:at]...), '[')
	for i := range items {
		if i > 0 {
			full = append(full, ',')
		}
		full = appendDueFields(append(full, '{'), &items[i])
	}
	full = append(append(full, ']'), b[at+len("null"):]...)
	return string(full), nil
}

// encodeDueForImport returns what due_items.doc, due_items.brief and
// due_items.head hold of each of c's due items, as encodeDue, encodeBrief
// and encodeHead write them.
func encodeDueForImport(c *enforcement.Case) (due, brief, head []string) {
	due, brief, head = make([]string, len(c.DueItems)), make([]string, len(c.DueItems)), make([]string, len(c.DueItems))
	var b []byte
	for i, x := range c.DueItems {
		d := dueToDoc(x)
		b = appendDueFields(append(b[:0], docPrefix...), &d)
		due[i] = string(b)
		b = appendBriefFields(append(b[:0], docPrefix...), &d)
		brief[i] = string(b)
		h := headToDoc(x)
		b = appendHeadDoc(b[:0], &h)
		head[i] = string(b)
	}
	return due, brief, head
}

// docPrefix opens a due item's document written on its own, up to its
// first field.
var docPrefix = `{"v":` + strconv.Itoa(docVersion) + `,`

// errDueItemsKey would mean that caseDoc lost its due_items key.
var errDueItemsKey = errors.New("sqlstore: encode case: no due_items key")

// appendDueFields appends the fields of d after its version, and the
// closing brace: the object json.Marshal writes for d without its "{" and
// "v".
func appendDueFields(b []byte, d *dueDoc) []byte { return appendDueDoc(b, d, true) }

// appendBriefFields appends the fields of d without its explanation, as
// appendDueFields does: the object json.Marshal writes for briefDoc{d}
// without its "{" and "v".
func appendBriefFields(b []byte, d *dueDoc) []byte { return appendDueDoc(b, d, false) }

// appendDueDoc appends the fields of d, with its explanation (Steps and
// CalcBasis) if explain, and the closing brace.
func appendDueDoc(b []byte, d *dueDoc, explain bool) []byte {
	b = appendKeyString(b, `"id":`, d.ID)
	b = appendKeyString(b, `,"rule":`, d.Rule)
	b = appendKeyString(b, `,"title":`, d.Title)
	b = appendOmitString(b, `,"rule_version":`, d.RuleVersion)
	b = appendKeyString(b, `,"owner":`, d.Owner)
	b = appendKeyString(b, `,"severity":`, d.Severity)
	b = appendOmitString(b, `,"basis":`, d.Basis)
	b = appendOmitString(b, `,"trigger":`, d.Trigger)
	b = appendOmitString(b, `,"trigger_ref":`, d.TriggerRef)
	b = appendKeyString(b, `,"computed":`, d.Computed)
	b = appendOmitString(b, `,"deadline":`, d.Deadline)
	if explain {
		b = appendExplanation(b, d)
	}
	b = appendOmitBool(b, `,"provisional":true`, d.Provisional)
	b = appendOmitBool(b, `,"awaiting_calendar":true`, d.AwaitingCalendar)
	b = appendStrings(b, `,"warnings":`, d.Warnings)
	b = appendOverride(b, d.Override)
	b = appendKeyString(b, `,"status":`, d.Status)
	b = appendOmitString(b, `,"done_on":`, d.DoneOn)
	b = appendOmitBool(b, `,"internal":true`, d.Internal)
	b = appendOmitString(b, `,"right":`, d.Right)
	b = appendOmitString(b, `,"right_action":`, d.RightAction)
	return append(b, '}')
}

// appendExplanation appends the members steps and calc_basis of d.
func appendExplanation(b []byte, d *dueDoc) []byte {
	b = append(b, `,"steps":`...)
	if d.Steps == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range d.Steps {
			if i > 0 {
				b = append(b, ',')
			}
			s := &d.Steps[i]
			b = appendKeyString(b, `{"code":`, s.Code)
			b = appendKeyString(b, `,"date":`, s.Date)
			b = appendOmitString(b, `,"text":`, s.Text)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return appendStrings(b, `,"calc_basis":`, d.CalcBasis)
}

// appendHeadDoc appends h as json.Marshal writes it.
func appendHeadDoc(b []byte, h *headDoc) []byte {
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, int64(h.V), 10)
	b = appendKeyString(b, `,"id":`, h.ID)
	b = appendKeyString(b, `,"rule":`, h.Rule)
	b = appendKeyString(b, `,"title":`, h.Title)
	b = appendKeyString(b, `,"owner":`, h.Owner)
	b = appendKeyString(b, `,"severity":`, h.Severity)
	b = appendKeyString(b, `,"computed":`, h.Computed)
	b = appendOmitBool(b, `,"provisional":true`, h.Provisional)
	b = appendOmitBool(b, `,"awaiting_calendar":true`, h.AwaitingCalendar)
	b = appendOverride(b, h.Override)
	b = appendKeyString(b, `,"status":`, h.Status)
	b = appendOmitString(b, `,"done_on":`, h.DoneOn)
	b = appendOmitBool(b, `,"internal":true`, h.Internal)
	b = appendOmitString(b, `,"right":`, h.Right)
	return append(b, '}')
}

func appendOverride(b []byte, o *overrideDoc) []byte {
	if o == nil {
		return b
	}
	b = appendKeyString(b, `,"override":{"date":`, o.Date)
	b = appendOmitString(b, `,"reason":`, o.Reason)
	b = appendOmitString(b, `,"by":`, o.By)
	b = appendOmitString(b, `,"at":`, o.At)
	b = appendOmitString(b, `,"status":`, o.Status)
	b = appendOmitString(b, `,"decided_by":`, o.DecidedBy)
	b = appendOmitString(b, `,"decided_at":`, o.DecidedAt)
	b = appendOmitString(b, `,"note":`, o.Note)
	return append(b, '}')
}

func appendKeyString(b []byte, key, s string) []byte {
	return appendJSONString(append(b, key...), s)
}

// appendOmitString is appendKeyString for a field tagged omitempty.
func appendOmitString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendKeyString(b, key, s)
}

// appendOmitBool appends field, the key with its true value, if v.
func appendOmitBool(b []byte, field string, v bool) []byte {
	if v {
		b = append(b, field...)
	}
	return b
}

// appendStrings appends key and ss, null if ss is nil.
func appendStrings(b []byte, key string, ss []string) []byte {
	b = append(b, key...)
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, s)
	}
	return append(b, ']')
}

// appendJSONString appends s quoted as json.Marshal quotes it. Text that
// needs no escape (printable ASCII other than " \ < > &, and valid UTF-8
// other than U+2028 and U+2029) is copied; anything else is left to
// json.Marshal.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return appendMarshalled(b, s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return appendMarshalled(b, s)
		}
		i += size
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func appendMarshalled(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}
