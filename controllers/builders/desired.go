package builders

import (
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Desired returns every object the operator would apply for cr, in apply
// order: the core workload objects, the ServiceMonitor (with
// prometheus-operator), then the edge objects (Traefik and
// cert-manager, see EdgeObjects in traefik.go) for the enabled Features.
// `manager render` prints exactly this list; the reconciler applies the same
// builders one step at a time.
func Desired(cr *v1alpha1.GitHubMCPServer, in Inputs) ([]client.Object, error) {
	cr = WithDefaults(cr)
	core, err := CoreObjects(cr, in)
	if err != nil {
		return nil, err
	}
	if in.Features.ServiceMonitor {
		sm, err := ServiceMonitor(cr)
		if err != nil {
			return nil, err
		}
		core = append(core, sm)
	}
	edge, err := EdgeObjects(cr, in)
	if err != nil {
		return nil, err
	}
	return append(core, edge...), nil
}

// CoreObjects are the ServiceAccount, Service, NetworkPolicies, Deployment
// and (with more than one replica) PodDisruptionBudget.
func CoreObjects(cr *v1alpha1.GitHubMCPServer, in Inputs) ([]client.Object, error) {
	nps, err := NetworkPolicies(cr)
	if err != nil {
		return nil, err
	}
	d, err := Deployment(cr, in)
	if err != nil {
		return nil, err
	}
	objs := []client.Object{ServiceAccount(cr), Service(cr)}
	for _, np := range nps {
		objs = append(objs, np)
	}
	objs = append(objs, d)
	if pdb := PodDisruptionBudget(cr); pdb != nil {
		objs = append(objs, pdb)
	}
	return objs, nil
}
