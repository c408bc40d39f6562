//go:build !race

package main

// raceEnabled is set when the tests run under the race detector, which
// multiplies memory and time: tests that measure either skip then.
const raceEnabled = false
