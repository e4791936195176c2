package httpserver

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
)

// hostPost sends a raw POST to path on the fixture's (loopback) socket with
// the given Host header, and returns the status and body.
func (f *fixture) hostPost(path, host string, hdr http.Header) (int, string) {
	f.t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+path, strings.NewReader(initBody))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Host = host
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range hdr {
		req.Header[k] = v
	}
	return do(f.t, req)
}

func (f *fixture) hostGet(path, host string) (int, string) {
	f.t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Host = host
	return do(f.t, req)
}

func do(t testing.TB, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestHostAllowList: with a public URL (and extra --allowed-hosts) the
// front answers only those Hosts and loopback names, port and case
// ignored. The fixture listens on 127.0.0.1, so the public Host arriving
// on a loopback socket passing at all proves the SDK's own check is off
// (it would refuse exactly that, as it did behind a local Traefik). The
// check does not look at the socket, so the same answers hold on any
// other address; this machine may only test loopback.
func TestHostAllowList(t *testing.T) {
	f := newFixture(t, fixtureOpts{allowedHosts: []string{"mcp.team-a.svc", "10.0.0.7"}})
	for host, want := range map[string]int{
		"mcp.example.test":               http.StatusOK,
		"MCP.Example.TEST":               http.StatusOK,
		"mcp.example.test:8443":          http.StatusOK,
		"mcp.example.test.":              http.StatusOK,
		"mcp.team-a.svc:8080":            http.StatusOK,
		"10.0.0.7:8080":                  http.StatusOK,
		"localhost:1234":                 http.StatusOK,
		"LOCALHOST":                      http.StatusOK,
		"127.0.0.1":                      http.StatusOK,
		"[::1]:80":                       http.StatusOK,
		"evil.example.test":              http.StatusForbidden,
		"evil.example.test:443":          http.StatusForbidden,
		"mcp.example.test.evil.test":     http.StatusForbidden,
		"example.test":                   http.StatusForbidden,
		"mcp.team-a.svc.cluster.local":   http.StatusForbidden,
		"10.0.0.8":                       http.StatusForbidden,
		"127.0.0.2":                      http.StatusForbidden,
		"mcp.example.test:https":         http.StatusForbidden,
		"[mcp.example.test]x":            http.StatusForbidden,
		"localhost.evil.example.test:80": http.StatusForbidden,
	} {
		status, body := f.hostPost("/mcp", host, bearer(goodKey))
		if status != want {
			t.Errorf("Host %q: status %d, want %d (%q)", host, status, want, body)
		}
		if want == http.StatusForbidden && body != "forbidden: host not allowed\n" {
			t.Errorf("Host %q: body %q, want our own short refusal", host, body)
		}
	}
	// Refused before authentication: no credential, still 403, no ban credit.
	if status, _ := f.hostPost("/mcp", "evil.example.test", nil); status != http.StatusForbidden {
		t.Fatalf("unauthenticated foreign Host: %d, want 403", status)
	}
	// The metadata document is behind the same check.
	if status, _ := f.hostGet(podcontract.ProtectedResourcePath, "mcp.example.test"); status != http.StatusOK {
		t.Fatalf("metadata with the public Host: %d", status)
	}
	if status, _ := f.hostGet(podcontract.ProtectedResourcePath, "evil.example.test"); status != http.StatusForbidden {
		t.Fatalf("metadata with a foreign Host: %d, want 403", status)
	}

	if !strings.Contains(scrape(t, f), `github_mcp_rejected_requests_total{reason="host"} 12`) {
		t.Errorf("rejections not counted under reason=host:\n%s", grepLines(scrape(t, f), "rejected"))
	}
	if strings.Contains(scrape(t, f), "github_mcp_auth_failures_total") {
		t.Error("a foreign Host counted as an authentication failure")
	}
	denied := 0
	for _, l := range auditLines(t, f.audit.String()) {
		if l.Outcome == "denied_host" {
			denied++
			if l.Status != http.StatusForbidden {
				t.Errorf("denied_host line with status %d", l.Status)
			}
		}
	}
	if denied != 12 {
		t.Errorf("%d audit lines with outcome denied_host, want 12", denied)
	}
}

// TestAllowedHostsWithoutPublicURL: --allowed-hosts alone also turns the
// check on (an in-cluster server reached by its Service name).
func TestAllowedHostsWithoutPublicURL(t *testing.T) {
	f := newFixture(t, fixtureOpts{noPublicURL: true, modes: []string{"apikeys"}, allowedHosts: []string{"mcp.team-a.svc"}})
	for host, want := range map[string]int{
		"mcp.team-a.svc:8080": http.StatusOK,
		"localhost":           http.StatusOK,
		"mcp.example.test":    http.StatusForbidden,
	} {
		if status, body := f.hostPost("/mcp", host, bearer(goodKey)); status != want {
			t.Errorf("Host %q: status %d, want %d (%q)", host, status, want, body)
		}
	}
}

// TestWithoutHostListTheSDKChecks: with neither a public URL nor
// --allowed-hosts our front checks no Host, and the SDK's own protection is
// in force exactly as before: a foreign Host on a loopback socket is its
// 403, loopback names pass.
func TestWithoutHostListTheSDKChecks(t *testing.T) {
	f := newFixture(t, fixtureOpts{noPublicURL: true, modes: []string{"apikeys"}})
	status, body := f.hostPost("/mcp", "evil.example.test", bearer(goodKey))
	if status != http.StatusForbidden || !strings.Contains(body, "invalid Host header") {
		t.Fatalf("foreign Host on loopback without a list: %d %q, want the SDK's 403", status, body)
	}
	for _, host := range []string{"localhost:8080", "127.0.0.1"} {
		if status, body := f.hostPost("/mcp", host, bearer(goodKey)); status != http.StatusOK {
			t.Errorf("Host %q: %d %q", host, status, body)
		}
	}
	if strings.Contains(scrape(t, f), `reason="host"`) {
		t.Error("our own Host check ran although no list is configured")
	}
}

func TestParseHosts(t *testing.T) {
	l, err := ParseHosts([]string{" MCP.Example.Test. ", "", "[::1]", "10.0.0.7", "a-b.c1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"mcp.example.test", "::1", "10.0.0.7", "a-b.c1"} {
		if !l[h] {
			t.Errorf("%q missing from %v", h, l)
		}
	}
	if len(l) != 4 {
		t.Errorf("list %v, want 4 entries", l)
	}
	for _, bad := range []string{
		"https://mcp.example.test", "mcp.example.test:8080", "mcp.example.test/mcp", "*.example.test",
		"user@mcp.example.test", "a..b", "-a.test", "a-.test", "a_b.test", "fe80::1%eth0",
		strings.Repeat("a", 64) + ".test", strings.Repeat("a.", 127) + "aa",
	} {
		if _, err := ParseHosts([]string{bad}); err == nil {
			t.Errorf("ParseHosts(%q) accepted", bad)
		} else if !strings.Contains(err.Error(), "allowed host") {
			t.Errorf("ParseHosts(%q): error %q does not say which entry", bad, err)
		}
	}
	f := newFixture(t, fixtureOpts{})
	cfg := f.h.cfg
	cfg.AllowedHosts = []string{"bad host"}
	if _, err := NewHandler(cfg); err == nil || !strings.Contains(err.Error(), "bad host") {
		t.Fatalf("NewHandler with an invalid allowed host: %v", err)
	}
}

func TestHostListAllowed(t *testing.T) {
	l, err := newHostList("Mcp.Example.Test", nil)
	if err != nil {
		t.Fatal(err)
	}
	for host, want := range map[string]bool{
		"mcp.example.test":        true,
		"mcp.example.test:":       true,
		"[::1]":                   true,
		"::1":                     true,
		"[0:0:0:0:0:0:0:1]:8080":  true,
		"127.0.0.1:80":            true,
		"":                        false,
		":80":                     false,
		"[::1":                    false,
		"[::1]80":                 false,
		"mcp.example.test:80:80":  false,
		"mcp.example.test:-1":     false,
		"evil.test":               false,
		"[fe80::1%25eth0]:8080":   false,
		"mcp.example.test\x00":    false,
		"mcp.example.test..":      false,
		"mcp.example.test :8080":  false,
		"mcp%2eexample%2etest:80": false,
	} {
		if got := l.Allowed(host); got != want {
			t.Errorf("Allowed(%q) = %v, want %v", host, got, want)
		}
	}
	if off, err := newHostList("", nil); err != nil || off != nil || !off.Allowed("anything.test") {
		t.Fatalf("no public host and no entries must mean no list: %v %v", off, err)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
