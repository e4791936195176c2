package controllers_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"github.com/github-mcp-operator/github-mcp-operator/hack/repopaths"
	"github.com/github-mcp-operator/github-mcp-operator/test/testenv"
	"go.uber.org/zap/zapcore"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/discovery"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

// The package shares one control plane and one running operator.
var (
	env    *testenv.Env
	k8s    client.Client // strict field validation, as a user's kubectl
	scheme *runtime.Scheme
	// mgrDone is closed if the manager stops: the operator must never exit
	// (nor crash) whatever CR it is given.
	mgrDone = make(chan struct{})
	mgrErr  error
	// mgrCache is the operator's informer cache, for tests of what it holds.
	mgrCache cache.Cache
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	var err error
	if scheme, err = controllers.NewScheme(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	env, err = testenv.Start(testenv.Options{Scheme: scheme})
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting the control plane:", err)
		return 1
	}
	defer func() { _ = env.Stop() }()
	k8s = env.Client
	// prometheus-operator is present too: its own ServiceMonitor CRD, from
	// the module cache.
	smCRD, err := repopaths.ServiceMonitorCRDPath(env.Root)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if _, err := envtest.InstallCRDs(env.Config, envtest.CRDInstallOptions{
		Paths: []string{smCRD}, ErrorIfPathMissing: true,
	}); err != nil {
		fmt.Fprintln(os.Stderr, "installing the ServiceMonitor CRD:", err)
		return 1
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := startOperator(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "starting the operator:", err)
		return 1
	}
	return m.Run()
}

// startOperator runs the operator in-process, wired as cmd/manager wires it.
func startOperator(ctx context.Context) error {
	ctrl.SetLogger(zap.New(zap.UseDevMode(true), zap.WriteTo(os.Stderr), zap.Level(zapLevel())))
	dc, err := discovery.NewDiscoveryClientForConfig(env.Config)
	if err != nil {
		return err
	}
	features, err := controllers.DetectFeatures(dc, controllers.FeatureFlags{Traefik: controllers.TriAuto, CertManager: controllers.TriAuto, ServiceMonitor: controllers.TriAuto})
	if err != nil {
		return err
	}
	if !features.Traefik || !features.CertManager || !features.ServiceMonitor {
		return fmt.Errorf("feature detection: got %+v, want all three integrations", features)
	}
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme:                 scheme,
		Metrics:                metricsserver.Options{BindAddress: "0"},
		HealthProbeBindAddress: "0",
		Controller:             config.Controller{RecoverPanic: ptrTo(true)},
		Cache:                  cache.Options{ByObject: controllers.CacheByObject(features)},
	})
	if err != nil {
		return err
	}
	mgrCache = mgr.GetCache()
	r := &controllers.GitHubMCPServerReconciler{
		Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(),
		Recorder: mgr.GetEventRecorder("github-mcp-operator"),
		Options:  controllers.Options{Features: features, WaitingRequeue: time.Second},
	}
	if err := r.SetupWithManager(ctx, mgr); err != nil {
		return err
	}
	go func() {
		defer close(mgrDone)
		mgrErr = mgr.Start(ctx)
	}()
	return nil
}

func zapLevel() zapcore.Level {
	if os.Getenv("OPERATOR_TEST_LOGS") != "" {
		return -1
	}
	return 2 // errors only
}

func ptrTo[T any](v T) *T { return &v }

// operatorAlive fails the test if the manager has stopped.
func operatorAlive(t *testing.T) {
	t.Helper()
	select {
	case <-mgrDone:
		t.Fatalf("the operator stopped: %v", mgrErr)
	default:
	}
}

// newNamespace creates a fresh namespace, restricted by Pod Security.
func newNamespace(t *testing.T) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		GenerateName: "t-",
		Labels:       map[string]string{"pod-security.kubernetes.io/enforce": "restricted"},
	}}
	if err := k8s.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	return ns.Name
}

// eventually polls f until it returns nil, a bounded number of times.
func eventually(t *testing.T, what string, f func() error) {
	t.Helper()
	var err error
	for range 300 {
		if err = f(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	operatorAlive(t)
	t.Fatalf("%s: %v", what, err)
}

// secret creates an Opaque Secret.
func secret(t *testing.T, ns, name string, data map[string]string) *corev1.Secret {
	t.Helper()
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, StringData: data}
	if err := k8s.Create(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

// tokenCR is a valid PAT CR with API-key client auth, not published.
func tokenCR(ns, name string) *v1alpha1.GitHubMCPServer {
	return &v1alpha1.GitHubMCPServer{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: v1alpha1.GitHubMCPServerSpec{
			GitHub: v1alpha1.GitHubSpec{Auth: v1alpha1.GitHubAuth{Token: &v1alpha1.TokenAuth{
				SecretRef: v1alpha1.SecretKeyRef{Name: "github-pat", Key: "token"},
			}}},
			ClientAuth: v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthAPIKeys, APIKeysSecretRef: &v1alpha1.SecretKeyRef{Name: "api-keys", Key: "keys"}},
		},
	}
}

// withSecrets creates the Secrets tokenCR references.
func withSecrets(t *testing.T, ns string) {
	t.Helper()
	secret(t, ns, "github-pat", map[string]string{"token": "ghp_not-a-real-token"})
	secret(t, ns, "api-keys", map[string]string{"keys": "ci:sha256:0000000000000000000000000000000000000000000000000000000000000000"})
}

// getCR reads the CR.
func getCR(t *testing.T, ns, name string) *v1alpha1.GitHubMCPServer {
	t.Helper()
	cr := &v1alpha1.GitHubMCPServer{}
	if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, cr); err != nil {
		t.Fatal(err)
	}
	return cr
}
