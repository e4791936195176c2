package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/auth"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/ban"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/clientip"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/github"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/httpserver"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/tools"
)

// Config is the parsed and validated command line.
type Config struct {
	Transport      string
	Listen         string
	MetricsListen  string
	MCPPath        string
	PublicURL      string
	AllowedOrigins httpserver.OriginList
	AllowedHosts   []string // validated; the public URL's host and loopback are added by httpserver
	MaxBodyBytes   int64

	GitHubHost           string
	GitHubTokenFile      string
	GitHubAppID          int64
	GitHubInstallationID int64
	GitHubAppKeyFile     string
	GitHubMaxConcurrent  int
	GitHubMaxWait        time.Duration

	Policy tools.Policy

	ClientAuth     []string
	OIDCIssuer     string
	OIDCAudience   string
	APIKeysFile    string
	TrustedProxies []netip.Prefix

	AuditLog string

	Ban           ban.Config
	DenyCIDRsFile string

	ShutdownTimeout    time.Duration
	ReadyCheckInterval time.Duration
	LogLevel           slog.Level
}

// rawFlags holds flag values before validation.
type rawFlags struct {
	transport, listen, metricsListen, mcpPath, publicURL, origins string
	hosts                                                         string
	maxBody                                                       int64
	ghHost, ghToken, ghAppKey                                     string
	ghAppID, ghInstallation                                       int64
	ghMaxConcurrent                                               int
	ghMaxWait                                                     time.Duration
	toolsets, allow, deny                                         string
	readOnly                                                      bool
	clientAuth, oidcIssuer, oidcAudience, apiKeys, trusted        string
	auditLog                                                      string
	banThreshold                                                  int
	banWindow, banDuration, banMax                                time.Duration
	denyCIDRs, denyFile                                           string
	shutdown, readyInterval                                       time.Duration
	logLevel                                                      string
}

