package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/audit"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/auth"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/ban"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/clientip"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/filewatch"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/github"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/httpserver"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/metrics"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/tools"
)

// Version is set at build time (-ldflags "-X ...app.Version=v1.2.3").
var Version = "dev"

// reloadInterval is how often mounted files (API keys, deny list) are
// polled. Kubernetes itself propagates Secret updates within about a
// minute, so a few seconds adds nothing noticeable.
const reloadInterval = 5 * time.Second

// Env is what the process gets from its surroundings. Tests substitute
// pipes, buffers and the fake GitHub's HTTP client.
type Env struct {
	Stdin  io.ReadCloser
	Stdout io.WriteCloser
	Stderr io.Writer
	// GitHubHTTPClient is the base client for GitHub (nil: default). Tests
	// use the fake's TLS client.
	GitHubHTTPClient *http.Client
	// OIDCHTTPClient fetches OIDC discovery and keys (nil: default).
	OIDCHTTPClient *http.Client
	// OnListening, if set, is told the bound addresses (tests listen on :0).
	OnListening func(mcp, ops net.Addr)
	// SkipDrainDelay shuts down without first waiting for load balancers
	// to notice the failing readiness (tests).
	SkipDrainDelay bool
	// ReloadInterval overrides how often mounted files are polled (0: the
	// production reloadInterval), so tests of a reload need not wait on it.
	ReloadInterval time.Duration
}

