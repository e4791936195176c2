package httpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/audit"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/auth"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/ban"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/clientip"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/metrics"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/reqctx"
)

// DefaultMaxBodyBytes caps a JSON-RPC request body. Tool arguments are
// small; the largest legitimate body is a file written by
// create_or_update_file, which GitHub itself limits to a few MiB.
const DefaultMaxBodyBytes = 4 << 20

// ServerFunc returns the MCP server for one request, typically the tool
// factory's server for the client's narrowing headers. An error is the
// client's fault and becomes a 400 naming it.
type ServerFunc func(r *http.Request) (*mcp.Server, error)

// Config configures the MCP port's handler. Servers and Auth are required;
// nil Banner, Audit and Metrics disable those features (tests).
type Config struct {
	MCPPath              string // default podcontract.DefaultMCPPath
	PublicURL            string // the resource identifier, https://host/path ("": not exposed)
	AllowedOrigins       OriginList
	AllowedHosts         []string // Host names besides the public URL's and loopback (see HostList)
	MaxBodyBytes         int64    // default DefaultMaxBodyBytes
	Resolver             *clientip.Resolver
	Banner               *ban.Banner
	Auth                 auth.Authenticator
	AuthorizationServers []string // advertised in the metadata (the OIDC issuer)
	Servers              ServerFunc
	Audit                *audit.Logger
	Metrics              *metrics.Metrics
	Logger               *slog.Logger
	// Now is the clock for latency measurement (tests may fix it).
	Now func() time.Time
}

// Handler is the MCP port's http.Handler.
type Handler struct {
	cfg              Config
	mcp              http.Handler
	metadata         http.Handler
	metadataPaths    map[string]bool
	resourceMetadata string   // URL of the metadata document
	hosts            HostList // nil: the SDK's DNS-rebinding check is in force
}

type serverKey struct{}

// NewHandler validates cfg and builds the handler chain.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.Servers == nil || cfg.Auth == nil {
		return nil, errors.New("httpserver: Servers and Auth are required")
	}
	if cfg.MCPPath == "" {
		cfg.MCPPath = podcontract.DefaultMCPPath
	}
	if !strings.HasPrefix(cfg.MCPPath, "/") || strings.HasPrefix(cfg.MCPPath, podcontract.ProtectedResourcePath) {
		return nil, fmt.Errorf("MCP path %q must start with / and not shadow the metadata path", cfg.MCPPath)
	}
	var pub *url.URL
	if cfg.PublicURL != "" {
		var err error
		if pub, err = ParsePublicURL(cfg.PublicURL); err != nil {
			return nil, err
		}
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.Resolver == nil {
		cfg.Resolver = clientip.New(nil)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	h := &Handler{cfg: cfg, metadataPaths: map[string]bool{}}
	publicHost := ""
	if pub != nil {
		publicHost = pub.Hostname()
	}
	var err error
	if h.hosts, err = newHostList(publicHost, cfg.AllowedHosts); err != nil {
		return nil, err
	}
	// Without a public URL (a server reached only inside the cluster) there
	// is no resource identifier to publish: no metadata, and 401s carry a
	// plain Bearer challenge.
	if pub != nil {
		h.resourceMetadata = pub.Scheme + "://" + pub.Host + podcontract.ProtectedResourcePath
		h.metadata = metadataHandler(cfg.PublicURL, cfg.AuthorizationServers)
		// RFC 9728 §3.1 places the document for https://host/mcp at
		// /.well-known/oauth-protected-resource/mcp; the pod contract (and
		// the WWW-Authenticate header) use the bare path. Serve both.
		h.metadataPaths[podcontract.ProtectedResourcePath] = true
		if p := strings.TrimSuffix(pub.Path, "/"); p != "" {
			h.metadataPaths[podcontract.ProtectedResourcePath+p] = true
		}
	}
	h.mcp = mcp.NewStreamableHTTPHandler(func(r *http.Request) *mcp.Server {
		s, _ := r.Context().Value(serverKey{}).(*mcp.Server)
		return s
	}, &mcp.StreamableHTTPOptions{
		Stateless: true,
		// Plain JSON answers: a stateless server has nothing to stream
		// later, and JSON is what proxies and simple clients handle best.
		JSONResponse:        true,
		MaxRequestBodyBytes: cfg.MaxBodyBytes,
		// A client that hangs up (2026-07-28) cancels its tool call, so
		// abandoned calls stop spending the GitHub rate limit. Graceful
		// shutdown does not cancel request contexts, so draining still
		// finishes in-flight calls.
		PropagateRequestCancellation: true,
		// With a Host allow-list the front checks Host on every socket
		// (see HostList). The SDK's check would then only get in the way:
		// it refuses the public Host whenever a proxy on the same machine
		// forwards to a loopback address. Without a list it stays on.
		DisableLocalhostProtection: h.hosts != nil,
		Logger:                     cfg.Logger,
	})
	return h, nil
}

// ParsePublicURL checks the public resource URL: absolute https (http only
// for loopback, for local runs), no query or fragment.
func ParsePublicURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("public URL %q is not an absolute URL", s)
	}
	loopback := u.Hostname() == "localhost"
	if a, err := netip.ParseAddr(u.Hostname()); err == nil && a.IsLoopback() {
		loopback = true
	}
	switch {
	case u.Scheme != "https" && (u.Scheme != "http" || !loopback):
		return nil, fmt.Errorf("public URL %q must be https (http only on localhost)", s)
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return nil, fmt.Errorf("public URL %q must not carry a query, fragment or user info", s)
	}
	return u, nil
}

