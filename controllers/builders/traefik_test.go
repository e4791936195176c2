package builders_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders/traefikapi"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// notPublished is a CR without spec.ingress.
func notPublished() *v1alpha1.GitHubMCPServer {
	cr := edgeCR()
	cr.Spec.Ingress = nil
	return cr
}

// edgeCR is a published server with OIDC client auth and an ACME
// certificate from static Route 53 keys, every edge knob at its default.
func edgeCR() *v1alpha1.GitHubMCPServer {
	return &v1alpha1.GitHubMCPServer{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.GroupVersion.String(), Kind: "GitHubMCPServer"},
		ObjectMeta: metav1.ObjectMeta{Name: "edge", Namespace: "mcp", UID: types.UID("00000000-0000-0000-0000-000000000004")},
		Spec: v1alpha1.GitHubMCPServerSpec{
			GitHub: v1alpha1.GitHubSpec{Auth: v1alpha1.GitHubAuth{Token: &v1alpha1.TokenAuth{
				SecretRef: v1alpha1.SecretKeyRef{Name: "github-pat", Key: "token"},
			}}},
			ClientAuth: v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthOIDC, OIDC: &v1alpha1.OIDCSpec{Issuer: "https://issuer.example.com"}},
			Ingress:    &v1alpha1.IngressSpec{Mode: v1alpha1.IngressModeTraefik, Host: "mcp.example.com", Path: "/mcp"},
			TLS: &v1alpha1.TLSSpec{ACME: &v1alpha1.ACMESpec{
				Email: "ops@example.com",
				Route53: v1alpha1.Route53Spec{
					Region: "eu-west-1", HostedZoneID: "Z0123456789ABCDEFGHIJ",
					AccessKeyID:              "AKIAIOSFODNN7EXAMPLE",
					SecretAccessKeySecretRef: &v1alpha1.SecretKeyRef{Name: "route53", Key: "secret-access-key"},
				},
			}},
		},
	}
}

// edgeFullCR sets every optional edge knob: allow list, basic auth, an
// in-flight cap, a custom rate limit behind one proxy, a CSP override, TLS
// 1.2 opt-in and a bring-your-own ClusterIssuer.
func edgeFullCR() *v1alpha1.GitHubMCPServer {
	cr := edgeCR()
	cr.Name = "edge-full"
	depth := &v1alpha1.IPStrategy{Depth: 1}
	cr.Spec.Ingress.Path = "/github/mcp"
	cr.Spec.Ingress.EntryPoints = &v1alpha1.EntryPointsSpec{Secure: "https", Web: "http", HTTPRedirect: v1alpha1.HTTPRedirectEnabled}
	cr.Spec.Ingress.RateLimit = &v1alpha1.RateLimitSpec{Average: 10, Period: "1s", Burst: 20, IPStrategy: depth}
	cr.Spec.Ingress.Headers = &v1alpha1.HeadersSpec{ContentSecurityPolicy: "default-src 'self'", HSTSMaxAgeSeconds: 63072000}
	cr.Spec.Ingress.IPAllowList = &v1alpha1.IPAllowListSpec{SourceRange: []string{"203.0.113.0/24", "2001:db8::/32"}, IPStrategy: depth}
	cr.Spec.Ingress.BasicAuth = &v1alpha1.BasicAuthSpec{SecretRef: v1alpha1.LocalSecretRef{Name: "mcp-htpasswd"}, Realm: "mcp"}
	cr.Spec.Ingress.InFlightReq = &v1alpha1.InFlightReqSpec{Amount: 8, IPStrategy: depth}
	cr.Spec.TLS = &v1alpha1.TLSSpec{
		IssuerRef:  &v1alpha1.IssuerRef{Name: "letsencrypt", Kind: v1alpha1.IssuerKindClusterIssuer},
		MinVersion: v1alpha1.TLSVersion12,
	}
	return cr
}

// edgeSecretCR serves a certificate managed elsewhere, with API-key client
// auth (no protected-resource metadata) and no HTTP redirect.
func edgeSecretCR() *v1alpha1.GitHubMCPServer {
	cr := edgeCR()
	cr.Name = "edge-secret"
	cr.Spec.ClientAuth = v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthAPIKeys, APIKeysSecretRef: &v1alpha1.SecretKeyRef{Name: "keys", Key: "keys"}}
	cr.Spec.Ingress.EntryPoints = &v1alpha1.EntryPointsSpec{HTTPRedirect: v1alpha1.HTTPRedirectDisabled}
	cr.Spec.TLS = &v1alpha1.TLSSpec{SecretName: "mcp-example-com-tls"}
	return cr
}

