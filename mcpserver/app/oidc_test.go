package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app/apptest"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/internal/oidctest"
)

// TestOIDCThroughFlags wires OIDC from the command line: the audience
// defaults to --public-url, a token for another audience is refused, and
// the metadata names the issuer.
func TestOIDCThroughFlags(t *testing.T) {
	iss := oidctest.Start(t)
	s := apptest.Start(t, apptest.Options{
		Args:           []string{"--" + pc.FlagClientAuth + "=oidc,apikeys", "--" + pc.FlagOIDCIssuer + "=" + iss.URL},
		OIDCHTTPClient: iss.Client(),
	})
	good := iss.Token(t, "alice", s.MCPURL)
	wrong := iss.Token(t, "alice", "https://elsewhere.example.test/mcp")

	req, _ := http.NewRequest(http.MethodPost, s.MCPURL, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	req.Header.Set("Authorization", "Bearer "+wrong)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	wantChallenge := `Bearer resource_metadata="` + strings.TrimSuffix(s.MCPURL, pc.DefaultMCPPath) + pc.ProtectedResourcePath + `", error="invalid_token"`
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != wantChallenge {
		t.Fatalf("wrong audience: %d %q", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
	}

	cs := connect(t, s, "2026-07-28", http.Header{"Authorization": {"Bearer " + good}})
	if _, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "get_me", Arguments: map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	meta := get(t, strings.TrimSuffix(s.MCPURL, pc.DefaultMCPPath)+pc.ProtectedResourcePath)
	if !strings.Contains(meta, `"resource":"`+s.MCPURL+`"`) || !strings.Contains(meta, iss.URL) {
		t.Fatalf("metadata %s", meta)
	}
	if !strings.Contains(s.Audit.String(), `"client_id":"oidc:alice"`) {
		t.Fatal("OIDC identity not audited")
	}
	// Neither token reached GitHub.
	if up := s.Upstream.String(); strings.Contains(up, good) || strings.Contains(up, wrong) {
		t.Fatal("a client's OIDC token was sent towards GitHub")
	}
	s.Stop()
	s.LeakCheck(t, good, wrong)
}
