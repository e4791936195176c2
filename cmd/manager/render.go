package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// maxRenderInput bounds what render reads: CRs are small.
const maxRenderInput = 4 << 20

// runRender prints, as a YAML stream, every object the operator would apply
// for each GitHubMCPServer in the input, through the very builders the
// reconciler uses. It needs no cluster. Other kinds in the input (such as
// the Secrets of the samples) are skipped.
func runRender(args []string, stdin io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	file := fs.String("f", "", "File with GitHubMCPServer objects (YAML, several documents allowed); - reads stdin.")
	traefik := fs.Bool("enable-traefik", true, "Render as if the Traefik CRDs were installed.")
	certManager := fs.Bool("enable-cert-manager", true, "Render as if the cert-manager CRDs were installed.")
	serviceMonitor := fs.Bool("enable-service-monitor", false, "Render as if the prometheus-operator CRDs were installed.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" || fs.NArg() > 0 {
		return errors.New("usage: manager render -f cr.yaml")
	}
	in := stdin
	if *file != "-" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	crs, err := readCRs(io.LimitReader(in, maxRenderInput))
	if err != nil {
		return err
	}
	inputs := builders.Inputs{Features: builders.Features{Traefik: *traefik, CertManager: *certManager, ServiceMonitor: *serviceMonitor}}
	return render(crs, inputs, out)
}

// readCRs decodes every GitHubMCPServer of a YAML stream, strictly: an
// unknown field is an error, as it is for the apiserver.
func readCRs(r io.Reader) ([]*v1alpha1.GitHubMCPServer, error) {
	yr := utilyaml.NewYAMLReader(bufio.NewReader(r))
	var crs []*v1alpha1.GitHubMCPServer
	for i := 1; ; i++ {
		doc, err := yr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		var tm struct{ APIVersion, Kind string }
		if err := yaml.Unmarshal(doc, &tm); err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		if tm.Kind != "GitHubMCPServer" {
			continue
		}
		if tm.APIVersion != v1alpha1.GroupVersion.String() {
			return nil, fmt.Errorf("document %d: apiVersion %q, want %s", i, tm.APIVersion, v1alpha1.GroupVersion)
		}
		cr := &v1alpha1.GitHubMCPServer{}
		if err := yaml.UnmarshalStrict(doc, cr); err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		if cr.Name == "" {
			return nil, fmt.Errorf("document %d: metadata.name is required", i)
		}
		if cr.Namespace == "" {
			cr.Namespace = "default"
		}
		crs = append(crs, cr)
	}
	if len(crs) == 0 {
		return nil, errors.New("no GitHubMCPServer in the input")
	}
	return crs, nil
}

func render(crs []*v1alpha1.GitHubMCPServer, in builders.Inputs, out io.Writer) error {
	for _, cr := range crs {
		objs, err := builders.Desired(cr, in)
		if err != nil {
			return fmt.Errorf("%s/%s: %w", cr.Namespace, cr.Name, err)
		}
		for _, o := range objs {
			u, err := controllers.ToApplyObject(o)
			if err != nil {
				return err
			}
			b, err := yaml.Marshal(u.Object)
			if err != nil {
				return err
			}
			if _, err := fmt.Fprintf(out, "---\n%s", b); err != nil {
				return err
			}
		}
	}
	return nil
}
