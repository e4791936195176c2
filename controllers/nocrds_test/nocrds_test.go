package nocrds_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"github.com/github-mcp-operator/github-mcp-operator/test/testenv"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/discovery"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

var (
	env     *testenv.Env
	dc      discovery.DiscoveryInterface
	mgrDone = make(chan struct{})
	mgrErr  error
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	scheme, err := controllers.NewScheme()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	env, err = testenv.Start(testenv.Options{Scheme: scheme, WithoutThirdPartyCRDs: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the control plane:", err)
		return 1
	}
	defer func() { _ = env.Stop() }()
	if dc, err = discovery.NewDiscoveryClientForConfig(env.Config); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	auto := controllers.FeatureFlags{Traefik: controllers.TriAuto, CertManager: controllers.TriAuto, ServiceMonitor: controllers.TriAuto}
	features, err := controllers.DetectFeatures(dc, auto)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme: scheme, Metrics: metricsserver.Options{BindAddress: "0"}, HealthProbeBindAddress: "0",
		Controller: config.Controller{RecoverPanic: new(true)},
		Cache:      cache.Options{ByObject: controllers.CacheByObject(features)},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	r := &controllers.GitHubMCPServerReconciler{Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(), Options: controllers.Options{Features: features, WaitingRequeue: time.Second}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := r.SetupWithManager(ctx, mgr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	go func() { defer close(mgrDone); mgrErr = mgr.Start(ctx) }()
	return m.Run()
}

func TestAutoDetectsNothing(t *testing.T) {
	f, err := controllers.DetectFeatures(dc, controllers.FeatureFlags{Traefik: controllers.TriAuto, CertManager: controllers.TriAuto, ServiceMonitor: controllers.TriAuto})
	if err != nil || f.Traefik || f.CertManager || f.ServiceMonitor {
		t.Fatalf("DetectFeatures = %+v, %v; want nothing detected", f, err)
	}
}

func TestExplicitlyEnabledButAbsentFailsFast(t *testing.T) {
	for name, flags := range map[string]controllers.FeatureFlags{
		"traefik":      {Traefik: controllers.TriTrue, CertManager: controllers.TriFalse, ServiceMonitor: controllers.TriFalse},
		"cert-manager": {Traefik: controllers.TriFalse, CertManager: controllers.TriTrue, ServiceMonitor: controllers.TriFalse},
		"prometheus":   {Traefik: controllers.TriFalse, CertManager: controllers.TriFalse, ServiceMonitor: controllers.TriTrue},
	} {
		_, err := controllers.DetectFeatures(dc, flags)
		if err == nil || !strings.Contains(err.Error(), "install") || !strings.Contains(err.Error(), "not installed") {
			t.Errorf("%s: want an error with an install hint, got %v", name, err)
		}
	}
	f, err := controllers.DetectFeatures(dc, controllers.FeatureFlags{Traefik: controllers.TriFalse, CertManager: controllers.TriFalse, ServiceMonitor: controllers.TriFalse})
	if err != nil || f.Traefik || f.CertManager || f.ServiceMonitor {
		t.Errorf("all false: %+v, %v", f, err)
	}
}

// TestExposedCRWithoutTraefikSaysWhy: the operator keeps running, builds the
// workload, and the CR's conditions name what to install.
func TestExposedCRWithoutTraefikSaysWhy(t *testing.T) {
	c := env.Client
	ctx := context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "nocrds-"}}
	if err := c.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	for name, key := range map[string]string{"github-pat": "token", "mcp-tls": "tls.crt"} {
		if err := c.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns.Name}, StringData: map[string]string{key: "x"}}); err != nil {
			t.Fatal(err)
		}
	}
	cr := &v1alpha1.GitHubMCPServer{
		ObjectMeta: metav1.ObjectMeta{Name: "exposed", Namespace: ns.Name},
		Spec: v1alpha1.GitHubMCPServerSpec{
			GitHub:     v1alpha1.GitHubSpec{Auth: v1alpha1.GitHubAuth{Token: &v1alpha1.TokenAuth{SecretRef: v1alpha1.SecretKeyRef{Name: "github-pat", Key: "token"}}}},
			Ingress:    &v1alpha1.IngressSpec{Mode: v1alpha1.IngressModeTraefik, Host: "mcp.example.com"},
			TLS:        &v1alpha1.TLSSpec{SecretName: "mcp-tls"},
			ClientAuth: v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthOIDC, OIDC: &v1alpha1.OIDCSpec{Issuer: "https://issuer.example.com"}},
		},
	}
	if err := c.Create(ctx, cr); err != nil {
		t.Fatal(err)
	}
	var ingress *metav1.Condition
	for range 300 {
		if err := c.Get(ctx, client.ObjectKeyFromObject(cr), cr); err != nil {
			t.Fatal(err)
		}
		ingress = meta.FindStatusCondition(cr.Status.Conditions, controllers.ConditionIngressReady)
		if ingress != nil && meta.IsStatusConditionTrue(cr.Status.Conditions, controllers.ConditionStalled) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if ingress == nil || ingress.Status != metav1.ConditionFalse || ingress.Reason != controllers.ReasonTraefikNotInstalled || !strings.Contains(ingress.Message, "install") {
		t.Fatalf("IngressReady = %+v, want False/%s naming what to install", ingress, controllers.ReasonTraefikNotInstalled)
	}
	ready := meta.FindStatusCondition(cr.Status.Conditions, controllers.ConditionReady)
	if ready == nil || ready.Status != metav1.ConditionFalse {
		t.Errorf("Ready = %+v, want False", ready)
	}
	if cr.Status.URL != "" {
		t.Errorf("status.url = %q, want empty: nothing routes to the server", cr.Status.URL)
	}
	// The workload is still built.
	if err := c.Get(ctx, client.ObjectKey{Namespace: ns.Name, Name: "exposed"}, &appsv1.Deployment{}); err != nil {
		t.Errorf("the Deployment must exist without Traefik: %v", err)
	}
	select {
	case <-mgrDone:
		t.Fatalf("the operator stopped: %v", mgrErr)
	default:
	}
}
