package controllers

import (
	"context"
	"fmt"

	cmv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders/traefikapi"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// Owner: the edge engineer (issue 4).

// addEdgeKinds registers the Traefik and cert-manager kinds the edge writes.
// Registering a kind starts no watch, so this is safe without their CRDs.
func addEdgeKinds(s *runtime.Scheme) error {
	if err := traefikapi.AddToScheme(s); err != nil {
		return err
	}
	return cmv1.AddToScheme(s)
}

// edgeSecretIndex indexes GitHubMCPServers by the Secrets the edge reads but
// the pods do not mount (the basic-auth htpasswd, spec.tls.secretName). They
// are kept out of the core Secret index on purpose: a change to them must
// re-run the edge checks, not roll the pods.
const edgeSecretIndex = "spec.edgeSecretNames"

func edgeSecretNames(cr *v1alpha1.GitHubMCPServer) []string {
	var names []string
	if in := cr.Spec.Ingress; in != nil && in.BasicAuth != nil {
		names = append(names, in.BasicAuth.SecretRef.Name)
	}
	if cr.Spec.TLS != nil && cr.Spec.TLS.SecretName != "" {
		names = append(names, cr.Spec.TLS.SecretName)
	}
	return names
}

// watchEdgeSecrets indexes the edge's Secrets and watches their metadata,
// so fixing an htpasswd Secret or creating the TLS Secret re-runs the pass;
// with cert-manager, it also watches ClusterIssuers (see below).
func (r *GitHubMCPServerReconciler) watchEdgeSecrets(ctx context.Context, mgr ctrl.Manager, b *builder.Builder) error {
	err := mgr.GetFieldIndexer().IndexField(ctx, &v1alpha1.GitHubMCPServer{}, edgeSecretIndex, func(o client.Object) []string {
		if cr, ok := o.(*v1alpha1.GitHubMCPServer); ok {
			return edgeSecretNames(cr)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("indexing edge Secret names: %w", err)
	}
	b.WatchesMetadata(&corev1.Secret{}, handler.EnqueueRequestsFromMapFunc(r.requestsForEdgeSecret))
	// A ClusterIssuer cannot be owned by the CR; its labels name the CR, so
	// deleting or editing it still brings the CR back for repair.
	if r.Options.Features.CertManager {
		b.Watches(&cmv1.ClusterIssuer{}, handler.EnqueueRequestsFromMapFunc(requestForClusterIssuer))
	}
	return nil
}

func requestForClusterIssuer(_ context.Context, o client.Object) []reconcile.Request {
	ns, name := o.GetLabels()[builders.LabelOwnerNamespace], o.GetLabels()[builders.LabelOwnerName]
	if ns == "" || name == "" || o.GetLabels()[builders.LabelManagedBy] != builders.ManagedBy {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: ns, Name: name}}}
}

func (r *GitHubMCPServerReconciler) requestsForEdgeSecret(ctx context.Context, o client.Object) []reconcile.Request {
	list := &v1alpha1.GitHubMCPServerList{}
	if err := r.Client.List(ctx, list, client.InNamespace(o.GetNamespace()), client.MatchingFields{edgeSecretIndex: o.GetName()}); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "Listing GitHubMCPServers for an edge Secret failed")
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for _, cr := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: cr.Namespace, Name: cr.Name}})
	}
	return reqs
}
