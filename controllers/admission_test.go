package controllers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// mutation turns the valid tokenCR into a variant.
type mutation func(cr *v1alpha1.GitHubMCPServer)

func exposed(host string) mutation {
	return func(cr *v1alpha1.GitHubMCPServer) {
		cr.Spec.Ingress = &v1alpha1.IngressSpec{Mode: v1alpha1.IngressModeTraefik, Host: host}
	}
}

func oidc(issuer string) mutation {
	return func(cr *v1alpha1.GitHubMCPServer) {
		cr.Spec.ClientAuth = v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthOIDC, OIDC: &v1alpha1.OIDCSpec{Issuer: issuer}}
	}
}

func appAuth(cr *v1alpha1.GitHubMCPServer) {
	cr.Spec.GitHub.Auth = v1alpha1.GitHubAuth{App: &v1alpha1.AppAuth{AppID: 1, InstallationID: 2, PrivateKeySecretRef: v1alpha1.SecretKeyRef{Name: "app", Key: "key.pem"}}}
}

// TestCELRules: every CEL rule of the CRD, once satisfied and once broken,
// against the real apiserver. The broken case must be rejected with a
// message naming the field.
func TestCELRules(t *testing.T) {
	ns := newNamespace(t)
	for _, tc := range []struct {
		rule    string
		valid   mutation
		invalid mutation
		message string
	}{
		{"metadata.name length", func(cr *v1alpha1.GitHubMCPServer) { cr.Name = strings.Repeat("a", 40) },
			func(cr *v1alpha1.GitHubMCPServer) { cr.Name = strings.Repeat("a", 41) }, "metadata.name must be a DNS-1035 label"},
		{"metadata.name DNS-1035", func(cr *v1alpha1.GitHubMCPServer) { cr.Name = "a-1" },
			func(cr *v1alpha1.GitHubMCPServer) { cr.Name = "1-a" }, "metadata.name must be a DNS-1035 label"},
		{"exactly one auth (both)", appAuth,
			func(cr *v1alpha1.GitHubMCPServer) {
				appAuth(cr)
				cr.Spec.GitHub.Auth.Token = tokenCR("", "").Spec.GitHub.Auth.Token
			},
			"spec.github.auth must set exactly one of token and app"},
		{"exactly one auth (none)", appAuth,
			func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth = v1alpha1.GitHubAuth{} }, "spec.github.auth must set exactly one"},
		{"github.host https", func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Host = "https://ghe.example.com" },
			func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Host = "http://ghe.example.com" }, "spec.github.host"},
		{"tools allow/deny disjoint",
			func(cr *v1alpha1.GitHubMCPServer) {
				cr.Spec.GitHub.Tools = &v1alpha1.ToolFilter{Allow: []v1alpha1.ToolName{"issue_read"}, Deny: []v1alpha1.ToolName{"issue_write"}}
			},
			func(cr *v1alpha1.GitHubMCPServer) {
				cr.Spec.GitHub.Tools = &v1alpha1.ToolFilter{Allow: []v1alpha1.ToolName{"issue_read"}, Deny: []v1alpha1.ToolName{"issue_read"}}
			}, "spec.github.tools: a tool must not be in both allow and deny"},
		{"secret key not '..'", func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Key = ".token" },
			func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Key = ".." }, "must not be '.' or start with '..'"},
		{"image tag or digest", func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.Image = "ghcr.io/x/y@sha256:" + strings.Repeat("a", 64)
		}, func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Image = "ghcr.io/x/y" }, "spec.image must carry a tag or a sha256 digest"},
		{"ingress host required", exposed("mcp.example.com"),
			func(cr *v1alpha1.GitHubMCPServer) {
				cr.Spec.Ingress = &v1alpha1.IngressSpec{Mode: v1alpha1.IngressModeTraefik}
			},
			"spec.ingress.host is required when spec.ingress.mode is Traefik"},
		{"ingress path segments", func(cr *v1alpha1.GitHubMCPServer) { exposed("a.example.com")(cr); cr.Spec.Ingress.Path = "/a.b/mcp" },
			func(cr *v1alpha1.GitHubMCPServer) {
				exposed("a.example.com")(cr)
				cr.Spec.Ingress.Path = "/mcp/../admin"
			},
			"spec.ingress.path must not contain"},
		{"namespaceSelector not empty", func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{DNS: &v1alpha1.PeerSelector{NamespaceSelector: metav1.LabelSelector{MatchLabels: map[string]string{"a": "b"}}}}
		}, func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{DNS: &v1alpha1.PeerSelector{}}
		}, "namespaceSelector must not be empty"},
		{"egress CIDRs are CIDRs", func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{GitHubEgressCIDRs: []string{"10.0.0.0/8"}}
		}, func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{GitHubEgressCIDRs: []string{"10.0.0.1/8"}}
		}, "spec.networkPolicy.githubEgressCIDRs entries must be CIDRs"},
		{"egress not the internet", func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{GitHubEgressCIDRs: []string{"0.0.0.0/1"}}
		}, func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{GitHubEgressCIDRs: []string{"::/0"}}
		}, "must not allow the whole internet"},
		{"oidc needs oidc", oidc("https://issuer.example.com"),
			func(cr *v1alpha1.GitHubMCPServer) {
				cr.Spec.ClientAuth = v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthOIDC}
			},
			"spec.clientAuth.oidc is required"},
		{"apiKeys needs a Secret", func(cr *v1alpha1.GitHubMCPServer) {},
			func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.ClientAuth.APIKeysSecretRef = nil }, "spec.clientAuth.apiKeysSecretRef is required"},
		{"oidc only with oidc", func(cr *v1alpha1.GitHubMCPServer) {},
			func(cr *v1alpha1.GitHubMCPServer) {
				cr.Spec.ClientAuth.OIDC = &v1alpha1.OIDCSpec{Issuer: "https://i.example.com"}
			},
			"spec.clientAuth.oidc is only allowed"},
		{"apiKeys only with apiKeys", oidc("https://issuer.example.com"),
			func(cr *v1alpha1.GitHubMCPServer) {
				oidc("https://issuer.example.com")(cr)
				cr.Spec.ClientAuth.APIKeysSecretRef = &v1alpha1.SecretKeyRef{Name: "k", Key: "k"}
			}, "spec.clientAuth.apiKeysSecretRef is only allowed"},
		{"oidc issuer https", oidc("https://issuer.example.com/realms/a"), oidc("http://issuer.example.com"), "spec.clientAuth.oidc.issuer must be an https URL"},
		{"none only when not published", func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.ClientAuth = v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthNone}
			cr.Spec.Ingress = &v1alpha1.IngressSpec{Mode: v1alpha1.IngressModeDisabled}
		}, func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.ClientAuth = v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthNone}
			exposed("mcp.example.com")(cr)
		}, "spec.clientAuth.mode none is only allowed"},
		{"trusted proxies are CIDRs", func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.HTTP = &v1alpha1.HTTPSpec{TrustedProxies: []string{"10.1.2.3/32"}}
		},
			func(cr *v1alpha1.GitHubMCPServer) {
				cr.Spec.HTTP = &v1alpha1.HTTPSpec{TrustedProxies: []string{"10.1.2.3"}}
			}, "spec.http.trustedProxies entries must be CIDRs"},
		{"deny CIDRs are CIDRs", func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.Bans = &v1alpha1.BanSpec{DenyCIDRs: []string{"2001:db8::/32"}}
		},
			func(cr *v1alpha1.GitHubMCPServer) {
				cr.Spec.Bans = &v1alpha1.BanSpec{DenyCIDRs: []string{"evil.example.com"}}
			}, "spec.bans.denyCIDRs entries must be CIDRs"},
		{"ban duration <= max", func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.Bans = &v1alpha1.BanSpec{Duration: "10m", MaxDuration: "1h"}
		},
			func(cr *v1alpha1.GitHubMCPServer) {
				cr.Spec.Bans = &v1alpha1.BanSpec{Duration: "2h", MaxDuration: "1h"}
			}, "spec.bans.duration must not exceed spec.bans.maxDuration"},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			valid := tokenCR(ns, "valid")
			tc.valid(valid)
			if err := k8s.Create(ctx, valid, client.DryRunAll); err != nil {
				t.Errorf("valid object rejected: %v", err)
			}
			invalid := tokenCR(ns, "invalid")
			tc.invalid(invalid)
			err := k8s.Create(ctx, invalid, client.DryRunAll)
			if !apierrors.IsInvalid(err) || !strings.Contains(err.Error(), tc.message) {
				t.Errorf("invalid object: got %v, want an Invalid error containing %q", err, tc.message)
			}
		})
	}
}

