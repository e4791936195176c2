package tools

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/githubfake"
)

// Bad arguments come back as tool errors naming the argument, whether the
// schema (SDK) or the handler catches them, and never reach GitHub.
func TestBadArgumentsAreClearToolErrors(t *testing.T) {
	e := newEnv(t, allWrite)
	cs := e.memSession(t, Narrowing{})
	for _, tc := range []struct {
		tool string
		args map[string]any
		arg  string // must be named in the error
	}{
		{"get_file_contents", repoArgsMap("path", "../../etc/passwd"), "path"},
		{"get_file_contents", repoArgsMap("path", "src/../../secret"), "path"},
		{"get_file_contents", repoArgsMap("path", "/etc/passwd"), "path"},
		{"get_file_contents", repoArgsMap("path", "src/\x00main.go"), "path"},
		{"get_file_contents", repoArgsMap("path", `src\main.go`), "path"},
		{"get_file_contents", repoArgsMap("path", strings.Repeat("a/", 600)), "path"},
		{"get_file_contents", repoArgsMap("ref", "main..evil"), "ref"},
		{"get_file_contents", repoArgsMap("sha", "not-a-sha"), "sha"},
		{"create_or_update_file", repoArgsMap("path", "../x", "content", "x", "message", "m", "branch", "main"), "path"},
		{"list_branches", map[string]any{"owner": "../etc", "repo": githubfake.Repo}, "owner"},
		{"list_branches", map[string]any{"owner": "-bad", "repo": githubfake.Repo}, "owner"},
		{"list_branches", map[string]any{"owner": strings.Repeat("a", 40), "repo": githubfake.Repo}, "owner"},
		{"list_branches", map[string]any{"owner": githubfake.Owner, "repo": "a/b"}, "repo"},
		{"list_branches", map[string]any{"owner": githubfake.Owner, "repo": ".."}, "repo"},
		{"list_branches", map[string]any{"owner": githubfake.Owner, "repo": "x y"}, "repo"},
		{"list_branches", repoArgsMap("perPage", 1000), "perPage"},
		{"list_branches", repoArgsMap("page", 0), "page"},
		{"list_branches", repoArgsMap("extra", 1), "extra"},
		{"list_branches", map[string]any{"owner": githubfake.Owner}, "repo"},
		{"issue_read", repoArgsMap("method", "delete", "issue_number", 1), "method"},
		{"issue_read", repoArgsMap("method", "get", "issue_number", -1), "issue_number"},
		{"issue_read", repoArgsMap("method", "get", "issue_number", "1"), "issue_number"},
		{"issue_write", repoArgsMap("method", "update"), "issue_number"},
		{"issue_write", repoArgsMap("method", "create"), "title"},
		{"issue_write", repoArgsMap("method", "create", "title", "t", "assignees", []string{"no spaces allowed"}), "assignees"},
		{"search_code", map[string]any{"query": strings.Repeat("q", 300)}, "query"},
		{"search_code", map[string]any{"query": ""}, "query"},
		{"search_issues", map[string]any{"query": "bug", "repo": githubfake.Repo}, "owner"},
		{"get_job_logs", repoArgsMap("job_id", 1, "tail_lines", 100000), "tail_lines"},
		{"create_branch", repoArgsMap("branch", "bad~name"), "branch"},
		{"list_workflow_runs", repoArgsMap("workflow_id", "../../x.yml"), "workflow_id"},
		{"add_issue_comment", repoArgsMap("issue_number", 1, "body", "a\x07b"), "body"},
	} {
		e.fake.ResetLog()
		res, text := call(t, cs, tc.tool, tc.args)
		if !res.IsError {
			t.Errorf("%s %v: no error: %.200s", tc.tool, tc.args, text)
			continue
		}
		if !strings.Contains(text, tc.arg) {
			t.Errorf("%s %v: error does not name %q: %s", tc.tool, tc.args, tc.arg, text)
		}
		if strings.Contains(text, "goroutine") || strings.Contains(text, ".go:") {
			t.Errorf("%s: error looks like a stack trace: %s", tc.tool, text)
		}
		if n := len(e.fake.Requests()); n != 0 {
			t.Errorf("%s %v: %d upstream requests for invalid input", tc.tool, tc.args, n)
		}
	}
}

