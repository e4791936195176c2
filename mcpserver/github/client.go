package github

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	gogithub "github.com/google/go-github/v62/github"
	"github.com/prometheus/client_golang/prometheus"
)

// Config configures New. Exactly one credential mode must be set: TokenFile,
// or AppID + InstallationID + AppPrivateKeyFile.
type Config struct {
	// Host is https://github.com (the default when empty) or the base URL of
	// a GitHub Enterprise Server. Only https is accepted.
	Host string
	// TokenFile is the path of a file holding a personal access token.
	TokenFile string
	// AppID, InstallationID and AppPrivateKeyFile select GitHub App mode.
	AppID, InstallationID int64
	AppPrivateKeyFile     string
	// MaxConcurrent caps in-flight upstream calls (default 8).
	MaxConcurrent int
	// MaxRateLimitWait bounds how long one call waits on a rate limit before
	// failing with *RateLimitError (default 5s; negative: never wait).
	MaxRateLimitWait time.Duration
	// MaxRetries bounds retries after rate-limit responses (default 2).
	MaxRetries int
	// CacheEntries bounds the ETag cache (default 1000; negative disables).
	CacheEntries int
	// Registerer receives the client's metrics (nil: not registered).
	Registerer prometheus.Registerer
	// Logger is used for credential reloads and errors (nil: discard).
	Logger *slog.Logger
	// HTTPClient optionally supplies the base transport (tests point it at
	// a fake). Its Transport is wrapped, never modified.
	HTTPClient *http.Client
}

// Client is the server's GitHub client. It is safe for concurrent use.
type Client struct {
	rest    *gogithub.Client
	creds   credentials
	cache   *etagCache
	metrics *metrics
	log     *slog.Logger
	// download fetches signed URLs: concurrency cap, no credential.
	download http.RoundTripper

	ready   atomic.Bool
	lastErr atomic.Pointer[error]
}

// Defaults for Config fields left zero.
const (
	DefaultMaxConcurrent    = 8
	DefaultMaxRateLimitWait = 5 * time.Second
	DefaultMaxRetries       = 2
	DefaultCacheEntries     = 1000
	// DefaultRequestTimeout bounds one upstream call, retries included.
	DefaultRequestTimeout = 60 * time.Second
)

// New validates cfg, loads the credential and builds the client. It makes no
// upstream call except, in App mode, none either: tokens are minted lazily on
// first use. Call Check to probe GitHub.
func New(ctx context.Context, cfg Config) (*Client, error) {
	ep, err := resolveHost(cfg.Host)
	if err != nil {
		return nil, err
	}
	if cfg.MaxConcurrent == 0 {
		cfg.MaxConcurrent = DefaultMaxConcurrent
	}
	if cfg.MaxRateLimitWait == 0 {
		cfg.MaxRateLimitWait = DefaultMaxRateLimitWait
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.CacheEntries == 0 {
		cfg.CacheEntries = DefaultCacheEntries
	}
	switch {
	case cfg.MaxConcurrent < 0:
		return nil, fmt.Errorf("github: MaxConcurrent must be positive, got %d", cfg.MaxConcurrent)
	case cfg.MaxRateLimitWait < 0: // negative: never wait, fail at once
		cfg.MaxRateLimitWait = 0
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	base := http.DefaultTransport
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		base = cfg.HTTPClient.Transport
	}
	m, err := newMetrics(cfg.Registerer)
	if err != nil {
		return nil, fmt.Errorf("github: registering metrics: %w", err)
	}
	c := &Client{metrics: m, log: log}

	appMode := cfg.AppID != 0 || cfg.InstallationID != 0 || cfg.AppPrivateKeyFile != ""
	switch {
	case appMode && cfg.TokenFile != "":
		return nil, errors.New("github: give either a token file or GitHub App settings, not both")
	case appMode:
		if cfg.AppID <= 0 || cfg.InstallationID <= 0 || cfg.AppPrivateKeyFile == "" {
			return nil, errors.New("github: GitHub App mode needs a positive app ID, a positive installation ID and a private-key file")
		}
		// Token minting gets the concurrency cap and metrics but not the
		// credential layer (it carries the app JWT).
		c.creds, err = newAppCreds(observe(limit(base, cfg.MaxConcurrent), m), ep.appBase, cfg.AppID, cfg.InstallationID, cfg.AppPrivateKeyFile, log)
	case cfg.TokenFile != "":
		c.creds, err = newPATCreds(cfg.TokenFile, log)
	default:
		return nil, errors.New("github: no credential: give a token file or GitHub App settings")
	}
	if err != nil {
		return nil, fmt.Errorf("github: %w", err)
	}

	rt := limit(base, cfg.MaxConcurrent)
	c.download = observe(rt, m)
	if cfg.CacheEntries > 0 {
		c.cache = newETagCache(cfg.CacheEntries)
		rt = etag(rt, c.cache, m)
	}
	rt = auth(rt, c.creds, ep.hosts())
	rt = rateLimit(rt, &rateLimitPolicy{
		maxWait: cfg.MaxRateLimitWait, maxRetries: cfg.MaxRetries, now: time.Now, sleep: sleep,
	}, m)
	rt = observe(rt, m)

	// A hung GitHub must not hang a tool call: bound each call, rate-limit
	// waits included, unless the caller's client says otherwise.
	httpClient := &http.Client{Transport: rt, Timeout: DefaultRequestTimeout}
	if cfg.HTTPClient != nil && cfg.HTTPClient.Timeout != 0 {
		httpClient.Timeout = cfg.HTTPClient.Timeout
	}
	rest, err := gogithub.NewClient(httpClient).WithEnterpriseURLs(ep.api, ep.uploads)
	if err != nil {
		// Only stops the file watcher of a client nobody will use; the
		// construction error is the one to report.
		_ = c.creds.close()
		return nil, fmt.Errorf("github: %w", err)
	}
	rest.UserAgent = "github-mcp-operator/github-mcp-server"
	c.rest = rest
	_ = ctx // reserved: New does no I/O beyond reading credential files
	return c, nil
}

// REST returns the go-github client whose requests go through the transport
// chain (credential, concurrency cap, rate-limit handling, ETag cache).
func (c *Client) REST() *gogithub.Client { return c.rest }

// Check makes one cheap authenticated upstream call (GET /rate_limit, which
// does not count against the quota) and remembers whether it succeeded.
func (c *Client) Check(ctx context.Context) error {
	_, _, err := c.rest.RateLimit.Get(ctx)
	if err != nil {
		err = fmt.Errorf("github check: %w", err)
		c.lastErr.Store(&err)
		c.ready.Store(false)
		return err
	}
	c.lastErr.Store(nil)
	c.ready.Store(true)
	return nil
}

// Ready reports whether the credential is loaded and the last Check
// succeeded.
func (c *Client) Ready() bool {
	return c != nil && c.creds != nil && c.creds.loaded() && c.ready.Load()
}

// LastCheckError returns the error of the last Check, or nil.
func (c *Client) LastCheckError() error {
	if p := c.lastErr.Load(); p != nil {
		return *p
	}
	return nil
}

// Close stops the credential file watcher.
func (c *Client) Close() error {
	if c == nil || c.creds == nil {
		return nil
	}
	return c.creds.close()
}

// credentials supplies the Authorization header value for one request.
type credentials interface {
	authorization(ctx context.Context) (string, error)
	loaded() bool
	close() error
}
