package edgeapi

import (
	"context"
	"strings"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
)

func edgeServer(name string, tls *v1alpha1.TLSSpec) *v1alpha1.GitHubMCPServer {
	return &v1alpha1.GitHubMCPServer{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: "GitHubMCPServer"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", UID: types.UID("00000000-0000-0000-0000-0000000000aa")},
		Spec: v1alpha1.GitHubMCPServerSpec{
			GitHub: v1alpha1.GitHubSpec{Auth: v1alpha1.GitHubAuth{Token: &v1alpha1.TokenAuth{
				SecretRef: v1alpha1.SecretKeyRef{Name: "gh", Key: "token"},
			}}},
			ClientAuth: v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthOIDC, OIDC: &v1alpha1.OIDCSpec{Issuer: "https://issuer.example.com"}},
			Ingress: &v1alpha1.IngressSpec{
				Mode: v1alpha1.IngressModeTraefik, Host: "mcp.example.com", Path: "/mcp",
				RateLimit:   &v1alpha1.RateLimitSpec{Average: 10, Period: "1s", Burst: 5, IPStrategy: &v1alpha1.IPStrategy{Depth: 2}},
				Headers:     &v1alpha1.HeadersSpec{ContentSecurityPolicy: "default-src 'self'"},
				IPAllowList: &v1alpha1.IPAllowListSpec{SourceRange: []string{"203.0.113.0/24"}, IPStrategy: &v1alpha1.IPStrategy{Depth: 1}},
				BasicAuth:   &v1alpha1.BasicAuthSpec{SecretRef: v1alpha1.LocalSecretRef{Name: "htpasswd"}, Realm: "mcp"},
				InFlightReq: &v1alpha1.InFlightReqSpec{Amount: 4},
			},
			TLS: tls,
		},
	}
}

// TestEdgeObjectsApplyToRealCRDs applies, with server-side apply and strict
// field validation, every object the edge builds for each certificate mode
// and Route 53 credential variant to the real Traefik and cert-manager CRDs.
// A field our types spell differently from the CRD fails here.
func TestEdgeObjectsApplyToRealCRDs(t *testing.T) {
	static := v1alpha1.Route53Spec{
		Region: "eu-west-1", HostedZoneID: "Z0123456789ABCDEFGHIJ", AccessKeyID: "AKIAIOSFODNN7EXAMPLE",
		SecretAccessKeySecretRef: &v1alpha1.SecretKeyRef{Name: "route53", Key: "secret-access-key"},
	}
	irsa := v1alpha1.Route53Spec{Region: "us-east-1",
		ServiceAccountRef: &v1alpha1.ServiceAccountRef{Name: "cert-manager-route53", Audiences: []string{"sts.amazonaws.com"}},
		Role:              "arn:aws:iam::123456789012:role/cert-manager-route53"}
	role := v1alpha1.Route53Spec{Region: "us-east-1", Role: "arn:aws:iam::123456789012:role/dns01"}
	cases := []struct {
		name  string
		tls   *v1alpha1.TLSSpec
		kinds []string // cert-manager kinds expected
	}{
		{"static-keys-issuer", &v1alpha1.TLSSpec{ACME: &v1alpha1.ACMESpec{Email: "ops@example.com", Route53: static}}, []string{"Issuer", "Certificate"}},
		{"static-keys-clusterissuer", &v1alpha1.TLSSpec{ACME: &v1alpha1.ACMESpec{Email: "ops@example.com", Route53: static, ClusterIssuer: true}}, []string{"ClusterIssuer", "Certificate"}},
		{"serviceaccountref-issuer", &v1alpha1.TLSSpec{ACME: &v1alpha1.ACMESpec{Email: "ops@example.com", Server: v1alpha1.LetsEncryptStaging, Route53: irsa}}, []string{"Issuer", "Certificate"}},
		{"role-clusterissuer", &v1alpha1.TLSSpec{ACME: &v1alpha1.ACMESpec{Email: "ops@example.com", Route53: role, ClusterIssuer: true}}, []string{"ClusterIssuer", "Certificate"}},
		{"issuerref", &v1alpha1.TLSSpec{IssuerRef: &v1alpha1.IssuerRef{Name: "letsencrypt", Kind: v1alpha1.IssuerKindClusterIssuer}, MinVersion: v1alpha1.TLSVersion12}, []string{"Certificate"}},
		{"secretname", &v1alpha1.TLSSpec{SecretName: "mcp-tls"}, nil},
	}
	ctx := context.Background()
	in := builders.Inputs{Features: builders.Features{Traefik: true, CertManager: true}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			objs, err := builders.EdgeObjects(edgeServer(tc.name, tc.tls), in)
			if err != nil {
				t.Fatal(err)
			}
			var cmKinds []string
			for _, o := range objs {
				gvk := o.GetObjectKind().GroupVersionKind()
				if gvk.Group == "cert-manager.io" {
					cmKinds = append(cmKinds, gvk.Kind)
				}
				// No owner reference: the fake owner does not exist, and the
				// apiserver would garbage-collect the objects.
				o.SetOwnerReferences(nil)
				if err := controllers.Apply(ctx, env.Client, o); err != nil {
					t.Fatalf("applying %s %s: %v", gvk.Kind, o.GetName(), err)
				}
			}
			if strings.Join(cmKinds, ",") != strings.Join(tc.kinds, ",") {
				t.Fatalf("cert-manager kinds %v, want %v", cmKinds, tc.kinds)
			}
		})
	}
}

// TestApplyIsStrict proves the check above can fail: a field the Traefik
// CRD does not declare is rejected, not dropped.
func TestApplyIsStrict(t *testing.T) {
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "traefik.io/v1alpha1", "kind": "Middleware",
		"metadata": map[string]any{"name": "typo", "namespace": "default"},
		"spec":     map[string]any{"rateLimit": map[string]any{"avrage": 10}},
	}}
	err := controllers.Apply(context.Background(), env.Client, u)
	if err == nil || !strings.Contains(err.Error(), "avrage") {
		t.Fatalf("want the unknown field rejected, got %v", err)
	}
	// And a cert-manager Secret reference must be where the CRD wants it.
	bad := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "cert-manager.io/v1", "kind": "Issuer",
		"metadata": map[string]any{"name": "typo", "namespace": "default"},
		"spec": map[string]any{"acme": map[string]any{
			"server": "https://acme.example.com", "privateKeySecretRef": map[string]any{"name": "k"},
			"solvers": []any{map[string]any{"dns01": map[string]any{"route53": map[string]any{"region": "x", "secretAccessKeyRef": map[string]any{"name": "s"}}}}},
		}},
	}}
	if err := controllers.Apply(context.Background(), env.Client, bad); err == nil || !strings.Contains(err.Error(), "secretAccessKeyRef") {
		t.Fatalf("want the misspelt cert-manager field rejected, got %v", err)
	}
}