func TestHandlerChecksWithoutSchema(t *testing.T) {
	// The handler checks stand alone (the schema might be loosened one day).
	for _, p := range []string{"..", "a/../b", "/abs", "a\x00b", "~/x", "C:/x", "a//b", "./a"} {
		if _, err := checkPath("path", p, true); err == nil {
			t.Errorf("checkPath(%q) accepted", p)
		}
	}
	for _, p := range []string{"", "/", "README.md", "src/main.go", "a/b.c/d-e_f", ".github/workflows/ci.yml"} {
		if _, err := checkPath("path", p, true); err != nil {
			t.Errorf("checkPath(%q): %v", p, err)
		}
	}
	for _, r := range []string{"a..b", "a b", "a~b", "a^b", "a:b", "/a", "a/", "a.lock", "a@{b", "a\\b"} {
		if err := checkRef("ref", r, true); err == nil {
			t.Errorf("checkRef(%q) accepted", r)
		}
	}
	for _, r := range []string{"main", "refs/heads/feature/x", "v1.2.3", "refs/pull/2/head"} {
		if err := checkRef("ref", r, true); err != nil {
			t.Errorf("checkRef(%q): %v", r, err)
		}
	}
	for _, o := range []string{"a", "octo-org", "A1", strings.Repeat("a", 39)} {
		if err := (&repoArgs{Owner: o, Repo: "r"}).check(); err != nil {
			t.Errorf("owner %q: %v", o, err)
		}
	}
	for _, o := range []string{"", "-a", "a-", "a_b", "a.b", strings.Repeat("a", 40), "ä"} {
		if err := (&repoArgs{Owner: o, Repo: "r"}).check(); err == nil {
			t.Errorf("owner %q accepted", o)
		}
	}
}

func TestUpstreamErrorsAreReadable(t *testing.T) {
	e := newEnv(t, allWrite)
	cs := e.memSession(t, Narrowing{})
	res, text := call(t, cs, "issue_read", map[string]any{"owner": "nobody", "repo": "nothing", "method": "get", "issue_number": 1})
	if !res.IsError || !strings.Contains(text, "not found (404)") {
		t.Fatalf("got %v %q", res.IsError, text)
	}
}

func TestRateLimitIsAClearToolError(t *testing.T) {
	e := newEnv(t, allWrite) // MaxRateLimitWait < 0: no waiting at all
	cs := e.memSession(t, Narrowing{})
	e.fake.SetRateLimit(githubfake.RateLimitPrimary, 10, time.Hour)
	res, text := call(t, cs, "get_me", map[string]any{})
	if !res.IsError || !strings.Contains(text, "GitHub rate limit exceeded; resets at ") {
		t.Fatalf("got %v %q", res.IsError, text)
	}
	e.fake.SetRateLimit(githubfake.RateLimitSecondary, 10, 30*time.Second)
	res, text = call(t, cs, "list_tags", repoArgsMap())
	if !res.IsError || !strings.Contains(text, "GitHub rate limit exceeded; retry after 30s") {
		t.Fatalf("got %v %q", res.IsError, text)
	}
}

func TestPanicIsRecovered(t *testing.T) {
	s := mcp.NewServer(&mcp.Implementation{Name: "t"}, nil)
	byName["get_me"].register(s, &deps{gh: nil, log: discardLogger()}) // nil client: the handler panics
	ct, st := mcp.NewInMemoryTransports()
	ss, err := s.Connect(context.Background(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c"}, nil).Connect(context.Background(), ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, text := call(t, cs, "get_me", map[string]any{})
	if !res.IsError || text != "internal error" {
		t.Fatalf("got %v %q", res.IsError, text)
	}
}

// A recovered panic is logged without its value, which may hold arguments
// or GitHub data; runtime errors keep their (data-free) message.
func TestPanicSummaryHidesValues(t *testing.T) {
	if got := panicSummary("path=secret-repo/x"); strings.Contains(got, "secret") || got != "string" {
		t.Fatalf("string panic logged as %q", got)
	}
	if got := panicSummary(errors.New("token ghp_x")); strings.Contains(got, "ghp_x") {
		t.Fatalf("error panic logged as %q", got)
	}
	var runtimeErr any
	func() {
		defer func() { runtimeErr = recover() }()
		s := []int{1}
		i := len(s)
		_ = s[i] // index out of range: a runtime.Error
	}()
	if got := panicSummary(runtimeErr); !strings.Contains(got, "index out of range") {
		t.Fatalf("runtime error logged as %q", got)
	}
}
