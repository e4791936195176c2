package httpserver

import (
	"fmt"
	"net/url"
	"strings"
)

// OriginList is an exact-match allow-list of browser origins.
type OriginList map[string]bool

// ParseOrigins validates and normalises allow-list entries. Each must be
// scheme://host[:port] with no path, query or wildcard: a pattern here would
// be one more thing to get wrong, and the list is short.
func ParseOrigins(items []string) (OriginList, error) {
	out := OriginList{}
	for _, s := range items {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		o, err := normaliseOrigin(s)
		if err != nil {
			return nil, fmt.Errorf("allowed origin %q: %w", s, err)
		}
		out[o] = true
	}
	return out, nil
}

func normaliseOrigin(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", err
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("scheme must be http or https")
	case u.Host == "" || strings.Contains(u.Host, "*"):
		return "", fmt.Errorf("host must be given literally")
	case u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("an origin is scheme://host[:port] only")
	}
	host := strings.ToLower(u.Host)
	port := u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		host = strings.ToLower(u.Hostname())
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
	}
	return u.Scheme + "://" + host, nil
}

// Allowed reports whether a request's Origin header value may proceed. The
// empty value (no header) is allowed: the MCP spec's Origin rule targets
// browsers, and non-browser clients send no Origin. "null" and anything
// unparsable are refused.
func (l OriginList) Allowed(origin string) bool {
	if origin == "" {
		return true
	}
	o, err := normaliseOrigin(origin)
	return err == nil && l[o]
}
