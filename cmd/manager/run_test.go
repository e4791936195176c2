package main

import (
	"context"
	"testing"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"github.com/github-mcp-operator/github-mcp-operator/test/testenv"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// TestRunAgainstAKubeconfig runs the operator as `go run ./cmd/manager`
// does, from a kubeconfig, on a namespace-scoped install, and checks that it
// reconciles a CR in its namespace, ignores one elsewhere, and stops cleanly.
func TestRunAgainstAKubeconfig(t *testing.T) {
	scheme, err := controllers.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	env, err := testenv.Start(testenv.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = env.Stop() }()
	t.Setenv("KUBECONFIG", env.KubeconfigFile)
	c := env.Client
	bg := context.Background()
	// The ignored CR is created first: were it watched, it would be queued
	// before the watched one and reconciled by the time that one is.
	for _, ns := range []string{"ignored", "watched"} {
		if err := c.Create(bg, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			t.Fatal(err)
		}
		if err := c.Create(bg, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "pat", Namespace: ns}, StringData: map[string]string{"token": "x"}}); err != nil {
			t.Fatal(err)
		}
		cr := &v1alpha1.GitHubMCPServer{ObjectMeta: metav1.ObjectMeta{Name: "srv", Namespace: ns}, Spec: v1alpha1.GitHubMCPServerSpec{
			GitHub:     v1alpha1.GitHubSpec{Auth: v1alpha1.GitHubAuth{Token: &v1alpha1.TokenAuth{SecretRef: v1alpha1.SecretKeyRef{Name: "pat", Key: "token"}}}},
			ClientAuth: v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthNone},
		}}
		if err := c.Create(bg, cr); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithCancel(bg)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--metrics-bind-address=0", "--health-probe-bind-address=127.0.0.1:0", "--watch-namespaces=watched", "--zap-log-level=error"})
	}()
	var got error
	for range 300 {
		if got = c.Get(bg, client.ObjectKey{Namespace: "watched", Name: "srv"}, &appsv1.Deployment{}); got == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the operator exited: %v", err)
		default:
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got != nil {
		t.Fatalf("no Deployment in the watched namespace: %v", got)
	}
	// Every pass ends in one status write, so a reconciled CR has conditions.
	// Wait for the watched CR's, then the ignored one must have none.
	watched := &v1alpha1.GitHubMCPServer{}
	for range 300 {
		if err := c.Get(bg, client.ObjectKey{Namespace: "watched", Name: "srv"}, watched); err == nil && len(watched.Status.Conditions) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(watched.Status.Conditions) == 0 {
		t.Fatal("the watched CR never got a status")
	}
	ignored := &v1alpha1.GitHubMCPServer{}
	if err := c.Get(bg, client.ObjectKey{Namespace: "ignored", Name: "srv"}, ignored); err != nil {
		t.Fatal(err)
	}
	if len(ignored.Status.Conditions) > 0 || ignored.Status.ObservedGeneration != 0 {
		t.Errorf("a CR outside --watch-namespaces was reconciled: status %+v", ignored.Status)
	}
	if err := c.Get(bg, client.ObjectKey{Namespace: "ignored", Name: "srv"}, &appsv1.Deployment{}); err == nil {
		t.Errorf("a CR outside --watch-namespaces got a Deployment")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run returned %v after cancellation", err)
	}
}
