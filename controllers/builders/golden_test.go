package builders_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// inputs are the facts a reconcile would observe: a version of each mounted
// Secret's content.
var inputs = builders.Inputs{SecretVersions: map[string]string{"github-pat": "101", "mcp-api-keys": "202", "github-app": "303"}}

// TestGolden pins, for each fixture, each builder's output as YAML. Run with
// -update after an intended change and review the diff.
func TestGolden(t *testing.T) {
	cases := map[string]*v1alpha1.GitHubMCPServer{"token": tokenCR(), "app": appCR(), "suspended": suspendedCR()}
	for name, cr := range cases {
		t.Run(name, func(t *testing.T) {
			nps, err := builders.NetworkPolicies(cr)
			if err != nil {
				t.Fatal(err)
			}
			d, err := builders.Deployment(cr, inputs)
			if err != nil {
				t.Fatal(err)
			}
			perBuilder := map[string][]client.Object{
				"serviceaccount":  {builders.ServiceAccount(cr)},
				"service":         {builders.Service(cr)},
				"networkpolicies": {nps[0], nps[1], nps[2]},
				"deployment":      {d},
			}
			sm, err := builders.ServiceMonitor(cr)
			if err != nil {
				t.Fatal(err)
			}
			perBuilder["servicemonitor"] = []client.Object{sm}
			if pdb := builders.PodDisruptionBudget(cr); pdb != nil {
				perBuilder["poddisruptionbudget"] = []client.Object{pdb}
			}
			for builder, objs := range perBuilder {
				compareGolden(t, filepath.Join("testdata", name, builder+".golden.yaml"), toYAML(t, objs))
			}
		})
	}
}

// toYAML renders objects as a multi-document YAML, exactly as the operator
// applies them (controllers.ToApplyObject: no status, no null timestamps).
func toYAML(t *testing.T, objs []client.Object) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, o := range objs {
		u, err := controllers.ToApplyObject(o)
		if err != nil {
			t.Fatal(err)
		}
		b, err := yaml.Marshal(u.Object)
		if err != nil {
			t.Fatal(err)
		}
		buf.WriteString("---\n")
		buf.Write(b)
	}
	return buf.Bytes()
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test -update to create it): %v", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (-want +got); run go test ./controllers/builders -update if intended:\n%s", path, d)
	}
}
