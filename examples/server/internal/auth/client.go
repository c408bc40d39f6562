package auth

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies trusted to say who the client is, as
// address prefixes.
type Proxies []netip.Prefix

// ParseProxies parses a comma-separated list of CIDRs or single addresses
// ("10.0.0.0/8, 127.0.0.1"). The empty string trusts no proxy.
func ParseProxies(s string) (Proxies, error) {
	var ps Proxies
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: %w", f, err)
			}
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", f, err)
		}
		a = a.Unmap()
		ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
	}
	return ps, nil
}

func (ps Proxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// client is what ClientInfo puts in a request's context.
type client struct {
	addr   string
	secure bool
}

type clientKey struct{}

// peer returns the address of the connection's other end.
func peer(r *http.Request) (netip.Addr, string) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, host
	}
	return a.Unmap(), a.Unmap().String()
}

// resolve returns the client's address and whether the client's request
// came over HTTPS. X-Forwarded-For and X-Forwarded-Proto count only when
// the peer is a trusted proxy; the client is then the rightmost hop of
// X-Forwarded-For that is not itself a trusted proxy.
func (ps Proxies) resolve(r *http.Request) client {
	pa, addr := peer(r)
	c := client{addr: addr, secure: r.TLS != nil}
	if !pa.IsValid() || !ps.trusts(pa) {
		return c
	}
	if strings.EqualFold(strings.TrimSpace(lastField(r.Header.Values("X-Forwarded-Proto"))), "https") {
		c.secure = true
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a malformed hop: trust nothing left of it
		}
		c.addr = a.Unmap().String()
		if !ps.trusts(a) {
			break
		}
	}
	return c
}

func lastField(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	fs := strings.Split(vs[len(vs)-1], ",")
	return fs[len(fs)-1]
}

// ClientInfo resolves each request's client address and scheme once, with
// the trusted proxies of a, for RemoteAddr and the cookies' Secure flag.
func (a *Auth) ClientInfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := a.Proxies.resolve(r)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, c)))
	})
}

// RemoteAddr returns the client's IP address: the peer's, or, when the
// peer is a trusted proxy, the one it forwarded (see ClientInfo). The
// limiter, the request log and the record of who did what all use it.
func RemoteAddr(r *http.Request) string {
	if c, ok := r.Context().Value(clientKey{}).(client); ok {
		return c.addr
	}
	_, addr := peer(r)
	return addr
}

// secure reports whether r reached the server over HTTPS.
func (a *Auth) secure(r *http.Request) bool {
	if a.Secure {
		return true
	}
	if c, ok := r.Context().Value(clientKey{}).(client); ok {
		return c.secure
	}
	return r.TLS != nil
}
