package namespaced

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap/zapcore"
	appsv1 "k8s.io/api/apps/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"github.com/github-mcp-operator/github-mcp-operator/test/testenv"
)

const (
	operatorNamespace = "github-mcp-operator-system"
	serviceAccount    = "system:serviceaccount:" + operatorNamespace + ":github-mcp-operator-controller-manager"
	unwatched         = "not-watched"
)

// render builds config/namespaced as `kubectl apply -k` would.
func render(t *testing.T, root string) []*unstructured.Unstructured {
	t.Helper()
	res, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), filepath.Join(root, "config", "namespaced"))
	if err != nil {
		t.Fatalf("kustomize build config/namespaced: %v", err)
	}
	var out []*unstructured.Unstructured
	for _, r := range res.Resources() {
		j, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(j); err != nil {
			t.Fatal(err)
		}
		out = append(out, u)
	}
	return out
}

// watchedNamespaces reads --watch-namespaces from the rendered manager.
func watchedNamespaces(t *testing.T, objs []*unstructured.Unstructured) []string {
	t.Helper()
	for _, o := range objs {
		if o.GetKind() != "Deployment" {
			continue
		}
		d := &appsv1.Deployment{}
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, d); err != nil {
			t.Fatal(err)
		}
		for _, a := range d.Spec.Template.Spec.Containers[0].Args {
			if v, ok := strings.CutPrefix(a, "--watch-namespaces="); ok {
				return strings.Split(v, ",")
			}
		}
	}
	t.Fatal("the rendered manager has no --watch-namespaces")
	return nil
}

func TestNamespaceScopedInstall(t *testing.T) {
	scheme, err := controllers.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	env, err := testenv.Start(testenv.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = env.Stop() }()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	c := env.Client

	objs := render(t, env.Root)
	watched := watchedNamespaces(t, objs)
	for _, ns := range append([]string{unwatched}, watched...) {
		if err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			t.Fatal(err)
		}
	}
	// Install everything but the manager's own workload, which runs in-process
	// below as its ServiceAccount; namespaces first, as kubectl does.
	slices.SortStableFunc(objs, func(a, b *unstructured.Unstructured) int {
		first := func(u *unstructured.Unstructured) int {
			if u.GetKind() == "Namespace" {
				return 0
			}
			return 1
		}
		return cmp.Compare(first(a), first(b))
	})
	for _, o := range objs {
		switch o.GetKind() {
		case "Deployment", "PodDisruptionBudget", "Service":
			continue
		}
		if err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(o), client.FieldOwner("install"), client.ForceOwnership); err != nil {
			t.Fatalf("applying %s %s: %v", o.GetKind(), o.GetName(), err)
		}
	}
	if slicesContain(objs, "ClusterRoleBinding", "github-mcp-operator-manager-rolebinding") {
		t.Fatal("the namespaced install still binds the manager role cluster-wide")
	}

	// The operator, impersonating its ServiceAccount: every call it makes is
	// authorized by the overlay's RBAC only.
	cfg := rest.CopyConfig(env.Config)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: serviceAccount}
	mgrDone := startOperator(t, ctx, cfg, watched)

	for _, ns := range append([]string{unwatched}, watched...) {
		createServer(t, ctx, c, ns)
	}
	for _, ns := range watched {
		waitReconciled(t, ctx, c, ns, mgrDone)
		for _, obj := range []client.Object{&appsv1.Deployment{}, &corev1.Service{}, &corev1.ServiceAccount{}} {
			if err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: "srv"}, obj); err != nil {
				t.Errorf("%T in watched namespace %s: %v", obj, ns, err)
			}
		}
		var nps networkingv1.NetworkPolicyList
		if err := c.List(ctx, &nps, client.InNamespace(ns)); err != nil || len(nps.Items) == 0 {
			t.Errorf("no NetworkPolicies in watched namespace %s (%v)", ns, err)
		}
	}
	other := &v1alpha1.GitHubMCPServer{}
	if err := c.Get(ctx, client.ObjectKey{Namespace: unwatched, Name: "srv"}, other); err != nil {
		t.Fatal(err)
	}
	if len(other.Status.Conditions) > 0 {
		t.Errorf("a CR outside the watched namespaces was reconciled: %+v", other.Status.Conditions)
	}
	if err := c.Get(ctx, client.ObjectKey{Namespace: unwatched, Name: "srv"}, &appsv1.Deployment{}); !apierrors.IsNotFound(err) {
		t.Errorf("a Deployment exists outside the watched namespaces: %v", err)
	}
	for ns, want := range map[string]bool{watched[0]: true, unwatched: false} {
		if got := canListSecrets(t, ctx, c, ns); got != want {
			t.Errorf("the operator may list Secrets in %s: %v, want %v", ns, got, want)
		}
	}
}

