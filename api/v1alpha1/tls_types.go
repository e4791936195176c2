package v1alpha1

// Owner: the edge engineer (issue 4). The edge reconcile
// (controllers/edge_*.go) turns this into a cert-manager Issuer or
// ClusterIssuer and Certificate, or uses a certificate managed elsewhere, and
// into the Traefik TLSOption.

// TLSVersion is the lowest TLS version Traefik accepts.
// +kubebuilder:validation:Enum=VersionTLS13;VersionTLS12
type TLSVersion string

const (
	// TLSVersion13 accepts TLS 1.3 only (the default).
	TLSVersion13 TLSVersion = "VersionTLS13"
	// TLSVersion12 also accepts TLS 1.2, with ECDHE and AEAD cipher suites
	// only (AES-GCM, ChaCha20-Poly1305), for clients that cannot do 1.3.
	TLSVersion12 TLSVersion = "VersionTLS12"
)

// Let's Encrypt's ACME directories.
const (
	LetsEncryptProduction = "https://acme-v02.api.letsencrypt.org/directory"
	LetsEncryptStaging    = "https://acme-staging-v02.api.letsencrypt.org/directory"
)

// TLSSpec says where the certificate for spec.ingress.host comes from:
// exactly one of acme, issuerRef and secretName.
// +kubebuilder:validation:XValidation:rule="[has(self.acme), has(self.issuerRef), has(self.secretName)].filter(x, x).size() == 1",message="spec.tls must set exactly one of acme, issuerRef and secretName"
type TLSSpec struct {
	// acme makes the operator create an ACME Issuer (or ClusterIssuer) that
	// solves DNS-01 challenges in Route 53, and a Certificate for the host.
	// +optional
	ACME *ACMESpec `json:"acme,omitempty"`

	// issuerRef uses an existing cert-manager Issuer or ClusterIssuer; the
	// operator creates only the Certificate.
	// +optional
	IssuerRef *IssuerRef `json:"issuerRef,omitempty"`

	// secretName names a kubernetes.io/tls Secret in the CR's namespace that
	// holds a certificate managed elsewhere.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	SecretName string `json:"secretName,omitempty"`

	// minVersion is the lowest TLS version accepted: VersionTLS13 (the
	// default) or VersionTLS12 (opt-in, strong AEAD cipher suites only).
	// +optional
	// +kubebuilder:default=VersionTLS13
	MinVersion TLSVersion `json:"minVersion,omitempty"`
}

// ACMESpec is an ACME account solving DNS-01 challenges in Route 53.
// +kubebuilder:validation:XValidation:rule="self.clusterIssuer || has(self.route53.accessKeyID) || has(self.route53.serviceAccountRef)",message="spec.tls.acme.route53 with role only uses ambient AWS credentials, which a namespaced Issuer cannot use: set spec.tls.acme.clusterIssuer to true, or add accessKeyID with secretAccessKeySecretRef, or serviceAccountRef"
type ACMESpec struct {
	// email is the ACME account's contact address (expiry notices).
	// +required
	// +kubebuilder:validation:MinLength=3
	// +kubebuilder:validation:MaxLength=254
	// +kubebuilder:validation:Pattern=`^[^@\s]+@[^@\s]+\.[^@\s]+$`
	Email string `json:"email"`

	// server is the ACME directory URL. The default is Let's Encrypt
	// production; https://acme-staging-v02.api.letsencrypt.org/directory is
	// its staging directory. Any https ACME directory works.
	// +optional
	// +kubebuilder:default="https://acme-v02.api.letsencrypt.org/directory"
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() == 'https' && url(self).getHost() != ''",message="spec.tls.acme.server must be an https URL"
	Server string `json:"server,omitempty"`

	// route53 is where DNS-01 challenge records are written.
	// +required
	Route53 Route53Spec `json:"route53"`

	// clusterIssuer makes a cluster-scoped ClusterIssuer instead of an
	// Issuer in the CR's namespace. Needed for ambient AWS credentials (the
	// cert-manager pod's own IAM role). With static keys, the Secret must then
	// live in cert-manager's cluster resource namespace.
	// +optional
	ClusterIssuer bool `json:"clusterIssuer,omitempty"`
}