// edgeIRSACR gets its certificate through a ServiceAccount token exchanged
// for an IAM role (IRSA-style), in a namespaced Issuer.
func edgeIRSACR() *v1alpha1.GitHubMCPServer {
	cr := edgeCR()
	cr.Name = "edge-irsa"
	cr.Spec.TLS.ACME.Server = v1alpha1.LetsEncryptStaging
	cr.Spec.TLS.ACME.Route53 = v1alpha1.Route53Spec{
		Region:            "us-east-1",
		ServiceAccountRef: &v1alpha1.ServiceAccountRef{Name: "cert-manager-route53", Audiences: []string{"sts.amazonaws.com"}},
		Role:              "arn:aws:iam::123456789012:role/cert-manager-route53",
	}
	return cr
}

// edgeRoleCR uses cert-manager's ambient credentials plus a role, which only
// a ClusterIssuer may do.
func edgeRoleCR() *v1alpha1.GitHubMCPServer {
	cr := edgeCR()
	cr.Name = "edge-role"
	cr.Spec.TLS.ACME.ClusterIssuer = true
	cr.Spec.TLS.ACME.Route53 = v1alpha1.Route53Spec{Region: "us-east-1", Role: "arn:aws:iam::123456789012:role/dns01"}
	return cr
}

func edgeSuspendedCR() *v1alpha1.GitHubMCPServer {
	cr := edgeCR()
	cr.Name = "edge-suspended"
	cr.Spec.Suspend = true
	return cr
}

var allFeatures = builders.Inputs{Features: builders.Features{Traefik: true, CertManager: true}}

// TestEdgeGolden pins every edge builder's output for each fixture, as
// EdgeObjects returns it (the apply order), one golden file per kind.
func TestEdgeGolden(t *testing.T) {
	cases := map[string]*v1alpha1.GitHubMCPServer{
		"edge-acme-static": edgeCR(), "edge-full": edgeFullCR(), "edge-secretname": edgeSecretCR(),
		"edge-acme-irsa": edgeIRSACR(), "edge-acme-role-clusterissuer": edgeRoleCR(), "edge-suspended": edgeSuspendedCR(),
	}
	for name, cr := range cases {
		t.Run(name, func(t *testing.T) {
			objs, err := builders.EdgeObjects(cr, allFeatures)
			if err != nil {
				t.Fatal(err)
			}
			byKind := map[string][]client.Object{}
			for _, o := range objs {
				k := strings.ToLower(o.GetObjectKind().GroupVersionKind().Kind)
				byKind[k] = append(byKind[k], o)
			}
			for kind, objs := range byKind {
				compareGolden(t, filepath.Join("testdata", name, kind+".golden.yaml"), toYAML(t, objs))
			}
		})
	}
}

func kinds(objs []client.Object) []string {
	var ks []string
	for _, o := range objs {
		ks = append(ks, o.GetObjectKind().GroupVersionKind().Kind+"/"+o.GetName())
	}
	return ks
}

