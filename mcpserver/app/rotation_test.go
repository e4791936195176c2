package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app/apptest"
)

// TestTokenRotationThroughTheServer: GitHub revokes the PAT and the Secret
// is rotated; the running server uses the new token on the next call.
func TestTokenRotationThroughTheServer(t *testing.T) {
	const newPAT = "ghp_rotatedServerPAT9876"
	s := apptest.Start(t, apptest.Options{})
	s.WaitReady(t)
	cs := connect(t, s, "2026-07-28", nil)
	call := func() *mcp.CallToolResult {
		t.Helper()
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "get_me", Arguments: map[string]any{}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := call(); res.IsError {
		t.Fatalf("before rotation: %+v", res)
	}
	s.Fake.SetTokens(newPAT)
	// Atomic replace, as a Secret volume update is.
	tmp := filepath.Join(filepath.Dir(s.TokenFile), ".token.tmp")
	if err := os.WriteFile(tmp, []byte(newPAT+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, s.TokenFile); err != nil {
		t.Fatal(err)
	}
	if res := call(); res.IsError {
		t.Fatalf("after rotation: %+v\n%s", res, s.Logs.String())
	}
	reqs := s.Fake.Requests()
	if last := reqs[len(reqs)-1].Authorization; !strings.HasSuffix(last, newPAT) {
		t.Fatalf("last upstream request did not use the rotated token")
	}
	s.Stop()
	s.LeakCheck(t, newPAT)
}
