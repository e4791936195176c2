package builders

import (
	"fmt"
	"net/netip"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// NetworkPolicies isolate the instance's pods: a default deny for ingress and
// egress, then narrow allows. Kept as separate objects so the default deny
// stays in place even if an allow policy is edited or fails to apply.
func NetworkPolicies(cr *v1alpha1.GitHubMCPServer) ([]*networkingv1.NetworkPolicy, error) {
	cr = WithDefaults(cr)
	egress, err := egressPolicy(cr)
	if err != nil {
		return nil, err
	}
	return []*networkingv1.NetworkPolicy{denyAllPolicy(cr), ingressPolicy(cr), egress}, nil
}

func netpol(cr *v1alpha1.GitHubMCPServer, name string, types ...networkingv1.PolicyType) *networkingv1.NetworkPolicy {
	return &networkingv1.NetworkPolicy{
		TypeMeta:   metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy"},
		ObjectMeta: ObjectMeta(cr, name),
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: SelectorLabels(cr)},
			PolicyTypes: types,
		},
	}
}

func denyAllPolicy(cr *v1alpha1.GitHubMCPServer) *networkingv1.NetworkPolicy {
	return netpol(cr, DenyAllPolicyName(cr), networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress)
}

// ingressPolicy admits the MCP port from Traefik only and the metrics port
// from the monitoring selector only.
func ingressPolicy(cr *v1alpha1.GitHubMCPServer) *networkingv1.NetworkPolicy {
	np := netpol(cr, IngressPolicyName(cr), networkingv1.PolicyTypeIngress)
	np.Spec.Ingress = []networkingv1.NetworkPolicyIngressRule{
		{From: []networkingv1.NetworkPolicyPeer{peer(TraefikPeer(cr))}, Ports: []networkingv1.NetworkPolicyPort{tcp(pc.MCPPort)}},
		{From: []networkingv1.NetworkPolicyPeer{peer(*cr.Spec.NetworkPolicy.Monitoring)}, Ports: []networkingv1.NetworkPolicyPort{tcp(pc.MetricsPort)}},
	}
	return np
}

// egressPolicy lets the pods resolve names (UDP and TCP 53, the DNS peer
// only) and reach GitHub's CIDRs on the GitHub port. NetworkPolicy has no
// domain names, hence CIDRs.
func egressPolicy(cr *v1alpha1.GitHubMCPServer) (*networkingv1.NetworkPolicy, error) {
	port, err := GitHubPort(cr)
	if err != nil {
		return nil, err
	}
	var github []networkingv1.NetworkPolicyPeer
	for _, c := range cr.Spec.NetworkPolicy.GitHubEgressCIDRs {
		p, err := netip.ParsePrefix(c)
		if err != nil {
			return nil, fmt.Errorf("spec.networkPolicy.githubEgressCIDRs: %q is not a CIDR", c)
		}
		github = append(github, networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: p.Masked().String()}})
	}
	np := netpol(cr, EgressPolicyName(cr), networkingv1.PolicyTypeEgress)
	np.Spec.Egress = []networkingv1.NetworkPolicyEgressRule{
		{
			To: []networkingv1.NetworkPolicyPeer{peer(*cr.Spec.NetworkPolicy.DNS)},
			Ports: []networkingv1.NetworkPolicyPort{
				{Protocol: ptr.To(corev1.ProtocolUDP), Port: ptr.To(intstr.FromInt32(53))},
				{Protocol: ptr.To(corev1.ProtocolTCP), Port: ptr.To(intstr.FromInt32(53))},
			},
		},
		{To: github, Ports: []networkingv1.NetworkPolicyPort{tcp(port)}},
	}
	return np, nil
}

func peer(p v1alpha1.PeerSelector) networkingv1.NetworkPolicyPeer {
	ns := p.NamespaceSelector.DeepCopy()
	np := networkingv1.NetworkPolicyPeer{NamespaceSelector: ns}
	if p.PodSelector != nil {
		np.PodSelector = p.PodSelector.DeepCopy()
	}
	return np
}

func tcp(port int32) networkingv1.NetworkPolicyPort {
	return networkingv1.NetworkPolicyPort{Protocol: ptr.To(corev1.ProtocolTCP), Port: ptr.To(intstr.FromInt32(port))}
}
