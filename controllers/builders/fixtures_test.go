package builders_test

import (
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
)

// tokenCR is the smallest valid CR: a PAT and API-key client auth, not
// published.
func tokenCR() *v1alpha1.GitHubMCPServer {
	return &v1alpha1.GitHubMCPServer{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: "GitHubMCPServer"},
		ObjectMeta: metav1.ObjectMeta{Name: "demo", Namespace: "mcp", UID: types.UID("00000000-0000-0000-0000-000000000001")},
		Spec: v1alpha1.GitHubMCPServerSpec{
			GitHub: v1alpha1.GitHubSpec{Auth: v1alpha1.GitHubAuth{Token: &v1alpha1.TokenAuth{
				SecretRef: v1alpha1.SecretKeyRef{Name: "github-pat", Key: "token"},
			}}},
			ClientAuth: v1alpha1.ClientAuthSpec{
				Mode:             v1alpha1.ClientAuthAPIKeys,
				APIKeysSecretRef: &v1alpha1.SecretKeyRef{Name: "mcp-api-keys", Key: "keys"},
			},
		},
	}
}

// appCR is a GitHub App on GHES, published, with every server knob set and
// three replicas.
func appCR() *v1alpha1.GitHubMCPServer {
	return &v1alpha1.GitHubMCPServer{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: "GitHubMCPServer"},
		ObjectMeta: metav1.ObjectMeta{Name: "ghes", Namespace: "mcp", UID: types.UID("00000000-0000-0000-0000-000000000002")},
		Spec: v1alpha1.GitHubMCPServerSpec{
			Image:           "registry.example.com/mcp/github-mcp-server:v1.2.3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			ImagePullPolicy: corev1.PullIfNotPresent,
			Replicas:        ptr.To[int32](3),
			GitHub: v1alpha1.GitHubSpec{
				Host: "https://github.example.com:8443",
				Auth: v1alpha1.GitHubAuth{App: &v1alpha1.AppAuth{
					AppID: 12345, InstallationID: 67890,
					PrivateKeySecretRef: v1alpha1.SecretKeyRef{Name: "github-app", Key: "private-key.pem"},
				}},
				Toolsets: []v1alpha1.Toolset{"repos", "issues", "actions"},
				Tools:    &v1alpha1.ToolFilter{Deny: []v1alpha1.ToolName{"merge_pull_request"}},
				ReadOnly: ptr.To(false),
			},
			Ingress: &v1alpha1.IngressSpec{Mode: v1alpha1.IngressModeTraefik, Host: "mcp.example.com", Path: "/github/mcp"},
			NetworkPolicy: &v1alpha1.NetworkPolicySpec{
				GitHubEgressCIDRs: []string{"10.20.0.0/16"},
				Monitoring: &v1alpha1.PeerSelector{
					NamespaceSelector: metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "observability"}},
					PodSelector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": "prometheus"}},
				},
			},
			ClientAuth: v1alpha1.ClientAuthSpec{
				Mode: v1alpha1.ClientAuthOIDC,
				OIDC: &v1alpha1.OIDCSpec{Issuer: "https://login.example.com/realms/mcp", Audience: "github-mcp"},
			},
			HTTP: &v1alpha1.HTTPSpec{
				AllowedOrigins: []string{"https://chat.example.com"},
				TrustedProxies: []string{"10.42.0.0/16"},
				MaxBodyBytes:   ptr.To[int64](1 << 20),
			},
			Audit: &v1alpha1.AuditSpec{Destination: "stderr"},
			Bans: &v1alpha1.BanSpec{
				Threshold: ptr.To[int32](5), Window: "1m", Duration: "10m", MaxDuration: "24h",
				DenyCIDRs: []string{"203.0.113.0/24"},
			},
		},
	}
}

// suspendedCR is tokenCR with three replicas, suspended.
func suspendedCR() *v1alpha1.GitHubMCPServer {
	cr := tokenCR()
	cr.Spec.Replicas = ptr.To[int32](3)
	cr.Spec.Suspend = true
	return cr
}
