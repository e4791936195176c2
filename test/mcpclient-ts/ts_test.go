// Package mcpclientts proves that a client we did not write, the official
// TypeScript MCP SDK, interoperates with github-mcp-server.
package mcpclientts

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app/apptest"
)

// TestTypeScriptClient starts the real server in-process against the fake
// GitHub and runs client.mjs with node. It fails (never skips) when node or
// the npm dependencies are missing: `make ts-client-deps` installs them.
func TestTypeScriptClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node not found on PATH; it is required for this test: %v", err)
	}
	if _, err := os.Stat(filepath.Join("node_modules", "@modelcontextprotocol", "sdk", "package.json")); err != nil {
		t.Fatalf("npm dependencies missing (%v): run `make ts-client-deps` (npm ci --prefix test/mcpclient-ts)", err)
	}
	s := apptest.Start(t, apptest.Options{})
	s.WaitReady(t)

	cmd := exec.Command(node, "client.mjs", s.MCPURL)
	cmd.Env = append(os.Environ(), "MCP_API_KEY="+apptest.APIKey)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("node client hung:\nstdout: %s\nstderr: %s", stdout.String(), stderr.String())
	}
	if err != nil {
		t.Fatalf("node client failed: %v\nstdout: %s\nstderr: %s\nserver logs:\n%s", err, stdout.String(), stderr.String(), s.Logs.String())
	}

	var summary struct {
		Server            string   `json:"server"`
		ProtocolVersion   string   `json:"protocolVersion"`
		Tools             int      `json:"tools"`
		GetMe             bool     `json:"getMe"`
		ListBranches      bool     `json:"listBranches"`
		TraversalRejected bool     `json:"traversalRejected"`
		UnknownToolCode   any      `json:"unknownToolCode"`
		Failures          []string `json:"failures"`
	}
	line := strings.TrimSpace(stdout.String())
	if err := json.Unmarshal([]byte(line), &summary); err != nil {
		t.Fatalf("client output %q: %v", line, err)
	}
	if summary.Server != "github-mcp-server" || summary.ProtocolVersion != "2025-11-25" || summary.Tools < 10 ||
		!summary.GetMe || !summary.ListBranches || !summary.TraversalRejected || summary.UnknownToolCode != float64(-32602) ||
		len(summary.Failures) != 0 {
		t.Fatalf("unexpected summary: %+v", summary)
	}
	// The server audited the TypeScript client's calls under its identity.
	audit := s.Audit.String()
	for _, want := range []string{`"tool":"get_me"`, `"tool":"list_branches"`, `"client_id":"apikey:apptest"`, `"outcome":"unauthenticated"`} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit stream lacks %s", want)
		}
	}
	if code := s.Stop(); code != 0 {
		t.Fatalf("server exit code %d", code)
	}
	s.LeakCheck(t)
}
