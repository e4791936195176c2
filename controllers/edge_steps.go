package controllers

import (
	"context"

	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Owner: the edge engineer (issue 4). edgeSteps returns the Traefik and
// cert-manager steps, run after the core workload steps. Each applies objects
// from builders.EdgeObjects' builders and records IngressReady /
// CertificateReady with p.setDependency.
//
// Until those steps land, edgePrerequisites only reports, on an exposed CR,
// that the Traefik CRDs are missing, so the operator keeps running and the
// condition says what to install.
func (r *GitHubMCPServerReconciler) edgeSteps() []step {
	return []step{{"edgePrerequisites", r.edgePrerequisites}}
}

// Edge condition types and reasons.
const (
	ConditionIngressReady     = "IngressReady"
	ConditionCertificateReady = "CertificateReady"
	ReasonTraefikNotInstalled = "TraefikNotInstalled"
)

func (r *GitHubMCPServerReconciler) edgePrerequisites(_ context.Context, p *pass) error {
	if !builders.Exposed(p.cr) {
		return nil
	}
	if !r.Options.Features.Traefik {
		p.setDependency(ConditionIngressReady, depBlocked, ReasonTraefikNotInstalled,
			"spec.ingress.mode is Traefik but the Traefik CRDs (traefik.io/v1alpha1 IngressRoute, Middleware, TLSOption) are not installed: install Traefik v3 with its CRDs and restart the operator, or set spec.ingress.mode to Disabled.")
	}
	return nil
}

// edgeWatches are the optional kinds the controller owns, returned only for
// integrations detected at start-up (a watch on an absent CRD makes the
// manager exit).
func (r *GitHubMCPServerReconciler) edgeWatches() []client.Object {
	return nil
}
