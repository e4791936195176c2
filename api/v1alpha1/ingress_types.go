package v1alpha1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// Owner: the edge engineer (issue 4) extends this file with the Traefik
// settings (entry points, rate limit, headers, allow lists, ...). The core
// reconcile reads mode, host, path and traefik.

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
