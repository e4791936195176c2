package v1alpha1

// Owner: the edge engineer (issue 4) extends TLSSpec with acme and issuerRef
// and a CEL rule that exactly one of acme, issuerRef and secretName is set.

// TLSSpec says where the certificate for spec.ingress.host comes from.
type TLSSpec struct {
	// secretName names a kubernetes.io/tls Secret in the CR's namespace that
	// holds a certificate managed elsewhere.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`
	SecretName string `json:"secretName,omitempty"`
}
