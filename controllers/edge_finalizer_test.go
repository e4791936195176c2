package controllers

import (
	"context"
	"testing"

	cmv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
)

// staleCache is a cached client that has not seen any ClusterIssuer yet, as
// right after the operator created one: its informer lags the apiserver.
type staleCache struct{ client.Client }

func (c staleCache) Get(ctx context.Context, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
	if _, ok := obj.(*cmv1.ClusterIssuer); ok {
		return apierrors.NewNotFound(cmv1.Resource("clusterissuers"), key.Name)
	}
	return c.Client.Get(ctx, key, obj, opts...)
}

// TestFinalizeDoesNotTrustALaggingCache: the finalizer is the only thing
// that ever deletes the cluster-scoped ClusterIssuer. If it believed a cache
// that has not caught up, it would drop the finalizer and orphan the
// ClusterIssuer for good.
func TestFinalizeDoesNotTrustALaggingCache(t *testing.T) {
	s, err := NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	cr := &v1alpha1.GitHubMCPServer{ObjectMeta: metav1.ObjectMeta{
		Name: "srv", Namespace: "team", Finalizers: []string{builders.ClusterIssuerFinalizer},
	}}
	ci := &cmv1.ClusterIssuer{ObjectMeta: metav1.ObjectMeta{Name: builders.ClusterIssuerName(cr), Labels: map[string]string{
		builders.LabelOwnerNamespace: "team", builders.LabelOwnerName: "srv", builders.LabelManagedBy: builders.ManagedBy,
	}}}
	api := fake.NewClientBuilder().WithScheme(s).WithObjects(cr.DeepCopy(), ci).Build()
	if err := api.Get(context.Background(), client.ObjectKeyFromObject(cr), cr); err != nil {
		t.Fatal(err)
	}
	r := &GitHubMCPServerReconciler{Client: staleCache{api}, APIReader: api, Options: Options{Features: builders.Features{CertManager: true}}}

	if err := r.finalize(context.Background(), cr); err != nil {
		t.Fatal(err)
	}
	err = api.Get(context.Background(), client.ObjectKey{Name: ci.Name}, &cmv1.ClusterIssuer{})
	if !apierrors.IsNotFound(err) {
		t.Fatalf("the ClusterIssuer outlived its CR's finalizer (err %v): it is orphaned", err)
	}
}
