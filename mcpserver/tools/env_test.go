package tools

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/github"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/githubfake"
)

const serverToken = "ghp_serverCredential0123456789"

// testEnv is a fake GitHub, the server's client on it and a tool factory.
type testEnv struct {
	fake    *githubfake.Server
	gh      *github.Client
	factory *Factory
}

func newEnv(t testing.TB, p Policy) *testEnv {
	t.Helper()
	fake := githubfake.New(githubfake.Options{Tokens: []string{serverToken}})
	t.Cleanup(fake.Close)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(serverToken), 0o600); err != nil {
		t.Fatal(err)
	}
	gh, err := github.New(context.Background(), github.Config{
		Host: fake.Host(), TokenFile: tokenFile, HTTPClient: fake.Client(), MaxRateLimitWait: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = gh.Close() })
	f, err := NewFactory(Options{Client: gh, Policy: p})
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{fake: fake, gh: gh, factory: f}
}

var allWrite = Policy{Toolsets: []string{ToolsetAll}, ReadOnly: false}

// headerRT adds fixed headers, as a narrowing client would.
type headerRT struct {
	h    http.Header
	next http.RoundTripper
}

func (h headerRT) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h.h {
		r.Header[k] = v
	}
	return h.next.RoundTrip(r)
}

// httpSession connects a go-sdk client over Streamable HTTP (stateless) to
// a handler that picks the server per request from the narrowing headers,
// the way the HTTP front does.
func (e *testEnv) httpSession(t testing.TB, version string, hdr http.Header) *mcp.ClientSession {
	t.Helper()
	h := mcp.NewStreamableHTTPHandler(func(r *http.Request) *mcp.Server {
		n, err := ParseNarrowing(r.Header)
		if err != nil {
			return nil // the SDK answers 400
		}
		return e.factory.Server(n)
	}, &mcp.StreamableHTTPOptions{Stateless: true, JSONResponse: true})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	client := mcp.NewClient(&mcp.Implementation{Name: "test-client", Version: "1"}, nil)
	tr := &mcp.StreamableClientTransport{Endpoint: srv.URL,
		HTTPClient: &http.Client{Transport: headerRT{h: hdr, next: http.DefaultTransport}}, DisableStandaloneSSE: true}
	cs, err := client.Connect(context.Background(), tr, &mcp.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatalf("connect (%s): %v", version, err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	return cs
}

// memSession connects over in-memory transports to Server(n).
func (e *testEnv) memSession(t testing.TB, n Narrowing) *mcp.ClientSession {
	t.Helper()
	ct, st := mcp.NewInMemoryTransports()
	ss, err := e.factory.Server(n).Connect(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ss.Close() })
	client := mcp.NewClient(&mcp.Implementation{Name: "test-client", Version: "1"}, nil)
	cs, err := client.Connect(context.Background(), ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	return cs
}

func toolNames(t testing.TB, cs *mcp.ClientSession) []string {
	t.Helper()
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tl := range res.Tools {
		names = append(names, tl.Name)
	}
	return names
}

func call(t testing.TB, cs *mcp.ClientSession, name string, args any) (*mcp.CallToolResult, string) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return res, b.String()
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