// TestSchemaDefaults: the apiserver fills the documented defaults.
func TestSchemaDefaults(t *testing.T) {
	ns := newNamespace(t)
	cr := tokenCR(ns, "defaults")
	exposed("mcp.example.com")(cr)
	cr.Spec.ClientAuth = v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthOIDC, OIDC: &v1alpha1.OIDCSpec{Issuer: "https://issuer.example.com"}}
	if err := k8s.Create(ctx, cr, client.DryRunAll); err != nil {
		t.Fatal(err)
	}
	s := cr.Spec
	for what, ok := range map[string]bool{
		"image":          s.Image == v1alpha1.DefaultImage,
		"requests":       s.Resources != nil && s.Resources.Requests.Cpu().String() == "50m" && s.Resources.Requests.Memory().String() == "64Mi",
		"limits":         s.Resources != nil && s.Resources.Limits.Cpu().String() == "500m" && s.Resources.Limits.Memory().String() == "256Mi",
		"github.host":    s.GitHub.Host == "https://github.com",
		"toolsets":       fmt.Sprint(s.GitHub.Toolsets) == "[context repos issues pull_requests users]",
		"readOnly":       ptr.Deref(s.GitHub.ReadOnly, false),
		"ingress.path":   s.Ingress.Path == "/mcp",
		"traefik peer":   s.Ingress.Traefik != nil && s.Ingress.Traefik.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"] == "traefik",
		"egress CIDRs":   s.NetworkPolicy != nil && fmt.Sprint(s.NetworkPolicy.GitHubEgressCIDRs) == fmt.Sprint(v1alpha1.DefaultGitHubEgressCIDRs),
		"dns peer":       s.NetworkPolicy != nil && s.NetworkPolicy.DNS != nil && s.NetworkPolicy.DNS.PodSelector.MatchLabels["k8s-app"] == "kube-dns",
		"monitoring":     s.NetworkPolicy != nil && s.NetworkPolicy.Monitoring != nil,
		"replicas unset": s.Replicas == nil,
	} {
		if !ok {
			t.Errorf("default %s not applied: %+v", what, s)
		}
	}
}
