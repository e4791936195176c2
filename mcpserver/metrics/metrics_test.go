package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestExposition(t *testing.T) {
	m := New()
	m.ObserveHTTP(401, 3*time.Millisecond)
	m.ObserveToolCall("get_me", "ok", time.Second)
	m.AuthFailure("invalid")
	m.Banned()
	m.RegisterActiveBans(func() int { return 2 })
	m.Rejected("banned")
	m.SetClientAuthNone(true)
	m.SetReady(true)

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`github_mcp_http_requests_total{code="401"} 1`,
		`github_mcp_tool_calls_total{outcome="ok",tool="get_me"} 1`,
		`github_mcp_tool_call_duration_seconds_count{tool="get_me"} 1`,
		`github_mcp_http_request_duration_seconds_count{code="401"} 1`,
		`github_mcp_auth_failures_total{reason="invalid"} 1`,
		`github_mcp_bans_total 1`,
		`github_mcp_active_bans 2`,
		`github_mcp_rejected_requests_total{reason="banned"} 1`,
		`github_mcp_client_auth_none 1`,
		`github_mcp_ready 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
}

func TestNilIsNoop(t *testing.T) {
	var m *Metrics
	m.ObserveHTTP(200, 0)
	m.ObserveToolCall("x", "ok", 0)
	m.AuthFailure("missing")
	m.Banned()
	m.RegisterActiveBans(func() int { return 1 })
	m.Rejected("origin")
	m.SetClientAuthNone(false)
	m.SetReady(false)
}
