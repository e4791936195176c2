package builders

import (
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Features says which optional integrations are available: the operator
// detects their CRDs at start-up (or a flag decides). Builders for an absent
// integration produce nothing.
type Features struct {
	// Traefik: traefik.io/v1alpha1 IngressRoute, Middleware, TLSOption.
	Traefik bool
	// CertManager: cert-manager.io/v1 Issuer, ClusterIssuer, Certificate.
	CertManager bool
	// ServiceMonitor: monitoring.coreos.com/v1 ServiceMonitor.
	ServiceMonitor bool
}

// Inputs are everything besides the CR that decides the desired objects.
type Inputs struct {
	// Features are the optional integrations available.
	Features Features
	// SecretVersions maps each Secret key the pods mount ("name/key") to a
	// version of its content (the reconciler uses a digest of the data). It
	// feeds the pod-template restart hash, so a change to what the pods read
	// rolls them, and nothing else does. Empty when rendering offline.
	SecretVersions map[string]string
}

// Names and label keys shared by every builder.
const (
	// AppName is app.kubernetes.io/name of every object.
	AppName = "github-mcp-server"
	// ManagedBy is app.kubernetes.io/managed-by of every object.
	ManagedBy = "github-mcp-operator"
	// ContainerName is the server container's name.
	ContainerName = "github-mcp-server"
	// RestartHashAnnotation on the pod template holds the hash of the inputs
	// that must restart the pods (the content of the mounted Secret keys).
	RestartHashAnnotation = "mcp.githubmcp.dev/restart-hash"

	LabelName      = "app.kubernetes.io/name"
	LabelInstance  = "app.kubernetes.io/instance"
	LabelComponent = "app.kubernetes.io/component"
	LabelPartOf    = "app.kubernetes.io/part-of"
	LabelManagedBy = "app.kubernetes.io/managed-by"
)

// SelectorLabels select the pods of one instance. They are immutable in a
// Deployment, so they never change.
func SelectorLabels(cr *v1alpha1.GitHubMCPServer) map[string]string {
	return map[string]string{LabelName: AppName, LabelInstance: cr.Name}
}

// Labels are set on every object of one instance.
func Labels(cr *v1alpha1.GitHubMCPServer) map[string]string {
	l := SelectorLabels(cr)
	l[LabelComponent] = "mcp-server"
	l[LabelPartOf] = ManagedBy
	l[LabelManagedBy] = ManagedBy
	return l
}

// ObjectMeta is the metadata of a namespaced object owned by cr.
func ObjectMeta(cr *v1alpha1.GitHubMCPServer, name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{
		Name:            name,
		Namespace:       cr.Namespace,
		Labels:          Labels(cr),
		OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(cr, v1alpha1.GroupVersion.WithKind("GitHubMCPServer"))},
	}
}

// Object names, derived from the CR name (at most 40 characters, enforced by
// the schema) so every suffix stays within the 63-character limits.
func DeploymentName(cr *v1alpha1.GitHubMCPServer) string     { return cr.Name }
func ServiceName(cr *v1alpha1.GitHubMCPServer) string        { return cr.Name }
func ServiceAccountName(cr *v1alpha1.GitHubMCPServer) string { return cr.Name }
func PDBName(cr *v1alpha1.GitHubMCPServer) string            { return cr.Name }
func DenyAllPolicyName(cr *v1alpha1.GitHubMCPServer) string  { return cr.Name + "-default-deny" }
func IngressPolicyName(cr *v1alpha1.GitHubMCPServer) string  { return cr.Name + "-ingress" }
func EgressPolicyName(cr *v1alpha1.GitHubMCPServer) string   { return cr.Name + "-egress" }
