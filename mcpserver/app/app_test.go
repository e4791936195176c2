package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app/apptest"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/githubfake"
)

type hdrRT struct {
	h    http.Header
	next http.RoundTripper
}

func (h hdrRT) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h.h {
		r.Header[k] = v
	}
	return h.next.RoundTrip(r)
}

func connect(t *testing.T, s *apptest.Server, version string, hdr http.Header) *mcp.ClientSession {
	t.Helper()
	if hdr == nil {
		hdr = http.Header{}
	}
	if hdr.Get("Authorization") == "" {
		hdr.Set("Authorization", "Bearer "+apptest.APIKey)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "app-test", Version: "v0"}, nil).Connect(context.Background(),
		&mcp.StreamableClientTransport{Endpoint: s.MCPURL, MaxRetries: -1,
			HTTPClient: &http.Client{Transport: hdrRT{hdr, http.DefaultTransport}}},
		&mcp.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatalf("connect: %v\n%s", err, s.Logs.String())
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func toolNames(t *testing.T, cs *mcp.ClientSession) []string {
	t.Helper()
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range res.Tools {
		names = append(names, tl.Name)
	}
	slices.Sort(names)
	return names
}

func TestHTTPEndToEndAgainstFakeGitHub(t *testing.T) {
	s := apptest.Start(t, apptest.Options{})
	s.WaitReady(t)
	for _, v := range []string{"2025-11-25", "2026-07-28"} {
		t.Run(v, func(t *testing.T) {
			cs := connect(t, s, v, nil)
			if got := cs.InitializeResult().ProtocolVersion; got != v {
				t.Fatalf("negotiated %s", got)
			}
			names := toolNames(t, cs)
			if !slices.Contains(names, "get_me") || slices.Contains(names, "create_branch") || slices.Contains(names, "issue_write") {
				t.Fatalf("read-only default policy not applied: %v", names)
			}
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "get_me", Arguments: map[string]any{}})
			if err != nil || res.IsError {
				t.Fatalf("get_me: %v %+v", err, res)
			}
			if b, _ := json.Marshal(res); !strings.Contains(string(b), githubfake.Login) {
				t.Fatalf("get_me result lacks %s: %s", githubfake.Login, b)
			}
			res, err = cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "get_file_contents",
				Arguments: map[string]any{"owner": githubfake.Owner, "repo": githubfake.Repo, "path": "../etc/passwd"}})
			if err == nil && !res.IsError {
				t.Fatal("path traversal accepted")
			}
		})
	}

	// GitHub saw only the server's own credential, never the client's key.
	reqs := s.Fake.Requests()
	if len(reqs) == 0 {
		t.Fatal("no upstream requests: the check proves nothing")
	}
	for _, r := range reqs {
		if r.Authorization != "Bearer "+apptest.PAT && r.Authorization != "token "+apptest.PAT {
			t.Errorf("GitHub request %s %s carried Authorization %.12q…", r.Method, r.Path, r.Authorization)
		}
	}
	up := s.Upstream.String()
	if !strings.Contains(up, apptest.PAT) {
		t.Fatal("upstream dump lacks the PAT: the spy sees nothing")
	}
	if strings.Contains(up, apptest.APIKey) {
		t.Fatal("the client's API key was sent towards GitHub")
	}

	// Audit: tool lines with the GitHub request IDs, on stdout.
	var sawTool bool
	for _, line := range strings.Split(strings.TrimSpace(s.Audit.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		if rec["kind"] == "tool" && rec["tool"] == "get_me" {
			sawTool = true
			ids, _ := rec["github_request_ids"].([]any)
			if rec["client_id"] != "apikey:apptest" || rec["outcome"] != "ok" || len(ids) == 0 || !strings.HasPrefix(ids[0].(string), "FAKE:") {
				t.Errorf("tool audit line %s", line)
			}
		}
	}
	if !sawTool {
		t.Fatalf("no get_me audit line:\n%s", s.Audit.String())
	}
	metrics := get(t, s.OpsURL+pc.MetricsPath)
	for _, want := range []string{`github_mcp_tool_calls_total{outcome="ok",tool="get_me"} 2`, "github_mcp_client_auth_none 0", "github_mcp_ready 1",
		"github_mcp_github_rate_limit_remaining", "github_mcp_github_requests_total", "github_mcp_http_request_duration_seconds_bucket"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if code := s.Stop(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM-equivalent", code)
	}
	s.LeakCheck(t)
}

func TestNarrowingCannotWiden(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Args: []string{"--" + pc.FlagToolsDeny + "=search_code"}})
	narrow := connect(t, s, "2026-07-28", http.Header{"X-Mcp-Tools": {"get_me,list_branches"}})
	if got := toolNames(t, narrow); !slices.Equal(got, []string{"get_me", "list_branches"}) {
		t.Fatalf("narrowed tools %v", got)
	}
	// Asking for write tools, denied tools and read-write mode widens nothing.
	widen := connect(t, s, "2026-07-28", http.Header{"X-Mcp-Tools": {"create_branch,search_code,get_me"}, "X-Mcp-Readonly": {"false"}})
	if got := toolNames(t, widen); !slices.Equal(got, []string{"get_me"}) {
		t.Fatalf("narrowing widened the policy: %v", got)
	}
	if _, err := widen.CallTool(context.Background(), &mcp.CallToolParams{Name: "create_branch", Arguments: map[string]any{}}); err == nil {
		t.Fatal("hidden write tool callable")
	}
	// Unknown names are a clear 400, not silently fewer tools.
	req, _ := http.NewRequest(http.MethodPost, s.MCPURL, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	req.Header.Set("Authorization", "Bearer "+apptest.APIKey)
	req.Header.Set("X-MCP-Toolsets", "nonsense")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "nonsense") {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	s.Stop()
	s.LeakCheck(t)
}

func TestClientAuthNoneWarnsAndCounts(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Args: []string{"--" + pc.FlagClientAuth + "=" + pc.ClientAuthNone}})
	cs := connect(t, s, "2025-11-25", http.Header{"Authorization": {"Bearer whatever-the-client-sends-123"}})
	if _, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "get_me", Arguments: map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(get(t, s.OpsURL+pc.MetricsPath), "github_mcp_client_auth_none 1") {
		t.Fatal("client_auth_none gauge not set")
	}
	if !strings.Contains(s.Logs.String(), "Client authentication is DISABLED") {
		t.Fatal("no start-up warning")
	}
	if !strings.Contains(s.Audit.String(), `"client_id":"anonymous"`) {
		t.Fatal("anonymous identity not audited")
	}
	// Even unauthenticated, the client's header never reaches GitHub.
	if strings.Contains(s.Upstream.String(), "whatever-the-client-sends-123") {
		t.Fatal("client header forwarded to GitHub")
	}
	s.Stop()
	s.LeakCheck(t, "whatever-the-client-sends-123")
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
