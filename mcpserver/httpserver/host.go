package httpserver

import (
	"fmt"
	"net/netip"
	"strings"
)

// HostList is the allow-list of Host header values (host names or IP
// literals, without port) that the MCP port answers. It is our own
// DNS-rebinding protection: a page on evil.example that rebinds its name to
// the server's address makes the browser send "Host: evil.example", which
// is not on the list. Unlike the MCP SDK's built-in check, which only looks
// at requests arriving on a loopback socket, it applies on every socket; so
// it also holds behind a proxy on the same host (Traefik forwarding to
// 127.0.0.1 keeps the public Host) and for pods reached by their IP.
type HostList map[string]bool

// loopbackHostNames are always allowed once a list is in force: local runs,
// kubectl port-forward and tests reach the server by these names, and no
// DNS answer can make a browser send them for a foreign site.
var loopbackHostNames = []string{"localhost", "127.0.0.1", "::1"}

// maxHostLen is the longest DNS name (RFC 1035 §2.3.4).
const maxHostLen = 253

// ParseHosts validates allow-list entries and normalises them (lower case,
// no trailing dot, canonical IP form). Each must be a DNS name or an IP
// literal, without port, scheme or wildcard: the port is never compared,
// and a pattern would be one more thing to get wrong.
func ParseHosts(items []string) (HostList, error) {
	out := HostList{}
	for _, s := range items {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		h, err := normaliseHostEntry(s)
		if err != nil {
			return nil, fmt.Errorf("allowed host %q: %w", s, err)
		}
		out[h] = true
	}
	return out, nil
}

// newHostList is the list in force for a server: the public URL's host (if
// any), the extra entries, and the loopback names. It is nil (no check of
// our own; the SDK's stays on) when there is neither a public host nor an
// extra entry.
func newHostList(publicHost string, extra []string) (HostList, error) {
	l, err := ParseHosts(extra)
	if err != nil {
		return nil, err
	}
	if publicHost != "" {
		// Already checked as part of the public URL; taken as it is, so a
		// public URL that worked before the list existed still works.
		l[canonicalHost(publicHost)] = true
	}
	if len(l) == 0 {
		return nil, nil
	}
	for _, h := range loopbackHostNames {
		l[canonicalHost(h)] = true
	}
	return l, nil
}

func normaliseHostEntry(s string) (string, error) {
	if strings.ContainsAny(s, "/?#@*") {
		return "", fmt.Errorf("give a bare host name or IP address (no scheme, path or wildcard)")
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		s = s[1 : len(s)-1]
	}
	if a, err := netip.ParseAddr(s); err == nil {
		if a.Zone() != "" {
			return "", fmt.Errorf("an IPv6 zone is not a host")
		}
		return a.String(), nil
	}
	h := canonicalHost(s)
	if !validDNSName(h) {
		return "", fmt.Errorf("not a DNS name or IP address (a port is not part of the entry)")
	}
	return h, nil
}

// validDNSName accepts RFC 1123 host names: dot-separated labels of
// letters, digits and inner hyphens, 1..63 characters each.
func validDNSName(h string) bool {
	if h == "" || len(h) > maxHostLen {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
				return false
			}
		}
	}
	return true
}

// canonicalHost lower-cases a host and drops one trailing dot ("a.test."
// and "a.test" are the same name); IP literals get their canonical form.
func canonicalHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if a, err := netip.ParseAddr(h); err == nil {
		return a.WithZone("").String()
	}
	return h
}

// Allowed reports whether a request's Host (r.Host: "name", "name:port",
// "[v6]" or "[v6]:port") is on the list. The port is ignored: the proxy in
// front may publish the server on any port. An empty or malformed Host is
// refused. A nil list allows everything (the check is off).
func (l HostList) Allowed(hostport string) bool {
	if l == nil {
		return true
	}
	h, ok := splitHost(hostport)
	return ok && l[canonicalHost(h)]
}

// splitHost strips the port from a Host header value.
func splitHost(hostport string) (string, bool) {
	host, port := hostport, ""
	switch {
	case strings.HasPrefix(hostport, "["):
		end := strings.IndexByte(hostport, ']')
		if end < 0 {
			return "", false
		}
		host, port = hostport[1:end], hostport[end+1:]
		if port != "" && port[0] != ':' {
			return "", false
		}
		port = strings.TrimPrefix(port, ":")
	case strings.Count(hostport, ":") == 1:
		i := strings.IndexByte(hostport, ':')
		host, port = hostport[:i], hostport[i+1:]
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return "", false
		}
	}
	return host, host != ""
}
