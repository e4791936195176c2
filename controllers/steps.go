package controllers

import (
	"context"
	"reflect"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
)

// step is one small, ordered part of a pass. A step reads p.cr, applies
// objects built by the pure builders, and records what it found as a
// dependency condition with p.setDependency. It returns:
//   - nil to go on to the next step;
//   - stall(reason, message) when only the user can fix the problem (the pass
//     stops, Stalled=True, no retry until the CR or a watched object changes);
//   - any other error for a transient failure (the pass stops and is retried
//     with backoff).
//
// A step must not write the CR's status: Reconcile writes it once, at the end.
type step struct {
	name string
	run  func(ctx context.Context, p *pass) error
}

// steps is the ordered list of steps of a pass.
//
// How to add a step: write a method `func (r *GitHubMCPServerReconciler)
// xxx(ctx context.Context, p *pass) error` in its own file, build its
// objects with a pure builder in controllers/builders (and add them to
// builders.Desired so `manager render` prints them), apply them with Apply,
// record its condition with p.setDependency (Ready aggregates every
// dependency condition a pass sets, in order), and list it below. The edge
// steps (Traefik, cert-manager) live in edge_steps.go and are appended by
// edgeSteps; check r.Options.Features before touching an optional kind.
func (r *GitHubMCPServerReconciler) steps() []step {
	s := []step{
		{"validate", r.validate},
		{"credentials", r.credentials},
		{"serviceAccount", r.applyServiceAccount},
		{"service", r.applyService},
		{"networkPolicies", r.applyNetworkPolicies},
		{"deployment", r.applyDeployment},
		{"podDisruptionBudget", r.reconcilePDB},
		{"serviceMonitor", r.applyServiceMonitor},
	}
	s = append(s, r.edgeSteps()...)
	return append(s, step{"url", r.setURL})
}

func statusEqual(a, b v1alpha1.GitHubMCPServerStatus) bool {
	return reflect.DeepEqual(a, b)
}
