package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// DefaultImage is the server image used when spec.image is unset. It is built
// from this repository's Dockerfile. Keep it equal to the +kubebuilder:default
// marker on GitHubMCPServerSpec.Image.
const DefaultImage = "ghcr.io/github-mcp-operator/github-mcp-server:v0.1.0"

// GitHubMCPServerSpec is the desired state of one GitHub MCP server.
// +kubebuilder:validation:XValidation:rule="!has(self.clientAuth) || self.clientAuth.mode != 'none' || !has(self.ingress) || self.ingress.mode == 'Disabled'",message="spec.clientAuth.mode none is only allowed when spec.ingress is absent or its mode is Disabled: a published server must authenticate its clients"
type GitHubMCPServerSpec struct {
	// image is the server's container image: a tag (repo:tag) or, to pin it,
	// a digest (repo@sha256:<64 hex>, optionally repo:tag@sha256:...).
	// +optional
	// +kubebuilder:default="ghcr.io/github-mcp-operator/github-mcp-server:v0.1.0"
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:Pattern=`^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$`
	// +kubebuilder:validation:XValidation:rule="self.contains('@sha256:') || self.matches(':[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$')",message="spec.image must carry a tag or a sha256 digest"
	Image string `json:"image,omitempty"`

	// imagePullPolicy is the container's pull policy: Always, IfNotPresent
	// or Never. Unset, Kubernetes picks one from the image reference.
	// +optional
	// +kubebuilder:validation:Enum=Always;IfNotPresent;Never
	ImagePullPolicy corev1.PullPolicy `json:"imagePullPolicy,omitempty"`

	// imagePullSecrets names Secrets in the CR's namespace used to pull the
	// image.
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=8
	ImagePullSecrets []corev1.LocalObjectReference `json:"imagePullSecrets,omitempty"`

	// replicas is the number of server pods. Unset, the operator leaves the
	// Deployment's replica count to others (e.g. a HorizontalPodAutoscaler);
	// Kubernetes starts one. A PodDisruptionBudget is created when replicas
	// is greater than 1.
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=50
	Replicas *int32 `json:"replicas,omitempty"`

	// resources are the container's compute resources. The default is
	// requests cpu 50m / memory 64Mi and limits cpu 500m / memory 256Mi.
	// +optional
	// +kubebuilder:default={requests:{cpu:"50m",memory:"64Mi"},limits:{cpu:"500m",memory:"256Mi"}}
	Resources *corev1.ResourceRequirements `json:"resources,omitempty"`

	// github configures the connection to GitHub: host, credential and tools.
	// +required
	GitHub GitHubSpec `json:"github"`

	// ingress publishes the server through Traefik. Unset, no routes are
	// created (as with mode Disabled).
	// +optional
	Ingress *IngressSpec `json:"ingress,omitempty"`

	// tls is where the certificate for spec.ingress.host comes from.
	// +optional
	TLS *TLSSpec `json:"tls,omitempty"`

	// networkPolicy tunes the NetworkPolicies that isolate the server pods.
	// +optional
	// +kubebuilder:default={}
	NetworkPolicy *NetworkPolicySpec `json:"networkPolicy,omitempty"`

	// clientAuth is how MCP clients authenticate to the server.
	// +required
	ClientAuth ClientAuthSpec `json:"clientAuth"`

	// http holds the server's HTTP-level protections: allowed Origins,
	// trusted proxies and the request body limit.
	// +optional
	HTTP *HTTPSpec `json:"http,omitempty"`

	// audit configures the server's audit log.
	// +optional
	Audit *AuditSpec `json:"audit,omitempty"`

	// bans configures the server's abuse bans (the fail2ban counterpart).
	// +optional
	Bans *BanSpec `json:"bans,omitempty"`

	// suspend is an emergency stop: true scales the server to zero and
	// withdraws its routes; false or unset resumes.
	// +optional
	Suspend bool `json:"suspend,omitempty"`
}

// GitHubMCPServerStatus is the observed state of a GitHubMCPServer.
type GitHubMCPServerStatus struct {
	// conditions are Ready (the summary), Reconciling and Stalled (kstatus),
	// and one per dependency: CredentialsReady, WorkloadReady and, with an
	// ingress, IngressReady and CertificateReady.
	// +optional
	// +listType=map
	// +listMapKey=type
	// +kubebuilder:validation:MaxItems=32
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// observedGeneration is the spec generation the last completed pass
	// evaluated.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// url is where MCP clients connect, e.g. https://mcp.example.com/mcp.
	// +optional
	// +kubebuilder:validation:MaxLength=512
	URL string `json:"url,omitempty"`

	// readyReplicas is the number of server pods that are ready.
	// +optional
	ReadyReplicas int32 `json:"readyReplicas,omitempty"`

	// certificateNotAfter is when the served certificate expires, from the
	// cert-manager Certificate's status (or the tls.crt of
	// spec.tls.secretName). Added by the edge (issue 4).
	// +optional
	CertificateNotAfter *metav1.Time `json:"certificateNotAfter,omitempty"`
}

// GitHubMCPServer runs one hardened GitHub MCP server, reachable only through
// Traefik, with its GitHub credential mounted as a file.
//
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=ghmcp,categories=mcp
// +kubebuilder:printcolumn:name="Ready",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].status`
// +kubebuilder:printcolumn:name="URL",type=string,JSONPath=`.status.url`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
// +kubebuilder:printcolumn:name="Message",type=string,priority=1,JSONPath=`.status.conditions[?(@.type=="Ready")].message`
// +kubebuilder:validation:XValidation:rule="self.metadata.name.size() <= 40 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",message="metadata.name must be a DNS-1035 label of at most 40 characters (it names the Service and other objects)"
type GitHubMCPServer struct {
	metav1.TypeMeta `json:",inline"`
	// metadata is the standard object metadata.
	// +optional
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// spec is the desired state.
	// +required
	Spec GitHubMCPServerSpec `json:"spec"`

	// status is the observed state.
	// +optional
	Status GitHubMCPServerStatus `json:"status,omitempty"`
}

// GitHubMCPServerList is a list of GitHubMCPServer.
//
// +kubebuilder:object:root=true
type GitHubMCPServerList struct {
	metav1.TypeMeta `json:",inline"`
	// +optional
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []GitHubMCPServer `json:"items"`
}
