package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// Owner: the edge engineer (issue 4). The core reconcile reads mode, host,
// path and traefik; the edge reconcile (controllers/edge_*.go) reads the rest.

// IngressMode says whether the operator publishes the server through Traefik.
// +kubebuilder:validation:Enum=Traefik;Disabled
type IngressMode string

const (
	// IngressModeTraefik publishes the server at https://host/path through
	// Traefik (IngressRoute, Middlewares, TLSOption, certificate).
	IngressModeTraefik IngressMode = "Traefik"
	// IngressModeDisabled creates no routes. The MCP port still accepts
	// traffic only from the Traefik selector, so a route managed elsewhere
	// keeps working and nothing else can reach the pods.
	IngressModeDisabled IngressMode = "Disabled"
)

// IngressSpec is how clients reach the server: only through Traefik.
// +kubebuilder:validation:XValidation:rule="self.mode != 'Traefik' || has(self.host)",message="spec.ingress.host is required when spec.ingress.mode is Traefik"
type IngressSpec struct {
	// mode is Traefik (publish the server through Traefik, the default) or
	// Disabled (create no routes).
	// +optional
	// +kubebuilder:default=Traefik
	Mode IngressMode `json:"mode,omitempty"`

	// host is the public DNS name clients use, e.g. mcp.example.com. It must
	// be a lowercase DNS-1123 subdomain; wildcards are not allowed.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Host string `json:"host,omitempty"`

	// path is the URL path of the MCP endpoint. It must start with a slash,
	// contain only URL-safe characters and no "..", "//" or trailing slash.
	// +optional
	// +kubebuilder:default="/mcp"
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:Pattern=`^/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$`
	// +kubebuilder:validation:XValidation:rule="!self.split('/').exists(s, s == '..' || s == '.')",message="spec.ingress.path must not contain '.' or '..' segments"
	Path string `json:"path,omitempty"`

	// traefik selects the Traefik pods allowed to reach the MCP port. The
	// NetworkPolicy admits MCP traffic from these pods only.
	// +optional
	// +kubebuilder:default={namespaceSelector:{matchLabels:{"kubernetes.io/metadata.name":"traefik"}},podSelector:{matchLabels:{"app.kubernetes.io/name":"traefik"}}}
	Traefik *PeerSelector `json:"traefik,omitempty"`

	// entryPoints names the Traefik entry points the routes attach to.
	// +optional
	// +kubebuilder:default={}
	EntryPoints *EntryPointsSpec `json:"entryPoints,omitempty"`

	// rateLimit caps requests per client IP. The default is 100 requests a
	// minute with bursts of 50.
	// +optional
	// +kubebuilder:default={}
	RateLimit *RateLimitSpec `json:"rateLimit,omitempty"`

	// headers tunes the security headers set on every response, including
	// Traefik's own 429 and 403 answers.
	// +optional
	Headers *HeadersSpec `json:"headers,omitempty"`

	// ipAllowList, when set, admits only clients whose IP is in sourceRange;
	// others get 403.
	// +optional
	IPAllowList *IPAllowListSpec `json:"ipAllowList,omitempty"`

	// basicAuth, when set, puts HTTP basic authentication in front of the
	// server (in addition to the server's own client authentication).
	// +optional
	BasicAuth *BasicAuthSpec `json:"basicAuth,omitempty"`

	// inFlightReq, when set, caps the concurrent requests per client IP.
	// +optional
	InFlightReq *InFlightReqSpec `json:"inFlightReq,omitempty"`
}

// HTTPRedirect says whether plain HTTP is answered with a redirect to https.
// +kubebuilder:validation:Enum=Enabled;Disabled
type HTTPRedirect string

const (
	HTTPRedirectEnabled  HTTPRedirect = "Enabled"
	HTTPRedirectDisabled HTTPRedirect = "Disabled"
)

// EntryPointsSpec names Traefik entry points. The MCP route is served only on
// the secure one; the plain one only ever redirects to https.
type EntryPointsSpec struct {
	// secure is the TLS entry point serving the MCP route.
	// +optional
	// +kubebuilder:default=websecure
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9][-A-Za-z0-9_]*$`
	Secure string `json:"secure,omitempty"`

	// web is the plain-HTTP entry point on which requests to the host are
	// redirected to https.
	// +optional
	// +kubebuilder:default=web
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9][-A-Za-z0-9_]*$`
	Web string `json:"web,omitempty"`

	// httpRedirect is Enabled (the default: a route on web answers with a
	// permanent redirect to https) or Disabled (no route on web).
	// +optional
	// +kubebuilder:default=Enabled
	HTTPRedirect HTTPRedirect `json:"httpRedirect,omitempty"`
}

// IPStrategy says how the client IP is found behind load balancers.
type IPStrategy struct {
	// depth is the position, counted from the right, of the client IP in
	// X-Forwarded-For. 0 (the default) uses the connection's remote address;
	// set it to the number of trusted proxies in front of Traefik.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=16
	Depth int32 `json:"depth,omitempty"`
}