func startOperator(t *testing.T, ctx context.Context, cfg *rest.Config, namespaces []string) <-chan error {
	t.Helper()
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	features, err := controllers.DetectFeatures(dc, controllers.FeatureFlags{Traefik: controllers.TriAuto, CertManager: controllers.TriAuto, ServiceMonitor: controllers.TriAuto})
	if err != nil {
		t.Fatal(err)
	}
	if !features.CertManager {
		t.Fatal("cert-manager CRDs not detected: the ClusterIssuer watch would go untested")
	}
	ctrl.SetLogger(zap.New(zap.WriteTo(os.Stderr), zap.Level(zapcore.ErrorLevel)))
	recover := true
	opts := ctrl.Options{
		Scheme: controllersScheme(t), Metrics: metricsserver.Options{BindAddress: "0"}, HealthProbeBindAddress: "0",
		Controller: config.Controller{RecoverPanic: &recover},
		Cache:      cache.Options{DefaultNamespaces: map[string]cache.Config{}, ByObject: controllers.CacheByObject(features)},
	}
	for _, ns := range namespaces {
		opts.Cache.DefaultNamespaces[ns] = cache.Config{}
	}
	mgr, err := ctrl.NewManager(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	r := &controllers.GitHubMCPServerReconciler{Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(),
		Recorder: mgr.GetEventRecorder("github-mcp-operator"),
		Options:  controllers.Options{Features: features, WaitingRequeue: time.Second}}
	if err := r.SetupWithManager(ctx, mgr); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	return done
}

func controllersScheme(t *testing.T) *runtime.Scheme {
	t.Helper()
	s, err := controllers.NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func createServer(t *testing.T, ctx context.Context, c client.Client, ns string) {
	t.Helper()
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "pat", Namespace: ns}, StringData: map[string]string{"token": "x"}}
	if err := c.Create(ctx, secret); err != nil {
		t.Fatal(err)
	}
	cr := &v1alpha1.GitHubMCPServer{ObjectMeta: metav1.ObjectMeta{Name: "srv", Namespace: ns}, Spec: v1alpha1.GitHubMCPServerSpec{
		GitHub:     v1alpha1.GitHubSpec{Auth: v1alpha1.GitHubAuth{Token: &v1alpha1.TokenAuth{SecretRef: v1alpha1.SecretKeyRef{Name: "pat", Key: "token"}}}},
		ClientAuth: v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthNone},
	}}
	if err := c.Create(ctx, cr); err != nil {
		t.Fatal(err)
	}
}

// waitReconciled waits for a pass to finish without a stall: with no
// kube-controller-manager the Deployment never becomes Available, so
// Reconciling=True / Stalled=False is the furthest a pass can get here. A
// missing permission would show as a Stalled or an error-backoff with no
// status at all.
func waitReconciled(t *testing.T, ctx context.Context, c client.Client, ns string, mgrDone <-chan error) {
	t.Helper()
	cr := &v1alpha1.GitHubMCPServer{}
	for {
		if err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: "srv"}, cr); err != nil {
			t.Fatal(err)
		}
		if cond(cr, "Stalled") == metav1.ConditionFalse && cond(cr, "CredentialsReady") == metav1.ConditionTrue &&
			cr.Status.ObservedGeneration == cr.Generation {
			return
		}
		select {
		case err := <-mgrDone:
			t.Fatalf("the operator stopped: %v", err)
		case <-ctx.Done():
			t.Fatalf("the CR in %s was not reconciled as the operator's ServiceAccount: %s", ns, describe(cr))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func cond(cr *v1alpha1.GitHubMCPServer, typ string) metav1.ConditionStatus {
	for _, c := range cr.Status.Conditions {
		if c.Type == typ {
			return c.Status
		}
	}
	return metav1.ConditionUnknown
}

func describe(cr *v1alpha1.GitHubMCPServer) string {
	var b strings.Builder
	for _, c := range cr.Status.Conditions {
		fmt.Fprintf(&b, "%s=%s (%s: %s); ", c.Type, c.Status, c.Reason, c.Message)
	}
	return b.String()
}

// canListSecrets asks the apiserver whether the operator's ServiceAccount may
// list Secrets in ns.
func canListSecrets(t *testing.T, ctx context.Context, c client.Client, ns string) bool {
	t.Helper()
	sar := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		User:               serviceAccount,
		Groups:             []string{"system:serviceaccounts", "system:serviceaccounts:" + operatorNamespace, "system:authenticated"},
		ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: ns, Verb: "list", Resource: "secrets"},
	}}
	if err := c.Create(ctx, sar); err != nil {
		t.Fatal(err)
	}
	return sar.Status.Allowed
}

func slicesContain(objs []*unstructured.Unstructured, kind, name string) bool {
	for _, o := range objs {
		if o.GetKind() == kind && o.GetName() == name {
			return true
		}
	}
	return false
}
