package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"k8s.io/client-go/discovery"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "render" {
		if err := runRender(os.Args[2:], os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "render:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(ctrl.SetupSignalHandler(), os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "manager:", err)
		os.Exit(1)
	}
}

// settings are the operator's command-line flags.
type settings struct {
	metricsAddr, probeAddr string
	leaderElection         bool
	leaderElectionID       string
	watchNamespaces        string
	features               controllers.FeatureFlags
	zap                    zap.Options
}

func parseFlags(args []string) (*settings, error) {
	s := &settings{features: controllers.FeatureFlags{Traefik: controllers.TriAuto, CertManager: controllers.TriAuto, ServiceMonitor: controllers.TriAuto}}
	fs := flag.NewFlagSet("manager", flag.ContinueOnError)
	fs.StringVar(&s.metricsAddr, "metrics-bind-address", ":8443", "Address of the metrics endpoint (served over HTTPS with authn/authz); 0 disables it.")
	fs.StringVar(&s.probeAddr, "health-probe-bind-address", ":8081", "Address of the /healthz and /readyz endpoints.")
	fs.BoolVar(&s.leaderElection, "leader-elect", false, "Elect a leader, so that only one replica reconciles at a time.")
	fs.StringVar(&s.leaderElectionID, "leader-election-id", "github-mcp-operator.mcp.githubmcp.dev", "Name of the leader-election Lease.")
	fs.StringVar(&s.watchNamespaces, "watch-namespaces", "", "Comma-separated namespaces to watch (a namespace-scoped install); empty watches all.")
	fs.Var(&s.features.Traefik, "enable-traefik", "Traefik integration: auto (detect the CRDs at start-up), true (fail if absent) or false.")
	fs.Var(&s.features.CertManager, "enable-cert-manager", "cert-manager integration: auto, true or false.")
	fs.Var(&s.features.ServiceMonitor, "enable-service-monitor", "prometheus-operator ServiceMonitor integration: auto, true or false.")
	s.zap.BindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q (the only subcommand is render)", fs.Args())
	}
	return s, nil
}

// run runs the operator until ctx ends.
func run(ctx context.Context, args []string) error {
	s, err := parseFlags(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&s.zap)))
	log := ctrl.Log.WithName("setup")

	cfg, err := ctrl.GetConfig()
	if err != nil {
		return fmt.Errorf("loading kubeconfig: %w", err)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return fmt.Errorf("discovery client: %w", err)
	}
	features, err := controllers.DetectFeatures(dc, s.features)
	if err != nil {
		return err
	}
	log.Info("Optional integrations", "traefik", features.Traefik, "certManager", features.CertManager, "serviceMonitor", features.ServiceMonitor)

	scheme, err := controllers.NewScheme()
	if err != nil {
		return err
	}
	opts := ctrl.Options{
		Scheme:                        scheme,
		Metrics:                       metricsserver.Options{BindAddress: s.metricsAddr, SecureServing: s.metricsAddr != "0"},
		HealthProbeBindAddress:        s.probeAddr,
		LeaderElection:                s.leaderElection,
		LeaderElectionID:              s.leaderElectionID,
		LeaderElectionReleaseOnCancel: true,
		// Recover a panicking reconcile into an error (and a backoff) instead
		// of crashing the operator for every CR.
		Controller: config.Controller{RecoverPanic: ptrTo(true)},
		// Cache only the objects the operator manages, not every
		// Deployment, Service, ... of the cluster.
		Cache: cache.Options{ByObject: controllers.CacheByObject(features)},
	}
	if ns := splitList(s.watchNamespaces); len(ns) > 0 {
		opts.Cache.DefaultNamespaces = map[string]cache.Config{}
		for _, n := range ns {
			opts.Cache.DefaultNamespaces[n] = cache.Config{}
		}
	}
	if s.metricsAddr != "0" {
		// Only callers allowed to GET /metrics (RBAC) may scrape.
		opts.Metrics.FilterProvider = filters.WithAuthenticationAndAuthorization
	}
	mgr, err := ctrl.NewManager(cfg, opts)
	if err != nil {
		return fmt.Errorf("creating manager: %w", err)
	}
	r := &controllers.GitHubMCPServerReconciler{
		Client:    mgr.GetClient(),
		APIReader: mgr.GetAPIReader(),
		Recorder:  mgr.GetEventRecorder("github-mcp-operator"),
		Options:   controllers.Options{Features: features},
	}
	if err := r.SetupWithManager(ctx, mgr); err != nil {
		return fmt.Errorf("setting up the controller: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return err
	}
	if err := mgr.AddReadyzCheck("readyz", healthz.Ping); err != nil {
		return err
	}
	log.Info("Starting manager", "watchNamespaces", s.watchNamespaces)
	return mgr.Start(ctx)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func ptrTo[T any](v T) *T { return &v }
