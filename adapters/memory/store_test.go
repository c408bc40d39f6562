package memory_test

import (
	"testing"

	"github.com/courtkit/zhixing/adapters/memory"
	"github.com/courtkit/zhixing/adapters/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) storetest.Store { return memory.New() })
}
