package memory_test

import (
	"context"
	"fmt"

	"github.com/courtkit/zhixing/adapters/memory"
	"github.com/courtkit/zhixing/adapters/storetest"
	"github.com/courtkit/zhixing/enforcement"
)

// Example stores a case and updates it with optimistic concurrency.
func Example() {
	ctx := context.Background()
	store := memory.New()
	c := storetest.NewCase("c1", "沪01", "j1", 1)
	if err := store.Create(ctx, c, nil); err != nil {
		fmt.Println(err)
		return
	}
	got, _, err := store.Update(ctx, "c1", func(c *enforcement.Case) ([]enforcement.Event, error) {
		c.Key = true
		return nil, nil
	})
	fmt.Println(got.Version, got.Key, err)
	// Output:
	// 2 true <nil>
}
