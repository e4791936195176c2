package httpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/audit"
)

var protocolVersions = []string{"2025-11-25", "2026-07-28"}

func TestHandshakeAndCallsBothVersions(t *testing.T) {
	for _, v := range protocolVersions {
		t.Run(v, func(t *testing.T) {
			f := newFixture(t, fixtureOpts{})
			hdr := bearer(goodKey)
			hdr.Set("Origin", allowedOrigin)
			cs, err := f.connect(v, hdr)
			if err != nil {
				t.Fatal(err)
			}
			defer cs.Close()
			if got := cs.InitializeResult().ProtocolVersion; got != v {
				t.Fatalf("negotiated %s, want %s", got, v)
			}
			tools, err := cs.ListTools(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(tools.Tools) != 3 {
				t.Fatalf("%d tools", len(tools.Tools))
			}
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": "hi"}})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Content[0].(*mcp.TextContent).Text; got != "hi|apikey:ci-bot" {
				t.Fatalf("echo returned %q", got)
			}
			// A panicking tool is a JSON-RPC error, and the server lives on.
			if _, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "boom", Arguments: map[string]any{}}); err == nil {
				t.Fatal("panicking tool succeeded")
			}
			if _, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": "again"}}); err != nil {
				t.Fatal(err)
			}

			// The client's credential never reached a tool.
			f.mu.Lock()
			defer f.mu.Unlock()
			if len(f.seenHeaders) == 0 {
				t.Fatal("the tool saw no request headers at all; the check proves nothing")
			}
			for _, h := range f.seenHeaders {
				if h.Get("Authorization") != "" || strings.Contains(fmt.Sprint(h), goodKey) {
					t.Fatalf("tool saw the client's credential: %v", h)
				}
			}
			lines := auditLines(t, f.audit.String())
			var sawHTTP, sawTool bool
			for _, l := range lines {
				if l.ClientID != "apikey:ci-bot" && l.Status == http.StatusOK {
					t.Errorf("line with client %q: %+v", l.ClientID, l)
				}
				if l.Kind == audit.KindTool && l.Tool == "echo" {
					sawTool = true
					if l.Outcome != "ok" || len(l.GitHubRequestIDs) != 1 || l.ArgsSHA256 == "" {
						t.Errorf("tool line %+v", l)
					}
				}
				if l.Kind == audit.KindHTTP && l.Status == 200 && len(l.GitHubRequestIDs) == 1 && l.ClientIP == "127.0.0.1" {
					sawHTTP = true
				}
			}
			if !sawHTTP || !sawTool {
				t.Fatalf("missing audit lines (http %v, tool %v):\n%s", sawHTTP, sawTool, f.audit.String())
			}
		})
	}
}

func auditLines(t *testing.T, s string) []audit.Record {
	t.Helper()
	var out []audit.Record
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		var r audit.Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		out = append(out, r)
	}
	return out
}

func TestOrigin(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	for origin, want := range map[string]int{
		"":                                http.StatusOK,
		allowedOrigin:                     http.StatusOK,
		"https://APP.example.test:443":    http.StatusOK,
		"https://evil.example.test":       http.StatusForbidden,
		"http://app.example.test":         http.StatusForbidden,
		"https://app.example.test.evil.x": http.StatusForbidden,
		"null":                            http.StatusForbidden,
		"garbage":                         http.StatusForbidden,
	} {
		hdr := bearer(goodKey)
		if origin != "" {
			hdr.Set("Origin", origin)
		}
		if got := f.post(initBody, hdr).StatusCode; got != want {
			t.Errorf("Origin %q: status %d, want %d", origin, got, want)
		}
	}
	// A present but empty Origin is present and invalid: 403, not "absent".
	empty := bearer(goodKey)
	empty["Origin"] = []string{""}
	if got := f.post(initBody, empty).StatusCode; got != http.StatusForbidden {
		t.Errorf("empty Origin header: status %d, want 403", got)
	}
	// The SDK client against a bad origin fails to connect.
	if _, err := f.connect("2025-11-25", http.Header{"Authorization": {"Bearer " + goodKey}, "Origin": {"https://evil.example.test"}}); err == nil {
		t.Fatal("SDK client connected with a bad Origin")
	}
	// A bad origin is refused even before authentication: no ban credit.
	if f.post(initBody, http.Header{"Origin": {"https://evil.example.test"}}).StatusCode != http.StatusForbidden {
		t.Fatal("unauthenticated bad-origin request not 403")
	}
}

