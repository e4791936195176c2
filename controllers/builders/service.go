package builders

import (
	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// ServiceAccount is the pods' identity. It carries no token: the server never
// talks to the Kubernetes API.
func ServiceAccount(cr *v1alpha1.GitHubMCPServer) *corev1.ServiceAccount {
	return &corev1.ServiceAccount{
		TypeMeta:                     metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"},
		ObjectMeta:                   ObjectMeta(cr, ServiceAccountName(cr)),
		AutomountServiceAccountToken: ptr.To(false),
	}
}

// Service is a ClusterIP Service (never NodePort or LoadBalancer: Traefik is
// the only way in) with a named MCP port and a named metrics port.
func Service(cr *v1alpha1.GitHubMCPServer) *corev1.Service {
	return &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: ObjectMeta(cr, ServiceName(cr)),
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeClusterIP,
			Selector: SelectorLabels(cr),
			Ports: []corev1.ServicePort{
				{Name: pc.MCPPortName, Port: pc.MCPPort, TargetPort: intstr.FromString(pc.MCPPortName), Protocol: corev1.ProtocolTCP, AppProtocol: ptr.To("http")},
				{Name: pc.MetricsPortName, Port: pc.MetricsPort, TargetPort: intstr.FromString(pc.MetricsPortName), Protocol: corev1.ProtocolTCP, AppProtocol: ptr.To("http")},
			},
		},
	}
}
