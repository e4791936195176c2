package builders

import (
	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// ServiceMonitorGVK is prometheus-operator's ServiceMonitor. It is built as
// an unstructured object so the operator needs no dependency on
// prometheus-operator's Go module for one small object.
var ServiceMonitorGVK = schema.GroupVersionKind{Group: "monitoring.coreos.com", Version: "v1", Kind: "ServiceMonitor"}

// ServiceMonitorName names the ServiceMonitor of an instance.
func ServiceMonitorName(cr *v1alpha1.GitHubMCPServer) string { return cr.Name }

// ServiceMonitor asks prometheus-operator to scrape the metrics port of the
// instance's Service. The NetworkPolicy admits the scrape only from
// spec.networkPolicy.monitoring, so that selector must match Prometheus.
func ServiceMonitor(cr *v1alpha1.GitHubMCPServer) (*unstructured.Unstructured, error) {
	meta := ObjectMeta(cr, ServiceMonitorName(cr))
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&meta)
	if err != nil {
		return nil, err
	}
	delete(m, "creationTimestamp")
	sel, err := runtime.DefaultUnstructuredConverter.ToUnstructured(&metav1.LabelSelector{MatchLabels: SelectorLabels(cr)})
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{Object: map[string]any{
		"metadata": m,
		"spec": map[string]any{
			"selector":          sel,
			"namespaceSelector": map[string]any{"matchNames": []any{cr.Namespace}},
			"endpoints": []any{map[string]any{
				"port":     pc.MetricsPortName,
				"path":     pc.MetricsPath,
				"scheme":   "http",
				"interval": "30s",
			}},
		},
	}}
	u.SetGroupVersionKind(ServiceMonitorGVK)
	return u, nil
}
