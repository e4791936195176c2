package tools

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
)

func TestPolicyValidateNamesUnknowns(t *testing.T) {
	err := Policy{Toolsets: []string{"repos", "bogus"}, Allow: []string{"get_me", "nope_tool"}, Deny: []string{"also_nope"}}.Validate()
	if err == nil {
		t.Fatal("Validate accepted unknown names")
	}
	for _, name := range []string{"bogus", "nope_tool", "also_nope"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %q", err, name)
		}
	}
	if err := (Policy{Toolsets: []string{"all"}, Deny: []string{"merge_pull_request"}}).Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultToolsets(t *testing.T) {
	got := Effective(Policy{ReadOnly: true}, Narrowing{})
	for _, name := range got {
		ts := byName[name].info.Toolset
		if !slices.Contains(podcontract.DefaultToolsets, ts) {
			t.Errorf("%s from toolset %s enabled by default", name, ts)
		}
	}
	if slices.Contains(got, "get_job_logs") || !slices.Contains(got, "get_me") {
		t.Errorf("default set = %v", got)
	}
}

// Effective never returns a tool outside the policy's own set, whatever
// the narrowing asks for.
func TestNarrowingNeverWidens(t *testing.T) {
	policies := []Policy{
		{ReadOnly: true},
		{Toolsets: []string{"repos"}, ReadOnly: true},
		{Toolsets: []string{"all"}, Deny: []string{"merge_pull_request", "get_me"}},
		{Toolsets: []string{"issues", "pull_requests"}, Allow: []string{"issue_write", "list_issues", "create_pull_request"}},
	}
	var names []string
	for _, i := range All() {
		names = append(names, i.Name)
	}
	narrowings := []Narrowing{
		{},
		{ReadOnly: true},
		{Toolsets: []string{"all"}},
		{Toolsets: ToolsetNames()},
		{Tools: names},
		{Toolsets: []string{"actions", "code_security"}, Tools: []string{"get_job_logs", "merge_pull_request"}},
		{Toolsets: []string{"unknown"}},
	}
	for _, p := range policies {
		upper := Effective(p, Narrowing{})
		for _, n := range narrowings {
			for _, name := range Effective(p, n) {
				if !slices.Contains(upper, name) {
					t.Errorf("policy %+v narrowed by %+v exposes %s beyond %v", p, n, name, upper)
				}
			}
		}
	}
	// And narrowing does narrow.
	got := Effective(Policy{Toolsets: []string{"all"}}, Narrowing{Tools: []string{"get_me", "list_tags"}})
	if !slices.Equal(got, []string{"get_me", "list_tags"}) {
		t.Errorf("got %v", got)
	}
}

func TestParseNarrowing(t *testing.T) {
	h := http.Header{}
	h.Add(HeaderToolsets, " repos , issues")
	h.Add(HeaderTools, "get_me")
	h.Add(HeaderTools, "list_tags,")
	h.Set(HeaderReadOnly, "TRUE")
	n, err := ParseNarrowing(h)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(n.Toolsets, []string{"repos", "issues"}) || !slices.Equal(n.Tools, []string{"get_me", "list_tags"}) || !n.ReadOnly {
		t.Fatalf("n = %+v", n)
	}
	for hdr, val := range map[string]string{HeaderToolsets: "repos,nope", HeaderTools: "rm_rf", HeaderReadOnly: "maybe"} {
		h := http.Header{}
		h.Set(hdr, val)
		if _, err := ParseNarrowing(h); err == nil {
			t.Errorf("%s: %q accepted", hdr, val)
		}
	}
	if n, err := ParseNarrowing(http.Header{}); err != nil || len(n.Toolsets)+len(n.Tools) != 0 || n.ReadOnly {
		t.Errorf("empty headers: %+v, %v", n, err)
	}
}

func TestFactoryCachesServers(t *testing.T) {
	e := newEnv(t, allWrite)
	a := e.factory.Server(Narrowing{Toolsets: []string{"repos"}})
	b := e.factory.Server(Narrowing{Toolsets: []string{"repos"}})
	c := e.factory.Server(Narrowing{Toolsets: []string{"issues"}})
	if a != b || a == c {
		t.Fatal("servers not cached per tool set")
	}
	if _, err := NewFactory(Options{Client: e.gh, Policy: Policy{Toolsets: []string{"nope"}}}); err == nil {
		t.Fatal("NewFactory accepted an invalid policy")
	}
	if _, err := NewFactory(Options{Policy: Policy{}}); err == nil {
		t.Fatal("NewFactory accepted a nil client")
	}
}

func TestToolMetadata(t *testing.T) {
	for _, tl := range Tools() {
		info := byName[tl.Name].info
		a := tl.Annotations
		if a == nil || a.ReadOnlyHint != info.ReadOnly || a.DestructiveHint == nil || *a.DestructiveHint != info.Destructive ||
			a.OpenWorldHint == nil || !*a.OpenWorldHint {
			t.Errorf("%s: annotations %+v do not match %+v", tl.Name, a, info)
		}
		if info.ReadOnly && info.Destructive {
			t.Errorf("%s: read-only and destructive", tl.Name)
		}
		if !slices.Contains(ToolsetNames(), info.Toolset) {
			t.Errorf("%s: unknown toolset %s", tl.Name, info.Toolset)
		}
		if tl.Description == "" || tl.Title == "" {
			t.Errorf("%s: missing description or title", tl.Name)
		}
	}
}

func TestFactoryServerIsSafeForConcurrentUse(t *testing.T) {
	e := newEnv(t, allWrite)
	narrowings := []Narrowing{{}, {ReadOnly: true}, {Toolsets: []string{"repos"}}, {Tools: []string{"get_me"}}}
	var wg sync.WaitGroup
	servers := make([][]*mcp.Server, 8)
	for g := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, n := range narrowings {
				servers[g] = append(servers[g], e.factory.Server(n))
			}
		}()
	}
	wg.Wait()
	for g := range servers {
		for i := range narrowings {
			if servers[g][i] != servers[0][i] {
				t.Fatalf("goroutine %d got a different server for %+v", g, narrowings[i])
			}
		}
	}
}

func TestFactoryAppliesMiddleware(t *testing.T) {
	e := newEnv(t, allWrite)
	var mu sync.Mutex
	var methods []string
	mw := func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			mu.Lock()
			methods = append(methods, method)
			mu.Unlock()
			return next(ctx, method, req)
		}
	}
	f, err := NewFactory(Options{Client: e.gh, Policy: allWrite, Middleware: []mcp.Middleware{mw}})
	if err != nil {
		t.Fatal(err)
	}
	e.factory = f
	call(t, e.memSession(t, Narrowing{}), "get_me", map[string]any{})
	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(methods, "tools/call") {
		t.Fatalf("middleware saw %v", methods)
	}
}
