package controllers_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// TestSamplesAndTheirRenderAreValid: every document of config/samples is
// accepted by the real apiserver (server-side dry run, strict), and so is
// every object the builders make from each sample CR, edge objects included
// (the Traefik and cert-manager CRDs are installed here).
func TestSamplesAndTheirRenderAreValid(t *testing.T) {
	ns := newNamespace(t)
	files, err := filepath.Glob(filepath.Join(env.Root, "config", "samples", "mcp_v1alpha1_*.yaml"))
	if err != nil || len(files) < 2 {
		t.Fatalf("want one sample per auth mode, got %v", files)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var crs int
			for _, u := range readDocs(t, f) {
				u.SetNamespace(ns)
				if err := k8s.Create(ctx, u.DeepCopy(), client.DryRunAll); err != nil {
					t.Errorf("%s %s: %v", u.GetKind(), u.GetName(), err)
				}
				if u.GetKind() != "GitHubMCPServer" {
					continue
				}
				crs++
				cr := &v1alpha1.GitHubMCPServer{}
				if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, cr); err != nil {
					t.Fatal(err)
				}
				cr.UID = "00000000-0000-0000-0000-00000000000a"
				objs, err := builders.Desired(cr, builders.Inputs{Features: builders.Features{Traefik: true, CertManager: true, ServiceMonitor: true}})
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range objs {
					a, err := controllers.ToApplyObject(o)
					if err != nil {
						t.Fatal(err)
					}
					a.SetOwnerReferences(nil) // the CR is not stored
					if a.GetNamespace() == "" && a.GetKind() != "ClusterIssuer" {
						t.Errorf("%s %s has no namespace", a.GetKind(), a.GetName())
					}
					if err := k8s.Create(ctx, a, client.DryRunAll); err != nil {
						t.Errorf("rendered %s %s is rejected: %v", a.GetKind(), a.GetName(), err)
					}
				}
			}
			if crs != 1 {
				t.Errorf("want one GitHubMCPServer per sample file, got %d", crs)
			}
		})
	}
}

func readDocs(t *testing.T, path string) []*unstructured.Unstructured {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	yr := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var out []*unstructured.Unstructured
	for {
		doc, err := yr.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		u := &unstructured.Unstructured{}
		if err := utilyaml.Unmarshal(doc, &u.Object); err != nil {
			t.Fatal(err)
		}
		if len(u.Object) > 0 {
			out = append(out, u)
		}
	}
}
