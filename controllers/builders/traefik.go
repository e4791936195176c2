package builders

import (
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Owner: the edge engineer (issue 4). This file is the hook for the edge
// builders: EdgeObjects returns the Traefik and cert-manager objects for cr,
// in apply order, honouring in.Features (nothing for an absent integration)
// and cr.Spec.Suspend (no routes while suspended). Desired (and so `manager
// render`) appends its result to the core objects; the reconcile applies the
// same objects from its edge steps (controllers/edge_steps.go).
func EdgeObjects(cr *v1alpha1.GitHubMCPServer, in Inputs) ([]client.Object, error) {
	return nil, nil
}
