package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app/apptest"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/githubfake"
)

// TestRateLimitIsAClearToolError: with --gh-max-rate-limit-wait shorter
// than GitHub's reset, a call does not hang; it returns a tool error that
// says so, and the audit line records it.
func TestRateLimitIsAClearToolError(t *testing.T) {
	s := apptest.Start(t, apptest.Options{Args: []string{"--" + pc.FlagGitHubMaxRateLimitWait + "=0s"}})
	s.WaitReady(t)
	cs := connect(t, s, "2026-07-28", nil)
	s.Fake.SetRateLimit(githubfake.RateLimitPrimary, 100, time.Hour)
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "get_me", Arguments: map[string]any{}})
	if err != nil {
		t.Fatalf("rate limit surfaced as a protocol error: %v", err)
	}
	b, _ := json.Marshal(res.Content)
	if !res.IsError || !strings.Contains(strings.ToLower(string(b)), "rate limit") {
		t.Fatalf("want a tool error naming the rate limit, got %s", b)
	}
	s.Fake.SetRateLimit(githubfake.RateLimitPrimary, 0, 0)
	if !strings.Contains(s.Audit.String(), `"outcome":"tool_error"`) {
		t.Fatal("rate-limited call not audited as tool_error")
	}
	s.Stop()
	s.LeakCheck(t)
}