func newFlagSet(r *rawFlags, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("github-mcp-server", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&r.transport, pc.FlagTransport, pc.TransportHTTP, `"http" (Streamable HTTP, for remote clients) or "stdio" (one local client, no client auth)`)
	fs.StringVar(&r.listen, pc.FlagListen, fmt.Sprintf(":%d", pc.MCPPort), "address of the MCP port")
	fs.StringVar(&r.metricsListen, pc.FlagMetricsListen, fmt.Sprintf(":%d", pc.MetricsPort), "address of the health and metrics port")
	fs.StringVar(&r.mcpPath, pc.FlagMCPPath, pc.DefaultMCPPath, "path of the MCP endpoint")
	fs.StringVar(&r.publicURL, pc.FlagPublicURL, "", "public resource URL of the MCP endpoint, https://host/path (empty: in-cluster only, no OAuth metadata)")
	fs.StringVar(&r.origins, pc.FlagAllowedOrigins, "", "comma-separated browser Origins allowed (requests without Origin are always allowed)")
	fs.StringVar(&r.hosts, pc.FlagAllowedHosts, "", "comma-separated Host names (no port) accepted besides the --"+pc.FlagPublicURL+" host and localhost; with either set, any other Host gets 403")
	fs.Int64Var(&r.maxBody, pc.FlagMaxBodyBytes, httpserver.DefaultMaxBodyBytes, "maximum request body in bytes (413 beyond)")
	fs.StringVar(&r.ghHost, pc.FlagGitHubHost, "https://github.com", "GitHub (https://github.com) or GitHub Enterprise Server base URL; https only")
	fs.StringVar(&r.ghToken, pc.FlagGitHubTokenFile, "", "file holding a GitHub personal access token (re-read on change)")
	fs.Int64Var(&r.ghAppID, pc.FlagGitHubAppID, 0, "GitHub App ID (App mode)")
	fs.Int64Var(&r.ghInstallation, pc.FlagGitHubInstallationID, 0, "GitHub App installation ID (App mode)")
	fs.StringVar(&r.ghAppKey, pc.FlagGitHubAppKeyFile, "", "GitHub App private key PEM file (App mode)")
	fs.IntVar(&r.ghMaxConcurrent, pc.FlagGitHubMaxConcurrent, 8, "maximum concurrent calls to GitHub")
	fs.DurationVar(&r.ghMaxWait, pc.FlagGitHubMaxRateLimitWait, 5*time.Second, "longest wait on a GitHub rate limit before a tool error")
	fs.StringVar(&r.toolsets, pc.FlagToolsets, strings.Join(pc.DefaultToolsets, ","), `comma-separated toolsets, or "all"`)
	fs.StringVar(&r.allow, pc.FlagToolsAllow, "", "comma-separated tools to keep (empty: all in the toolsets)")
	fs.StringVar(&r.deny, pc.FlagToolsDeny, "", "comma-separated tools to remove")
	fs.BoolVar(&r.readOnly, pc.FlagReadOnly, true, "hide every tool that writes to GitHub")
	fs.StringVar(&r.clientAuth, pc.FlagClientAuth, "", `comma-separated client authentication modes: "oidc", "apikeys"; or "none" (explicitly)`)
	fs.StringVar(&r.oidcIssuer, pc.FlagOIDCIssuer, "", "OIDC issuer URL (https)")
	fs.StringVar(&r.oidcAudience, pc.FlagOIDCAudience, "", "required token audience (default: the public URL)")
	fs.StringVar(&r.apiKeys, pc.FlagAPIKeysFile, pc.APIKeysFile, `API keys file, one "name:sha256:<hex>" a line (re-read on change)`)
	fs.StringVar(&r.trusted, pc.FlagTrustedProxies, "", "comma-separated CIDRs of proxies whose X-Forwarded-For is believed")
	fs.StringVar(&r.auditLog, pc.FlagAuditLog, pc.AuditStdout, `audit stream: "stdout", "stderr" or a file path`)
	fs.IntVar(&r.banThreshold, pc.FlagBanThreshold, ban.DefaultThreshold, "authentication failures per window that ban a client IP")
	fs.DurationVar(&r.banWindow, pc.FlagBanWindow, ban.DefaultWindow, "sliding window for counting failures")
	fs.DurationVar(&r.banDuration, pc.FlagBanDuration, ban.DefaultDuration, "first ban; doubles on each repeat offence")
	fs.DurationVar(&r.banMax, pc.FlagBanMaxDuration, ban.DefaultMaxDuration, "longest ban")
	fs.StringVar(&r.denyCIDRs, pc.FlagDenyCIDRs, "", "comma-separated CIDRs always refused (403)")
	fs.StringVar(&r.denyFile, pc.FlagDenyCIDRsFile, "", "file of CIDRs always refused, one a line, '#' comments (re-read on change)")
	fs.DurationVar(&r.shutdown, pc.FlagShutdownTimeout, httpserver.DefaultTimeouts.Shutdown, "how long SIGTERM waits for in-flight calls")
	fs.DurationVar(&r.readyInterval, pc.FlagReadyCheckInterval, httpserver.DefaultCheckInterval, "period of the background GitHub readiness check")
	fs.StringVar(&r.logLevel, pc.FlagLogLevel, "info", "debug, info, warn or error")
	return fs
}

// ErrHelp is returned when -h was given; usage has been printed.
var ErrHelp = flag.ErrHelp

// ParseFlags parses and validates args. Every problem is reported at once,
// each naming its flag.
func ParseFlags(args []string, usageOut io.Writer) (*Config, error) {
	var r rawFlags
	fs := newFlagSet(&r, usageOut)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q: every setting is a flag", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return r.validate(set)
}

