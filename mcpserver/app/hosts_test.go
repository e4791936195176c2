package app_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app/apptest"
)

// TestAllowedHostsFlagWired: --allowed-hosts reaches the front. The
// apptest server has a loopback public URL, so its own host passes; an
// extra name passes only once listed; anything else is refused before
// authentication.
func TestAllowedHostsFlagWired(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Args: []string{"--" + pc.FlagAllowedHosts + "=mcp.team-a.svc,MCP.Example.Test"}})
	post := func(host string) int {
		req, err := http.NewRequest(http.MethodPost, s.MCPURL, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", "Bearer "+apptest.APIKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for host, want := range map[string]int{
		"":                      http.StatusOK, // the client sends the URL's own host
		"mcp.team-a.svc:8080":   http.StatusOK,
		"mcp.example.test":      http.StatusOK,
		"localhost":             http.StatusOK,
		"other.team-a.svc:8080": http.StatusForbidden,
	} {
		if got := post(host); got != want {
			t.Errorf("Host %q: %d, want %d", host, got, want)
		}
	}
	if !strings.Contains(s.Audit.String(), `"outcome":"denied_host"`) {
		t.Errorf("no denied_host audit line:\n%s", s.Audit.String())
	}
}

func TestAllowedHostsFlagValidation(t *testing.T) {
	dir := t.TempDir()
	tok := filepath.Join(dir, "token")
	if err := os.WriteFile(tok, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	base := []string{"--" + pc.FlagGitHubTokenFile + "=" + tok, "--" + pc.FlagPublicURL + "=https://mcp.example.test/mcp", "--" + pc.FlagClientAuth + "=apikeys"}
	for _, bad := range []string{"mcp.team-a.svc:8080", "https://mcp.example.test", "*.example.test", "a,b_c.test"} {
		var out strings.Builder
		code := app.Main(stopped, append(base, "--"+pc.FlagAllowedHosts+"="+bad), app.Env{Stdout: nopWC{}, Stderr: &out})
		if code != 2 || !strings.Contains(out.String(), "--"+pc.FlagAllowedHosts+":") {
			t.Errorf("--%s=%s: exit %d, output:\n%s", pc.FlagAllowedHosts, bad, code, out.String())
		}
	}
	cfg, err := app.ParseFlags(append(base, "--"+pc.FlagAllowedHosts+"= mcp.team-a.svc , ,10.0.0.7"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.AllowedHosts, ",") != "mcp.team-a.svc,10.0.0.7" {
		t.Fatalf("allowed hosts %q", cfg.AllowedHosts)
	}
}
