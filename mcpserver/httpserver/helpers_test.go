package httpserver

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/audit"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/auth"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/ban"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/clientip"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/internal/oidctest"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/metrics"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/reqctx"
)

const (
	publicURL     = "https://mcp.example.test/mcp"
	allowedOrigin = "https://app.example.test"
)

var (
	goodKey  = secrets.add("mcpk_good_7d1f0c2a9b8e4d3c2b1a0f9e8d7c6b5a")
	otherKey = secrets.add("mcpk_other_0a1b2c3d4e5f60718293a4b5c6d7e8f9")
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// fixture is a fully wired MCP front with a test MCP server behind it.
type fixture struct {
	t       testing.TB
	h       *Handler
	srv     *httptest.Server
	clock   *clock
	banner  *ban.Banner
	metrics *metrics.Metrics
	audit   *syncBuffer
	issuer  *oidctest.Issuer

	mu          sync.Mutex
	seenHeaders []http.Header // headers the MCP tools saw (RequestExtra)
	blockStart  chan struct{}
	blockFree   chan struct{}
	blockGone   chan struct{} // closed when a block call saw its context end
}

type echoArgs struct {
	Text string `json:"text"`
}

func newTestMCPServer(f *fixture) *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "test", Version: "v0"}, nil)
	mcp.AddTool(s, &mcp.Tool{Name: "echo", Description: "echo"}, func(ctx context.Context, req *mcp.CallToolRequest, a echoArgs) (*mcp.CallToolResult, any, error) {
		f.mu.Lock()
		if req.Extra != nil {
			f.seenHeaders = append(f.seenHeaders, req.Extra.Header.Clone())
		}
		f.mu.Unlock()
		reqctx.From(ctx).AddGitHubRequestID("GHID-echo")
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: a.Text + "|" + reqctx.From(ctx).ClientID}}}, nil, nil
	})
	mcp.AddTool(s, &mcp.Tool{Name: "block", Description: "blocks until released"}, func(ctx context.Context, _ *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, any, error) {
		f.blockStart <- struct{}{}
		select {
		case <-f.blockFree:
		case <-ctx.Done():
			close(f.blockGone)
			return nil, nil, ctx.Err()
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "released"}}}, nil, nil
	})
	mcp.AddTool(s, &mcp.Tool{Name: "boom", Description: "panics"}, func(ctx context.Context, _ *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, any, error) {
		panic("tool exploded")
	})
	s.AddReceivingMiddleware(audit.ToolMiddleware(audit.New(io2(f)), f.metrics, "stdio"), audit.Recover(testLogger()))
	return s
}

func io2(f *fixture) *multiWriter { return &multiWriter{f.audit, capture} }

type multiWriter struct {
	a, b interface{ Write([]byte) (int, error) }
}

func (m *multiWriter) Write(p []byte) (int, error) {
	_, _ = m.b.Write(p)
	return m.a.Write(p)
}

func testLogger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(logSink(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type fixtureOpts struct {
	modes        []string
	servers      ServerFunc
	noPublicURL  bool     // an in-cluster-only server
	allowedHosts []string // Config.AllowedHosts
}

func newFixture(t testing.TB, o fixtureOpts) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: &clock{t: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}, metrics: metrics.New(), audit: &syncBuffer{},
		blockStart: make(chan struct{}, 1), blockFree: make(chan struct{}), blockGone: make(chan struct{})}
	if o.modes == nil {
		o.modes = []string{"apikeys", "oidc"}
	}
	keys := filepath.Join(t.TempDir(), "api-keys")
	if err := os.WriteFile(keys, []byte(auth.HashKey("ci-bot", goodKey)+"\n"+auth.HashKey("laptop", otherKey)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f.issuer = oidctest.Start(t)
	authn, err := auth.New(context.Background(), auth.Config{Modes: o.modes, APIKeysFile: keys,
		OIDCIssuer: f.issuer.URL, OIDCAudience: publicURL, HTTPClient: f.issuer.Client(), Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	f.banner, err = ban.New(ban.Config{Now: f.clock.Now, Metrics: f.metrics, Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	origins, err := ParseOrigins([]string{allowedOrigin})
	if err != nil {
		t.Fatal(err)
	}
	mcpSrv := newTestMCPServer(f)
	if o.servers == nil {
		o.servers = func(r *http.Request) (*mcp.Server, error) {
			if r.Header.Get("X-MCP-Toolsets") == "bogus" {
				return nil, errors.New(`unknown toolsets ["bogus"]`)
			}
			return mcpSrv, nil
		}
	}
	pub := publicURL
	if o.noPublicURL {
		pub = ""
	}
	f.h, err = NewHandler(Config{
		PublicURL: pub, AllowedOrigins: origins, AllowedHosts: o.allowedHosts, MaxBodyBytes: 64 << 10,
		// The test server listens on loopback; treat loopback as the
		// trusted proxy so tests can present any client IP.
		Resolver: clientip.New([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}),
		Banner:   f.banner, Auth: authn, AuthorizationServers: []string{f.issuer.URL},
		Servers: o.servers, Audit: audit.New(io2(f)), Metrics: f.metrics, Logger: testLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(f.h)
	t.Cleanup(f.srv.Close)
	return f
}

// headerTransport adds fixed headers to every request of an SDK client.
type headerTransport struct {
	base http.RoundTripper
	hdr  http.Header
}

func (h *headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h.hdr {
		r.Header[k] = v
	}
	return h.base.RoundTrip(r)
}

// connect opens a Go SDK client session with the given headers.
func (f *fixture) connect(version string, hdr http.Header) (*mcp.ClientSession, error) {
	tr := &mcp.StreamableClientTransport{
		Endpoint:   f.srv.URL + "/mcp",
		HTTPClient: &http.Client{Transport: &headerTransport{base: http.DefaultTransport, hdr: hdr}},
		MaxRetries: -1,
	}
	c := mcp.NewClient(&mcp.Implementation{Name: "test-client", Version: "v0"}, nil)
	return c.Connect(context.Background(), tr, &mcp.ClientSessionOptions{ProtocolVersion: version})
}

func bearer(tok string) http.Header {
	return http.Header{"Authorization": {"Bearer " + tok}}
}

// reply is an HTTP response read in full, so that no test leaves a body open.
type reply struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// readReply reads and closes resp's body.
func readReply(t testing.TB, resp *http.Response) reply {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{StatusCode: resp.StatusCode, Header: resp.Header, Body: b}
}

// post sends a raw JSON-RPC POST and reads the whole reply.
func (f *fixture) post(body string, hdr http.Header) reply {
	f.t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+"/mcp", stringsReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	return readReply(f.t, resp)
}

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}`
