package platform

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// TestREADMESamplesAreValid: every GitHubMCPServer shown in the README and
// the user docs is accepted by the real apiserver with strict field
// validation, so the documentation cannot drift from the schema.
func TestREADMESamplesAreValid(t *testing.T) {
	docs, err := filepath.Glob(filepath.Join(env.Root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, filepath.Join(env.Root, "README.md"))
	ctx := context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "docs-"}}
	if err := env.Client.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = env.Client.Delete(ctx, ns) }()

	found := 0
	for _, doc := range docs {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range yamlBlock.FindAllStringSubmatch(string(data), -1) {
			for _, part := range strings.Split(m[1], "\n---\n") {
				if !strings.Contains(part, "kind: GitHubMCPServer") || !strings.Contains(part, "spec:") {
					continue
				}
				found++
				u := &unstructured.Unstructured{}
				if err := yaml.Unmarshal([]byte(part), &u.Object); err != nil {
					t.Errorf("%s block %d: not YAML: %v", filepath.Base(doc), i, err)
					continue
				}
				u.SetNamespace(ns.Name)
				if err := env.Client.Create(ctx, u, client.DryRunAll); err != nil {
					t.Errorf("%s block %d (%s): rejected by the apiserver: %v", filepath.Base(doc), i, u.GetName(), err)
				}
			}
		}
	}
	if found < 2 {
		t.Fatalf("found %d GitHubMCPServer samples in README.md and docs/; the README must show at least one", found)
	}
}
