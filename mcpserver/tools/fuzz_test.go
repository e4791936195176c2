package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// FuzzToolArguments feeds raw JSON arguments to any tool through a real MCP
// session (schema validation, argument decoding, handler checks, upstream
// call against the fake). Invariants: no panic reaches the client, errors
// carry no stack trace, and nothing with a ".." segment or NUL reaches
// GitHub. The seed corpus (f.Add below and testdata/fuzz) runs in every
// `go test`; see docs/fuzzing.md for a longer run.
func FuzzToolArguments(f *testing.F) {
	for name, tc := range everyTool {
		b, _ := json.Marshal(tc.args)
		f.Add(name, b)
	}
	for _, s := range []struct{ tool, args string }{
		{"get_file_contents", `{"owner":"octo-org","repo":"hello-world","path":"../../etc/passwd"}`},
		{"get_file_contents", `{"owner":"octo-org","repo":"hello-world","path":"a/%2e%2e/b"}`},
		{"create_or_update_file", `{"owner":"octo-org","repo":"hello-world","path":"a/%2e%2e/%2e%2e/b","content":"x","message":"m","branch":"main"}`},
		{"create_or_update_file", `{"owner":"octo-org","repo":"hello-world","path":"a?b#c","content":"x","message":"m","branch":"main"}`},
		{"list_workflow_runs", `{"owner":"octo-org","repo":"hello-world","workflow_id":"%2e%2e/%2e%2e/ci.yml"}`},
		{"get_file_contents", `{"owner":"octo-org","repo":"hello-world","path":"a\u0000b"}`},
		{"list_branches", `{"owner":"octo-org","repo":"hello-world","perPage":1e309}`},
		{"list_branches", `{"owner":"octo-org","repo":"hello-world","page":-1}`},
		{"issue_read", `{"owner":"octo-org","repo":"hello-world","method":"get","issue_number":1.5}`},
		{"issue_write", `{"owner":"octo-org","repo":"hello-world","method":"update","issue_number":99999999999}`},
		{"get_job_logs", `{"owner":"octo-org","repo":"hello-world","job_id":9007199254740993}`},
		{"search_code", `{"query":null}`},
		{"no_such_tool", `{}`},
		{"get_me", `[]`},
		{"get_me", `"x"`},
	} {
		f.Add(s.tool, []byte(s.args))
	}
	e := newEnv(f, allWrite)
	cs := e.memSession(f, Narrowing{})
	f.Fuzz(func(t *testing.T, tool string, args []byte) {
		if !json.Valid(args) {
			return // the client cannot send invalid JSON; the front's fuzzer covers raw bodies
		}
		e.fake.ResetLog()
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: tool, Arguments: json.RawMessage(args)})
		if err != nil {
			if strings.Contains(err.Error(), "goroutine ") || strings.Contains(err.Error(), "panic") {
				t.Fatalf("protocol error leaks internals: %v", err)
			}
			if cs.Ping(context.Background(), nil) != nil {
				t.Fatalf("session broken after %s %s: %v", tool, args, err)
			}
			return
		}
		for _, c := range res.Content {
			if tc, ok := c.(*mcp.TextContent); ok && res.IsError &&
				(strings.Contains(tc.Text, "goroutine ") || strings.Contains(tc.Text, "runtime error")) {
				t.Fatalf("tool error leaks internals: %s", tc.Text)
			}
		}
		for _, r := range e.fake.Requests() {
			for _, seg := range strings.Split(r.Path, "/") {
				if seg == ".." || strings.ContainsRune(seg, 0) {
					t.Fatalf("%s %s reached GitHub from %s %s", r.Method, r.Path, tool, args)
				}
			}
		}
	})
}
