package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	"sigs.k8s.io/yaml"
)

func samples(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../config/samples/mcp_v1alpha1_*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("want the PAT and App samples, got %v (%v)", files, err)
	}
	return files
}

// TestRenderSamples: render prints, for each sample, exactly what
// builders.Desired returns, as valid YAML documents.
func TestRenderSamples(t *testing.T) {
	for _, f := range samples(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var out bytes.Buffer
			if err := runRender([]string{"-f", f}, nil, &out); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			crs, err := readCRs(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			want, err := builders.Desired(crs[0], builders.Inputs{Features: builders.Features{Traefik: true, CertManager: true}})
			if err != nil {
				t.Fatal(err)
			}
			docs := strings.Split(strings.TrimPrefix(out.String(), "---\n"), "\n---\n")
			if len(docs) != len(want) {
				t.Fatalf("render printed %d objects, the builders build %d", len(docs), len(want))
			}
			for i, d := range docs {
				var m struct {
					APIVersion, Kind string
					Metadata         struct{ Name, Namespace string }
				}
				if err := yaml.Unmarshal([]byte(d), &m); err != nil {
					t.Fatalf("document %d: %v", i, err)
				}
				gvk := want[i].GetObjectKind().GroupVersionKind()
				if m.Kind != gvk.Kind || m.Metadata.Name != want[i].GetName() || m.Metadata.Namespace != "default" {
					t.Errorf("document %d is %s %s/%s, want %s %s", i, m.Kind, m.Metadata.Namespace, m.Metadata.Name, gvk.Kind, want[i].GetName())
				}
				if strings.Contains(d, "creationTimestamp") || strings.Contains(d, "status:") {
					t.Errorf("document %d carries fields the operator does not apply", i)
				}
			}
		})
	}
}

func TestRenderRejectsBadInput(t *testing.T) {
	for name, tc := range map[string]struct {
		args  []string
		input string
	}{
		"no -f":         {nil, ""},
		"no CR":         {[]string{"-f", "-"}, "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n"},
		"unknown field": {[]string{"-f", "-"}, "apiVersion: mcp.githubmcp.dev/v1alpha1\nkind: GitHubMCPServer\nmetadata: {name: x}\nspec: {bogus: 1}\n"},
		"wrong version": {[]string{"-f", "-"}, "apiVersion: mcp.githubmcp.dev/v9\nkind: GitHubMCPServer\nmetadata: {name: x}\n"},
		"no name":       {[]string{"-f", "-"}, "apiVersion: mcp.githubmcp.dev/v1alpha1\nkind: GitHubMCPServer\nspec: {}\n"},
		"no auth":       {[]string{"-f", "-"}, "apiVersion: mcp.githubmcp.dev/v1alpha1\nkind: GitHubMCPServer\nmetadata: {name: x}\nspec: {clientAuth: {mode: none}, github: {auth: {}}}\n"},
		"not YAML":      {[]string{"-f", "-"}, "kind: [\n"},
		"missing file":  {[]string{"-f", "/does/not/exist.yaml"}, ""},
	} {
		var out bytes.Buffer
		if err := runRender(tc.args, strings.NewReader(tc.input), &out); err == nil {
			t.Errorf("%s: want an error, got output %q", name, out.String())
		}
	}
}

func TestParseFlags(t *testing.T) {
	s, err := parseFlags([]string{"--watch-namespaces=a, b", "--enable-traefik=false"})
	if err != nil || s.features.Traefik != "false" || len(splitList(s.watchNamespaces)) != 2 {
		t.Fatalf("parseFlags = %+v, %v", s, err)
	}
	if _, err := parseFlags([]string{"--enable-traefik=maybe"}); err == nil {
		t.Errorf("a tri-state flag must reject other values")
	}
	if _, err := parseFlags([]string{"stray"}); err == nil {
		t.Errorf("stray arguments must be an error")
	}
}
