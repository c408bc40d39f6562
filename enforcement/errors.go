package enforcement

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors of the enforcement domain. Callers branch on these with
// errors.Is; the typed errors below carry the details.
var (
	// ErrNotFound is returned by stores when a case or record does not exist.
	ErrNotFound = errors.New("enforcement: not found")
	// ErrConflict is returned by stores when a record was changed concurrently
	// (version mismatch) or already exists.
	ErrConflict = errors.New("enforcement: conflict")
	// ErrInvalid is matched by every validation error.
	ErrInvalid = errors.New("enforcement: invalid")
	// ErrClosed is returned when a change is attempted on a closed case.
	ErrClosed = errors.New("enforcement: case is closed")
	// ErrNotAllowed is returned when an action is not allowed in the case's
	// state or at that node (a measure against a node that does not allow it).
	ErrNotAllowed = errors.New("enforcement: not allowed")
)

// FieldError is one problem with one field of a record.
type FieldError struct {
	Field  string // dotted path, e.g. "parties[1].mobile"
	Code   string // stable English code, e.g. "required", "invalid_mobile"
	Detail string // English detail
}

func (e FieldError) Error() string {
	if e.Detail == "" {
		return e.Field + ": " + e.Code
	}
	return e.Field + ": " + e.Code + " (" + e.Detail + ")"
}

// ValidationError lists every problem found in a record. It matches ErrInvalid.
type ValidationError struct {
	What   string // what was validated, e.g. "case", "measure"
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return fmt.Sprintf("enforcement: invalid %s: %s", e.What, strings.Join(parts, "; "))
}

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// problems collects field errors.
type problems struct {
	what string
	list []FieldError
}

func (p *problems) add(field, code, detail string) {
	p.list = append(p.list, FieldError{Field: field, Code: code, Detail: detail})
}

func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &ValidationError{What: p.what, Fields: p.list}
}

// StateError says why an action is not possible in the case's current state.
type StateError struct {
	Action string // e.g. "record measure"
	Reason string // English
	Closed bool   // the case is closed
}

func (e *StateError) Error() string {
	return fmt.Sprintf("enforcement: cannot %s: %s", e.Action, e.Reason)
}

// Is matches ErrClosed when the case is closed, and ErrNotAllowed otherwise.
func (e *StateError) Is(target error) bool {
	return (target == ErrClosed && e.Closed) || target == ErrNotAllowed
}
