package auth_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/courtkit/zhixing/examples/server/internal/auth"
)

func TestRemoteAddr(t *testing.T) {
	proxies, err := auth.ParseProxies("10.0.0.0/8, 192.0.2.1")
	require.NoError(t, err)
	_, err = auth.ParseProxies("10.0.0.0/33")
	require.Error(t, err)
	a := &auth.Auth{Proxies: proxies}
	tests := []struct{ name, peer, xff, want string }{
		{"no proxy header", "203.0.113.5:1234", "", "203.0.113.5"},
		{"untrusted peer's header ignored", "203.0.113.5:1234", "198.51.100.1", "203.0.113.5"},
		{"trusted proxy", "10.1.2.3:443", "198.51.100.1", "198.51.100.1"},
		{"rightmost untrusted hop", "10.1.2.3:443", "1.2.3.4, 198.51.100.1, 10.9.9.9", "198.51.100.1"},
		{"single trusted address", "192.0.2.1:80", "198.51.100.2", "198.51.100.2"},
		{"malformed hop", "10.1.2.3:443", "1.2.3.4, junk", "10.1.2.3"},
		{"all trusted", "10.1.2.3:443", "10.4.4.4", "10.4.4.4"},
		{"IPv4-mapped peer", "[::ffff:10.1.2.3]:443", "198.51.100.3", "198.51.100.3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			h := a.ClientInfo(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = auth.RemoteAddr(r) }))
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.peer
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			require.Equal(t, tt.want, got)
		})
	}
}
