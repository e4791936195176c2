package argocd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

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
	got, ok := cm.Data[HealthKey]
	if !ok {
		t.Fatalf("argocd-cm.yaml has no key %s", HealthKey)
	}
	if want := readScript(t); got != want {
		t.Errorf("the script under %s differs from health.lua; regenerate the snippet", HealthKey)
	}
}
