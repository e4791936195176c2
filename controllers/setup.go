package controllers

import (
	"context"
	"fmt"

	cmv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders/traefikapi"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// The operator's permissions, generated into config/rbac/role.yaml. Least
// privilege: no update on owned kinds (server-side apply is a patch), delete
// only where a step deletes, and Secrets read-only.
//
// +kubebuilder:rbac:groups=mcp.githubmcp.dev,resources=githubmcpservers,verbs=get;list;watch
// +kubebuilder:rbac:groups=mcp.githubmcp.dev,resources=githubmcpservers/status,verbs=get;patch
// +kubebuilder:rbac:groups=mcp.githubmcp.dev,resources=githubmcpservers/finalizers,verbs=update
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get;list;watch
// +kubebuilder:rbac:groups="",resources=serviceaccounts;services,verbs=get;list;watch;create;patch
// +kubebuilder:rbac:groups=apps,resources=deployments,verbs=get;list;watch;create;patch
// +kubebuilder:rbac:groups=networking.k8s.io,resources=networkpolicies,verbs=get;list;watch;create;patch
// +kubebuilder:rbac:groups=policy,resources=poddisruptionbudgets,verbs=get;list;watch;create;patch;delete
// +kubebuilder:rbac:groups=monitoring.coreos.com,resources=servicemonitors,verbs=get;list;watch;create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// ControllerName names the controller in logs, metrics and events.
const ControllerName = "githubmcpserver"

// secretIndex indexes GitHubMCPServers by the names of the Secrets they
// mount, so a Secret event finds its CRs without a list of everything.
const secretIndex = "spec.secretNames"

// NewScheme returns a scheme with the built-in kinds and this API. Optional
// integrations (Traefik, cert-manager) add their kinds here when they need
// typed objects.
func NewScheme() (*runtime.Scheme, error) {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, v1alpha1.AddToScheme, addEdgeKinds} {
		if err := add(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// IndexSecretNames registers the Secret-name index the Secret watch uses.
func IndexSecretNames(ctx context.Context, mgr ctrl.Manager) error {
	return mgr.GetFieldIndexer().IndexField(ctx, &v1alpha1.GitHubMCPServer{}, secretIndex, func(o client.Object) []string {
		cr, ok := o.(*v1alpha1.GitHubMCPServer)
		if !ok {
			return nil
		}
		var names []string
		for _, sr := range secretRefs(cr) {
			names = append(names, sr.ref.Name)
		}
		return names
	})
}

// SetupWithManager registers the controller and its watches: the CR (spec
// changes only), every owned kind, and referenced Secrets through the index
// (metadata only: the operator never caches Secret data).
func (r *GitHubMCPServerReconciler) SetupWithManager(ctx context.Context, mgr ctrl.Manager) error {
	if err := IndexSecretNames(ctx, mgr); err != nil {
		return fmt.Errorf("indexing Secret names: %w", err)
	}
	b := ctrl.NewControllerManagedBy(mgr).
		Named(ControllerName).
		For(&v1alpha1.GitHubMCPServer{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Owns(&corev1.ServiceAccount{}).
		Owns(&corev1.Service{}).
		Owns(&networkingv1.NetworkPolicy{}).
		Owns(&appsv1.Deployment{}).
		Owns(&policyv1.PodDisruptionBudget{}).
		WatchesMetadata(&corev1.Secret{}, handler.EnqueueRequestsFromMapFunc(r.requestsForSecret))
	if r.Options.Features.ServiceMonitor {
		sm := &unstructured.Unstructured{}
		sm.SetGroupVersionKind(builders.ServiceMonitorGVK)
		b = b.Owns(sm)
	}
	for _, w := range r.edgeWatches() {
		b = b.Owns(w)
	}
	// Edge (issue 4): the Secrets the edge reads (edge_watches.go).
	if err := r.watchEdgeSecrets(ctx, mgr, b); err != nil {
		return err
	}
	return b.Complete(r)
}

// requestsForSecret maps a Secret to the CRs in its namespace that mount it.
func (r *GitHubMCPServerReconciler) requestsForSecret(ctx context.Context, o client.Object) []reconcile.Request {
	list := &v1alpha1.GitHubMCPServerList{}
	if err := r.Client.List(ctx, list, client.InNamespace(o.GetNamespace()), client.MatchingFields{secretIndex: o.GetName()}); err != nil {
		ctrl.LoggerFrom(ctx).Error(err, "Listing GitHubMCPServers for a Secret failed")
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for _, cr := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: cr.Namespace, Name: cr.Name}})
	}
	return reqs
}

// CacheByObject restricts the informer cache of every kind the operator
// owns to the objects it manages (app.kubernetes.io/managed-by). Owns()
// watches a kind cluster-wide; without this the operator would hold every
// Deployment, Service, ServiceAccount, NetworkPolicy and PDB of the cluster
// in memory. Ours always carry the label (the builders set it and the
// operator owns it through server-side apply), so removing it is repaired
// like any other drift. Kinds of absent integrations are left out: the
// cache cannot resolve a kind whose CRD is not installed.
func CacheByObject(f builders.Features) map[client.Object]cache.ByObject {
	managed := cache.ByObject{Label: labels.SelectorFromSet(labels.Set{builders.LabelManagedBy: builders.ManagedBy})}
	objs := []client.Object{
		&corev1.ServiceAccount{}, &corev1.Service{}, &networkingv1.NetworkPolicy{},
		&appsv1.Deployment{}, &policyv1.PodDisruptionBudget{},
	}
	if f.ServiceMonitor {
		sm := &unstructured.Unstructured{}
		sm.SetGroupVersionKind(builders.ServiceMonitorGVK)
		objs = append(objs, sm)
	}
	if f.Traefik {
		objs = append(objs, &traefikapi.IngressRoute{}, &traefikapi.Middleware{}, &traefikapi.TLSOption{})
	}
	if f.CertManager {
		objs = append(objs, &cmv1.Issuer{}, &cmv1.Certificate{}, &cmv1.ClusterIssuer{})
	}
	out := make(map[client.Object]cache.ByObject, len(objs))
	for _, o := range objs {
		out[o] = managed
	}
	return out
}
