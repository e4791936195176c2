package tools

import (
	"strings"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/githubfake"
)

// go-github puts some arguments into the request path unescaped
// (UpdateFile's path, ListWorkflowRunsByFileName's file name). A '?' or '#'
// there would turn the rest into a query or fragment, and a '%' would let
// the client send pre-encoded segments ("%2e%2e") GitHub may decode; either
// way the call reaches a URL the arguments do not name.

func TestWorkflowFileNameCannotShapeTheURL(t *testing.T) {
	e := newEnv(t, allWrite)
	cs := e.memSession(t, Narrowing{})
	for _, id := range []string{"ci.yml?per_page=100", "ci.yml#x", "%2e%2e/%2e%2e/user", ".github/workflows/ci.yml", "ci yml", "0", "-1"} {
		e.fake.ResetLog()
		res, text := call(t, cs, "list_workflow_runs", repoArgsMap("workflow_id", id))
		if !res.IsError || !strings.Contains(text, "workflow_id") {
			t.Errorf("workflow_id %q: got %v %.200s", id, res.IsError, text)
		}
		if n := len(e.fake.Requests()); n != 0 {
			t.Errorf("workflow_id %q: %d upstream requests", id, n)
		}
	}
	for _, id := range []string{"", "ci.yml", "release-v2.yaml", "12345"} {
		if res, text := call(t, cs, "list_workflow_runs", repoArgsMap("workflow_id", id)); res.IsError {
			t.Errorf("workflow_id %q refused: %s", id, text)
		}
	}
}

func TestCreateOrUpdateFileEscapesThePath(t *testing.T) {
	e := newEnv(t, allWrite)
	cs := e.memSession(t, Narrowing{})
	for _, p := range []string{"docs/a?b=c#d.md", "docs/100%25 done.md", "docs/%2e%2e/x.md"} {
		e.fake.ResetLog()
		res, text := call(t, cs, "create_or_update_file",
			repoArgsMap("path", p, "content", "x", "message", "m", "branch", "main"))
		if res.IsError {
			t.Errorf("path %q: %s", p, text)
			continue
		}
		reqs := e.fake.Requests()
		if len(reqs) != 1 {
			t.Fatalf("path %q: %d upstream requests, want 1", p, len(reqs))
		}
		want := "/repos/" + githubfake.Owner + "/" + githubfake.Repo + "/contents/" + p
		if reqs[0].Method != "PUT" || reqs[0].Path != want || reqs[0].RawQuery != "" {
			t.Errorf("path %q: GitHub got %s %q query %q, want PUT %q", p, reqs[0].Method, reqs[0].Path, reqs[0].RawQuery, want)
		}
	}
}

// GetContents escapes its path itself: the same encoded segments reach
// GitHub literally, not decoded into "..".
func TestGetFileContentsPathReachesGitHubLiterally(t *testing.T) {
	e := newEnv(t, allWrite)
	cs := e.memSession(t, Narrowing{})
	e.fake.ResetLog()
	call(t, cs, "get_file_contents", repoArgsMap("path", "docs/%2e%2e/x?y#z.md"))
	reqs := e.fake.Requests()
	want := "/repos/" + githubfake.Owner + "/" + githubfake.Repo + "/contents/docs/%2e%2e/x?y#z.md"
	if len(reqs) != 1 || reqs[0].Path != want || reqs[0].RawQuery != "" {
		t.Fatalf("GitHub got %+v, want GET %q", reqs, want)
	}
}
