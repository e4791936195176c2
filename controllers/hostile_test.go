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
		{name: "oversized name", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Name = strings.Repeat("x", 63) }},
		{name: "oversized secret name", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Name = long }},
		{name: "oversized image", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Image = "ghcr.io/" + strings.Repeat("a", 600) + ":v1" }},
		{name: "shell in image", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Image = "ghcr.io/x/y:v1;rm -rf /" }},
		{name: "image without tag", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Image = "evil.example.com/miner" }},
		{name: "http github host", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Host = "http://github.com" }},
		{name: "github host with path", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Host = "https://github.com/../evil" }},
		{name: "github host with userinfo", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Host = "https://user:pass@github.com" }},
		{name: "javascript host", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Host = "javascript:alert(1)" }},
		{name: "wildcard ingress host", typed: exposed("*.example.com")},
		{name: "uppercase ingress host", typed: exposed("MCP.Example.com")},
		{name: "ingress host injection", typed: exposed("a.example.com`) || Host(`evil.com")},
		{name: "path traversal in ingress path", typed: func(cr *v1alpha1.GitHubMCPServer) {
			exposed("a.example.com")(cr)
			cr.Spec.Ingress.Path = "/mcp/../../admin"
		}},
		{name: "double slash path", typed: func(cr *v1alpha1.GitHubMCPServer) { exposed("a.example.com")(cr); cr.Spec.Ingress.Path = "//evil.com" }},
		{name: "path traversal in secret key", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Key = "../../etc/passwd" }},
		{name: "dot-dot secret key", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Key = ".." }},
		{name: "slash in secret name", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Name = "kube-system/admin" }},
		{name: "negative replicas", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Replicas = ptr.To[int32](-1) }},
		{name: "huge replicas", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Replicas = ptr.To[int32](100000) }},
		{name: "both auth modes", typed: func(cr *v1alpha1.GitHubMCPServer) {
			appAuth(cr)
			cr.Spec.GitHub.Auth.Token = &v1alpha1.TokenAuth{SecretRef: v1alpha1.SecretKeyRef{Name: "a", Key: "b"}}
		}},
		{name: "no auth", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth = v1alpha1.GitHubAuth{} }},
		{name: "unknown toolset", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Toolsets = []v1alpha1.Toolset{"repos", "admin"} }},
		{name: "unknown tool name (a typo)", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.GitHub.Tools = &v1alpha1.ToolFilter{Deny: []v1alpha1.ToolName{"create_or_update_fle"}}
		}},
		{name: "duplicate toolsets", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Toolsets = []v1alpha1.Toolset{"repos", "repos"} }},
		{name: "tool name injection", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.GitHub.Tools = &v1alpha1.ToolFilter{Allow: []v1alpha1.ToolName{"get_issue,--read-only=false"}}
		}},
		{name: "too many tools", typed: func(cr *v1alpha1.GitHubMCPServer) {
			var many []v1alpha1.ToolName
			for i := range 300 {
				many = append(many, v1alpha1.ToolName(fmt.Sprintf("t%d", i)))
			}
			cr.Spec.GitHub.Tools = &v1alpha1.ToolFilter{Deny: many}
		}},
		{name: "egress to the internet", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{GitHubEgressCIDRs: []string{"0.0.0.0/0"}}
		}},
		{name: "egress CIDR garbage", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{GitHubEgressCIDRs: []string{"github.com"}}
		}},
		{name: "empty namespace selector (all namespaces)", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.Ingress = &v1alpha1.IngressSpec{Mode: v1alpha1.IngressModeDisabled, Traefik: &v1alpha1.PeerSelector{}}
		}},
		{name: "unauthenticated published server", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.ClientAuth = v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthNone}
			exposed("mcp.example.com")(cr)
		}},
		{name: "plain-http OIDC issuer", typed: oidc("http://issuer.example.com")},
		{name: "flag injection in audience", typed: func(cr *v1alpha1.GitHubMCPServer) {
			oidc("https://issuer.example.com")(cr)
			cr.Spec.ClientAuth.OIDC.Audience = "a --read-only=false"
		}},
		{name: "wildcard allowed origin", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.HTTP = &v1alpha1.HTTPSpec{AllowedOrigins: []string{"*"}} }},
		{name: "bogus ban duration", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Bans = &v1alpha1.BanSpec{Duration: "forever"} }},
		{name: "audit to a file", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.Audit = &v1alpha1.AuditSpec{Destination: "/etc/passwd"} }},
		{name: "zero app ID", typed: func(cr *v1alpha1.GitHubMCPServer) { appAuth(cr); cr.Spec.GitHub.Auth.App.AppID = 0 }},
		{name: "unknown field", raw: set("spec.privileged", true)},
		{name: "unknown nested field", raw: set("spec.github.auth.token.value", "ghp_inline")},
		{name: "wrong type for replicas", raw: set("spec.replicas", "three")},
		{name: "hostPath smuggled as a pull secret", raw: set("spec.imagePullSecrets", []any{map[string]any{"name": "x", "hostPath": "/"}})},
		// What the schema cannot see: the operator must stall, not loop.
		{name: "missing Secret", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Name = "does-not-exist" }},
		{name: "missing Secret key", typed: func(cr *v1alpha1.GitHubMCPServer) { cr.Spec.GitHub.Auth.Token.SecretRef.Key = "nope" }},
		{name: "requests above limits", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.Resources = &corev1.ResourceRequirements{
				Requests: corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("2Gi")},
				Limits:   corev1.ResourceList{corev1.ResourceMemory: resource.MustParse("1Gi")},
			}
		}},
		{name: "invalid label selector operator", typed: func(cr *v1alpha1.GitHubMCPServer) {
			cr.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{Monitoring: &v1alpha1.PeerSelector{NamespaceSelector: metav1.LabelSelector{
				MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "a", Operator: "Sometimes", Values: []string{"b"}}},
			}}}
		}},
		{name: "invalid label value", typed: func(cr *v1alpha1.GitHubMCPServer) {
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
	cases := hostileCRs()
	if len(cases) < 25 {
		t.Fatalf("only %d hostile CRs; the issue asks for at least 25", len(cases))
	}
	for i, h := range cases {
		t.Run(h.name, func(t *testing.T) {
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
			switch {
			case apierrors.IsInvalid(err) || apierrors.IsBadRequest(err):
				return // rejected at admission
			case err != nil:
				t.Fatalf("unexpected error: %v", err)
			}
			name := obj.GetName()
			wantCondition(t, ns, name, controllers.ConditionStalled, metav1.ConditionTrue, "")
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