func TestUnauthenticated(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	meta := `Bearer resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource"`
	wrongAud := secrets.add(f.issuer.Token(t, "mallory", "https://other.example.test/mcp"))
	foreign := secrets.add(f.issuer.ForeignToken(t, "mallory", publicURL))
	for name, tc := range map[string]struct {
		hdr       http.Header
		challenge string
	}{
		"no credentials":      {http.Header{}, meta},
		"unknown API key":     {bearer(secrets.add("mcpk_wrong_00000000000000000000000000000")), meta + `, error="invalid_token"`},
		"basic auth":          {http.Header{"Authorization": {"Basic dXNlcjpwYXNz"}}, meta + `, error="invalid_token"`},
		"OIDC wrong audience": {bearer(wrongAud), meta + `, error="invalid_token"`},
		"OIDC foreign key":    {bearer(foreign), meta + `, error="invalid_token"`},
	} {
		resp := f.post(initBody, tc.hdr)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d", name, resp.StatusCode)
		}
		if got := resp.Header.Get("WWW-Authenticate"); got != tc.challenge {
			t.Errorf("%s: WWW-Authenticate %q, want %q", name, got, tc.challenge)
		}
	}
	// The SDK client sees the 401 as a connection error.
	if _, err := f.connect("2026-07-28", bearer(wrongAud)); err == nil {
		t.Fatal("SDK client connected with a wrong-audience token")
	}
	// The right audience works, for both the raw and the SDK client.
	good := secrets.add(f.issuer.Token(t, "alice", publicURL))
	if got := f.post(initBody, bearer(good)).StatusCode; got != http.StatusOK {
		t.Fatalf("good OIDC token: %d", got)
	}
	cs, err := f.connect("2026-07-28", bearer(good))
	if err != nil {
		t.Fatal(err)
	}
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": "x"}})
	cs.Close()
	if err != nil || res.Content[0].(*mcp.TextContent).Text != "x|oidc:alice" {
		t.Fatalf("OIDC identity not propagated: %v %v", res, err)
	}
}