// Route53Spec is the Route 53 DNS-01 solver. Credentials are one of: static
// keys (accessKeyID with secretAccessKeySecretRef, optionally with a role to
// assume), serviceAccountRef with role (IRSA-style web identity), or role
// alone (ambient credentials; ClusterIssuer only).
// +kubebuilder:validation:XValidation:rule="has(self.accessKeyID) == has(self.secretAccessKeySecretRef)",message="spec.tls.acme.route53.accessKeyID and spec.tls.acme.route53.secretAccessKeySecretRef must be set together"
// +kubebuilder:validation:XValidation:rule="!(has(self.accessKeyID) && has(self.serviceAccountRef))",message="spec.tls.acme.route53 must use one credential source: static keys (accessKeyID, secretAccessKeySecretRef) or serviceAccountRef, not both"
// +kubebuilder:validation:XValidation:rule="!has(self.serviceAccountRef) || has(self.role)",message="spec.tls.acme.route53.role is required with serviceAccountRef: it is the IAM role assumed with the ServiceAccount's token"
// +kubebuilder:validation:XValidation:rule="has(self.accessKeyID) || has(self.serviceAccountRef) || has(self.role)",message="spec.tls.acme.route53 needs credentials: accessKeyID with secretAccessKeySecretRef, serviceAccountRef with role, or role"
type Route53Spec struct {
	// region is the AWS region used to sign requests, e.g. us-east-1.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:Pattern=`^[a-z]{2}(-[a-z]+)+-[0-9]+$`
	Region string `json:"region"`

	// hostedZoneID is the Route 53 hosted zone of the host, e.g.
	// Z0123456789ABCDEFGHIJ. Set it to spare the ListHostedZonesByName lookup
	// and to confine the solver to one zone.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:Pattern=`^Z[A-Z0-9]+$`
	HostedZoneID string `json:"hostedZoneID,omitempty"`

	// accessKeyID is a static AWS access key ID (not a secret by itself).
	// +optional
	// +kubebuilder:validation:MinLength=16
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:Pattern=`^[A-Z0-9]+$`
	AccessKeyID string `json:"accessKeyID,omitempty"`

	// secretAccessKeySecretRef is the Secret key holding the static secret
	// access key. For an Issuer the Secret is in the CR's namespace; for a
	// ClusterIssuer, in cert-manager's cluster resource namespace.
	// +optional
	SecretAccessKeySecretRef *SecretKeyRef `json:"secretAccessKeySecretRef,omitempty"`

	// serviceAccountRef names a ServiceAccount (in the Issuer's namespace)
	// whose bound token cert-manager exchanges for role's credentials. RBAC
	// must let cert-manager create tokens for it.
	// +optional
	ServiceAccountRef *ServiceAccountRef `json:"serviceAccountRef,omitempty"`

	// role is the ARN of an IAM role to assume.
	// +optional
	// +kubebuilder:validation:MinLength=20
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$`
	Role string `json:"role,omitempty"`
}

// ServiceAccountRef names a ServiceAccount and the token audiences.
type ServiceAccountRef struct {
	// name is the ServiceAccount's name.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Name string `json:"name"`

	// audiences are the token audiences; cert-manager's default is
	// sts.amazonaws.com.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=8
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=253
	Audiences []string `json:"audiences,omitempty"`
}

// IssuerKind is the kind of a referenced cert-manager issuer.
// +kubebuilder:validation:Enum=Issuer;ClusterIssuer
type IssuerKind string

const (
	IssuerKindIssuer        IssuerKind = "Issuer"
	IssuerKindClusterIssuer IssuerKind = "ClusterIssuer"
)

// IssuerRef names an existing cert-manager issuer.
type IssuerRef struct {
	// name is the issuer's name.
	// +required
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Name string `json:"name"`

	// kind is Issuer (in the CR's namespace, the default) or ClusterIssuer.
	// +optional
	// +kubebuilder:default=Issuer
	Kind IssuerKind `json:"kind,omitempty"`

	// group is the issuer's API group; cert-manager.io by default, another
	// group for external issuers.
	// +optional
	// +kubebuilder:default=cert-manager.io
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	Group string `json:"group,omitempty"`
}
