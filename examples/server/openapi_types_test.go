package main

import (
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/deadline"
	"github.com/courtkit/zhixing/examples/server/internal/api"
	"github.com/courtkit/zhixing/examples/server/internal/auth"
	"github.com/courtkit/zhixing/examples/server/internal/desk"
	"github.com/courtkit/zhixing/examples/server/internal/respond"
)

var writeSchemas = flag.String("write-schemas", "", "write the schemas of the API's answer types to this file")

// answerTypes are the API's answer types with the name of their schema in
// openapi.json.
var answerTypes = map[string]reflect.Type{
	"Case": reflect.TypeFor[api.Case](), "Source": reflect.TypeFor[api.Source](), "Party": reflect.TypeFor[api.Party](),
	"Node": reflect.TypeFor[api.Node](), "Measure": reflect.TypeFor[api.Measure](), "Step": reflect.TypeFor[api.Step](),
	"Override": reflect.TypeFor[api.Override](), "Due": reflect.TypeFor[api.Due](), "Opinion": reflect.TypeFor[api.Opinion](),
	"Solicitation": reflect.TypeFor[api.Solicitation](), "Request": reflect.TypeFor[api.Request](), "Order": reflect.TypeFor[api.Order](),
	"Deduction": reflect.TypeFor[api.Deduction](), "Precondition": reflect.TypeFor[api.Precondition](), "Closure": reflect.TypeFor[api.Closure](),
	"Message": reflect.TypeFor[api.Message](), "Recipient": reflect.TypeFor[api.Recipient](), "Transition": reflect.TypeFor[api.Transition](),
	"Trip": reflect.TypeFor[api.Trip](), "Place": reflect.TypeFor[api.Place](), "Window": reflect.TypeFor[api.Window](),
	"Stop": reflect.TypeFor[api.Stop](), "Delegation": reflect.TypeFor[api.Delegation](), "Group": reflect.TypeFor[api.Group](),
	"PlanItem": reflect.TypeFor[api.PlanItem](), "Revision": reflect.TypeFor[api.Revision](), "Plan": reflect.TypeFor[api.Plan](),
	"LevelCounts": reflect.TypeFor[api.LevelCounts](), "DueFlag": reflect.TypeFor[api.DueFlag](), "Unclassified": reflect.TypeFor[api.Unclassified](),
	"DueIndex": reflect.TypeFor[api.DueIndex](), "User": reflect.TypeFor[desk.User](), "Principal": reflect.TypeFor[desk.Principal](),
	"Session": reflect.TypeFor[auth.Session](), "Reply": reflect.TypeFor[desk.StoredReply](), "PartyCase": reflect.TypeFor[desk.PartyCaseView](),
	"Day": reflect.TypeFor[desk.DayView](), "CalendarChange": reflect.TypeFor[desk.CalendarChange](), "Move": reflect.TypeFor[desk.MoveView](),
	"Report": reflect.TypeFor[api.Report](), "KeyCase": reflect.TypeFor[api.KeyCase](), "RequestFlag": reflect.TypeFor[api.RequestFlag](),
	"OrderFlag": reflect.TypeFor[api.OrderFlag](), "JudgeFigures": reflect.TypeFor[api.JudgeFigures](),
	"Withdrawal": reflect.TypeFor[api.Withdrawal](),
	"Agenda":     reflect.TypeFor[api.Agenda](), "ChiefAgenda": reflect.TypeFor[api.ChiefAgenda](), "Entry": reflect.TypeFor[api.Entry](),
	"ItemRef": reflect.TypeFor[api.ItemRef](), "AgendaCounts": reflect.TypeFor[api.AgendaCounts](), "DueMove": reflect.TypeFor[api.DueMove](),
	"Unmet": reflect.TypeFor[respond.Unmet](), "FieldError": reflect.TypeFor[desk.FieldError](),
	"OrderRow": reflect.TypeFor[api.OrderRow](),
	"CaseRow":  reflect.TypeFor[desk.CaseRow](), "Preview": reflect.TypeFor[desk.Preview](), "DueChange": reflect.TypeFor[desk.DueChange](),
	"SMSPreview":       reflect.TypeFor[desk.SMSPreview](),
	"FeedSubscription": reflect.TypeFor[api.FeedSubscription](),
}

