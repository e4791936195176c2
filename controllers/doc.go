// Package controllers reconciles GitHubMCPServer objects.
//
// One reconcile pass (Reconcile in reconciler.go) is: get the CR (gone →
// done); snapshot it; defer the one status write; skip an object being
// deleted (owner references clean up); run the ordered steps (steps.go); then
// summarise the dependency conditions into Ready / Reconciling / Stalled
// (status.go, pure and table-tested).
//
// Desired objects come from the pure builders in controllers/builders and are
// applied with server-side apply under the single field manager FieldManager,
// with forced ownership, so fields other actors own (an HPA's replicas,
// annotations added by others) are left alone.
package controllers
