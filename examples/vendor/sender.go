package vendor

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

// Sender is the vendor's SMS gateway client. This one writes each message
// to W, with the number masked, where a real one calls the provider; it
// accepts each idempotency key once, as a gateway that honours the
// provider's OutId does.
type Sender struct {
	W io.Writer

	mu       sync.Mutex
	accepted map[string]string // idempotency key -> provider ID
}

var _ notify.Sender = (*Sender)(nil)

// Send implements [notify.Sender].
func (s *Sender) Send(ctx context.Context, o notify.Outgoing) (notify.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return notify.Receipt{}, &notify.SendError{Retryable: true, Code: "ctx", Reason: "gave up", Err: err}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.accepted[o.IdempotencyKey]; ok {
		return notify.Receipt{ProviderID: id, Gateway: "vendor"}, nil
	}
	if s.accepted == nil {
		s.accepted = map[string]string{}
	}
	id := fmt.Sprintf("v%d", len(s.accepted)+1)
	if _, err := fmt.Fprintf(s.W, "短信 → %s（%d条）：%s\n", enforcement.MaskMobile(o.To), o.Segments, o.Body); err != nil {
		return notify.Receipt{}, &notify.SendError{Retryable: true, Code: "write", Reason: "gateway unreachable", Err: err}
	}
	s.accepted[o.IdempotencyKey] = id
	return notify.Receipt{ProviderID: id, Gateway: "vendor"}, nil
}
