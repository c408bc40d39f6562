package memory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"sync"

	"github.com/courtkit/zhixing/enforcement"
)

// Audit is an append-only audit log in memory.
type Audit struct {
	mu      sync.RWMutex
	entries []enforcement.AuditEntry
}

var _ enforcement.AuditLog = (*Audit)(nil)

// NewAudit returns an empty audit log.
func NewAudit() *Audit { return &Audit{} }

// Append implements [enforcement.AuditLog].
func (s *Audit) Append(ctx context.Context, entries ...enforcement.AuditEntry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		errs = append(errs, e.Validate())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("memory: append audit: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range entries {
		e = copyAudit(e)
		e.Seq = int64(len(s.entries)) + 1
		s.entries = append(s.entries, e)
	}
	return nil
}

// List implements [enforcement.AuditLog].
func (s *Audit) List(ctx context.Context, f enforcement.AuditFilter) ([]enforcement.AuditEntry, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []enforcement.AuditEntry
	skip := f.Offset
	for i := len(s.entries) - 1; i >= 0; i-- {
		if !f.Matches(s.entries[i]) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		out = append(out, copyAudit(s.entries[i]))
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, nil
}

func copyAudit(e enforcement.AuditEntry) enforcement.AuditEntry {
	e.Before = append(json.RawMessage(nil), e.Before...)
	e.After = append(json.RawMessage(nil), e.After...)
	return e
}
