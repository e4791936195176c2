package builders

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// DefaultGitHubHost is spec.github.host when unset.
const DefaultGitHubHost = "https://github.com"

// WithDefaults returns a copy of cr with the schema's defaults filled in. The
// apiserver applies them already; builders apply them again so that `render`
// on a hand-written file prints exactly what the cluster would get.
func WithDefaults(in *v1alpha1.GitHubMCPServer) *v1alpha1.GitHubMCPServer {
	cr := in.DeepCopy()
	s := &cr.Spec
	if s.Image == "" {
		s.Image = v1alpha1.DefaultImage
	}
	if s.Resources == nil {
		s.Resources = &corev1.ResourceRequirements{
			Requests: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("50m"), corev1.ResourceMemory: resource.MustParse("64Mi")},
			Limits:   corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("256Mi")},
		}
	}
	if s.GitHub.Host == "" {
		s.GitHub.Host = DefaultGitHubHost
	}
	if len(s.GitHub.Toolsets) == 0 {
		for _, t := range podcontract.DefaultToolsets {
			s.GitHub.Toolsets = append(s.GitHub.Toolsets, v1alpha1.Toolset(t))
		}
	}
	if s.GitHub.ReadOnly == nil {
		t := true
		s.GitHub.ReadOnly = &t
	}
	if s.Ingress != nil {
		if s.Ingress.Mode == "" {
			s.Ingress.Mode = v1alpha1.IngressModeTraefik
		}
		if s.Ingress.Path == "" {
			s.Ingress.Path = podcontract.DefaultMCPPath
		}
	}
	if s.NetworkPolicy == nil {
		s.NetworkPolicy = &v1alpha1.NetworkPolicySpec{}
	}
	np := s.NetworkPolicy
	if len(np.GitHubEgressCIDRs) == 0 {
		np.GitHubEgressCIDRs = append([]string(nil), v1alpha1.DefaultGitHubEgressCIDRs...)
	}
	if np.DNS == nil {
		np.DNS = v1alpha1.DefaultDNSPeer.DeepCopy()
	}
	if np.Monitoring == nil {
		np.Monitoring = v1alpha1.DefaultMonitoringPeer.DeepCopy()
	}
	if s.Audit == nil {
		s.Audit = &v1alpha1.AuditSpec{}
	}
	if s.Audit.Destination == "" {
		s.Audit.Destination = "stdout"
	}
	return cr
}

// TraefikPeer is the selector of the Traefik pods allowed to reach the MCP
// port, defaulted when spec.ingress or its traefik field is unset.
func TraefikPeer(cr *v1alpha1.GitHubMCPServer) v1alpha1.PeerSelector {
	if cr.Spec.Ingress != nil && cr.Spec.Ingress.Traefik != nil {
		return *cr.Spec.Ingress.Traefik.DeepCopy()
	}
	return *v1alpha1.DefaultTraefikPeer.DeepCopy()
}

// Exposed reports whether the server is published through Traefik.
func Exposed(cr *v1alpha1.GitHubMCPServer) bool {
	in := cr.Spec.Ingress
	return in != nil && in.Mode != v1alpha1.IngressModeDisabled && in.Host != ""
}

// PublicURL is https://host/path for an exposed server, "" otherwise.
func PublicURL(cr *v1alpha1.GitHubMCPServer) string {
	if !Exposed(cr) {
		return ""
	}
	p := cr.Spec.Ingress.Path
	if p == "" {
		p = podcontract.DefaultMCPPath
	}
	return (&url.URL{Scheme: "https", Host: cr.Spec.Ingress.Host, Path: p}).String()
}

// GitHubPort is the TCP port of spec.github.host (443 unless it names one).
func GitHubPort(cr *v1alpha1.GitHubMCPServer) (int32, error) {
	host := cr.Spec.GitHub.Host
	if host == "" {
		host = DefaultGitHubHost
	}
	u, err := url.Parse(host)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return 0, fmt.Errorf("spec.github.host %q is not an https URL", host)
	}
	if u.Port() == "" {
		return 443, nil
	}
	// ParseUint with bitSize 16 bounds the port, so the conversion is exact.
	p, err := strconv.ParseUint(u.Port(), 10, 16)
	if err != nil || p < 1 {
		return 0, fmt.Errorf("spec.github.host %q has an invalid port", host)
	}
	return int32(p), nil
}