// ResourceMetadataURL is the URL advertised in WWW-Authenticate ("" when
// there is no public URL).
func (h *Handler) ResourceMetadataURL() string { return h.resourceMetadata }

// ServeHTTP runs the chain described in the package documentation.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.cfg.Now()
	rec := &recorder{ResponseWriter: w}
	ip := h.cfg.Resolver.Resolve(r)
	info := &reqctx.Info{ClientIP: ip.String()}
	line := audit.Record{
		Kind: audit.KindHTTP, RequestID: audit.NewRequestID(), ClientIP: info.ClientIP,
		Method: r.Method, Path: truncate(r.URL.Path, 256), RPCMethod: truncate(r.Header.Get("Mcp-Method"), 64),
	}
	defer func() {
		if p := recover(); p != nil {
			// Never a stack trace to the client; the panic value may hold
			// request data, so it is logged by type only.
			h.cfg.Logger.Error("Panic while serving a request", "panic_type", fmt.Sprintf("%T", p), "request_id", line.RequestID)
			if rec.status == 0 {
				http.Error(rec, "internal error", http.StatusInternalServerError)
			}
			line.Outcome = "error"
		}
		elapsed := h.cfg.Now().Sub(start)
		line.Status = rec.code()
		line.ClientID = info.ClientID
		line.LatencyMS = audit.Millis(elapsed)
		line.GitHubRequestIDs = info.GitHubRequestIDs()
		if line.Outcome == "" {
			line.Outcome = outcomeFor(line.Status)
		}
		h.cfg.Metrics.ObserveHTTP(line.Status, elapsed)
		if err := h.cfg.Audit.Log(line); err != nil {
			h.cfg.Logger.Error("Writing an audit line failed", "error", err)
		}
	}()
	line.Outcome = h.serve(rec, r, ip, info, line.RequestID)
}

