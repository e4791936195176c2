package v1alpha1_test

import (
	"os"
	"reflect"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

// TestGoDefaultsMatchTheCRD: the Go copies of the schema defaults (used by
// `render` on CRs that never met the apiserver) equal the CRD's defaults.
func TestGoDefaultsMatchTheCRD(t *testing.T) {
	data, err := os.ReadFile("../../config/crd/bases/mcp.githubmcp.dev_githubmcpservers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(data, crd); err != nil {
		t.Fatal(err)
	}
	spec := crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"]
	def := func(path ...string) []byte {
		s := spec
		for _, p := range path {
			s = s.Properties[p]
		}
		if s.Default == nil {
			t.Fatalf("no default at spec.%v", path)
		}
		return s.Default.Raw
	}
	var image string
	if err := yaml.Unmarshal(def("image"), &image); err != nil || image != v1alpha1.DefaultImage {
		t.Errorf("image default %q, Go %q", image, v1alpha1.DefaultImage)
	}
	var cidrs []string
	if err := yaml.Unmarshal(def("networkPolicy", "githubEgressCIDRs"), &cidrs); err != nil || !reflect.DeepEqual(cidrs, v1alpha1.DefaultGitHubEgressCIDRs) {
		t.Errorf("githubEgressCIDRs default %v, Go %v", cidrs, v1alpha1.DefaultGitHubEgressCIDRs)
	}
	for name, tc := range map[string]struct {
		path []string
		want v1alpha1.PeerSelector
	}{
		"traefik":    {[]string{"ingress", "traefik"}, v1alpha1.DefaultTraefikPeer},
		"dns":        {[]string{"networkPolicy", "dns"}, v1alpha1.DefaultDNSPeer},
		"monitoring": {[]string{"networkPolicy", "monitoring"}, v1alpha1.DefaultMonitoringPeer},
	} {
		var got v1alpha1.PeerSelector
		if err := yaml.UnmarshalStrict(def(tc.path...), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s default %+v, Go %+v", name, got, tc.want)
		}
	}
}
