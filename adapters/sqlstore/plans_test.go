package sqlstore_test

import (
	"testing"

	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/planning"
)

func TestPlans_SQLite(t *testing.T) {
	t.Parallel()
	storetest.RunPlans(t, func(t *testing.T) planning.PlanStore { return openSQLite(t).Plans() })
}

func TestPlans_Postgres(t *testing.T) {
	t.Parallel()
	storetest.RunPlans(t, func(t *testing.T) planning.PlanStore { return openPG(t).Plans() })
}
