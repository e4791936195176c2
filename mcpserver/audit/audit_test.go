package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/metrics"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/reqctx"
)

func TestArgsDigestCanonical(t *testing.T) {
	a := ArgsDigest([]byte(`{"repo":"r","owner":"o","n":1.50,"nested":{"b":[1,2],"a":null}}`))
	b := ArgsDigest([]byte(" {\n\"owner\":\"o\", \"nested\":{\"a\":null,\"b\":[1,2]}, \"n\":1.50, \"repo\":\"r\"}"))
	if a != b {
		t.Fatalf("key order or whitespace changed the digest: %s vs %s", a, b)
	}
	if c := ArgsDigest([]byte(`{"repo":"r","owner":"o","n":1.5,"nested":{"b":[1,2],"a":null}}`)); c == a {
		t.Fatal("1.50 and 1.5 hash alike: numbers were not kept verbatim")
	}
	if ArgsDigest(nil) != ArgsDigest([]byte("{}")) || ArgsDigest([]byte("null")) != ArgsDigest(nil) {
		t.Fatal("empty arguments are not {}")
	}
	if d := ArgsDigest([]byte(`{"a":1} trailing`)); !strings.HasPrefix(d, "raw:") {
		t.Fatalf("non-JSON not marked raw: %s", d)
	}
	if len(a) != 64 {
		t.Fatalf("digest %q is not hex SHA-256", a)
	}
}

func TestLogLines(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf)
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); _ = l.Log(Record{Kind: KindHTTP, ClientID: "x", Outcome: "ok", Status: 200}) }()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 50 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, line := range lines {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		for _, k := range []string{"time", "kind", "client_id", "outcome", "latency_ms", "status"} {
			if _, ok := r[k]; !ok {
				t.Fatalf("line lacks %s: %s", k, line)
			}
		}
	}
}

type echoArgs struct {
	Owner string `json:"owner"`
	Fail  bool   `json:"fail,omitempty"`
}

func TestToolMiddleware(t *testing.T) {
	var buf bytes.Buffer
	m := metrics.New()
	srv := mcp.NewServer(&mcp.Implementation{Name: "t", Version: "v"}, nil)
	mcp.AddTool(srv, &mcp.Tool{Name: "echo"}, func(ctx context.Context, _ *mcp.CallToolRequest, a echoArgs) (*mcp.CallToolResult, any, error) {
		reqctx.From(ctx).AddGitHubRequestID(fmt.Sprintf("GH-%d", len(a.Owner)))
		if a.Fail {
			return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: "owner: bad"}}}, nil, nil
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: "ok"}}}, nil, nil
	})
	srv.AddReceivingMiddleware(ToolMiddleware(New(&buf), m, "stdio"))

	parent := &reqctx.Info{ClientID: "apikey:ci", ClientIP: "192.0.2.1"}
	ctx := WithRequestID(reqctx.With(context.Background(), parent), "req-1")
	ct, st := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "v"}, nil).Connect(context.Background(), ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()

	secret := "super-secret-owner-value"
	if _, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"owner": secret}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{"owner": "x", "fail": true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "no_such_tool_" + strings.Repeat("z", 200)}); err == nil {
		t.Fatal("unknown tool succeeded")
	}

	out := buf.String()
	if strings.Contains(out, secret) {
		t.Fatal("argument value leaked into the audit log")
	}
	var recs []Record
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r Record
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 3 {
		t.Fatalf("%d tool lines, want 3:\n%s", len(recs), out)
	}
	want := []struct{ outcome, ids string }{{OutcomeOK, "GH-24"}, {OutcomeToolError, "GH-1"}, {OutcomeError, ""}}
	for i, r := range recs {
		if r.Kind != KindTool || r.ClientID != "apikey:ci" || r.ClientIP != "192.0.2.1" || r.RequestID != "req-1" || r.Outcome != want[i].outcome {
			t.Errorf("line %d: %+v", i, r)
		}
		if strings.Join(r.GitHubRequestIDs, ",") != want[i].ids {
			t.Errorf("line %d: ids %v, want %s", i, r.GitHubRequestIDs, want[i].ids)
		}
	}
	if recs[0].ArgsSHA256 != ArgsDigest([]byte(`{"owner":"`+secret+`"}`)) {
		t.Errorf("digest %s does not match the canonical arguments", recs[0].ArgsSHA256)
	}
	if len(recs[2].Tool) > maxToolNameLen+len("…") {
		t.Errorf("tool name not truncated: %d bytes", len(recs[2].Tool))
	}
	if got := strings.Join(parent.GitHubRequestIDs(), ","); got != "GH-24,GH-1" {
		t.Errorf("request-level IDs %q", got)
	}
	var mb bytes.Buffer
	fams, _ := m.Registry.Gather()
	for _, f := range fams {
		if f.GetName() == "github_mcp_tool_calls_total" {
			for _, mm := range f.GetMetric() {
				mb.WriteString(mm.String() + "\n")
			}
		}
	}
	for _, w := range []string{`value:"_unknown"`, `value:"echo"`, `value:"tool_error"`} {
		if !strings.Contains(mb.String(), w) {
			t.Errorf("metrics lack %s:\n%s", w, mb.String())
		}
	}
	if strings.Contains(mb.String(), "no_such_tool") {
		t.Error("unknown tool name became a metric label")
	}
}

func TestToolMiddlewareWithoutInfo(t *testing.T) {
	var buf bytes.Buffer
	srv := mcp.NewServer(&mcp.Implementation{Name: "t", Version: "v"}, nil)
	mcp.AddTool(srv, &mcp.Tool{Name: "echo"}, func(ctx context.Context, _ *mcp.CallToolRequest, a echoArgs) (*mcp.CallToolResult, any, error) {
		return &mcp.CallToolResult{}, nil, nil
	})
	srv.AddReceivingMiddleware(ToolMiddleware(New(&buf), nil, "stdio"))
	ct, st := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "v"}, nil).Connect(context.Background(), ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	if _, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "echo", Arguments: map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"client_id":"stdio"`) {
		t.Fatalf("line: %s", buf.String())
	}
}
