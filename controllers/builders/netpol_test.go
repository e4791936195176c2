package builders_test

import (
	"testing"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// TestNetworkPolicyInvariants pins, for every fixture, what golden files
// only show: a rule without peers or without ports lets everything through,
// so every rule must name both; DNS is allowed on UDP and TCP 53 to the DNS
// peer only; GitHub only on its port, to CIDRs only; the MCP port only from
// Traefik and the metrics port only from the monitoring peer.
func TestNetworkPolicyInvariants(t *testing.T) {
	for name, cr := range fixtures() {
		t.Run(name, func(t *testing.T) {
			nps, err := builders.NetworkPolicies(cr)
			if err != nil {
				t.Fatal(err)
			}
			d := builders.WithDefaults(cr)
			sel := builders.SelectorLabels(cr)
			for _, np := range nps {
				if len(np.Spec.PodSelector.MatchLabels) != len(sel) || np.Spec.PodSelector.MatchLabels[builders.LabelInstance] != cr.Name {
					t.Errorf("%s selects %v, want exactly the instance's pods %v", np.Name, np.Spec.PodSelector.MatchLabels, sel)
				}
				for i, r := range np.Spec.Ingress {
					if len(r.From) == 0 || len(r.Ports) == 0 {
						t.Errorf("%s ingress rule %d has no peers or no ports: it admits everything", np.Name, i)
					}
				}
				for i, r := range np.Spec.Egress {
					if len(r.To) == 0 || len(r.Ports) == 0 {
						t.Errorf("%s egress rule %d has no peers or no ports: it allows everything", np.Name, i)
					}
				}
			}
			ing, eg := nps[1], nps[2]
			wantIngress := map[int32]v1alpha1.PeerSelector{pc.MCPPort: builders.TraefikPeer(d), pc.MetricsPort: *d.Spec.NetworkPolicy.Monitoring}
			if len(ing.Spec.Ingress) != len(wantIngress) {
				t.Fatalf("ingress rules %+v, want one for the MCP port and one for metrics", ing.Spec.Ingress)
			}
			for _, r := range ing.Spec.Ingress {
				port := onlyTCPPort(t, r.Ports)
				want, ok := wantIngress[port]
				if !ok || len(r.From) != 1 || !samePeer(r.From[0], want) {
					t.Errorf("ingress to port %d from %+v, want only from %+v", port, r.From, want)
				}
			}
			if len(eg.Spec.Egress) != 2 {
				t.Fatalf("egress rules %+v, want DNS and GitHub only", eg.Spec.Egress)
			}
			dns := eg.Spec.Egress[0]
			if len(dns.To) != 1 || !samePeer(dns.To[0], *d.Spec.NetworkPolicy.DNS) {
				t.Errorf("DNS egress to %+v, want only the DNS peer", dns.To)
			}
			protos := map[corev1.Protocol]bool{}
			for _, p := range dns.Ports {
				if p.Port == nil || p.Port.IntVal != 53 || p.Protocol == nil {
					t.Errorf("DNS port %+v, want 53", p)
					continue
				}
				protos[*p.Protocol] = true
			}
			if len(protos) != 2 || !protos[corev1.ProtocolUDP] || !protos[corev1.ProtocolTCP] {
				t.Errorf("DNS protocols %v, want UDP and TCP", protos)
			}
			gh := eg.Spec.Egress[1]
			port, err := builders.GitHubPort(d)
			if err != nil {
				t.Fatal(err)
			}
			if got := onlyTCPPort(t, gh.Ports); got != port {
				t.Errorf("GitHub egress on port %d, want %d", got, port)
			}
			if len(gh.To) != len(d.Spec.NetworkPolicy.GitHubEgressCIDRs) {
				t.Errorf("GitHub egress peers %+v, want one per CIDR %v", gh.To, d.Spec.NetworkPolicy.GitHubEgressCIDRs)
			}
			for _, p := range gh.To {
				if p.IPBlock == nil || p.PodSelector != nil || p.NamespaceSelector != nil || len(p.IPBlock.Except) != 0 {
					t.Errorf("GitHub egress peer %+v, want a plain CIDR", p)
				}
			}
		})
	}
}

func onlyTCPPort(t *testing.T, ports []networkingv1.NetworkPolicyPort) int32 {
	t.Helper()
	if len(ports) != 1 || ports[0].Port == nil || ports[0].Protocol == nil || *ports[0].Protocol != corev1.ProtocolTCP || ports[0].EndPort != nil {
		t.Errorf("ports %+v, want exactly one TCP port", ports)
		return -1
	}
	return ports[0].Port.IntVal
}

func samePeer(p networkingv1.NetworkPolicyPeer, want v1alpha1.PeerSelector) bool {
	if p.IPBlock != nil || p.NamespaceSelector == nil || !equalLabels(p.NamespaceSelector.MatchLabels, want.NamespaceSelector.MatchLabels) {
		return false
	}
	if want.PodSelector == nil {
		return p.PodSelector == nil
	}
	return p.PodSelector != nil && equalLabels(p.PodSelector.MatchLabels, want.PodSelector.MatchLabels)
}

func equalLabels(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
