package desk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Conditions of the desk, mapped to HTTP statuses by the server.
var (
	// ErrUnauthenticated: no one is signed in.
	ErrUnauthenticated = errors.New("server: not signed in")
	// ErrForbidden: the signed-in principal may not do this.
	ErrForbidden = errors.New("server: not allowed for this user")
	// ErrBadInput: the request is malformed; see InputError.
	ErrBadInput = errors.New("server: bad input")
	// ErrNoOutbox: the store has no SMS outbox.
	ErrNoOutbox = errors.New("server: no outbox configured")
)

// FieldError is one problem with one field of a request, as the API reports it.
type FieldError struct {
	Field     string `json:"field"`
	Code      string `json:"code"`
	MessageZh string `json:"message_zh"`
}

// InputError lists every problem found in a request body. It matches
// ErrBadInput.
type InputError struct {
	Fields []FieldError
}

// Error lists how many fields are wrong.
func (e *InputError) Error() string {
	return fmt.Sprintf("server: %d invalid field(s)", len(e.Fields))
}

// Unwrap returns ErrBadInput.
func (e *InputError) Unwrap() error { return ErrBadInput }

// Add records a problem; err returns the InputError or nil.
func (e *InputError) Add(field, code, msg string) {
	e.Fields = append(e.Fields, FieldError{field, code, msg})
}

// Err returns e, or nil when it lists no problem.
func (e *InputError) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// EncodeJSON returns v as writeJSON writes it.
func EncodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// BadField returns an InputError of one problem.
func BadField(field, code, msg string) error {
	return &InputError{Fields: []FieldError{{field, code, msg}}}
}
