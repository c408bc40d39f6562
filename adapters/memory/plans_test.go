package memory_test

import (
	"testing"

	"github.com/courtkit/zhixing/adapters/memory"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/planning"
)

func TestPlans(t *testing.T) {
	t.Parallel()
	storetest.RunPlans(t, func(t *testing.T) planning.PlanStore { return memory.NewPlans() })
}
