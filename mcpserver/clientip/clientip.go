package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Resolver finds the client address of a request. The zero value trusts no
// proxy and always answers the direct peer.
type Resolver struct {
	trusted []netip.Prefix
}

// ParseCIDRs parses a list of CIDRs or bare addresses (a bare address is a
// /32 or /128). Empty items are skipped; a bad item is an error naming it.
func ParseCIDRs(items []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range items {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !strings.Contains(s, "/") {
			a, err := netip.ParseAddr(s)
			if err != nil {
				return nil, fmt.Errorf("invalid CIDR or address %q: %w", s, err)
			}
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("invalid CIDR %q: %w", s, err)
		}
		if p.Addr().Is4In6() {
			if p.Bits() < 96 {
				// No IPv4 equivalent: it would silently match nothing.
				return nil, fmt.Errorf("invalid CIDR %q: an IPv4-mapped prefix must be at least /96", s)
			}
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// New returns a Resolver that believes X-Forwarded-For only from peers
// inside trusted.
func New(trusted []netip.Prefix) *Resolver {
	return &Resolver{trusted: trusted}
}

// Resolve returns the client address of r. It never fails: an unparsable
// peer address (which net/http does not produce) yields the zero Addr.
func (res *Resolver) Resolve(r *http.Request) netip.Addr {
	peer := parseHostPort(r.RemoteAddr)
	if !peer.IsValid() || !res.isTrusted(peer) {
		return peer
	}
	hops := forwardedHops(r.Header.Values("X-Forwarded-For"))
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			// A garbage hop that our own proxy appended cannot exist; one to
			// the left of it was written by the client. Stop at the last
			// address we could believe.
			return client
		}
		client = a.Unmap().WithZone("")
		if !res.isTrusted(client) {
			return client
		}
	}
	return client
}

func (res *Resolver) isTrusted(a netip.Addr) bool {
	for _, p := range res.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardedHops flattens every X-Forwarded-For header into one list, left
// to right, stripping ports and brackets some proxies add.
func forwardedHops(values []string) []string {
	var hops []string
	for _, v := range values {
		for _, h := range strings.Split(v, ",") {
			h = strings.TrimSpace(h)
			if h == "" {
				continue
			}
			if a := parseHostPort(h); a.IsValid() {
				h = a.String()
			}
			hops = append(hops, h)
		}
	}
	return hops
}

// parseHostPort parses an address with or without a port. The IPv6 zone is
// dropped: netip.Prefix.Contains is false for any zoned address, so a zone
// would let an address slip past the trusted list and the deny CIDRs.
func parseHostPort(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone("")
	}
	host := s
	if h, _, err := net.SplitHostPort(s); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}
