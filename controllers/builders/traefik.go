package builders

import (
	"fmt"
	"strings"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	traefikv1 "github.com/github-mcp-operator/github-mcp-operator/controllers/builders/traefikapi"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Owner: the edge engineer (issue 4). EdgeObjects returns the Traefik and
// cert-manager objects for cr, in apply order, honouring in.Features
// (nothing for an absent integration) and cr.Spec.Suspend (no routes while
// suspended). Desired (and so `manager render`) appends its result to the
// core objects; the reconcile applies the same objects from its edge steps
// (controllers/edge_*.go).
func EdgeObjects(cr *v1alpha1.GitHubMCPServer, in Inputs) ([]client.Object, error) {
	if !Exposed(cr) {
		return nil, nil
	}
	var objs []client.Object
	if in.Features.CertManager {
		iss, err := Issuer(cr)
		if err != nil {
			return nil, err
		}
		if iss != nil {
			objs = append(objs, iss)
		}
		if c := Certificate(cr); c != nil {
			objs = append(objs, c)
		}
	}
	if in.Features.Traefik {
		objs = append(objs, TLSOption(cr))
		mws, err := Middlewares(cr)
		if err != nil {
			return nil, err
		}
		for _, m := range mws {
			objs = append(objs, m)
		}
		if !cr.Spec.Suspend {
			routes, err := IngressRoutes(cr)
			if err != nil {
				return nil, err
			}
			for _, r := range routes {
				objs = append(objs, r)
			}
		}
	}
	return objs, nil
}

// TraefikAPIVersion is the apiVersion of every Traefik object we write.
const TraefikAPIVersion = "traefik.io/v1alpha1"

// Security-header defaults (docs/edge.md lists them).
const (
	DefaultContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
	DefaultHSTSMaxAgeSeconds     = 31536000
	ReferrerPolicy               = "strict-origin-when-cross-origin"
)

// Rate-limit defaults: 100 requests a minute per client IP, bursts of 50.
const (
	DefaultRateLimitAverage = 100
	DefaultRateLimitPeriod  = "1m"
	DefaultRateLimitBurst   = 50
)

// Entry point defaults, as Traefik's Helm chart names them.
const (
	DefaultSecureEntryPoint = "websecure"
	DefaultWebEntryPoint    = "web"
)

// StrongTLS12CipherSuites are the only TLS 1.2 suites allowed when a user opts
// in to TLS 1.2: forward secrecy (ECDHE) and AEAD (GCM, ChaCha20-Poly1305).
// TLS 1.3 suites are not configurable in Go and are all AEAD.
var StrongTLS12CipherSuites = []string{
	"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
	"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
	"TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
	"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
	"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
	"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
}

// Traefik object names, derived from the CR name (at most 40 characters).
func IngressRouteName(cr *v1alpha1.GitHubMCPServer) string         { return cr.Name }
func RedirectIngressRouteName(cr *v1alpha1.GitHubMCPServer) string { return cr.Name + "-http-redirect" }
func TLSOptionName(cr *v1alpha1.GitHubMCPServer) string            { return cr.Name }
func middlewareName(cr *v1alpha1.GitHubMCPServer, what string) string {
	return cr.Name + "-" + what
}

// EntryPoints returns the secure and web entry point names with defaults.
func EntryPoints(cr *v1alpha1.GitHubMCPServer) (secure, web string, redirect bool) {
	secure, web, redirect = DefaultSecureEntryPoint, DefaultWebEntryPoint, true
	if cr.Spec.Ingress == nil || cr.Spec.Ingress.EntryPoints == nil {
		return secure, web, redirect
	}
	ep := cr.Spec.Ingress.EntryPoints
	if ep.Secure != "" {
		secure = ep.Secure
	}
	if ep.Web != "" {
		web = ep.Web
	}
	return secure, web, ep.HTTPRedirect != v1alpha1.HTTPRedirectDisabled
}

// RateLimit returns spec.ingress.rateLimit with defaults filled in.
func RateLimit(cr *v1alpha1.GitHubMCPServer) v1alpha1.RateLimitSpec {
	rl := v1alpha1.RateLimitSpec{Average: DefaultRateLimitAverage, Period: DefaultRateLimitPeriod, Burst: DefaultRateLimitBurst}
	if cr.Spec.Ingress != nil && cr.Spec.Ingress.RateLimit != nil {
		in := cr.Spec.Ingress.RateLimit
		if in.Average > 0 {
			rl.Average = in.Average
		}
		if in.Period != "" {
			rl.Period = in.Period
		}
		if in.Burst > 0 {
			rl.Burst = in.Burst
		}
		rl.IPStrategy = in.IPStrategy.DeepCopy()
	}
	return rl
}

func traefikMeta(cr *v1alpha1.GitHubMCPServer, kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: TraefikAPIVersion, Kind: kind}
}

func middleware(cr *v1alpha1.GitHubMCPServer, what string, spec traefikv1.MiddlewareSpec) *traefikv1.Middleware {
	return &traefikv1.Middleware{
		TypeMeta:   traefikMeta(cr, "Middleware"),
		ObjectMeta: ObjectMeta(cr, middlewareName(cr, what)),
		Spec:       spec,
	}
}

