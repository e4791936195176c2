package edgeapi

import (
	"context"
	"fmt"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// baseCR is a valid GitHubMCPServer published through Traefik; each case
// replaces spec.ingress extras and spec.tls.
func baseCR(name string, ingressExtra, tls map[string]any) *unstructured.Unstructured {
	ingress := map[string]any{"host": "mcp.example.com"}
	for k, v := range ingressExtra {
		ingress[k] = v
	}
	spec := map[string]any{
		"github": map[string]any{
			"auth": map[string]any{"token": map[string]any{"secretRef": map[string]any{"name": "gh", "key": "token"}}},
		},
		"clientAuth": map[string]any{"mode": "oidc", "oidc": map[string]any{"issuer": "https://issuer.example.com"}},
		"ingress":    ingress,
	}
	if tls != nil {
		spec["tls"] = tls
	}
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "mcp.githubmcp.dev/v1alpha1",
		"kind":       "GitHubMCPServer",
		"metadata":   map[string]any{"name": name, "namespace": "default"},
		"spec":       spec,
	}}
	return u
}

func acme(route53 map[string]any, extra map[string]any) map[string]any {
	a := map[string]any{"email": "ops@example.com", "route53": route53}
	for k, v := range extra {
		a[k] = v
	}
	return map[string]any{"acme": a}
}

var staticKeys = map[string]any{
	"region": "eu-west-1", "hostedZoneID": "Z0123456789ABCDEFGHIJ",
	"accessKeyID":              "AKIAIOSFODNN7EXAMPLE",
	"secretAccessKeySecretRef": map[string]any{"name": "route53", "key": "secret-access-key"},
}

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if kv[i+1] == nil {
			delete(out, k)
			continue
		}
		out[k] = kv[i+1]
	}
	return out
}