func TestBanAfterFailedLogins(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	from := func(ip string, h http.Header) http.Header {
		h = h.Clone()
		h.Set("X-Forwarded-For", ip)
		return h
	}
	bad := bearer(secrets.add("mcpk_guess_1111111111111111111111111111111"))
	for i := 0; i < 20; i++ {
		if got := f.post(initBody, from("198.51.100.66", bad)).StatusCode; got != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d", i+1, got)
		}
	}
	// Banned: even the right key is refused, cheaply, with 403.
	resp := f.post(initBody, from("198.51.100.66", bearer(goodKey)))
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("WWW-Authenticate") != "" {
		t.Fatalf("banned client: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	// Another IP is unaffected.
	if got := f.post(initBody, from("198.51.100.67", bearer(goodKey))).StatusCode; got != http.StatusOK {
		t.Fatalf("innocent client: %d", got)
	}
	// The ban expires (first ban: 10 minutes).
	f.clock.Advance(10*time.Minute - time.Second)
	if got := f.post(initBody, from("198.51.100.66", bearer(goodKey))).StatusCode; got != http.StatusForbidden {
		t.Fatalf("ban ended early: %d", got)
	}
	f.clock.Advance(time.Second)
	if got := f.post(initBody, from("198.51.100.66", bearer(goodKey))).StatusCode; got != http.StatusOK {
		t.Fatalf("ban did not expire: %d", got)
	}
	if !strings.Contains(capture.String(), "Banned client for repeated authentication failures") {
		t.Fatal("ban not logged")
	}
	body := scrape(t, f)
	for _, want := range []string{"github_mcp_bans_total 1", `github_mcp_rejected_requests_total{reason="banned"} 2`, `github_mcp_auth_failures_total{reason="invalid"} 20`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func scrape(t *testing.T, f *fixture) string {
	t.Helper()
	rec := &recorderT{header: http.Header{}}
	OpsHandler(f.metrics, nil).ServeHTTP(rec, mustReq(t, "GET", podcontract.MetricsPath))
	return rec.body.String()
}

func TestBodyTooLarge(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	big := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"` + strings.Repeat("a", 70<<10) + `"}}}`
	if got := f.post(big, bearer(goodKey)).StatusCode; got != http.StatusRequestEntityTooLarge {
		t.Fatalf("Content-Length body: %d", got)
	}
	// Chunked (no Content-Length): the cap applies while reading.
	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/mcp", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Authorization", "Bearer "+goodKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("chunked body: %d", resp.StatusCode)
	}
}

func TestMethods(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	for _, m := range []string{http.MethodGet, http.MethodDelete, http.MethodPut} {
		req, _ := http.NewRequest(m, f.srv.URL+"/mcp", nil)
		req.Header.Set("Authorization", "Bearer "+goodKey)
		req.Header.Set("Accept", "text/event-stream")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
			t.Errorf("%s: %d Allow=%q", m, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
	resp, err := http.Get(f.srv.URL + "/elsewhere")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown path: %d", resp.StatusCode)
	}
}

func TestProtectedResourceMetadata(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	for _, p := range []string{podcontract.ProtectedResourcePath, podcontract.ProtectedResourcePath + "/mcp"} {
		resp, err := http.Get(f.srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		var meta map[string]any
		err = json.NewDecoder(resp.Body).Decode(&meta)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %d %v", p, resp.StatusCode, err)
		}
		if meta["resource"] != publicURL {
			t.Errorf("%s: resource %v, want exactly %s", p, meta["resource"], publicURL)
		}
		if as, _ := meta["authorization_servers"].([]any); len(as) != 1 || as[0] != f.issuer.URL {
			t.Errorf("%s: authorization_servers %v", p, meta["authorization_servers"])
		}
	}
	if f.h.ResourceMetadataURL() != "https://mcp.example.test"+podcontract.ProtectedResourcePath {
		t.Fatal(f.h.ResourceMetadataURL())
	}
}

func TestNarrowingErrorIs400(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	hdr := bearer(goodKey)
	hdr.Set("X-MCP-Toolsets", "bogus")
	resp := f.post(initBody, hdr)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(resp.Body), "bogus") {
		t.Fatalf("%d %s", resp.StatusCode, resp.Body)
	}
}

func TestPanicInFrontIs500(t *testing.T) {
	f := newFixture(t, fixtureOpts{servers: func(*http.Request) (*mcp.Server, error) { panic("front exploded") }})
	resp := f.post(initBody, bearer(goodKey))
	b := resp.Body
	if resp.StatusCode != http.StatusInternalServerError || strings.Contains(string(b), "exploded") || strings.Contains(string(b), "goroutine") {
		t.Fatalf("%d %q", resp.StatusCode, b)
	}
	lines := auditLines(t, f.audit.String())
	if last := lines[len(lines)-1]; last.Outcome != "error" || last.Status != 500 {
		t.Fatalf("audit %+v", last)
	}
}

func TestAuthNone(t *testing.T) {
	f := newFixture(t, fixtureOpts{modes: []string{"none"}})
	cs, err := f.connect("2025-11-25", http.Header{})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"text": "a"}})
	if err != nil || res.Content[0].(*mcp.TextContent).Text != "a|anonymous" {
		t.Fatalf("%v %v", res, err)
	}
}

func TestConfigValidation(t *testing.T) {
	for _, u := range []string{"http://mcp.example.test/mcp", "mcp.example.test", "https://mcp.example.test/mcp?x=1", ""} {
		if _, err := ParsePublicURL(u); err == nil {
			t.Errorf("public URL %q accepted", u)
		}
	}
	for _, u := range []string{"http://localhost:8080/mcp", "http://127.0.0.1:8080/mcp", publicURL} {
		if _, err := ParsePublicURL(u); err != nil {
			t.Errorf("public URL %q: %v", u, err)
		}
	}
	for _, o := range []string{"https://*.example.test", "ftp://x", "https://x/path", "https://"} {
		if _, err := ParseOrigins([]string{o}); err == nil {
			t.Errorf("origin %q accepted", o)
		}
	}
}

func TestIdentityProviderOutageIs503NotABan(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	f.issuer.FailJWKS.Store(true)
	hdr := bearer(secrets.add(f.issuer.UnknownKidToken(t, "alice", publicURL, "rotated")))
	hdr.Set("X-Forwarded-For", "198.51.100.90")
	for i := 0; i < 25; i++ {
		resp := f.post(initBody, hdr)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("attempt %d: outage not reported as 503 with Retry-After: %d", i, resp.StatusCode)
		}
	}
	// None of that counted as this client's failures: 25 > threshold, no ban.
	ok := bearer(goodKey)
	ok.Set("X-Forwarded-For", "198.51.100.90")
	if got := f.post(initBody, ok).StatusCode; got != http.StatusOK {
		t.Fatalf("client banned after an identity-provider outage: %d", got)
	}
}

func TestCORSForAllowedOriginsOnly(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	preflight := func(origin string) reply {
		req, _ := http.NewRequest(http.MethodOptions, f.srv.URL+"/mcp", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return readReply(t, resp)
	}
	resp := preflight(allowedOrigin)
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != allowedOrigin ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Fatalf("preflight from allowed origin: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := preflight("https://evil.example.test"); resp.StatusCode != http.StatusForbidden || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from bad origin: %d %v", resp.StatusCode, resp.Header)
	}
	hdr := bearer(goodKey)
	hdr.Set("Origin", allowedOrigin)
	if r := f.post(initBody, hdr); r.StatusCode != 200 || r.Header.Get("Access-Control-Allow-Origin") != allowedOrigin {
		t.Fatalf("POST from allowed origin: %d %v", r.StatusCode, r.Header)
	}
	// A 401 to a browser must be readable too, so it can start OAuth.
	if r := f.post(initBody, http.Header{"Origin": {allowedOrigin}}); r.StatusCode != 401 ||
		r.Header.Get("Access-Control-Allow-Origin") != allowedOrigin || !strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "WWW-Authenticate") {
		t.Fatalf("401 to allowed origin: %d %v", r.StatusCode, r.Header)
	}
	// No Origin, no CORS headers.
	if r := f.post(initBody, bearer(goodKey)); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("CORS headers without an Origin")
	}
}

func TestWithoutPublicURL(t *testing.T) {
	f := newFixture(t, fixtureOpts{noPublicURL: true, modes: []string{"apikeys"}})
	resp := f.post(initBody, http.Header{})
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != `Bearer realm="github-mcp-server"` {
		t.Fatalf("401 without public URL: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}
	r, err := http.Get(f.srv.URL + podcontract.ProtectedResourcePath)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusNotFound {
		t.Fatalf("metadata published without a resource URL: %d", r.StatusCode)
	}
	if got := f.post(initBody, bearer(goodKey)).StatusCode; got != http.StatusOK {
		t.Fatalf("authenticated request: %d", got)
	}
}

func TestProtocolVersionHeader(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	hdr := bearer(goodKey)
	hdr.Set("Mcp-Protocol-Version", "1999-01-01")
	if got := f.post(initBody, hdr).StatusCode; got != http.StatusBadRequest {
		t.Fatalf("unsupported protocol version: %d", got)
	}
	// 2026-07-28 requires the Mcp-Method header to match the body; it is
	// also what the HTTP audit line records.
	hdr = bearer(goodKey)
	hdr.Set("Mcp-Protocol-Version", "2026-07-28")
	hdr.Set("Mcp-Method", "tools/list")
	body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}`
	resp := f.post(body, hdr)
	b := resp.Body
	if resp.StatusCode == http.StatusOK && !strings.Contains(string(b), `"error"`) {
		t.Fatalf("Mcp-Method mismatch accepted: %d %s", resp.StatusCode, b)
	}
	if !strings.Contains(f.audit.String(), `"rpc_method":"tools/list"`) {
		t.Fatalf("rpc_method not audited:\n%s", f.audit.String())
	}
}
