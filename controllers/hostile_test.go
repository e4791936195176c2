package controllers_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/ptr"
)

// hostile is a malformed or malicious CR: the apiserver must reject it at
// admission, or the operator must report it Stalled. Either way the operator
// keeps running.
type hostile struct {
	name string
	// rejected is what the apiserver's refusal must say (the field and the
	// rule), so a case cannot pass because some other field was wrong.
	rejected string
	// stalled is the Stalled reason, for what the schema cannot see.
	stalled string
	// typed mutates a valid CR; raw, when set, edits its JSON form instead
	// (for what Go types cannot express).
	typed mutation
	raw   func(obj map[string]any)
}

func hostileCRs() []hostile {
	long := strings.Repeat("a", 300)
	set := func(path string, v any) func(map[string]any) {
		return func(o map[string]any) {
			_ = unstructured.SetNestedField(o, v, strings.Split(path, ".")...)
		}
	}
	return []hostile{
		{name: "oversized name", rejected: "metadata.name must be a DNS-1035 label", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Name = strings.Repeat("x", 63) }},
		{name: "oversized secret name", rejected: "spec.github.auth.token.secretRef.name: Too long", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Name = long }},
		{name: "oversized image", rejected: "spec.image: Too long", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Image = "ghcr.io/" + strings.Repeat("a", 600) + ":v1" }},
		{name: "shell in image", rejected: "spec.image", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Image = "ghcr.io/x/y:v1;rm -rf /" }},
		{name: "image without tag", rejected: "spec.image must carry a tag", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Image = "evil.example.com/miner" }},
		{name: "http github host", rejected: "spec.github.host", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Host = "http://github.com" }},
		{name: "github host with path", rejected: "spec.github.host", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Host = "https://github.com/../evil" }},
		{name: "github host with userinfo", rejected: "spec.github.host", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Host = "https://user:pass@github.com" }},
		{name: "javascript host", rejected: "spec.github.host", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Host = "javascript:alert(1)" }},
		{name: "wildcard ingress host", rejected: "spec.ingress.host", typed: exposed("*.example.com")},
		{name: "uppercase ingress host", rejected: "spec.ingress.host", typed: exposed("MCP.Example.com")},
		{name: "ingress host injection", rejected: "spec.ingress.host", typed: exposed("a.example.com`) || Host(`evil.com")},
		{name: "path traversal in ingress path", rejected: "spec.ingress.path must not contain", typed: func(cr *v1alpha1.GitHubMCPServer) {
			exposed("a.example.com")(cr)
			cr.Spec.Ingress.Path = "/mcp/../../admin"
		}},
		{name: "double slash path", rejected: "spec.ingress.path", typed: func(cr *v1alpha1.GitHubMCPServer) { exposed("a.example.com")(cr); cr.Spec.Ingress.Path = "//evil.com" }},
		{name: "path traversal in secret key", rejected: "spec.github.auth.token.secretRef.key", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Key = "../../etc/passwd" }},
		{name: "dot-dot secret key", rejected: "spec.github.auth.token.secretRef.key", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Key = ".." }},
		{name: "slash in secret name", rejected: "spec.github.auth.token.secretRef.name", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Name = "kube-system/admin" }},
		{name: "negative replicas", rejected: "spec.replicas in body should be greater than or equal to 0", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Replicas = ptr.To[int32](-1) }},
		{name: "huge replicas", rejected: "spec.replicas in body should be less than or equal to 50", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Replicas = ptr.To[int32](100000) }},
		{name: "both auth modes", rejected: "spec.github.auth must set exactly one of token and app", typed: func(cr *v1alpha1.GitHubMCPServer) {
			appAuth(cr)
			cr.Spec.GitHub.Auth.Token = &v1alpha1.TokenAuth{SecretRef: v1alpha1.SecretKeyRef{Name: "a", Key: "b"}}
		}},
		{name: "no auth", rejected: "spec.github.auth must set exactly one of token and app", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth = v1alpha1.GitHubAuth{} }},
		{name: "unknown toolset", rejected: "spec.github.toolsets[1]: Unsupported value", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Toolsets = []v1alpha1.Toolset{"repos", "admin"} }},
		{name: "unknown tool name (a typo)", rejected: "spec.github.tools.deny[0]: Unsupported value", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.GitHub.Tools = &v1alpha1.ToolFilter{Deny: []v1alpha1.ToolName{"create_or_update_fle"}}
		}},
		{name: "duplicate toolsets", rejected: "spec.github.toolsets[1]: Duplicate value", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Toolsets = []v1alpha1.Toolset{"repos", "repos"} }},
		{name: "tool name injection", rejected: "spec.github.tools.allow[0]: Unsupported value", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.GitHub.Tools = &v1alpha1.ToolFilter{Allow: []v1alpha1.ToolName{"get_issue,--read-only=false"}}
		}},
		{name: "too many tools", rejected: "must have at most 256 items", typed: func(cr *v1alpha1.GitHubMCPServer) {
			var many []v1alpha1.ToolName
			for i := range 300 {
				many = append(many, v1alpha1.ToolName(fmt.Sprintf("t%d", i)))
			}
			cr.Spec.GitHub.Tools = &v1alpha1.ToolFilter{Deny: many}
		}},
		{name: "egress to the internet", rejected: "must not allow the whole internet", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{GitHubEgressCIDRs: []string{"0.0.0.0/0"}}
		}},
		{name: "egress CIDR garbage", rejected: "spec.networkPolicy.githubEgressCIDRs[0]", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{GitHubEgressCIDRs: []string{"github.com"}}
		}},
		{name: "empty namespace selector (all namespaces)", rejected: "namespaceSelector must not be empty", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.Ingress = &v1alpha1.IngressSpec{Mode: v1alpha1.IngressModeDisabled, Traefik: &v1alpha1.PeerSelector{}}
		}},
		{name: "unauthenticated published server", rejected: "a published server must authenticate its clients", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.ClientAuth = v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthNone}
			exposed("mcp.example.com")(cr)
		}},
		{name: "plain-http OIDC issuer", rejected: "spec.clientAuth.oidc.issuer must be an https URL", typed: oidc("http://issuer.example.com")},
		{name: "flag injection in audience", rejected: "spec.clientAuth.oidc.audience", typed: func(cr *v1alpha1.GitHubMCPServer) {
			oidc("https://issuer.example.com")(cr)
			cr.Spec.ClientAuth.OIDC.Audience = "a --read-only=false"
		}},
		{name: "wildcard allowed origin", rejected: "spec.http.allowedOrigins[0]", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.HTTP = &v1alpha1.HTTPSpec{AllowedOrigins: []string{"*"}} }},
		{name: "bogus ban duration", rejected: "spec.bans.duration", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Bans = &v1alpha1.BanSpec{Duration: "forever"} }},
		{name: "audit to a file", rejected: "spec.audit.destination: Unsupported value", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Audit = &v1alpha1.AuditSpec{Destination: "/etc/passwd"} }},
		{name: "zero app ID", rejected: "spec.github.auth.app.appID", typed: func(cr *v1alpha1.GitHubMCPServer) { appAuth(cr); cr.Spec.GitHub.Auth.App.AppID = 0 }},
		{name: "unknown field", rejected: `unknown field "spec.privileged"`, raw: set("spec.privileged", true)},
		{name: "unknown nested field", rejected: `unknown field "spec.github.auth.token.value"`, raw: set("spec.github.auth.token.value", "ghp_inline")},
		{name: "wrong type for replicas", rejected: "spec.replicas in body must be of type integer", raw: set("spec.replicas", "three")},
		{name: "hostPath smuggled as a pull secret", rejected: `unknown field "spec.imagePullSecrets[0].hostPath"`, raw: set("spec.imagePullSecrets", []any{map[string]any{"name": "x", "hostPath": "/"}})},
		// What the schema cannot see: the operator must stall, not loop.
		{name: "missing Secret", stalled: controllers.ReasonSecretNotFound, typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Name = "does-not-exist" }},
		{name: "App private key that is not a key", stalled: controllers.ReasonSecretKeyInvalid, typed: appAuth},
		{name: "missing Secret key", stalled: controllers.ReasonSecretKeyMissing, typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Key = "nope" }},
		{name: "requests above limits", stalled: controllers.ReasonInvalidSpec, typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.Resources = &corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("2Gi")},
				Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("1Gi")},
			}
		}},
		{name: "invalid label selector operator", stalled: controllers.ReasonInvalidSpec, typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{Monitoring: &v1alpha1.PeerSelector{NamespaceSelector: metav1.LabelSelector{
				MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "a", Operator: "Sometimes", Values: []string{"b"}}},
			}}}
		}},
		{name: "invalid label value", stalled: controllers.ReasonInvalidSpec, typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{DNS: &v1alpha1.PeerSelector{NamespaceSelector: metav1.LabelSelector{
				MatchLabels: map[string]string{"kubernetes.io/metadata.name": "kube system; drop"},
			}}}
		}},
	}
}

