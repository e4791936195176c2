package tools

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/githubfake"
)

type toolCase struct {
	args map[string]any
	want string // a substring of the result
}

func repoArgsMap(kv ...any) map[string]any {
	m := map[string]any{"owner": githubfake.Owner, "repo": githubfake.Repo}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// everyTool has one successful call per tool against the fake.
var everyTool = map[string]toolCase{
	"get_me":                    {map[string]any{}, `"login":"octocat"`},
	"get_file_contents":         {repoArgsMap("path", "README.md"), "Welcome!"},
	"list_branches":             {repoArgsMap("perPage", 10), `"name":"feature"`},
	"list_commits":              {repoArgsMap("sha", "main", "page", 1), "Fix all the bugs"},
	"get_commit":                {repoArgsMap("sha", "6dcb09b5b57875f334f61aebed695e2e4193db5e"), `"filename":"src/main.go"`},
	"search_repositories":       {map[string]any{"query": "hello", "sort": "stars"}, `"full_name":"octo-org/hello-world"`},
	"search_code":               {map[string]any{"query": "println repo:octo-org/hello-world"}, `"path":"src/main.go"`},
	"list_releases":             {repoArgsMap(), `"tag_name":"v1.0.0"`},
	"get_latest_release":        {repoArgsMap(), `"tag_name":"v1.1.0"`},
	"list_tags":                 {repoArgsMap(), `"name":"v1.1.0"`},
	"create_branch":             {repoArgsMap("branch", "topic/new"), `"ref":"refs/heads/topic/new"`},
	"create_or_update_file":     {repoArgsMap("path", "docs/new.md", "content", "# New\n", "message", "Add docs", "branch", "main"), `"message":"Add docs"`},
	"issue_read":                {repoArgsMap("method", "get", "issue_number", 1), `"title":"Found a bug"`},
	"list_issues":               {repoArgsMap("state", "OPEN", "labels", []string{"bug"}), `"number":3`},
	"search_issues":             {map[string]any{"query": "bug", "owner": githubfake.Owner, "repo": githubfake.Repo}, `"number":1`},
	"issue_write":               {repoArgsMap("method", "create", "title", "New bug", "body", "Details"), `"title":"New bug"`},
	"add_issue_comment":         {repoArgsMap("issue_number", 1, "body", "Thanks!"), `"body":"Thanks!"`},
	"pull_request_read":         {repoArgsMap("method", "get", "pullNumber", 2), `"title":"Amazing new feature"`},
	"list_pull_requests":        {repoArgsMap("state", "open"), `"number":2`},
	"search_pull_requests":      {map[string]any{"query": "feature"}, `"number":2`},
	"create_pull_request":       {repoArgsMap("title", "Add feature", "head", "feature", "base", "main"), `"title":"Add feature"`},
	"merge_pull_request":        {repoArgsMap("pullNumber", 2, "merge_method", "squash"), `"merged":true`},
	"search_users":              {map[string]any{"query": "octo"}, `"login":"octocat"`},
	"list_workflows":            {repoArgsMap(), `"path":".github/workflows/ci.yml"`},
	"list_workflow_runs":        {repoArgsMap("workflow_id", "ci.yml", "status", "failure"), `"conclusion":"failure"`},
	"get_workflow_run":          {repoArgsMap("run_id", githubfake.RunID), `"run_number":562`},
	"get_job_logs":              {repoArgsMap("job_id", githubfake.JobID, "tail_lines", 3), "line 5000"},
	"list_code_scanning_alerts": {repoArgsMap("state", "open", "severity", "high"), `"number":42`},
	"get_code_scanning_alert":   {repoArgsMap("alertNumber", 43), `"number":43`},
}

func TestEveryToolHasACase(t *testing.T) {
	for _, info := range All() {
		if _, ok := everyTool[info.Name]; !ok {
			t.Errorf("no test case for tool %s", info.Name)
		}
	}
	if len(everyTool) != len(All()) {
		t.Errorf("%d cases for %d tools", len(everyTool), len(All()))
	}
}

func TestEveryToolOverStreamableHTTP(t *testing.T) {
	for _, version := range []string{"2025-11-25", "2026-07-28"} {
		t.Run(version, func(t *testing.T) {
			e := newEnv(t, allWrite)
			// A client's own token must never be passed through to GitHub.
			hdr := http.Header{"Authorization": {"Bearer ghp_clientsOwnToken"}}
			cs := e.httpSession(t, version, hdr)
			if got := cs.InitializeResult().ProtocolVersion; got != version {
				t.Fatalf("negotiated %q, want %q", got, version)
			}
			names := toolNames(t, cs)
			if len(names) != len(All()) {
				t.Fatalf("tools/list has %d tools, want %d: %v", len(names), len(All()), names)
			}
			for _, name := range names {
				tc := everyTool[name]
				res, text := call(t, cs, name, tc.args)
				if res.IsError {
					t.Errorf("%s: tool error: %s", name, text)
					continue
				}
				if !strings.Contains(text, tc.want) {
					t.Errorf("%s: result lacks %q:\n%.600s", name, tc.want, text)
				}
				for _, bad := range []string{githubfake.InjectedText, githubfake.ZeroWidth, "\u202e", "<script", serverToken} {
					if strings.Contains(text, bad) {
						t.Errorf("%s: result contains %q", name, bad)
					}
				}
			}
			// Every upstream call carried the server's own credential.
			for _, r := range e.fake.Requests() {
				if !strings.HasPrefix(r.Path, "/_blob/") && r.Authorization != "Bearer "+serverToken {
					t.Errorf("%s %s sent Authorization %q", r.Method, r.Path, r.Authorization)
				}
				if strings.HasPrefix(r.Path, "/_blob/") && r.Authorization != "" {
					t.Errorf("credential sent to blob storage")
				}
			}
		})
	}
}

func TestReadOnlyHidesWriteTools(t *testing.T) {
	e := newEnv(t, Policy{Toolsets: []string{ToolsetAll}, ReadOnly: true})
	names := toolNames(t, e.memSession(t, Narrowing{}))
	for _, info := range All() {
		if slices.Contains(names, info.Name) == !info.ReadOnly {
			t.Errorf("%s (readOnly=%v) listed=%v", info.Name, info.ReadOnly, !info.ReadOnly)
		}
	}
	// A hidden tool cannot be called either.
	res, err := e.memSession(t, Narrowing{}).CallTool(context.Background(), &mcp.CallToolParams{Name: "create_branch",
		Arguments: repoArgsMap("branch", "x")})
	if err == nil && !res.IsError {
		t.Fatal("hidden write tool was callable")
	}
	if n := e.fake.Writes("ref"); n != 0 {
		t.Fatalf("%d refs created", n)
	}
}

func TestAllowAndDenyLists(t *testing.T) {
	e := newEnv(t, Policy{Toolsets: []string{"repos", "issues"}, Allow: []string{"get_file_contents", "list_issues", "issue_read", "get_me"},
		Deny: []string{"issue_read"}, ReadOnly: true})
	got := toolNames(t, e.memSession(t, Narrowing{}))
	slices.Sort(got)
	// get_me is allowed but its toolset (context) is not enabled.
	if want := []string{"get_file_contents", "list_issues"}; !slices.Equal(got, want) {
		t.Fatalf("tools = %v, want %v", got, want)
	}
}

func TestNarrowingOverHTTPCannotWiden(t *testing.T) {
	e := newEnv(t, Policy{Toolsets: []string{"repos"}, ReadOnly: true})
	hdr := http.Header{}
	hdr.Set(HeaderToolsets, "repos,issues,actions")
	hdr.Set(HeaderTools, "get_file_contents,create_branch,list_issues,list_tags")
	hdr.Set(HeaderReadOnly, "false")
	got := toolNames(t, e.httpSession(t, "2025-11-25", hdr))
	slices.Sort(got)
	if want := []string{"get_file_contents", "list_tags"}; !slices.Equal(got, want) {
		t.Fatalf("tools = %v, want %v", got, want)
	}
}

func TestNarrowingReadOnlyHeader(t *testing.T) {
	e := newEnv(t, allWrite)
	hdr := http.Header{}
	hdr.Set(HeaderReadOnly, "true")
	hdr.Set(HeaderToolsets, "issues")
	got := toolNames(t, e.httpSession(t, "2026-07-28", hdr))
	slices.Sort(got)
	if want := []string{"issue_read", "list_issues", "search_issues"}; !slices.Equal(got, want) {
		t.Fatalf("tools = %v, want %v", got, want)
	}
}

// The names clients and prompts know from github/github-mcp-server.
func TestToolNamesMatchReference(t *testing.T) {
	want := []string{
		"get_me",
		"get_file_contents", "list_branches", "list_commits", "get_commit", "search_repositories", "search_code",
		"list_releases", "get_latest_release", "list_tags", "create_branch", "create_or_update_file",
		"issue_read", "list_issues", "search_issues", "issue_write", "add_issue_comment",
		"pull_request_read", "list_pull_requests", "search_pull_requests", "create_pull_request", "merge_pull_request",
		"search_users",
		"list_workflows", "list_workflow_runs", "get_workflow_run", "get_job_logs",
		"list_code_scanning_alerts", "get_code_scanning_alert",
	}
	var got []string
	for _, i := range All() {
		got = append(got, i.Name)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("tools = %v\nwant %v", got, want)
	}
}

func TestJobLogsAreBounded(t *testing.T) {
	e := newEnv(t, allWrite)
	cs := e.memSession(t, Narrowing{})
	res, text := call(t, cs, "get_job_logs", repoArgsMap("job_id", githubfake.JobID, "tail_lines", 5000))
	if res.IsError {
		t.Fatal(text)
	}
	if len(text) > maxLogBytes+128 {
		t.Fatalf("log result is %d bytes, bound is %d", len(text), maxLogBytes)
	}
	if !strings.Contains(text, " line 5000\n") || strings.Contains(text, " line 1\n") || !strings.Contains(text, "earlier lines omitted") {
		t.Fatalf("unexpected tail:\n%.300s", text)
	}
}

// What clients see in tools/list is exactly the snapshot's schema.
func TestListedSchemasMatchDefinitions(t *testing.T) {
	e := newEnv(t, allWrite)
	res, err := e.memSession(t, Narrowing{}).ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, listed := range res.Tools {
		def := byName[listed.Name].tool
		if got, want := canonicalJSON(listed.InputSchema), canonicalJSON(def.InputSchema); got != want {
			t.Errorf("%s: listed schema differs from its definition:\n%s\n%s", listed.Name, got, want)
		}
	}
}

// canonicalJSON marshals v with object keys sorted.
func canonicalJSON(v any) string {
	var m any
	_ = json.Unmarshal([]byte(mustJSON(v)), &m)
	return mustJSON(m)
}