// TestEdgeSchema creates each CR with a server-side dry run: valid ones must
// be admitted, invalid ones rejected with a message naming the field.
func TestEdgeSchema(t *testing.T) {
	irsa := with(staticKeys, "accessKeyID", nil, "secretAccessKeySecretRef", nil,
		"serviceAccountRef", map[string]any{"name": "cert-manager-route53"},
		"role", "arn:aws:iam::123456789012:role/cert-manager-route53")
	roleOnly := with(staticKeys, "accessKeyID", nil, "secretAccessKeySecretRef", nil,
		"role", "arn:aws:iam::123456789012:role/dns")
	cases := []struct {
		name    string
		ingress map[string]any
		tls     map[string]any
		wantErr string // "" means admitted
	}{
		{name: "secretName", tls: map[string]any{"secretName": "mcp-tls"}},
		{name: "issuerRef", tls: map[string]any{"issuerRef": map[string]any{"name": "letsencrypt", "kind": "ClusterIssuer"}}},
		{name: "acme static keys", tls: acme(staticKeys, nil)},
		{name: "acme serviceAccountRef with role", tls: acme(irsa, nil)},
		{name: "acme role only in a ClusterIssuer", tls: acme(roleOnly, map[string]any{"clusterIssuer": true})},
		{name: "acme staging server", tls: acme(staticKeys, map[string]any{"server": "https://acme-staging-v02.api.letsencrypt.org/directory"})},
		{name: "tls 1.2 opt-in", tls: map[string]any{"secretName": "mcp-tls", "minVersion": "VersionTLS12"}},

		{name: "tls none of three", tls: map[string]any{"minVersion": "VersionTLS13"},
			wantErr: "spec.tls must set exactly one of acme, issuerRef and secretName"},
		{name: "tls secretName and issuerRef", tls: map[string]any{"secretName": "x", "issuerRef": map[string]any{"name": "y"}},
			wantErr: "spec.tls must set exactly one of acme, issuerRef and secretName"},
		{name: "tls acme and secretName", tls: with(acme(staticKeys, nil), "secretName", "x"),
			wantErr: "spec.tls must set exactly one of acme, issuerRef and secretName"},
		{name: "tls 1.1", tls: map[string]any{"secretName": "x", "minVersion": "VersionTLS11"},
			wantErr: "spec.tls.minVersion"},
		{name: "acme http server", tls: acme(staticKeys, map[string]any{"server": "http://acme.example.com/dir"}),
			wantErr: "spec.tls.acme.server must be an https URL"},
		{name: "route53 key id without secret", tls: acme(with(staticKeys, "secretAccessKeySecretRef", nil), nil),
			wantErr: "accessKeyID and spec.tls.acme.route53.secretAccessKeySecretRef must be set together"},
		{name: "route53 static keys and serviceAccountRef", tls: acme(with(staticKeys, "serviceAccountRef", map[string]any{"name": "sa"}, "role", "arn:aws:iam::123456789012:role/dns"), nil),
			wantErr: "must use one credential source"},
		{name: "route53 serviceAccountRef without role", tls: acme(with(irsa, "role", nil), nil),
			wantErr: "spec.tls.acme.route53.role is required with serviceAccountRef"},
		{name: "route53 no credentials", tls: acme(map[string]any{"region": "eu-west-1"}, map[string]any{"clusterIssuer": true}),
			wantErr: "spec.tls.acme.route53 needs credentials"},
		{name: "route53 role only in a namespaced Issuer", tls: acme(roleOnly, nil),
			wantErr: "a namespaced Issuer cannot use"},
		{name: "route53 bad role ARN", tls: acme(with(roleOnly, "role", "admin"), map[string]any{"clusterIssuer": true}),
			wantErr: "spec.tls.acme.route53.role"},

		{name: "rate limit custom", tls: map[string]any{"secretName": "x"},
			ingress: map[string]any{"rateLimit": map[string]any{"average": 10, "period": "1s", "burst": 5, "ipStrategy": map[string]any{"depth": 1}}}},
		{name: "rate limit period too long", tls: map[string]any{"secretName": "x"},
			ingress: map[string]any{"rateLimit": map[string]any{"period": "48h"}},
			wantErr: "spec.ingress.rateLimit.period must be between 1s and 24h"},
		{name: "rate limit zero burst", tls: map[string]any{"secretName": "x"},
			ingress: map[string]any{"rateLimit": map[string]any{"burst": 0}},
			wantErr: "spec.ingress.rateLimit.burst"},
		{name: "allow list", tls: map[string]any{"secretName": "x"},
			ingress: map[string]any{"ipAllowList": map[string]any{"sourceRange": []any{"203.0.113.0/24", "2001:db8::1"}}}},
		{name: "allow list junk", tls: map[string]any{"secretName": "x"},
			ingress: map[string]any{"ipAllowList": map[string]any{"sourceRange": []any{"10.0.0.0/33"}}},
			wantErr: "spec.ingress.ipAllowList.sourceRange entries must be IP addresses or CIDRs"},
		{name: "csp override", tls: map[string]any{"secretName": "x"},
			ingress: map[string]any{"headers": map[string]any{"contentSecurityPolicy": "default-src 'self'"}}},
		{name: "csp header injection", tls: map[string]any{"secretName": "x"},
			ingress: map[string]any{"headers": map[string]any{"contentSecurityPolicy": "default-src 'self'\r\nSet-Cookie: x=y"}},
			wantErr: "spec.ingress.headers.contentSecurityPolicy must be a single line"},
		{name: "hsts too short", tls: map[string]any{"secretName": "x"},
			ingress: map[string]any{"headers": map[string]any{"hstsMaxAgeSeconds": 60}},
			wantErr: "spec.ingress.headers.hstsMaxAgeSeconds"},
		{name: "basic auth and in-flight cap", tls: map[string]any{"secretName": "x"},
			ingress: map[string]any{"basicAuth": map[string]any{"secretRef": map[string]any{"name": "htpasswd"}}, "inFlightReq": map[string]any{"amount": 10}}},
		{name: "in-flight zero", tls: map[string]any{"secretName": "x"},
			ingress: map[string]any{"inFlightReq": map[string]any{"amount": 0}},
			wantErr: "spec.ingress.inFlightReq.amount"},
		{name: "entry point with a space", tls: map[string]any{"secretName": "x"},
			ingress: map[string]any{"entryPoints": map[string]any{"secure": "web secure"}},
			wantErr: "spec.ingress.entryPoints.secure"},
	}
	ctx := context.Background()
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cr := baseCR(fmt.Sprintf("edge-cel-%d", i), tc.ingress, tc.tls)
			err := env.Client.Create(ctx, cr, client.DryRunAll)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("valid CR rejected: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("invalid CR admitted; want an error containing %q", tc.wantErr)
			}
			if !apierrors.IsInvalid(err) {
				t.Fatalf("want an Invalid error, got %v", err)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %q does not mention %q", err, tc.wantErr)
			}
		})
	}
}
