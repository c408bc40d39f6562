package main

import (
	"sync/atomic"

	"golang.org/x/crypto/bcrypt"
)

// countChecks counts the password checks of e's server from now on.
func countChecks(e *env) *atomic.Int64 {
	var n atomic.Int64
	e.app.auth.ComparePassword = func(hash, pw []byte) error {
		n.Add(1)
		return bcrypt.CompareHashAndPassword(hash, pw)
	}
	return &n
}

// trustProxy makes the server believe X-Forwarded-For from cidrs.
func trustProxy(cidrs string) func(*config) {
	return func(c *config) { c.TrustedProxy = cidrs }
}

// cookieSecure sets -cookie-secure.
func cookieSecure(c *config) { c.CookieSecure = true }
