package vendor_test

import (
	"testing"

	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/examples/vendor"
	"github.com/courtkit/zhixing/notify"
)

func TestStoreConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storetest.Store { return vendor.NewStore() })
}

func TestRelayConformance(t *testing.T) {
	t.Parallel()
	storetest.RunRelay(t, func(t *testing.T) storetest.RelayStores {
		s := vendor.NewStore()
		return storetest.RelayStores{Store: s, Cursor: s, Outbox: vendor.NewOutbox()}
	})
}

func TestOutboxConformance(t *testing.T) {
	t.Parallel()
	storetest.RunOutbox(t, func(t *testing.T) notify.Outbox { return vendor.NewOutbox() })
}

// TestOutboxFaults runs the fault suite at 2,000 messages: enough for every
// kind of fault to strike many times, and a second or two to run.
func TestOutboxFaults(t *testing.T) {
	t.Parallel()
	storetest.RunOutboxFaults(t, vendor.NewOutbox(), 2000)
}
