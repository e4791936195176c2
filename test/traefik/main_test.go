package traefik

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"github.com/github-mcp-operator/github-mcp-operator/test/testenv"
	"go.uber.org/zap/zapcore"
	"k8s.io/client-go/discovery"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

// One control plane, one in-process operator, one Traefik and one backend
// for the package.
var (
	env     *testenv.Env
	proxy   *Proxy
	backend *Backend
	mgrDone = make(chan struct{})
	mgrErr  error
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

// run fails (never skips) when a piece is missing, the Traefik binary
// included: the edge is proven only by a Traefik that really runs.
func run(m *testing.M) int {
	fail := func(what string, err error) int {
		fmt.Fprintf(os.Stderr, "test/traefik: %s: %v\n", what, err)
		return 1
	}
	if _, err := Binary(); err != nil {
		return fail("the Traefik binary is required", err)
	}
	scheme, err := controllers.NewScheme()
	if err != nil {
		return fail("scheme", err)
	}
	env, err = testenv.Start(testenv.Options{Scheme: scheme})
	if err != nil {
		return fail("starting the control plane", err)
	}
	defer func() { _ = env.Stop() }()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := startOperator(ctx); err != nil {
		return fail("starting the operator", err)
	}
	dir, err := os.MkdirTemp("", "traefik-test-")
	if err != nil {
		return fail("temp dir", err)
	}
	defer os.RemoveAll(dir)
	startCtx, startCancel := context.WithTimeout(ctx, 2*time.Minute)
	defer startCancel()
	proxy, err = Start(startCtx, Options{Kubeconfig: env.KubeconfigFile, Dir: dir, TrustedIPs: []string{"127.0.0.1/32"}})
	if err != nil {
		return fail("starting Traefik", err)
	}
	defer func() { _ = proxy.Stop() }()
	backend, err = StartBackend()
	if err != nil {
		return fail("starting the backend", err)
	}
	defer backend.Close()
	code := m.Run()
	if code != 0 {
		fmt.Fprintln(os.Stderr, proxy.LogTail(60))
	}
	return code
}

// startOperator runs the real reconciler in-process, with the features
// detected on this control plane (Traefik and cert-manager CRDs installed).
func startOperator(ctx context.Context) error {
	dc, err := discovery.NewDiscoveryClientForConfig(env.Config)
	if err != nil {
		return err
	}
	features, err := controllers.DetectFeatures(dc, controllers.FeatureFlags{Traefik: controllers.TriAuto, CertManager: controllers.TriAuto, ServiceMonitor: controllers.TriAuto})
	if err != nil {
		return err
	}
	if !features.Traefik || !features.CertManager {
		return fmt.Errorf("feature detection %+v: want Traefik and cert-manager", features)
	}
	ctrl.SetLogger(zap.New(zap.WriteTo(os.Stderr), zap.Level(zapcore.ErrorLevel)))
	t := true
	mgr, err := ctrl.NewManager(env.Config, ctrl.Options{
		Scheme: env.Client.Scheme(), Metrics: metricsserver.Options{BindAddress: "0"}, HealthProbeBindAddress: "0",
		Controller: config.Controller{RecoverPanic: &t},
		Cache:      cache.Options{ByObject: controllers.CacheByObject(features)},
	})
	if err != nil {
		return err
	}
	r := &controllers.GitHubMCPServerReconciler{Client: mgr.GetClient(), APIReader: mgr.GetAPIReader(),
		Options: controllers.Options{Features: features, WaitingRequeue: time.Second}}
	if err := r.SetupWithManager(ctx, mgr); err != nil {
		return err
	}
	go func() { defer close(mgrDone); mgrErr = mgr.Start(ctx) }()
	return nil
}
