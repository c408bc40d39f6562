package storetest_test

import (
	"fmt"

	"github.com/courtkit/zhixing/adapters/storetest"
)

// ExampleNewCase shows the fixture the suite stores: a filed case with two
// open due items and one done.
func ExampleNewCase() {
	c := storetest.NewCase("c1", "沪01", "j1", 7)
	fmt.Println(c.Number, len(c.OpenDueItems()), c.Parties[0].IDNumber)
	// Output:
	// （2025）沪01执7号 2 110***********002X
}
