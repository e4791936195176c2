package gitops

import (
	"os"
	"path/filepath"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/yaml"
)

// fixtureDir holds GitHubMCPServer objects in every state the operator
// reports; the Argo CD health test reads the same files.
const fixtureDir = "../../config/argocd/testdata"

func loadFixture(t *testing.T, name string) *unstructured.Unstructured {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	j, err := yaml.YAMLToJSON(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(j); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return u
}

// TestKstatus pins the kstatus result for each reported state. kstatus is
// what `kubectl wait`-style tooling, Flux (wait: true, healthChecks) and
// cli-utils appliers use to decide that a GitHubMCPServer has settled.
func TestKstatus(t *testing.T) {
	cases := []struct {
		fixture string
		want    status.Status
	}{
		{"healthy.yaml", status.CurrentStatus},
		{"progressing-rollout.yaml", status.InProgressStatus},
		{"progressing-generation.yaml", status.InProgressStatus},
		{"progressing-suspend-pending.yaml", status.InProgressStatus},
		{"degraded-stalled.yaml", status.FailedStatus},
		// kstatus checks status.observedGeneration before any condition, so a
		// stalled pass that leaves it behind reads as InProgress forever: the
		// operator must advance status.observedGeneration when it stalls.
		{"degraded-stalled-lagging.yaml", status.InProgressStatus},
		// Ready=False with reason Suspended and no Reconciling condition.
		{"suspended.yaml", status.InProgressStatus},
		// An object the operator has not touched yet has neither
		// observedGeneration nor conditions, and kstatus calls that Current.
		// Flux and kubectl wait --for=condition=Ready still wait for Ready.
		{"progressing-no-status.yaml", status.CurrentStatus},
	}
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			res, err := status.Compute(loadFixture(t, tc.fixture))
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.want {
				t.Errorf("kstatus %s (%s), want %s", res.Status, res.Message, tc.want)
			}
		})
	}
}
