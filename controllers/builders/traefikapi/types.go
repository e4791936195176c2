package traefikapi

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// GroupVersion is traefik.io/v1alpha1.
var GroupVersion = schema.GroupVersion{Group: "traefik.io", Version: "v1alpha1"}

// AddToScheme registers the kinds of this package.
func AddToScheme(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion,
		&IngressRoute{}, &IngressRouteList{},
		&Middleware{}, &MiddlewareList{},
		&TLSOption{}, &TLSOptionList{},
	)
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}

// +kubebuilder:object:root=true

// IngressRoute is Traefik's HTTP router resource.
type IngressRoute struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              IngressRouteSpec `json:"spec"`
}

// +kubebuilder:object:root=true

// IngressRouteList is a list of IngressRoute.
type IngressRouteList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []IngressRoute `json:"items"`
}

// IngressRouteSpec is the routes and their TLS settings.
type IngressRouteSpec struct {
	Routes      []Route  `json:"routes"`
	EntryPoints []string `json:"entryPoints,omitempty"`
	TLS         *TLS     `json:"tls,omitempty"`
}

// Route is one rule with its middlewares and backends.
type Route struct {
	Match       string          `json:"match"`
	Kind        string          `json:"kind,omitempty"`
	Priority    int             `json:"priority,omitempty"`
	Services    []Service       `json:"services,omitempty"`
	Middlewares []MiddlewareRef `json:"middlewares,omitempty"`
}

// Service is a route's backend: a Kubernetes Service or a TraefikService.
type Service struct {
	Name      string              `json:"name"`
	Kind      string              `json:"kind,omitempty"`
	Namespace string              `json:"namespace,omitempty"`
	Port      *intstr.IntOrString `json:"port,omitempty"`
	Scheme    string              `json:"scheme,omitempty"`
}

// MiddlewareRef names a Middleware.
type MiddlewareRef struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

// TLS is a route's TLS termination.
type TLS struct {
	SecretName string        `json:"secretName,omitempty"`
	Options    *TLSOptionRef `json:"options,omitempty"`
}

// TLSOptionRef names a TLSOption.
type TLSOptionRef struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
}

// +kubebuilder:object:root=true

// Middleware is Traefik's HTTP middleware resource; exactly one kind is set.
type Middleware struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              MiddlewareSpec `json:"spec"`
}

// +kubebuilder:object:root=true

// MiddlewareList is a list of Middleware.
type MiddlewareList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Middleware `json:"items"`
}

// MiddlewareSpec holds one middleware configuration.
type MiddlewareSpec struct {
	Headers        *Headers        `json:"headers,omitempty"`
	IPAllowList    *IPAllowList    `json:"ipAllowList,omitempty"`
	BasicAuth      *BasicAuth      `json:"basicAuth,omitempty"`
	RateLimit      *RateLimit      `json:"rateLimit,omitempty"`
	InFlightReq    *InFlightReq    `json:"inFlightReq,omitempty"`
	RedirectScheme *RedirectScheme `json:"redirectScheme,omitempty"`
}

// Headers sets response headers, security headers among them.
type Headers struct {
	CustomResponseHeaders map[string]string `json:"customResponseHeaders,omitempty"`
	STSSeconds            int64             `json:"stsSeconds,omitempty"`
	STSIncludeSubdomains  bool              `json:"stsIncludeSubdomains,omitempty"`
	STSPreload            bool              `json:"stsPreload,omitempty"`
	ForceSTSHeader        bool              `json:"forceSTSHeader,omitempty"`
	FrameDeny             bool              `json:"frameDeny,omitempty"`
	ContentTypeNosniff    bool              `json:"contentTypeNosniff,omitempty"`
	BrowserXSSFilter      bool              `json:"browserXssFilter,omitempty"`
	ContentSecurityPolicy string            `json:"contentSecurityPolicy,omitempty"`
	ReferrerPolicy        string            `json:"referrerPolicy,omitempty"`
	PermissionsPolicy     string            `json:"permissionsPolicy,omitempty"`
}

// IPStrategy finds the client IP (depth hops from the right of
// X-Forwarded-For; 0 is the connection's address).
type IPStrategy struct {
	Depth       int      `json:"depth,omitempty"`
	ExcludedIPs []string `json:"excludedIPs,omitempty"`
}

// SourceCriterion keys a limit.
type SourceCriterion struct {
	IPStrategy *IPStrategy `json:"ipStrategy,omitempty"`
}

// IPAllowList admits only sourceRange.
type IPAllowList struct {
	SourceRange      []string    `json:"sourceRange,omitempty"`
	IPStrategy       *IPStrategy `json:"ipStrategy,omitempty"`
	RejectStatusCode int         `json:"rejectStatusCode,omitempty"`
}

// BasicAuth checks users from a Secret's "users" key (htpasswd lines).
type BasicAuth struct {
	Secret       string `json:"secret,omitempty"`
	Realm        string `json:"realm,omitempty"`
	RemoveHeader bool   `json:"removeHeader,omitempty"`
}

// RateLimit is a token bucket per source.
type RateLimit struct {
	Average         *int64              `json:"average,omitempty"`
	Period          *intstr.IntOrString `json:"period,omitempty"`
	Burst           *int64              `json:"burst,omitempty"`
	SourceCriterion *SourceCriterion    `json:"sourceCriterion,omitempty"`
}

// InFlightReq caps concurrent requests per source.
type InFlightReq struct {
	Amount          int64            `json:"amount,omitempty"`
	SourceCriterion *SourceCriterion `json:"sourceCriterion,omitempty"`
}

// RedirectScheme redirects to another scheme.
type RedirectScheme struct {
	Scheme    string `json:"scheme,omitempty"`
	Port      string `json:"port,omitempty"`
	Permanent bool   `json:"permanent,omitempty"`
}

// +kubebuilder:object:root=true

// TLSOption is Traefik's TLS settings resource.
type TLSOption struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              TLSOptionSpec `json:"spec"`
}

// +kubebuilder:object:root=true

// TLSOptionList is a list of TLSOption.
type TLSOptionList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []TLSOption `json:"items"`
}

// TLSOptionSpec is the TLS handshake policy.
type TLSOptionSpec struct {
	MinVersion       string   `json:"minVersion,omitempty"`
	MaxVersion       string   `json:"maxVersion,omitempty"`
	CipherSuites     []string `json:"cipherSuites,omitempty"`
	CurvePreferences []string `json:"curvePreferences,omitempty"`
	SniStrict        bool     `json:"sniStrict,omitempty"`
	ALPNProtocols    []string `json:"alpnProtocols,omitempty"`
}
