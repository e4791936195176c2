package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// DefaultGitHubEgressCIDRs are the ranges GitHub publishes for its API and
// git endpoints (the "api" and "git" lists of https://api.github.com/meta, as
// of this release). GitHub changes them from time to time: users must keep
// spec.networkPolicy.githubEgressCIDRs current for their GitHub (and set them
// for a GitHub Enterprise Server). Keep equal to the default marker below.
var DefaultGitHubEgressCIDRs = []string{
	"140.82.112.0/20",
	"143.55.64.0/20",
	"185.199.108.0/22",
	"192.30.252.0/22",
	"2a0a:a440::/29",
	"2606:50c0::/32",
}

// NetworkPolicySpec tunes the NetworkPolicies around the server pods. The
// pods always get a default deny (ingress and egress); these fields say what
// is let through.
type NetworkPolicySpec struct {
	// githubEgressCIDRs are the only addresses the pods may reach on TCP 443.
	// The default is GitHub's published api and git ranges; keep them
	// current, and replace them for GitHub Enterprise Server.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=128
	// +kubebuilder:validation:items:MaxLength=43
	// +kubebuilder:validation:items:XValidation:rule="isCIDR(self) && cidr(self) == cidr(self).masked()",message="spec.networkPolicy.githubEgressCIDRs entries must be CIDRs with no host bits set, e.g. 140.82.112.0/20"
	// +kubebuilder:validation:XValidation:rule="!self.exists(c, c == '0.0.0.0/0' || c == '::/0')",message="spec.networkPolicy.githubEgressCIDRs must not allow the whole internet"
	// +kubebuilder:default={"140.82.112.0/20","143.55.64.0/20","185.199.108.0/22","192.30.252.0/22","2a0a:a440::/29","2606:50c0::/32"}
	GitHubEgressCIDRs []string `json:"githubEgressCIDRs,omitempty"`

	// dns selects the DNS servers the pods may query on UDP and TCP 53. The
	// default is the kube-dns pods in kube-system.
	// +optional
	// +kubebuilder:default={namespaceSelector:{matchLabels:{"kubernetes.io/metadata.name":"kube-system"}},podSelector:{matchLabels:{"k8s-app":"kube-dns"}}}
	DNS *PeerSelector `json:"dns,omitempty"`

	// monitoring selects who may scrape the metrics port. The default is
	// every pod in the namespace named monitoring.
	// +optional
	// +kubebuilder:default={namespaceSelector:{matchLabels:{"kubernetes.io/metadata.name":"monitoring"}}}
	Monitoring *PeerSelector `json:"monitoring,omitempty"`
}

// Default peers, used when a field is unset (for instance by `render` on a
// CR that has not been through the apiserver's defaulting).
var (
	DefaultTraefikPeer = PeerSelector{
		NamespaceSelector: metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "traefik"}},
		PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": "traefik"}},
	}
	DefaultDNSPeer = PeerSelector{
		NamespaceSelector: metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "kube-system"}},
		PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"k8s-app": "kube-dns"}},
	}
	DefaultMonitoringPeer = PeerSelector{
		NamespaceSelector: metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "monitoring"}},
	}
)