// sourceCriterion keys a limit by client IP, depth hops from the right of
// X-Forwarded-For (0: the connection's address).
func sourceCriterion(s *v1alpha1.IPStrategy) *traefikv1.SourceCriterion {
	return &traefikv1.SourceCriterion{IPStrategy: ipStrategy(s)}
}

func ipStrategy(s *v1alpha1.IPStrategy) *traefikv1.IPStrategy {
	if s == nil {
		return &traefikv1.IPStrategy{}
	}
	return &traefikv1.IPStrategy{Depth: int(s.Depth)}
}

// HeadersMiddleware sets the security headers. It is the first middleware of
// every route, so answers that later middlewares make up (429, 403, 401)
// carry the headers too.
func HeadersMiddleware(cr *v1alpha1.GitHubMCPServer) *traefikv1.Middleware {
	csp, hsts := DefaultContentSecurityPolicy, int64(DefaultHSTSMaxAgeSeconds)
	if cr.Spec.Ingress != nil && cr.Spec.Ingress.Headers != nil {
		if h := cr.Spec.Ingress.Headers; h.ContentSecurityPolicy != "" {
			csp = h.ContentSecurityPolicy
		}
		if h := cr.Spec.Ingress.Headers; h.HSTSMaxAgeSeconds > 0 {
			hsts = h.HSTSMaxAgeSeconds
		}
	}
	return middleware(cr, "headers", traefikv1.MiddlewareSpec{Headers: &traefikv1.Headers{
		STSSeconds:            hsts,
		STSIncludeSubdomains:  true,
		STSPreload:            true,
		FrameDeny:             true,
		ContentTypeNosniff:    true,
		BrowserXSSFilter:      true,
		ContentSecurityPolicy: csp,
		ReferrerPolicy:        ReferrerPolicy,
		// An empty value removes the header: don't advertise the backend.
		CustomResponseHeaders: map[string]string{"Server": "", "X-Powered-By": ""},
	}})
}

// Middlewares returns the route's middlewares in the order they run:
// headers, then ipAllowList and basicAuth when set, then rateLimit, then
// inFlightReq when set.
func Middlewares(cr *v1alpha1.GitHubMCPServer) ([]*traefikv1.Middleware, error) {
	ing := cr.Spec.Ingress
	if ing == nil {
		return nil, fmt.Errorf("spec.ingress is not set")
	}
	mws := []*traefikv1.Middleware{HeadersMiddleware(cr)}
	if al := ing.IPAllowList; al != nil {
		if len(al.SourceRange) == 0 {
			return nil, fmt.Errorf("spec.ingress.ipAllowList.sourceRange must not be empty")
		}
		mws = append(mws, middleware(cr, "ipallowlist", traefikv1.MiddlewareSpec{IPAllowList: &traefikv1.IPAllowList{
			SourceRange: append([]string(nil), al.SourceRange...),
			IPStrategy:  ipStrategy(al.IPStrategy),
		}}))
	}
	if ba := ing.BasicAuth; ba != nil {
		mws = append(mws, middleware(cr, "basicauth", traefikv1.MiddlewareSpec{BasicAuth: &traefikv1.BasicAuth{
			Secret: ba.SecretRef.Name,
			Realm:  ba.Realm,
			// The backend must never see the password.
			RemoveHeader: true,
		}}))
	}
	rl := RateLimit(cr)
	mws = append(mws, middleware(cr, "ratelimit", traefikv1.MiddlewareSpec{RateLimit: &traefikv1.RateLimit{
		Average:         ptr.To(rl.Average),
		Period:          ptr.To(intstr.FromString(rl.Period)),
		Burst:           ptr.To(rl.Burst),
		SourceCriterion: sourceCriterion(rl.IPStrategy),
	}}))
	if fl := ing.InFlightReq; fl != nil {
		mws = append(mws, middleware(cr, "inflightreq", traefikv1.MiddlewareSpec{InFlightReq: &traefikv1.InFlightReq{
			Amount:          fl.Amount,
			SourceCriterion: sourceCriterion(fl.IPStrategy),
		}}))
	}
	if _, _, redirect := EntryPoints(cr); redirect {
		mws = append(mws, RedirectMiddleware(cr))
	}
	return mws, nil
}

// RedirectMiddleware answers plain HTTP with a permanent redirect to https.
func RedirectMiddleware(cr *v1alpha1.GitHubMCPServer) *traefikv1.Middleware {
	return middleware(cr, "redirect-https", traefikv1.MiddlewareSpec{RedirectScheme: &traefikv1.RedirectScheme{
		Scheme: "https", Permanent: true,
	}})
}

// routeMatch matches the MCP path exactly or below it: PathPrefix alone
// would also send /mcpfoo to the server.
func routeMatch(host, path string) string {
	return fmt.Sprintf("Host(`%s`) && (Path(`%s`) || PathPrefix(`%s/`))", host, path, strings.TrimSuffix(path, "/"))
}

