package github

import (
	"fmt"
	"net/url"
	"strings"
)

// DefaultHost is the public GitHub.
const DefaultHost = "https://github.com"

// endpoints are the REST and upload base URLs for a host, each ending in "/".
type endpoints struct {
	api, uploads string
	// appBase is the API base without the trailing slash, the form
	// ghinstallation expects.
	appBase string
}

// resolveHost maps --gh-host to API endpoints: https://github.com (and
// https://api.github.com) to the public API, any other https host to a GitHub
// Enterprise Server at https://HOST/api/v3/. Anything but https is refused:
// the credential must never travel in clear text.
func resolveHost(host string) (endpoints, error) {
	if host == "" {
		host = DefaultHost
	}
	u, err := url.Parse(host)
	if err != nil {
		return endpoints{}, fmt.Errorf("gh-host %q: %w", host, err)
	}
	if u.Scheme != "https" {
		return endpoints{}, fmt.Errorf("gh-host %q: only https:// hosts are accepted", host)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return endpoints{}, fmt.Errorf("gh-host %q: want https://HOST[:PORT] with no user, query or fragment", host)
	}
	if p := strings.Trim(u.Path, "/"); p != "" && p != "api/v3" {
		return endpoints{}, fmt.Errorf("gh-host %q: unexpected path %q (give the server's root URL)", host, u.Path)
	}
	switch strings.ToLower(u.Host) {
	case "github.com", "api.github.com":
		return endpoints{
			api:     "https://api.github.com/",
			uploads: "https://uploads.github.com/",
			appBase: "https://api.github.com",
		}, nil
	}
	root := "https://" + u.Host
	return endpoints{
		api:     root + "/api/v3/",
		uploads: root + "/api/uploads/",
		appBase: root + "/api/v3",
	}, nil
}

// hosts returns the hosts (host[:port], lower case) that may receive the
// credential.
func (e endpoints) hosts() map[string]bool {
	m := map[string]bool{}
	for _, raw := range []string{e.api, e.uploads} {
		if u, err := url.Parse(raw); err == nil {
			m[strings.ToLower(u.Host)] = true
		}
	}
	return m
}