func (r *rawFlags) validate(set map[string]bool) (*Config, error) {
	var errs []error
	bad := func(flagName, format string, a ...any) {
		errs = append(errs, fmt.Errorf("--%s: %s", flagName, fmt.Sprintf(format, a...)))
	}
	c := &Config{
		Transport: r.transport, Listen: r.listen, MetricsListen: r.metricsListen, MCPPath: r.mcpPath,
		PublicURL: r.publicURL, MaxBodyBytes: r.maxBody, GitHubHost: r.ghHost, GitHubTokenFile: r.ghToken,
		GitHubAppID: r.ghAppID, GitHubInstallationID: r.ghInstallation, GitHubAppKeyFile: r.ghAppKey,
		GitHubMaxConcurrent: r.ghMaxConcurrent, GitHubMaxWait: r.ghMaxWait,
		Policy:     tools.Policy{Toolsets: splitList(r.toolsets), Allow: splitList(r.allow), Deny: splitList(r.deny), ReadOnly: r.readOnly},
		ClientAuth: splitList(r.clientAuth),
		OIDCIssuer: r.oidcIssuer, OIDCAudience: r.oidcAudience, AuditLog: r.auditLog, DenyCIDRsFile: r.denyFile,
		ShutdownTimeout: r.shutdown, ReadyCheckInterval: r.readyInterval,
		Ban: ban.Config{Threshold: r.banThreshold, Window: r.banWindow, Duration: r.banDuration, MaxDuration: r.banMax},
	}
	stdio := r.transport == pc.TransportStdio
	switch r.transport {
	case pc.TransportHTTP, pc.TransportStdio:
	default:
		bad(pc.FlagTransport, "%q is not %q or %q", r.transport, pc.TransportHTTP, pc.TransportStdio)
	}
	if err := c.LogLevel.UnmarshalText([]byte(r.logLevel)); err != nil {
		bad(pc.FlagLogLevel, "%q is not debug, info, warn or error", r.logLevel)
	}

	// GitHub credential: exactly one mode (the client re-checks; this names flags).
	app := r.ghAppID != 0 || r.ghInstallation != 0 || r.ghAppKey != ""
	switch {
	case r.ghToken != "" && app:
		bad(pc.FlagGitHubTokenFile, "give either a token file or the GitHub App flags, not both")
	case r.ghToken == "" && !app:
		bad(pc.FlagGitHubTokenFile, "no GitHub credential: give --%s, or --%s, --%s and --%s",
			pc.FlagGitHubTokenFile, pc.FlagGitHubAppID, pc.FlagGitHubInstallationID, pc.FlagGitHubAppKeyFile)
	case app && (r.ghAppID <= 0 || r.ghInstallation <= 0 || r.ghAppKey == ""):
		bad(pc.FlagGitHubAppID, "GitHub App mode needs positive --%s and --%s and a --%s",
			pc.FlagGitHubAppID, pc.FlagGitHubInstallationID, pc.FlagGitHubAppKeyFile)
	}
	if !strings.HasPrefix(r.ghHost, "https://") {
		bad(pc.FlagGitHubHost, "%q must be an https URL", r.ghHost)
	}
	if r.ghMaxConcurrent < 1 || r.ghMaxConcurrent > 256 {
		bad(pc.FlagGitHubMaxConcurrent, "%d is outside 1..256", r.ghMaxConcurrent)
	}
	// One GitHub call, rate-limit waits included, is bounded by the client's
	// request timeout; a longer "longest wait" could never be waited.
	if r.ghMaxWait < 0 || r.ghMaxWait > github.DefaultRequestTimeout {
		bad(pc.FlagGitHubMaxRateLimitWait, "%s is outside 0..%s (the bound of one GitHub call, waits included)",
			r.ghMaxWait, github.DefaultRequestTimeout)
	}
	if err := c.Policy.Validate(); err != nil {
		bad(pc.FlagToolsets, "%v", err)
	}

	// Audit stream. In stdio mode stdout carries the protocol.
	if stdio && r.auditLog == pc.AuditStdout {
		if set[pc.FlagAuditLog] {
			bad(pc.FlagAuditLog, "stdout carries the MCP protocol in stdio mode; use stderr or a file")
		}
		c.AuditLog = pc.AuditStderr
	}
	if r.auditLog == "" {
		bad(pc.FlagAuditLog, "empty; use stdout, stderr or a file path")
	}

	if !stdio {
		errs = append(errs, r.validateHTTP(c, set)...)
	} else if len(c.ClientAuth) > 0 && !auth.IsNone(c.ClientAuth) {
		bad(pc.FlagClientAuth, "stdio serves one local client over a pipe and has no client authentication; omit the flag")
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

func (r *rawFlags) validateHTTP(c *Config, set map[string]bool) []error {
	var errs []error
	bad := func(flagName, format string, a ...any) {
		errs = append(errs, fmt.Errorf("--%s: %s", flagName, fmt.Sprintf(format, a...)))
	}
	for name, addr := range map[string]string{pc.FlagListen: r.listen, pc.FlagMetricsListen: r.metricsListen} {
		if _, port, err := net.SplitHostPort(addr); err != nil {
			bad(name, "%q is not host:port", addr)
		} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			bad(name, "port %q is invalid", port)
		}
	}
	if r.listen == r.metricsListen && !strings.HasSuffix(r.listen, ":0") {
		bad(pc.FlagMetricsListen, "must differ from --%s: metrics and health live on their own port", pc.FlagListen)
	}
	if !strings.HasPrefix(r.mcpPath, "/") || strings.HasPrefix(r.mcpPath, pc.ProtectedResourcePath) {
		bad(pc.FlagMCPPath, "%q must start with / and not lie under %s", r.mcpPath, pc.ProtectedResourcePath)
	}
	// Without a public URL the server is reachable only inside the cluster:
	// it then publishes no OAuth metadata (see the OIDC audience below).
	if r.publicURL != "" {
		if _, err := httpserver.ParsePublicURL(r.publicURL); err != nil {
			bad(pc.FlagPublicURL, "%v", err)
		}
	}
	origins, err := httpserver.ParseOrigins(splitList(r.origins))
	if err != nil {
		bad(pc.FlagAllowedOrigins, "%v", err)
	}
	c.AllowedOrigins = origins
	// DNS-rebinding protection: the Host names the server answers to.
	c.AllowedHosts = splitList(r.hosts)
	if _, err := httpserver.ParseHosts(c.AllowedHosts); err != nil {
		bad(pc.FlagAllowedHosts, "%v", err)
	}
	if r.maxBody < 1024 || r.maxBody > 64<<20 {
		bad(pc.FlagMaxBodyBytes, "%d is outside 1KiB..64MiB", r.maxBody)
	}

	if err := auth.ValidateModes(c.ClientAuth); err != nil {
		bad(pc.FlagClientAuth, "%v", err)
	}
	for _, m := range c.ClientAuth {
		switch m {
		case pc.ClientAuthOIDC:
			if r.oidcIssuer == "" {
				bad(pc.FlagOIDCIssuer, "required with --%s=%s", pc.FlagClientAuth, pc.ClientAuthOIDC)
			} else if !strings.HasPrefix(r.oidcIssuer, "https://") {
				bad(pc.FlagOIDCIssuer, "%q must be an https URL", r.oidcIssuer)
			}
			if c.OIDCAudience == "" {
				c.OIDCAudience = r.publicURL
			}
			if c.OIDCAudience == "" {
				bad(pc.FlagOIDCAudience, "required with --%s=%s when there is no --%s (the audience defaults to it)",
					pc.FlagClientAuth, pc.ClientAuthOIDC, pc.FlagPublicURL)
			}
		case pc.ClientAuthAPIKeys:
			c.APIKeysFile = r.apiKeys
			if r.apiKeys == "" {
				bad(pc.FlagAPIKeysFile, "required with --%s=%s", pc.FlagClientAuth, pc.ClientAuthAPIKeys)
			}
		}
	}
	if set[pc.FlagOIDCIssuer] && !contains(c.ClientAuth, pc.ClientAuthOIDC) {
		bad(pc.FlagOIDCIssuer, "given but --%s does not include %s", pc.FlagClientAuth, pc.ClientAuthOIDC)
	}

	if c.TrustedProxies, err = clientip.ParseCIDRs(splitList(r.trusted)); err != nil {
		bad(pc.FlagTrustedProxies, "%v", err)
	}
	if c.Ban.Deny, err = clientip.ParseCIDRs(splitList(r.denyCIDRs)); err != nil {
		bad(pc.FlagDenyCIDRs, "%v", err)
	}
	switch {
	case r.banThreshold < 1:
		bad(pc.FlagBanThreshold, "%d must be at least 1", r.banThreshold)
	case r.banWindow <= 0:
		bad(pc.FlagBanWindow, "%s must be positive", r.banWindow)
	case r.banDuration <= 0:
		bad(pc.FlagBanDuration, "%s must be positive", r.banDuration)
	case r.banMax < r.banDuration:
		bad(pc.FlagBanMaxDuration, "%s is shorter than --%s %s", r.banMax, pc.FlagBanDuration, r.banDuration)
	}
	if r.shutdown <= 0 || r.shutdown > 10*time.Minute {
		bad(pc.FlagShutdownTimeout, "%s is outside (0, 10m]", r.shutdown)
	}
	if r.readyInterval < time.Second {
		bad(pc.FlagReadyCheckInterval, "%s is shorter than 1s (each check costs a GitHub call)", r.readyInterval)
	}
	return errs
}

func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
