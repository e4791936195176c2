package httpserver

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/audit"
)

// FuzzJSONRPC posts arbitrary bodies (with a valid credential, so they
// reach the JSON-RPC layer) and requires a proper HTTP or JSON-RPC answer:
// never a 5xx, never a panic, and JSON where JSON is announced. The seed
// corpus in testdata/fuzz/FuzzJSONRPC runs in every `go test`; run longer
// with `go test -run '^$' -fuzz FuzzJSONRPC -fuzztime 5m ./mcpserver/httpserver/`.
func FuzzJSONRPC(f *testing.F) {
	fx := newFixture(f, fixtureOpts{})
	srv := mcp.NewServer(&mcp.Implementation{Name: "fuzz", Version: "v0"}, nil)
	mcp.AddTool(srv, &mcp.Tool{Name: "echo"}, func(ctx context.Context, _ *mcp.CallToolRequest, a echoArgs) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: a.Text}}}, nil, nil
	})
	mcp.AddTool(srv, &mcp.Tool{Name: "boom"}, func(ctx context.Context, _ *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, any, error) {
		panic("boom")
	})
	srv.AddReceivingMiddleware(audit.ToolMiddleware(nil, nil, "fuzz"), audit.Recover(nil))
	fx.h.cfg.Servers = func(*http.Request) (*mcp.Server, error) { return srv, nil }

	for _, s := range []string{initBody, "", "{", "[]", "null", `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`} {
		f.Add(s, uint8(0))
	}
	versions := []string{"", "2025-11-25", "2026-07-28", "1999-01-01", "9999-99-99"}
	f.Fuzz(func(t *testing.T, body string, v uint8) {
		req := httptest.NewRequest(http.MethodPost, "/mcp", strings.NewReader(body))
		req.RemoteAddr = "192.0.2.10:1234"
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", "Bearer "+goodKey)
		if pv := versions[int(v)%len(versions)]; pv != "" {
			req.Header.Set("Mcp-Protocol-Version", pv)
		}
		rec := httptest.NewRecorder()
		fx.h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for body %q: %s", rec.Code, body, rec.Body.String())
		}
		if rec.Code == http.StatusOK && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("invalid JSON answer %q for body %q", rec.Body.String(), body)
			}
		}
	})
}
