package github

import (
	"context"
	"errors"
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
	// failing with *RateLimitError (default 5s).
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
	cfg   Config
	rest  *gogithub.Client
	creds credentials
	ready atomic.Bool
	close func() error
}

// New validates cfg, loads the credential and builds the client. It makes no
// upstream call; call Check for that.
func New(ctx context.Context, cfg Config) (*Client, error) {
	return nil, errors.New("github: not implemented yet")
}

// REST returns the go-github client whose requests go through the transport
// chain (credential, concurrency cap, rate-limit handling, ETag cache).
func (c *Client) REST() *gogithub.Client { return c.rest }

// Check makes one cheap authenticated upstream call (GET /rate_limit) and
// remembers whether it succeeded, for Ready.
func (c *Client) Check(ctx context.Context) error { return errors.New("github: not implemented yet") }

// Ready reports whether the credential is loaded and the last Check
// succeeded.
func (c *Client) Ready() bool { return c != nil && c.ready.Load() }

// Close stops the credential file watcher.
func (c *Client) Close() error {
	if c == nil || c.close == nil {
		return nil
	}
	return c.close()
}

// credentials supplies the Authorization header value for one request.
type credentials interface {
	authorization(ctx context.Context) (string, error)
	loaded() bool
}
