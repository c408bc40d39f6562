package memory_test

import (
	"testing"

	"github.com/courtkit/zhixing/adapters/memory"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/enforcement"
	"github.com/courtkit/zhixing/notify"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storetest.Store { return memory.New() })
}

func TestOutboxConformance(t *testing.T) {
	t.Parallel()
	storetest.RunOutbox(t, func(t *testing.T) notify.Outbox { return memory.NewOutbox() })
}

func TestRelayConformance(t *testing.T) {
	t.Parallel()
	storetest.RunRelay(t, func(t *testing.T) storetest.RelayStores {
		s := memory.New()
		return storetest.RelayStores{Store: s, Cursor: s, Outbox: memory.NewOutbox()}
	})
}

func TestSupervisionConformance(t *testing.T) {
	t.Parallel()
	storetest.RunSupervision(t, func(t *testing.T) storetest.SupervisionStore { return memory.New() })
}

func TestOutboxFaults(t *testing.T) {
	t.Parallel()
	storetest.RunOutboxFaults(t, memory.NewOutbox(), 10000)
}

func TestAuditConformance(t *testing.T) {
	storetest.RunAudit(t, func(t *testing.T) enforcement.AuditLog { return memory.NewAudit() })
}

func TestCaseListConformance(t *testing.T) {
	t.Parallel()
	storetest.RunCaseList(t, func(t *testing.T) storetest.CaseListStore {
		s := memory.New()
		s.Outbox = memory.NewOutbox()
		return storetest.CaseListStore{Cases: s, Outbox: s.Outbox}
	})
}
