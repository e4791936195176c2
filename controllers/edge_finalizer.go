package controllers

import (
	"context"
	"fmt"

	cmv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

// Owner: the edge engineer (issue 4). A ClusterIssuer is cluster-scoped, so
// it cannot carry an owner reference to the namespaced CR, and garbage
// collection would never delete it. The CR carries a finalizer while its
// ClusterIssuer exists; finalize (on deletion) and releaseClusterIssuer (when
// the CR stops wanting one) delete it and drop the finalizer.

// finalize runs when the CR is being deleted.
func (r *GitHubMCPServerReconciler) finalize(ctx context.Context, cr *v1alpha1.GitHubMCPServer) error {
	return r.releaseClusterIssuer(ctx, cr)
}

// releaseClusterIssuer deletes the CR's ClusterIssuer (only if its labels say
// it is this CR's) and removes the finalizer. A no-op without the finalizer.
func (r *GitHubMCPServerReconciler) releaseClusterIssuer(ctx context.Context, cr *v1alpha1.GitHubMCPServer) error {
	if !controllerutil.ContainsFinalizer(cr, builders.ClusterIssuerFinalizer) {
		return nil
	}
	if r.Options.Features.CertManager {
		// Read from the apiserver, not the cache: this is the last chance to
		// delete the ClusterIssuer, and an informer that has not caught up
		// with one just created would orphan it for good.
		ci := &cmv1.ClusterIssuer{}
		err := r.APIReader.Get(ctx, client.ObjectKey{Name: builders.ClusterIssuerName(cr)}, ci)
		switch {
		case apierrors.IsNotFound(err) || meta.IsNoMatchError(err):
		case err != nil:
			return fmt.Errorf("reading ClusterIssuer: %w", err)
		case ci.Labels[builders.LabelOwnerNamespace] == cr.Namespace && ci.Labels[builders.LabelOwnerName] == cr.Name:
			if err := r.Client.Delete(ctx, ci, client.Preconditions{UID: &ci.UID}); client.IgnoreNotFound(err) != nil {
				return fmt.Errorf("deleting ClusterIssuer %s: %w", ci.Name, err)
			}
		}
	}
	return r.removeFinalizer(ctx, cr, builders.ClusterIssuerFinalizer)
}

// addFinalizer adds f with a merge patch (only metadata.finalizers).
func (r *GitHubMCPServerReconciler) addFinalizer(ctx context.Context, cr *v1alpha1.GitHubMCPServer, f string) error {
	if controllerutil.ContainsFinalizer(cr, f) {
		return nil
	}
	return r.patchFinalizers(ctx, cr, func() { controllerutil.AddFinalizer(cr, f) })
}

func (r *GitHubMCPServerReconciler) removeFinalizer(ctx context.Context, cr *v1alpha1.GitHubMCPServer, f string) error {
	if !controllerutil.ContainsFinalizer(cr, f) {
		return nil
	}
	return r.patchFinalizers(ctx, cr, func() { controllerutil.RemoveFinalizer(cr, f) })
}

// patchFinalizers patches only metadata.finalizers, with the
// resourceVersion as optimistic lock so a concurrent change is not lost. The
// status the pass has computed so far is kept: the patch response would
// otherwise replace it with the stored one.
func (r *GitHubMCPServerReconciler) patchFinalizers(ctx context.Context, cr *v1alpha1.GitHubMCPServer, mutate func()) error {
	base := cr.DeepCopy()
	status := cr.Status.DeepCopy()
	mutate()
	if err := r.Client.Patch(ctx, cr, client.MergeFromWithOptions(base, client.MergeFromWithOptimisticLock{})); err != nil {
		if apierrors.IsNotFound(err) {
			return nil
		}
		return fmt.Errorf("patching finalizers: %w", err)
	}
	cr.Status = *status
	return nil
}