// RateLimitSpec is a token bucket per client IP: average requests per
// period, with bursts of up to burst requests.
type RateLimitSpec struct {
	// average is the number of requests allowed per period, on average.
	// +optional
	// +kubebuilder:default=100
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=1000000
	Average int64 `json:"average,omitempty"`

	// period is the time unit of average, a Go duration such as 1s, 1m or 1h.
	// +optional
	// +kubebuilder:default="1m"
	// +kubebuilder:validation:MaxLength=16
	// +kubebuilder:validation:Pattern=`^([0-9]{1,6}(ms|s|m|h))+$`
	// +kubebuilder:validation:XValidation:rule="duration(self) >= duration('1s') && duration(self) <= duration('24h')",message="spec.ingress.rateLimit.period must be between 1s and 24h"
	Period string `json:"period,omitempty"`

	// burst is the largest number of requests let through at once.
	// +optional
	// +kubebuilder:default=50
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=1000000
	Burst int64 `json:"burst,omitempty"`

	// ipStrategy finds the client IP the bucket is keyed by.
	// +optional
	IPStrategy *IPStrategy `json:"ipStrategy,omitempty"`
}

// HeadersSpec tunes the security headers. HSTS (with includeSubDomains and
// preload), X-Frame-Options DENY, nosniff, the XSS filter and
// Referrer-Policy strict-origin-when-cross-origin are always set.
type HeadersSpec struct {
	// contentSecurityPolicy replaces the default policy, "default-src 'none';
	// frame-ancestors 'none'; base-uri 'none'; form-action 'none'", which
	// suits an API that serves no pages.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="!self.contains('\\n') && !self.contains('\\r')",message="spec.ingress.headers.contentSecurityPolicy must be a single line"
	ContentSecurityPolicy string `json:"contentSecurityPolicy,omitempty"`

	// hstsMaxAgeSeconds is the Strict-Transport-Security max-age; default one
	// year, at least one day.
	// +optional
	// +kubebuilder:default=31536000
	// +kubebuilder:validation:Minimum=86400
	// +kubebuilder:validation:Maximum=63072000
	HSTSMaxAgeSeconds int64 `json:"hstsMaxAgeSeconds,omitempty"`
}

// IPAllowListSpec admits only the listed client addresses.
type IPAllowListSpec struct {
	// sourceRange lists the allowed IPs and CIDRs, e.g. 203.0.113.0/24.
	// +required
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=64
	// +kubebuilder:validation:items:MaxLength=43
	// +kubebuilder:validation:XValidation:rule="self.all(r, isCIDR(r) || isIP(r))",message="spec.ingress.ipAllowList.sourceRange entries must be IP addresses or CIDRs"
	// +listType=set
	SourceRange []string `json:"sourceRange"`

	// ipStrategy finds the client IP that is checked.
	// +optional
	IPStrategy *IPStrategy `json:"ipStrategy,omitempty"`
}

// BasicAuthSpec is HTTP basic authentication from an htpasswd Secret.
type BasicAuthSpec struct {
	// secretRef names a Secret in the CR's namespace whose "users" key holds
	// htpasswd lines (user:hash). Only bcrypt hashes ($2y$, $2a$, $2b$) are
	// accepted; anything else is reported in the IngressReady condition.
	// +required
	SecretRef LocalSecretRef `json:"secretRef"`

	// realm is the realm sent in WWW-Authenticate.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9 ._-]*$`
	Realm string `json:"realm,omitempty"`
}

// LocalSecretRef names a Secret in the CR's namespace.
type LocalSecretRef struct {
	// name is the Secret's name.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Name string `json:"name"`
}

// InFlightReqSpec caps concurrent requests per client IP.
type InFlightReqSpec struct {
	// amount is the largest number of requests a client may have in flight;
	// more get 429.
	// +required
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100000
	Amount int64 `json:"amount"`

	// ipStrategy finds the client IP the cap is keyed by.
	// +optional
	IPStrategy *IPStrategy `json:"ipStrategy,omitempty"`
}

// PeerSelector selects pods in namespaces, as a NetworkPolicy peer does. Both
// selectors apply together (pods matching podSelector in namespaces matching
// namespaceSelector).
type PeerSelector struct {
	// namespaceSelector selects the namespaces of the peer pods. An empty
	// selector matches every namespace, so it is required and must not be
	// empty.
	// +required
	// +kubebuilder:validation:XValidation:rule="(has(self.matchLabels) && size(self.matchLabels) > 0) || (has(self.matchExpressions) && size(self.matchExpressions) > 0)",message="namespaceSelector must not be empty: an empty selector matches every namespace"
	NamespaceSelector metav1.LabelSelector `json:"namespaceSelector"`

	// podSelector selects the peer pods inside those namespaces. When unset
	// every pod of the selected namespaces is a peer.
	// +optional
	PodSelector *metav1.LabelSelector `json:"podSelector,omitempty"`
}
