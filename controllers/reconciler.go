package controllers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	kerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/client-go/tools/events"
	"k8s.io/klog/v2"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// Options are the operator's settings that shape every pass.
type Options struct {
	// Features are the optional integrations detected at start-up.
	Features builders.Features
	// WaitingRequeue is how soon a pass that waits on something (a rollout)
	// looks again, besides the watches. Zero means 30s.
	WaitingRequeue time.Duration
}

// GitHubMCPServerReconciler reconciles GitHubMCPServer objects.
type GitHubMCPServerReconciler struct {
	// Client reads from the cache and writes to the apiserver.
	Client client.Client
	// APIReader reads straight from the apiserver. Secrets are read with it
	// so that the operator never caches Secret data (it caches only their
	// metadata, for the watch).
	APIReader client.Reader
	// Recorder emits events (on transitions only).
	Recorder events.EventRecorder
	Options  Options
}

// pass is the state of one reconcile pass, shared by its steps.
type pass struct {
	// cr is the working copy; its status is written once, at the end.
	cr *v1alpha1.GitHubMCPServer
	// in accumulates the builders' inputs (secret versions) as steps run.
	in   builders.Inputs
	deps []dependency
	// recheck, when positive, is when a pass must run again although no
	// watched object will change (a certificate managed elsewhere expires).
	recheck time.Duration
}

// recheckIn asks for another pass within d at the latest.
func (p *pass) recheckIn(d time.Duration) {
	if d > 0 && (p.recheck == 0 || d < p.recheck) {
		p.recheck = d
	}
}

// setDependency records a dependency condition for this pass.
func (p *pass) setDependency(condType string, state depState, reason, message string) {
	p.deps = append(p.deps, dependency{Type: condType, State: state, Reason: reason, Message: message})
}

// waiting reports whether a dependency is still converging.
func (p *pass) waiting() bool {
	_, ok := firstDep(p.deps, depWaiting)
	return ok
}

// Reconcile runs one pass for a GitHubMCPServer.
func (r *GitHubMCPServerReconciler) Reconcile(ctx context.Context, req ctrl.Request) (res ctrl.Result, retErr error) {
	log := ctrl.LoggerFrom(ctx)
	cr := &v1alpha1.GitHubMCPServer{}
	if err := r.Client.Get(ctx, req.NamespacedName, cr); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	// Owner references delete what we created, except the edge's
	// cluster-scoped ClusterIssuer: finalize (edge_finalizer.go) removes it.
	if !cr.DeletionTimestamp.IsZero() {
		return ctrl.Result{}, r.finalize(ctx, cr)
	}
	before := cr.DeepCopy()
	p := &pass{cr: cr, in: builders.Inputs{Features: r.Options.Features, SecretVersions: map[string]string{}}}

	defer func() {
		if err := r.writeStatus(ctx, before, p, retErr); err != nil {
			retErr = kerrors.NewAggregate([]error{retErr, err})
		}
	}()

	for _, s := range r.steps() {
		if err := s.run(ctx, p); err != nil {
			var se *stallError
			if errors.As(err, &se) {
				log.Info("Reconciliation stalled", "step", s.name, "reason", se.Reason, "message", se.Message)
				return ctrl.Result{}, reconcile.TerminalError(err)
			}
			return ctrl.Result{}, fmt.Errorf("step %s: %w", s.name, err)
		}
	}
	if p.waiting() {
		p.recheckIn(r.waitingRequeue())
	}
	return ctrl.Result{RequeueAfter: p.recheck}, nil
}

func (r *GitHubMCPServerReconciler) waitingRequeue() time.Duration {
	if r.Options.WaitingRequeue > 0 {
		return r.Options.WaitingRequeue
	}
	return 30 * time.Second
}

// writeStatus is the one status write of a pass: summarise, patch the status
// subresource if anything changed, and emit an event on a transition.
func (r *GitHubMCPServerReconciler) writeStatus(ctx context.Context, before *v1alpha1.GitHubMCPServer, p *pass, stepErr error) error {
	cr := p.cr
	if summarize(&cr.Status.Conditions, outcome{Generation: cr.Generation, Suspended: cr.Spec.Suspend, Deps: p.deps, Err: stepErr}) {
		cr.Status.ObservedGeneration = cr.Generation
	}
	if statusEqual(before.Status, cr.Status) {
		return nil
	}
	if err := r.Client.Status().Patch(ctx, cr, client.MergeFrom(before)); err != nil {
		if apierrors.IsNotFound(err) {
			return nil
		}
		ctrl.LoggerFrom(ctx).Error(err, "Writing status failed", "githubmcpserver", klog.KObj(cr))
		return fmt.Errorf("writing status: %w", err)
	}
	// Only a transition that was recorded is announced: after a failed
	// write the retry still sees the old status and would announce it again.
	if t, reason, msg := transition(before.Status.Conditions, cr.Status.Conditions); t != "" && r.Recorder != nil {
		r.Recorder.Eventf(cr, nil, t, reason, "Reconcile", "%s", msg)
	}
	return nil
}