// serve returns the audit outcome when it decided the answer itself, or ""
// to derive it from the status code.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, ip netip.Addr, info *reqctx.Info, requestID string) string {
	if v := h.cfg.Banner.Check(ip); v != ban.Allowed {
		h.cfg.Metrics.Rejected(v.String())
		http.Error(w, "forbidden", http.StatusForbidden)
		return v.String()
	}
	if !h.hosts.Allowed(r.Host) {
		h.cfg.Metrics.Rejected("host")
		h.cfg.Logger.Debug("Request for a Host that is not allowed", "host", truncate(r.Host, 256), "request_id", requestID)
		http.Error(w, "forbidden: host not allowed", http.StatusForbidden)
		return "denied_host"
	}
	if h.metadataPaths[r.URL.Path] {
		h.metadata.ServeHTTP(w, r)
		return ""
	}
	if r.URL.Path != h.cfg.MCPPath {
		http.NotFound(w, r)
		return ""
	}
	// The MCP spec's rule is about a present Origin: one that is present
	// but empty, repeated or not on the list is refused; only an absent
	// header (a non-browser client) passes without a check.
	origins := r.Header.Values("Origin")
	origin := r.Header.Get("Origin")
	if len(origins) > 1 || (len(origins) == 1 && (origin == "" || !h.cfg.AllowedOrigins.Allowed(origin))) {
		h.cfg.Metrics.Rejected("origin")
		http.Error(w, "forbidden: origin not allowed", http.StatusForbidden)
		return "denied_origin"
	}
	if origin != "" {
		// An allowed browser origin: let the page read our answers.
		setCORS(w.Header(), origin)
		if r.Method == http.MethodOptions {
			preflight(w)
			return ""
		}
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return ""
	}
	if r.ContentLength > h.cfg.MaxBodyBytes {
		h.cfg.Metrics.Rejected("body_too_large")
		http.Error(w, fmt.Sprintf("request body exceeds %d bytes", h.cfg.MaxBodyBytes), http.StatusRequestEntityTooLarge)
		return ""
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes)

	id, err := h.cfg.Auth.Authenticate(r.Context(), r)
	if err != nil {
		return h.unauthorized(w, ip, err, requestID)
	}
	info.ClientID = id.ID

	// The client's credential ends here: nothing downstream may see it.
	r.Header = r.Header.Clone()
	r.Header.Del("Authorization")
	r.Header.Del("Cookie")
	r.Header.Del("Proxy-Authorization")

	srv, err := h.cfg.Servers(r)
	if err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return ""
	}
	ctx := reqctx.With(r.Context(), info)
	ctx = audit.WithRequestID(ctx, requestID)
	ctx = context.WithValue(ctx, serverKey{}, srv)
	h.mcp.ServeHTTP(w, r.WithContext(ctx))
	return ""
}

func (h *Handler) unauthorized(w http.ResponseWriter, ip netip.Addr, err error, requestID string) string {
	if errors.Is(err, auth.ErrUnavailable) {
		h.cfg.Metrics.AuthFailure("unavailable")
		h.cfg.Logger.Warn("Client token could not be verified; the identity provider's keys are unavailable",
			"client_ip", ip.String(), "error", err.Error(), "request_id", requestID)
		w.Header().Set("Retry-After", "10")
		http.Error(w, "authentication temporarily unavailable", http.StatusServiceUnavailable)
		return "auth_unavailable"
	}
	reason := "invalid"
	challenge := `Bearer realm="github-mcp-server"`
	if h.resourceMetadata != "" {
		challenge = fmt.Sprintf(`Bearer resource_metadata=%q`, h.resourceMetadata)
	}
	if errors.Is(err, auth.ErrMissing) {
		reason = "missing"
	} else {
		challenge += `, error="invalid_token"`
	}
	h.cfg.Metrics.AuthFailure(reason)
	h.cfg.Banner.Failure(ip) // logs and counts a new ban itself
	// The error text names the check that failed (expired, audience) and
	// never token material; it helps operators, not clients.
	h.cfg.Logger.Info("Client authentication failed", "client_ip", ip.String(), "reason", err.Error(), "request_id", requestID)
	w.Header().Set("WWW-Authenticate", challenge)
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, "unauthorized", http.StatusUnauthorized)
	return "unauthenticated"
}

func outcomeFor(status int) string {
	switch {
	case status < 400:
		return "ok"
	case status == http.StatusUnauthorized:
		return "unauthenticated"
	case status == http.StatusForbidden:
		return "forbidden"
	case status == http.StatusNotFound:
		return "not_found"
	case status == http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case status == http.StatusRequestEntityTooLarge:
		return "too_large"
	case status < 500:
		return "bad_request"
	default:
		return "error"
	}
}

// truncate bounds client-controlled strings copied into audit lines (JSON
// encoding escapes whatever they contain).
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