// TestHostileCRs: each hostile CR is rejected at admission or reported
// Stalled with a reason, and the operator never stops.
func TestHostileCRs(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	secret(t, ns, "app", map[string]string{"key.pem": "not a PEM key"})
	cases := hostileCRs()
	if len(cases) < 25 {
		t.Fatalf("only %d hostile CRs; the issue asks for at least 25", len(cases))
	}
	for i, h := range cases {
		t.Run(h.name, func(t *testing.T) {
			if (h.rejected == "") == (h.stalled == "") {
				t.Fatal("a hostile case names exactly one expected outcome: rejected or stalled")
			}
			cr := tokenCR(ns, fmt.Sprintf("hostile-%d", i))
			if h.typed != nil {
				h.typed(cr)
			}
			obj, err := toUnstructured(cr)
			if err != nil {
				t.Fatal(err)
			}
			if h.raw != nil {
				h.raw(obj.Object)
			}
			err = k8s.Create(ctx, obj)
			if h.rejected != "" {
				if !apierrors.IsInvalid(err) && !apierrors.IsBadRequest(err) || !strings.Contains(err.Error(), h.rejected) {
					t.Fatalf("want a rejection at admission saying %q, got %v", h.rejected, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("the schema cannot see this one, so it must be admitted (and stall): %v", err)
			}
			name := obj.GetName()
			wantCondition(t, ns, name, controllers.ConditionStalled, metav1.ConditionTrue, h.stalled)
			c := condition(t, ns, name, controllers.ConditionReady)
			if c.Status != metav1.ConditionFalse || c.Message == "" {
				t.Errorf("Ready = %+v, want False with a message", c)
			}
			if strings.Contains(c.Message, "ghp_") {
				t.Errorf("a condition leaks a secret: %s", c.Message)
			}
		})
	}
	operatorAlive(t)
	// The operator still serves a good CR after all that.
	if err := k8s.Create(ctx, tokenCR(ns, "after-hostiles")); err != nil {
		t.Fatal(err)
	}
	wantCondition(t, ns, "after-hostiles", controllers.ConditionCredentialsReady, metav1.ConditionTrue, "")
}

func toUnstructured(cr *v1alpha1.GitHubMCPServer) (*unstructured.Unstructured, error) {
	cr.APIVersion, cr.Kind = v1alpha1.GroupVersion.String(), "GitHubMCPServer"
	b, err := json.Marshal(cr)
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{}
	return u, u.UnmarshalJSON(b)
}
