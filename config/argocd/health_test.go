package argocd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

// healthKey is the argocd-cm key Argo CD looks up for our kind:
// resource.customizations.health.<group>_<kind>.
const healthKey = "resource.customizations.health.mcp.githubmcp.dev_GitHubMCPServer"

// health is Argo CD's HealthStatus: what a health script must return.
type health struct {
	Status  string
	Message string
}

// validStatuses are the codes Argo CD accepts; anything else it turns into
// Unknown with an "invalid health status" message.
var validStatuses = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true,
	"Suspended": true, "Missing": true, "Unknown": true,
}

// runHealth mirrors Argo CD's util/lua VM.ExecuteHealthLua: a state without
// the standard libraries except package, base and table (so the script must
// not use string, os or io), a one-second deadline, the object decoded into a
// global table named obj, and a returned table read as {status, message}.
func runHealth(script string, obj map[string]any) (health, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
	} {
		l.Push(l.NewFunction(lib.open))
		l.Push(lua.LString(lib.name))
		l.Call(1, 0)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", decode(l, obj))
	if err := l.DoString(script); err != nil {
		return health{}, err
	}
	ret, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return health{}, fmt.Errorf("health script returned %s, want a table", l.Get(-1).Type())
	}
	h := health{
		Status:  lua.LVAsString(ret.RawGetString("status")),
		Message: lua.LVAsString(ret.RawGetString("message")),
	}
	if !validStatuses[h.Status] {
		return health{}, fmt.Errorf("health script returned status %q, which Argo CD turns into Unknown", h.Status)
	}
	return h, nil
}

// decode is Argo CD's decodeValue: JSON-shaped Go values to Lua values.
func decode(l *lua.LState, v any) lua.LValue {
	switch v := v.(type) {
	case float64:
		return lua.LNumber(v)
	case int64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case bool:
		return lua.LBool(v)
	case []any:
		t := l.CreateTable(len(v), 0)
		for _, item := range v {
			t.Append(decode(l, item))
		}
		return t
	case map[string]any:
		t := l.CreateTable(0, len(v))
		for k, item := range v {
			t.RawSetH(lua.LString(k), decode(l, item))
		}
		return t
	}
	return lua.LNil
}

func readScript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("health.lua")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// loadFixture reads one GitHubMCPServer fixture from testdata.
func loadFixture(t *testing.T, name string) *unstructured.Unstructured {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{}
	j, err := yaml.YAMLToJSON(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := u.UnmarshalJSON(j); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return u
}

func TestHealthScript(t *testing.T) {
	script := readScript(t)
	cases := []struct {
		fixture, status, messageContains string
	}{
		{"healthy.yaml", "Healthy", "The server is ready."},
		{"progressing-rollout.yaml", "Progressing", "0 of 1 replicas are ready"},
		{"progressing-generation.yaml", "Progressing", "observe generation 3"},
		{"progressing-no-status.yaml", "Progressing", "report status"},
		{"progressing-suspend-pending.yaml", "Progressing", "observe generation 5"},
		{"degraded-stalled.yaml", "Degraded", "Secret mcp/github-token"},
		{"degraded-stalled-lagging.yaml", "Degraded", "both token and app"},
		{"suspended.yaml", "Suspended", "spec.suspend is true"},
	}
	seen := map[string]bool{}
	for _, tc := range cases {
		seen[tc.fixture] = true
		t.Run(tc.fixture, func(t *testing.T) {
			got, err := runHealth(script, loadFixture(t, tc.fixture).Object)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != tc.status || !strings.Contains(got.Message, tc.messageContains) {
				t.Errorf("got %s %q, want %s with a message containing %q", got.Status, got.Message, tc.status, tc.messageContains)
			}
		})
	}
	// A fixture without an expectation is a test someone forgot to write.
	files, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("fixture %s has no case in TestHealthScript", f)
		}
	}
}

// Objects Argo CD can hand the script that no fixture covers: the script
// must still return a valid status, never raise a Lua error (which Argo CD
// shows as a failed health check).
func TestHealthScriptOddObjects(t *testing.T) {
	script := readScript(t)
	for name, obj := range map[string]map[string]any{
		"empty":              {},
		"no metadata":        {"status": map[string]any{"observedGeneration": int64(1)}},
		"conditions not set": {"metadata": map[string]any{"generation": int64(1)}, "status": map[string]any{"observedGeneration": int64(1)}},
		"condition without message": {
			"metadata": map[string]any{"generation": int64(1)},
			"status": map[string]any{"observedGeneration": int64(1), "conditions": []any{
				map[string]any{"type": "Stalled", "status": "True", "reason": "X"},
			}},
		},
		"float generations": {
			"metadata": map[string]any{"generation": float64(2)},
			"status": map[string]any{"observedGeneration": float64(2), "conditions": []any{
				map[string]any{"type": "Ready", "status": "True", "message": "ok"},
			}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := runHealth(script, obj)
			if err != nil {
				t.Fatal(err)
			}
			if got.Message == "" {
				t.Errorf("status %s has an empty message", got.Status)
			}
		})
	}
}

// The argocd-cm snippet must carry health.lua verbatim: users copy the
// snippet, tests run the file.
func TestConfigMapSnippetMatchesScript(t *testing.T) {
	b, err := os.ReadFile("argocd-cm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cm struct {
		APIVersion string
		Kind       string
		Metadata   struct {
			Name, Namespace string
			Labels          map[string]string
		}
		Data map[string]string
	}
	if err := yaml.UnmarshalStrict(b, &cm); err != nil {
		t.Fatal(err)
	}
	if cm.APIVersion != "v1" || cm.Kind != "ConfigMap" || cm.Metadata.Name != "argocd-cm" {
		t.Fatalf("argocd-cm.yaml is a %s named %q, want the ConfigMap argocd-cm", cm.Kind, cm.Metadata.Name)
	}
	got, ok := cm.Data[healthKey]
	if !ok {
		t.Fatalf("argocd-cm.yaml has no key %s", healthKey)
	}
	if want := readScript(t); got != want {
		t.Errorf("the script under %s differs from health.lua; regenerate the snippet", healthKey)
	}
}
