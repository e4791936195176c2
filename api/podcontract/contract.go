// Package podcontract is the one place where the operator and the MCP server
// agree on how the server's pod is wired: ports, paths, mounted files and
// command-line flags. The operator (controllers/) writes a pod spec from these
// names; the server (mcpserver/, cmd/github-mcp-server) parses the same names.
// Both sides' tests import this package, so a rename breaks both at once.
//
// It holds constants only and imports nothing, so either side may depend on it
// without depending on the other.
package podcontract

// Ports and endpoints.
const (
	// MCPPortName and MCPPort serve the MCP endpoint and the OAuth
	// protected-resource metadata. Only Traefik may reach this port.
	MCPPortName = "mcp"
	MCPPort     = 8080
	// MetricsPortName and MetricsPort serve /metrics, /healthz and /readyz.
	// Only the monitoring namespace (and the kubelet) may reach this port.
	MetricsPortName = "metrics"
	MetricsPort     = 9090

	DefaultMCPPath        = "/mcp"
	HealthzPath           = "/healthz"
	ReadyzPath            = "/readyz"
	MetricsPath           = "/metrics"
	ProtectedResourcePath = "/.well-known/oauth-protected-resource"
)

// Files mounted into the pod. Every secret is a file, never an env var.
const (
	// GitHubCredentialDir holds the GitHub credential Secret's key(s).
	GitHubCredentialDir = "/var/run/secrets/github"
	// GitHubTokenFile is the PAT, projected from the token Secret's key.
	GitHubTokenFile = GitHubCredentialDir + "/token"
	// GitHubAppPrivateKeyFile is the GitHub App private key (PEM).
	GitHubAppPrivateKeyFile = GitHubCredentialDir + "/app-private-key.pem"
	// APIKeysFile holds the client API keys, one "name:sha256:<hex>" a line.
	APIKeysDir  = "/var/run/secrets/mcp-clients"
	APIKeysFile = APIKeysDir + "/api-keys"
	// DenyCIDRsFile holds static deny-listed CIDRs, one a line ('#' comments).
	DenyListDir   = "/etc/github-mcp-server/denylist"
	DenyCIDRsFile = DenyListDir + "/cidrs"
	// TmpDir is the only writable path (an emptyDir).
	TmpDir = "/tmp"
)

// Identity the container runs as.
const (
	RunAsUser  = 1001
	RunAsGroup = 1001
)

// Command-line flags of the github-mcp-server binary (without leading dashes).
const (
	FlagListen         = "listen"          // address of the MCP port, e.g. ":8080"
	FlagMetricsListen  = "metrics-listen"  // address of the metrics/health port
	FlagMCPPath        = "mcp-path"        // path of the MCP endpoint
	FlagTransport      = "transport"       // "http" (default) or "stdio"
	FlagPublicURL      = "public-url"      // the public resource URL, https://host/path
	FlagAllowedOrigins = "allowed-origins" // comma-separated Origin allow-list
	FlagAllowedHosts   = "allowed-hosts"   // comma-separated Host names allowed besides the public URL's host
	FlagMaxBodyBytes   = "max-body-bytes"

	FlagGitHubHost           = "gh-host"       // https://github.com or a GHES base URL
	FlagGitHubTokenFile      = "gh-token-file" // PAT file
	FlagGitHubAppID          = "gh-app-id"     // GitHub App ID
	FlagGitHubInstallationID = "gh-app-installation-id"
	FlagGitHubAppKeyFile     = "gh-app-private-key-file"

	FlagToolsets   = "toolsets"    // comma-separated toolset names
	FlagToolsAllow = "tools-allow" // comma-separated tool names
	FlagToolsDeny  = "tools-deny"  // comma-separated tool names
	FlagReadOnly   = "read-only"   // bool, default true

	FlagClientAuth     = "client-auth"   // comma-separated: oidc, apikeys; or "none"
	FlagOIDCIssuer     = "oidc-issuer"   // issuer URL (https)
	FlagOIDCAudience   = "oidc-audience" // defaults to --public-url
	FlagAPIKeysFile    = "api-keys-file"
	FlagTrustedProxies = "trusted-proxies" // comma-separated CIDRs allowed to set X-Forwarded-For

	FlagAuditLog = "audit-log" // "stdout" (default), "stderr" or a file path

	FlagBanThreshold   = "ban-threshold"    // auth failures per window before a ban
	FlagBanWindow      = "ban-window"       // e.g. 1m
	FlagBanDuration    = "ban-duration"     // first ban, e.g. 10m
	FlagBanMaxDuration = "ban-max-duration" // cap for repeat offenders
	FlagDenyCIDRs      = "deny-cidrs"       // comma-separated CIDRs
	FlagDenyCIDRsFile  = "deny-cidrs-file"

	// Added with the server's main: tuning knobs, all with safe defaults.
	FlagShutdownTimeout        = "shutdown-timeout"       // drain of in-flight calls on SIGTERM, e.g. 20s
	FlagReadyCheckInterval     = "ready-check-interval"   // period of the background GitHub check, e.g. 30s
	FlagLogLevel               = "log-level"              // debug, info, warn, error
	FlagGitHubMaxConcurrent    = "gh-max-concurrent"      // cap on concurrent upstream calls
	FlagGitHubMaxRateLimitWait = "gh-max-rate-limit-wait" // bounded wait on a GitHub rate limit, e.g. 5s
)

// Values of FlagTransport and FlagAuditLog.
const (
	TransportHTTP  = "http"
	TransportStdio = "stdio"
	AuditStdout    = "stdout"
	AuditStderr    = "stderr"
)

// Client authentication modes accepted by FlagClientAuth.
const (
	ClientAuthNone    = "none"
	ClientAuthOIDC    = "oidc"
	ClientAuthAPIKeys = "apikeys"
)

// Toolset names accepted by FlagToolsets (and by the CRD's enum).
const (
	ToolsetContext      = "context"
	ToolsetRepos        = "repos"
	ToolsetIssues       = "issues"
	ToolsetPullRequests = "pull_requests"
	ToolsetUsers        = "users"
	ToolsetActions      = "actions"
	ToolsetCodeSecurity = "code_security"
)

// DefaultToolsets is what the server enables when --toolsets is not given.
var DefaultToolsets = []string{ToolsetContext, ToolsetRepos, ToolsetIssues, ToolsetPullRequests, ToolsetUsers}

// ToolNames lists every MCP tool the server offers, sorted. The CRD's
// ToolName enum and the server's tool registry are both tested against it,
// so the operator accepts exactly the names the server knows.
var ToolNames = []string{
	"add_issue_comment",
	"create_branch",
	"create_or_update_file",
	"create_pull_request",
	"get_code_scanning_alert",
	"get_commit",
	"get_file_contents",
	"get_job_logs",
	"get_latest_release",
	"get_me",
	"get_workflow_run",
	"issue_read",
	"issue_write",
	"list_branches",
	"list_code_scanning_alerts",
	"list_commits",
	"list_issues",
	"list_pull_requests",
	"list_releases",
	"list_tags",
	"list_workflow_runs",
	"list_workflows",
	"merge_pull_request",
	"pull_request_read",
	"search_code",
	"search_issues",
	"search_pull_requests",
	"search_repositories",
	"search_users",
}