// IngressRoutes returns the websecure route and, unless disabled, the web
// route that only redirects.
func IngressRoutes(cr *v1alpha1.GitHubMCPServer) ([]*traefikv1.IngressRoute, error) {
	secure, err := IngressRoute(cr)
	if err != nil {
		return nil, err
	}
	routes := []*traefikv1.IngressRoute{secure}
	if r := RedirectIngressRoute(cr); r != nil {
		routes = append(routes, r)
	}
	return routes, nil
}

// IngressRoute serves https://host/path (and the OAuth protected-resource
// metadata when the server publishes it) on the secure entry point, through
// the middleware chain, with our TLSOption. It fails rather than build a
// route without its chain: a route with no headers or rate limit must never
// exist, even for a spec the schema should have stopped.
func IngressRoute(cr *v1alpha1.GitHubMCPServer) (*traefikv1.IngressRoute, error) {
	mws, err := Middlewares(cr)
	if err != nil {
		return nil, err
	}
	host, path := cr.Spec.Ingress.Host, cr.Spec.Ingress.Path
	if path == "" {
		path = pc.DefaultMCPPath
	}
	secure, _, _ := EntryPoints(cr)
	var refs []traefikv1.MiddlewareRef
	for _, m := range mws {
		if m.Spec.RedirectScheme == nil {
			refs = append(refs, traefikv1.MiddlewareRef{Name: m.Name})
		}
	}
	svc := []traefikv1.Service{{Name: ServiceName(cr), Port: ptr.To(intstr.FromString(pc.MCPPortName))}}
	routes := []traefikv1.Route{{Match: routeMatch(host, path), Kind: "Rule", Middlewares: refs, Services: svc}}
	if PublishesProtectedResource(cr) {
		routes = append(routes, traefikv1.Route{
			Match: fmt.Sprintf("Host(`%s`) && PathPrefix(`%s`)", host, pc.ProtectedResourcePath),
			Kind:  "Rule", Middlewares: refs, Services: svc,
		})
	}
	return &traefikv1.IngressRoute{
		TypeMeta:   traefikMeta(cr, "IngressRoute"),
		ObjectMeta: ObjectMeta(cr, IngressRouteName(cr)),
		Spec: traefikv1.IngressRouteSpec{
			EntryPoints: []string{secure},
			Routes:      routes,
			TLS: &traefikv1.TLS{
				SecretName: TLSSecretName(cr),
				Options:    &traefikv1.TLSOptionRef{Name: TLSOptionName(cr), Namespace: cr.Namespace},
			},
		},
	}, nil
}

// PublishesProtectedResource reports whether the server serves OAuth
// protected-resource metadata (RFC 9728): it does with OIDC client auth.
func PublishesProtectedResource(cr *v1alpha1.GitHubMCPServer) bool {
	return cr.Spec.ClientAuth.Mode == v1alpha1.ClientAuthOIDC
}

// RedirectIngressRoute answers every plain-HTTP request for the host with a
// redirect to https (and the security headers); it never reaches the server.
// Nil when spec.ingress.entryPoints.httpRedirect is Disabled.
func RedirectIngressRoute(cr *v1alpha1.GitHubMCPServer) *traefikv1.IngressRoute {
	_, web, redirect := EntryPoints(cr)
	if !redirect {
		return nil
	}
	return &traefikv1.IngressRoute{
		TypeMeta:   traefikMeta(cr, "IngressRoute"),
		ObjectMeta: ObjectMeta(cr, RedirectIngressRouteName(cr)),
		Spec: traefikv1.IngressRouteSpec{
			EntryPoints: []string{web},
			Routes: []traefikv1.Route{{
				Match: fmt.Sprintf("Host(`%s`)", cr.Spec.Ingress.Host),
				Kind:  "Rule",
				Middlewares: []traefikv1.MiddlewareRef{
					{Name: middlewareName(cr, "headers")}, {Name: middlewareName(cr, "redirect-https")},
				},
				// The redirect answers first; Traefik's internal no-op
				// service only makes the router valid.
				Services: []traefikv1.Service{{Name: "noop@internal", Kind: "TraefikService"}},
			}},
		},
	}
}

// TLSOption accepts TLS 1.3 only, or TLS 1.2 with strong AEAD suites when
// spec.tls.minVersion is VersionTLS12, and refuses handshakes whose SNI
// matches no certificate (sniStrict).
func TLSOption(cr *v1alpha1.GitHubMCPServer) *traefikv1.TLSOption {
	spec := traefikv1.TLSOptionSpec{MinVersion: string(v1alpha1.TLSVersion13), SniStrict: true}
	if cr.Spec.TLS != nil && cr.Spec.TLS.MinVersion == v1alpha1.TLSVersion12 {
		spec.MinVersion = string(v1alpha1.TLSVersion12)
		spec.CipherSuites = append([]string(nil), StrongTLS12CipherSuites...)
	}
	return &traefikv1.TLSOption{
		TypeMeta:   traefikMeta(cr, "TLSOption"),
		ObjectMeta: ObjectMeta(cr, TLSOptionName(cr)),
		Spec:       spec,
	}
}