// schemaName returns the schema name of a struct type: its entry in
// answerTypes, or its Go name with an upper-case first letter (for the
// desk's unexported view parts).
func schemaName(t reflect.Type) string {
	for n, at := range answerTypes {
		if at == t {
			return n
		}
	}
	return strings.ToUpper(t.Name()[:1]) + t.Name()[1:]
}

// schemaOf returns the JSON schema encoding/json gives values of t, with
// the API's conventions for dates, times and money; structs not in
// answerTypes are collected in extra.
func schemaOf(t reflect.Type, extra map[string]reflect.Type) map[string]any {
	switch t {
	case reflect.TypeFor[deadline.Date]():
		return map[string]any{"type": "string", "format": "date"}
	case reflect.TypeFor[api.Time]():
		return map[string]any{"type": "string", "format": "date-time"}
	case reflect.TypeFor[api.Money]():
		return map[string]any{"type": "string", "pattern": `^-?[0-9]+\.[0-9]{2}$`}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return schemaOf(t.Elem(), extra)
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), extra)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), extra)}
	case reflect.Struct:
		name := schemaName(t)
		if _, ok := answerTypes[name]; !ok {
			extra[name] = t
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	panic("no schema for " + t.String())
}

// objectSchema is the schema of struct type t.
func objectSchema(t reflect.Type, extra map[string]reflect.Type) map[string]any {
	props := map[string]any{}
	required := []any{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		props[name] = schemaOf(f.Type, extra)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			required = append(required, name)
		}
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// answerSchemas returns the schema of every answer type and of the
// structs they contain.
func answerSchemas() map[string]any {
	out := map[string]any{}
	extra := map[string]reflect.Type{}
	for n, t := range answerTypes {
		out[n] = objectSchema(t, extra)
	}
	for len(extra) > 0 {
		more := map[string]reflect.Type{}
		for n, t := range extra {
			if _, done := out[n]; !done {
				out[n] = objectSchema(t, more)
			}
		}
		extra = more
	}
	return out
}

// strip removes the keys that only document (description, example).
func strip(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if k != "description" && k != "example" {
				out[k] = strip(e)
			}
		}
		if r, ok := out["required"].([]any); ok {
			slices.SortFunc(r, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = strip(e)
		}
		return out
	}
	return v
}

// The schemas of openapi.json are those of the answer types: every
// property, its type and whether it is always present; nothing more.
func TestOpenAPI_SchemasMatchAnswerTypes(t *testing.T) {
	want := answerSchemas()
	b, err := json.Marshal(want)
	require.NoError(t, err)
	if *writeSchemas != "" {
		require.NoError(t, os.WriteFile(*writeSchemas, b, 0o644))
	}
	var norm map[string]any
	require.NoError(t, json.Unmarshal(b, &norm))
	var doc struct {
		Components struct{ Schemas map[string]any }
	}
	require.NoError(t, json.Unmarshal(openAPI, &doc))
	for name, s := range norm {
		got, ok := doc.Components.Schemas[name]
		require.True(t, ok, "openapi.json lacks the schema %s", name)
		require.Equal(t, strip(s), strip(got), "schema %s", name)
	}
}

// No answer in openapi.json is left untyped: every schema of an object
// lists its properties.
func TestOpenAPI_NoBareObjects(t *testing.T) {
	var doc any
	require.NoError(t, json.Unmarshal(openAPI, &doc))
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if x["type"] == "object" && x["properties"] == nil && x["additionalProperties"] == nil && x["anyOf"] == nil {
				t.Errorf("%s is a bare object", path)
			}
			for k, e := range x {
				walk(path+"/"+k, e)
			}
		case []any:
			for _, e := range x {
				walk(path+"[]", e)
			}
		}
	}
	walk("#", doc)
}