// Main parses args, runs the server until ctx ends, and returns the exit
// code: 0 after a clean shutdown, 2 for bad flags, 1 for anything else.
func Main(ctx context.Context, args []string, env Env) int {
	cfg, err := ParseFlags(args, env.Stderr)
	if errors.Is(err, ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "github-mcp-server: invalid configuration:\n%v\n", err)
		return 2
	}
	logger := slog.New(slog.NewJSONHandler(env.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	if err := Run(ctx, cfg, env, logger); err != nil {
		logger.Error("Server failed", "error", err)
		return 1
	}
	return 0
}

// Run starts the configured transport and blocks until ctx ends.
func Run(ctx context.Context, cfg *Config, env Env, logger *slog.Logger) error {
	auditOut, closeAudit, err := openAudit(cfg.AuditLog, env)
	if err != nil {
		return err
	}
	defer closeAudit()
	auditLog := audit.New(auditOut)
	m := metrics.New()

	gh, err := github.New(ctx, github.Config{
		Host: cfg.GitHubHost, TokenFile: cfg.GitHubTokenFile,
		AppID: cfg.GitHubAppID, InstallationID: cfg.GitHubInstallationID, AppPrivateKeyFile: cfg.GitHubAppKeyFile,
		MaxConcurrent: cfg.GitHubMaxConcurrent, MaxRateLimitWait: cfg.GitHubMaxWait,
		Registerer: m.Registry, Logger: logger.With("component", "github"), HTTPClient: env.GitHubHTTPClient,
	})
	if err != nil {
		return fmt.Errorf("GitHub client: %w", err)
	}
	defer gh.Close()

	defaultClient := "" // HTTP requests always carry their identity
	if cfg.Transport == pc.TransportStdio {
		defaultClient = "stdio"
	}
	factory, err := tools.NewFactory(tools.Options{
		Client: gh, Policy: cfg.Policy, Logger: logger.With("component", "tools"),
		Implementation: &mcp.Implementation{Name: "github-mcp-server", Version: Version},
		// Audit outermost, so a recovered panic is audited as an error.
		Middleware: []mcp.Middleware{audit.ToolMiddleware(auditLog, m, defaultClient), audit.Recover(logger)},
	})
	if err != nil {
		return err
	}
	if cfg.Transport == pc.TransportStdio {
		return runStdio(ctx, factory, gh, env, logger)
	}
	return runHTTP(ctx, cfg, env, logger, auditLog, m, gh, factory)
}

func runStdio(ctx context.Context, factory *tools.Factory, gh *github.Client, env Env, logger *slog.Logger) error {
	logger.Info("Serving MCP over stdio", "version", Version)
	// One check up front so a bad credential shows in the log at once; the
	// tools still answer (with clear errors) if GitHub is unreachable.
	if err := gh.Check(ctx); err != nil {
		logger.Warn("GitHub check failed", "error", err)
	}
	srv := factory.Server(tools.Narrowing{})
	err := srv.Run(ctx, &mcp.IOTransport{Reader: env.Stdin, Writer: env.Stdout})
	if stdioSessionEnded(ctx, err) {
		return nil
	}
	return err
}

// stdioSessionEnded reports whether err, returned by a stdio session, is its
// normal end rather than a failure: the client hung up (EOF, closed
// connection) or we were told to stop. Run then returns nil, so a client that
// simply exits does not make the server exit non-zero.
func stdioSessionEnded(ctx context.Context, err error) bool {
	return err != nil && (ctx.Err() != nil || errors.Is(err, io.EOF) || errors.Is(err, mcp.ErrConnectionClosed))
}

func runHTTP(ctx context.Context, cfg *Config, env Env, logger *slog.Logger, auditLog *audit.Logger,
	m *metrics.Metrics, gh *github.Client, factory *tools.Factory) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the file watchers and the readiness loop

	none := auth.IsNone(cfg.ClientAuth)
	m.SetClientAuthNone(none)
	if none {
		logger.Warn("Client authentication is DISABLED (--client-auth=none): anyone who can reach the MCP port acts with the server's GitHub credential")
	}
	authn, err := auth.New(ctx, auth.Config{Modes: cfg.ClientAuth, APIKeysFile: cfg.APIKeysFile,
		OIDCIssuer: cfg.OIDCIssuer, OIDCAudience: cfg.OIDCAudience, HTTPClient: env.OIDCHTTPClient, Logger: logger})
	if err != nil {
		return fmt.Errorf("client authentication: %w", err)
	}
	reload := reloadInterval
	if env.ReloadInterval > 0 {
		reload = env.ReloadInterval
	}
	if keys := authn.APIKeys(); keys != nil {
		go keys.Watcher.Run(ctx, reload)
	}

	banCfg := cfg.Ban
	banCfg.Metrics, banCfg.Logger = m, logger.With("component", "ban")
	banner, err := ban.New(banCfg)
	if err != nil {
		return err
	}
	if cfg.DenyCIDRsFile != "" {
		w := &filewatch.Watcher{Path: cfg.DenyCIDRsFile, Logger: logger, Apply: func(b []byte) error {
			p, err := ban.ParseDenyFile(b)
			if err == nil {
				banner.SetFileDeny(p)
			}
			return err
		}}
		if _, err := w.Load(); err != nil {
			return fmt.Errorf("--%s: %w", pc.FlagDenyCIDRsFile, err)
		}
		go w.Run(ctx, reload)
	}

	var authServers []string
	if cfg.OIDCIssuer != "" {
		authServers = []string{cfg.OIDCIssuer}
	}
	front, err := httpserver.NewHandler(httpserver.Config{
		MCPPath: cfg.MCPPath, PublicURL: cfg.PublicURL, AllowedOrigins: cfg.AllowedOrigins,
		AllowedHosts: cfg.AllowedHosts,
		MaxBodyBytes: cfg.MaxBodyBytes, Resolver: clientip.New(cfg.TrustedProxies), Banner: banner,
		Auth: authn, AuthorizationServers: authServers, Audit: auditLog, Metrics: m, Logger: logger,
		Servers: func(r *http.Request) (*mcp.Server, error) {
			n, err := tools.ParseNarrowing(r.Header)
			if err != nil {
				return nil, err
			}
			return factory.Server(n), nil
		},
	})
	if err != nil {
		return err
	}

	ready := &httpserver.Readiness{Check: gh.Check, Ready: gh.Ready, Interval: cfg.ReadyCheckInterval,
		Logger: logger.With("component", "readiness"), Metrics: m}
	go ready.Run(ctx)

	mcpLn, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("--%s: %w", pc.FlagListen, err)
	}
	opsLn, err := net.Listen("tcp", cfg.MetricsListen)
	if err != nil {
		_ = mcpLn.Close() // unused listener; the bind error is the one to report
		return fmt.Errorf("--%s: %w", pc.FlagMetricsListen, err)
	}
	if env.OnListening != nil {
		env.OnListening(mcpLn.Addr(), opsLn.Addr())
	}
	timeouts := httpserver.DefaultTimeouts
	timeouts.Shutdown = cfg.ShutdownTimeout
	if env.SkipDrainDelay {
		timeouts.DrainDelay = 0
	}
	logger.Info("Serving MCP over Streamable HTTP", "version", Version, "listen", mcpLn.Addr().String(),
		"metrics_listen", opsLn.Addr().String(), "path", cfg.MCPPath, "public_url", cfg.PublicURL,
		"allowed_hosts", cfg.AllowedHosts, "client_auth", cfg.ClientAuth, "read_only", cfg.Policy.ReadOnly)
	return httpserver.Serve(ctx, mcpLn, opsLn,
		httpserver.NewHTTPServer(front, timeouts, logger),
		httpserver.NewHTTPServer(httpserver.OpsHandler(m, ready), timeouts, logger),
		ready, timeouts, logger)
}

// openAudit opens the audit stream: stdout, stderr or an append-only file.
func openAudit(dest string, env Env) (io.Writer, func(), error) {
	switch dest {
	case pc.AuditStdout:
		return env.Stdout, func() {}, nil
	case pc.AuditStderr:
		return env.Stderr, func() {}, nil
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("--%s: %w", pc.FlagAuditLog, err)
	}
	return f, func() { _ = f.Close() }, nil
}