func TestEdgeObjectsFollowFeaturesAndSuspend(t *testing.T) {
	cases := []struct {
		name string
		cr   *v1alpha1.GitHubMCPServer
		in   builders.Inputs
		want []string
	}{
		{"not exposed", notPublished(), allFeatures, nil},
		{"no integrations", edgeCR(), builders.Inputs{}, nil},
		{"traefik only", edgeCR(), builders.Inputs{Features: builders.Features{Traefik: true}}, []string{
			"TLSOption/edge", "Middleware/edge-headers", "Middleware/edge-ratelimit", "Middleware/edge-redirect-https",
			"IngressRoute/edge", "IngressRoute/edge-http-redirect"}},
		{"cert-manager only", edgeCR(), builders.Inputs{Features: builders.Features{CertManager: true}}, []string{
			"Issuer/edge-acme", "Certificate/edge"}},
		{"suspended keeps no route", edgeSuspendedCR(), allFeatures, []string{
			"Issuer/edge-acme", "Certificate/edge-suspended", "TLSOption/edge-suspended", "Middleware/edge-suspended-headers",
			"Middleware/edge-suspended-ratelimit", "Middleware/edge-suspended-redirect-https"}},
		{"secretName makes no cert-manager object", edgeSecretCR(), allFeatures, []string{
			"TLSOption/edge-secret", "Middleware/edge-secret-headers", "Middleware/edge-secret-ratelimit", "IngressRoute/edge-secret"}},
	}
	// The suspended fixture's Issuer keeps the base name's prefix.
	cases[4].want[0] = "Issuer/edge-suspended-acme"
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			objs, err := builders.EdgeObjects(tc.cr, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := kinds(objs); !slices.Equal(got, tc.want) {
				t.Fatalf("objects:\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

// TestMiddlewareOrder: headers first (so 429/403/401 carry them), then
// ipAllowList, basicAuth, rateLimit, inFlightReq; the redirect only on web.
func TestMiddlewareOrder(t *testing.T) {
	cr := edgeFullCR()
	ir, err := builders.IngressRoute(cr)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ir.Spec.Routes[0].Middlewares {
		got = append(got, m.Name)
	}
	want := []string{"edge-full-headers", "edge-full-ipallowlist", "edge-full-basicauth", "edge-full-ratelimit", "edge-full-inflightreq"}
	if !slices.Equal(got, want) {
		t.Fatalf("middleware chain %v, want %v", got, want)
	}
	if len(ir.Spec.Routes) != 2 || !strings.Contains(ir.Spec.Routes[1].Match, "/.well-known/oauth-protected-resource") {
		t.Fatalf("want the protected-resource route for oidc, got %+v", ir.Spec.Routes)
	}
	if ir.Spec.EntryPoints[0] != "https" || ir.Spec.TLS.Options.Name != builders.TLSOptionName(cr) {
		t.Fatalf("entry point or TLS option wrong: %+v", ir.Spec)
	}
	web := builders.RedirectIngressRoute(cr)
	if web.Spec.EntryPoints[0] != "http" || web.Spec.Routes[0].Middlewares[0].Name != "edge-full-headers" ||
		web.Spec.Routes[0].Middlewares[1].Name != "edge-full-redirect-https" {
		t.Fatalf("web route must be headers then redirect: %+v", web.Spec)
	}
	if r, err := builders.IngressRoute(edgeSecretCR()); err != nil || len(r.Spec.Routes) != 1 {
		t.Fatalf("apiKeys auth publishes no protected-resource metadata, got %+v, %v", r, err)
	}
}

// TestNoRouteWithoutItsChain: when the middlewares cannot be built, no
// route is built either; a route without security headers and rate limit
// would be served as is.
func TestNoRouteWithoutItsChain(t *testing.T) {
	cr := edgeFullCR()
	cr.Spec.Ingress.IPAllowList.SourceRange = nil
	if ir, err := builders.IngressRoute(cr); err == nil {
		t.Fatalf("want an error, got a route with middlewares %+v", ir.Spec.Routes[0].Middlewares)
	}
	if _, err := builders.EdgeObjects(cr, builders.Inputs{Features: builders.Features{Traefik: true}}); err == nil {
		t.Fatal("want EdgeObjects to fail too")
	}
}

func TestTLSOption(t *testing.T) {
	def := builders.TLSOption(edgeCR()).Spec
	if def.MinVersion != "VersionTLS13" || !def.SniStrict || len(def.CipherSuites) != 0 {
		t.Fatalf("default TLSOption %+v, want TLS 1.3 only and sniStrict", def)
	}
	opt := builders.TLSOption(edgeFullCR()).Spec
	if opt.MinVersion != "VersionTLS12" || !opt.SniStrict {
		t.Fatalf("TLS 1.2 opt-in %+v", opt)
	}
	for _, c := range opt.CipherSuites {
		if !strings.HasPrefix(c, "TLS_ECDHE_") || !strings.Contains(c, "_GCM_") && !strings.Contains(c, "CHACHA20_POLY1305") {
			t.Errorf("cipher suite %s is not ECDHE with AEAD", c)
		}
	}
}

func TestRateLimitDefaults(t *testing.T) {
	mws, err := builders.Middlewares(edgeCR())
	if err != nil {
		t.Fatal(err)
	}
	var rl *traefikapi.RateLimit
	for _, m := range mws {
		if m.Spec.RateLimit != nil {
			rl = m.Spec.RateLimit
		}
	}
	if rl == nil || *rl.Average != 100 || rl.Period.String() != "1m" || *rl.Burst != 50 || rl.SourceCriterion.IPStrategy == nil {
		t.Fatalf("rate limit %+v, want 100 per 1m, burst 50, keyed by client IP", rl)
	}
}
