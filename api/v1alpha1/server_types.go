package v1alpha1

// ClientAuthMode is how MCP clients authenticate.
// +kubebuilder:validation:Enum=oidc;apiKeys;none
type ClientAuthMode string

const (
	// ClientAuthOIDC accepts OAuth 2.1 bearer tokens (JWTs) from an issuer.
	ClientAuthOIDC ClientAuthMode = "oidc"
	// ClientAuthAPIKeys accepts static API keys whose hashes are in a Secret.
	ClientAuthAPIKeys ClientAuthMode = "apiKeys"
	// ClientAuthNone accepts everyone; only for servers that are not
	// published (the schema enforces it).
	ClientAuthNone ClientAuthMode = "none"
)

// ClientAuthSpec is how MCP clients authenticate to the server.
// +kubebuilder:validation:XValidation:rule="self.mode != 'oidc' || has(self.oidc)",message="spec.clientAuth.oidc is required when spec.clientAuth.mode is oidc"
// +kubebuilder:validation:XValidation:rule="self.mode != 'apiKeys' || has(self.apiKeysSecretRef)",message="spec.clientAuth.apiKeysSecretRef is required when spec.clientAuth.mode is apiKeys"
// +kubebuilder:validation:XValidation:rule="self.mode == 'oidc' || !has(self.oidc)",message="spec.clientAuth.oidc is only allowed when spec.clientAuth.mode is oidc"
// +kubebuilder:validation:XValidation:rule="self.mode == 'apiKeys' || !has(self.apiKeysSecretRef)",message="spec.clientAuth.apiKeysSecretRef is only allowed when spec.clientAuth.mode is apiKeys"
type ClientAuthSpec struct {
	// mode is oidc (bearer JWTs from an issuer), apiKeys (static keys) or
	// none (only for a server that is not published).
	// +required
	Mode ClientAuthMode `json:"mode"`

	// oidc configures bearer-token validation when mode is oidc.
	// +optional
	OIDC *OIDCSpec `json:"oidc,omitempty"`

	// apiKeysSecretRef is the Secret key holding the client API keys, one
	// "name:sha256:<hex>" a line, when mode is apiKeys. It is mounted as a
	// read-only file.
	// +optional
	APIKeysSecretRef *SecretKeyRef `json:"apiKeysSecretRef,omitempty"`
}

// OIDCSpec validates bearer tokens issued by an OpenID Connect provider.
type OIDCSpec struct {
	// issuer is the issuer URL (https only); its discovery document and keys
	// are fetched from there.
	// +required
	// +kubebuilder:validation:MinLength=9
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="isURL(self) && url(self).getScheme() == 'https' && url(self).getHost() != ''",message="spec.clientAuth.oidc.issuer must be an https URL"
	Issuer string `json:"issuer"`

	// audience is the token audience the server requires. Unset, it is the
	// server's public URL.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=512
	// +kubebuilder:validation:Pattern=`^[^\s,]+$`
	Audience string `json:"audience,omitempty"`
}

// HTTPSpec holds the server's HTTP-level protections.
type HTTPSpec struct {
	// allowedOrigins are the browser Origins allowed to call the MCP
	// endpoint (scheme://host[:port]); requests with any other Origin get
	// 403. Requests without an Origin header are not affected.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:items:MaxLength=253
	// +kubebuilder:validation:items:Pattern=`^https?://[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$`
	AllowedOrigins []string `json:"allowedOrigins,omitempty"`

	// trustedProxies are the CIDRs (Traefik's pod network) whose
	// X-Forwarded-For header the server believes when it finds the client
	// IP for bans and audit.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=32
	// +kubebuilder:validation:items:MaxLength=43
	// +kubebuilder:validation:items:XValidation:rule="isCIDR(self)",message="spec.http.trustedProxies entries must be CIDRs"
	TrustedProxies []string `json:"trustedProxies,omitempty"`

	// maxBodyBytes caps the size of a request body.
	// +optional
	// +kubebuilder:validation:Minimum=1024
	// +kubebuilder:validation:Maximum=16777216
	MaxBodyBytes *int64 `json:"maxBodyBytes,omitempty"`
}

// AuditDestination is where the audit log goes.
// +kubebuilder:validation:Enum=stdout;stderr
type AuditDestination string

// AuditSpec configures the server's audit log (one JSON line per tool call,
// with client identity and IP, never a token).
type AuditSpec struct {
	// destination is stdout (the default) or stderr. The root file system is
	// read-only, so a file is not offered.
	// +optional
	// +kubebuilder:default=stdout
	Destination AuditDestination `json:"destination,omitempty"`
}

// BanSpec configures abuse bans: a client IP that fails authentication
// threshold times within window (Go durations such as 90s, 10m, 1h) is refused for duration, doubling per repeat
// up to maxDuration.
// +kubebuilder:validation:XValidation:rule="!has(self.duration) || !has(self.maxDuration) || duration(self.duration) <= duration(self.maxDuration)",message="spec.bans.duration must not exceed spec.bans.maxDuration"
type BanSpec struct {
	// threshold is the number of authentication failures that trigger a ban.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=1000
	Threshold *int32 `json:"threshold,omitempty"`

	// window is the period failures are counted over.
	// +optional
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$`
	Window string `json:"window,omitempty"`

	// duration is the first ban's length.
	// +optional
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$`
	Duration string `json:"duration,omitempty"`

	// maxDuration caps the ban length for repeat offenders.
	// +optional
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:Pattern=`^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$`
	MaxDuration string `json:"maxDuration,omitempty"`

	// denyCIDRs are refused outright, like a static fail2ban jail.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=256
	// +kubebuilder:validation:items:MaxLength=43
	// +kubebuilder:validation:items:XValidation:rule="isCIDR(self)",message="spec.bans.denyCIDRs entries must be CIDRs"
	DenyCIDRs []string `json:"denyCIDRs,omitempty"`
}
