package edgenocrds

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
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

var (
	env     *testenv.Env
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
	dc, err := discovery.NewDiscoveryClientForConfig(env.Config)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	features, err := controllers.DetectFeatures(dc, controllers.FeatureFlags{Traefik: controllers.TriAuto, CertManager: controllers.TriAuto, ServiceMonitor: controllers.TriAuto})
	if err != nil || features.Traefik || features.CertManager {
		fmt.Fprintf(os.Stderr, "feature detection: %+v, %v; want nothing\n", features, err)
		return 1
	}
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme: scheme, Metrics: metricsserver.Options{BindAddress: "0"}, HealthProbeBindAddress: "0",
		Controller: config.Controller{RecoverPanic: new(true)},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	r := &controllers.GitHubMCPServerReconciler{Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(),
		Options: controllers.Options{Features: features, WaitingRequeue: time.Second}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := r.SetupWithManager(ctx, mgr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	go func() { defer close(mgrDone); mgrErr = mgr.Start(ctx) }()
	return m.Run()
}

// TestACMEWithoutCertManagerOrTraefik: an exposed CR asking for an ACME
// certificate gets CertificateReady=False/CertManagerNotInstalled and
// IngressReady=False/TraefikNotInstalled, each naming what to install; the
// ClusterIssuer finalizer is not added (nothing to clean up); the workload
// exists; deleting the CR is not blocked; the operator keeps running.
func TestACMEWithoutCertManagerOrTraefik(t *testing.T) {
	c, ctx := env.Client, context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "edge-nocrds-"}}
	if err := c.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	if err := c.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "github-pat", Namespace: ns.Name}, StringData: map[string]string{"token": "x"}}); err != nil {
		t.Fatal(err)
	}
	cr := &v1alpha1.GitHubMCPServer{
		ObjectMeta: metav1.ObjectMeta{Name: "acme", Namespace: ns.Name},
		Spec: v1alpha1.GitHubMCPServerSpec{
			GitHub:  v1alpha1.GitHubSpec{Auth: v1alpha1.GitHubAuth{Token: &v1alpha1.TokenAuth{SecretRef: v1alpha1.SecretKeyRef{Name: "github-pat", Key: "token"}}}},
			Ingress: &v1alpha1.IngressSpec{Host: "mcp.example.com"},
			TLS: &v1alpha1.TLSSpec{ACME: &v1alpha1.ACMESpec{Email: "ops@example.com", ClusterIssuer: true,
				Route53: v1alpha1.Route53Spec{Region: "us-east-1", Role: "arn:aws:iam::123456789012:role/dns01"}}},
			ClientAuth: v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthOIDC, OIDC: &v1alpha1.OIDCSpec{Issuer: "https://issuer.example.com"}},
		},
	}
	if err := c.Create(ctx, cr); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		controllers.ConditionCertificateReady: controllers.ReasonCertManagerNotInstalled,
		controllers.ConditionIngressReady:     controllers.ReasonTraefikNotInstalled,
	}
	var last string
	ok := false
	for range 300 {
		if err := c.Get(ctx, client.ObjectKeyFromObject(cr), cr); err != nil {
			t.Fatal(err)
		}
		ok, last = true, ""
		for typ, reason := range want {
			cond := meta.FindStatusCondition(cr.Status.Conditions, typ)
			if cond == nil || cond.Status != metav1.ConditionFalse || cond.Reason != reason || !strings.Contains(cond.Message, "install") {
				ok, last = false, fmt.Sprintf("%s = %+v", typ, cond)
			}
		}
		if ok {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !ok {
		t.Fatalf("conditions not reached: %s", last)
	}
	if cm := meta.FindStatusCondition(cr.Status.Conditions, controllers.ConditionCertificateReady); !strings.Contains(cm.Message, "cert-manager") {
		t.Errorf("CertificateReady must name cert-manager: %q", cm.Message)
	}
	if !meta.IsStatusConditionTrue(cr.Status.Conditions, controllers.ConditionStalled) {
		t.Errorf("Stalled must be True (only a human can install the CRDs): %+v", cr.Status.Conditions)
	}
	if len(cr.Finalizers) != 0 {
		t.Errorf("no ClusterIssuer can exist, so no finalizer: %v", cr.Finalizers)
	}
	if err := c.Get(ctx, client.ObjectKey{Namespace: ns.Name, Name: "acme"}, &appsv1.Deployment{}); err != nil {
		t.Errorf("the workload must be built without the edge CRDs: %v", err)
	}
	if err := c.Delete(ctx, cr); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		err := c.Get(ctx, client.ObjectKeyFromObject(cr), cr)
		if client.IgnoreNotFound(err) == nil && err != nil {
			break
		}
		if i == 300 {
			t.Fatalf("the CR was not deleted: %v", cr.Finalizers)
		}
		time.Sleep(100 * time.Millisecond)
	}
	select {
	case <-mgrDone:
		t.Fatalf("the operator stopped: %v", mgrErr)
	default:
	}
}
