package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
)

// Errors returned by Authenticate. Both are authentication failures that
// count towards a ban; the distinction only feeds the metrics.
var (
	ErrMissing = errors.New("no bearer token")
	ErrInvalid = errors.New("invalid bearer token")
)

// ErrUnavailable means the token could not be checked (the OIDC issuer's
// keys could not be fetched). It is not the client's fault: the front
// answers 503 and does not count it towards a ban.
var ErrUnavailable = errors.New("token verification unavailable")

// MaxTokenBytes bounds the bearer token we are willing to look at, so a
// giant header costs nothing beyond the read.
const MaxTokenBytes = 8 << 10

// Anonymous is the client identity when authentication is "none".
const Anonymous = "anonymous"

// Identity is an authenticated client.
type Identity struct {
	// ID is what audit lines show: "apikey:<name>", "oidc:<subject>" or
	// "anonymous".
	ID string
}

// Authenticator checks one request's credentials.
type Authenticator interface {
	Authenticate(ctx context.Context, r *http.Request) (Identity, error)
}

// Config selects and configures the modes.
type Config struct {
	Modes        []string // podcontract.ClientAuth*; "none" must be alone
	APIKeysFile  string
	OIDCIssuer   string
	OIDCAudience string
	// HTTPClient fetches OIDC discovery and JWKS (tests use a TLS test
	// server's client). Nil means http.DefaultClient.
	HTTPClient *http.Client
	Logger     *slog.Logger
}

// ValidateModes checks a list of modes: known names, no duplicates, "none"
// only on its own, at least one.
func ValidateModes(modes []string) error {
	if len(modes) == 0 {
		return fmt.Errorf("no client authentication mode: choose %q, %q or (explicitly) %q",
			podcontract.ClientAuthOIDC, podcontract.ClientAuthAPIKeys, podcontract.ClientAuthNone)
	}
	seen := map[string]bool{}
	for _, m := range modes {
		switch m {
		case podcontract.ClientAuthNone, podcontract.ClientAuthOIDC, podcontract.ClientAuthAPIKeys:
		default:
			return fmt.Errorf("unknown client authentication mode %q (known: %s, %s, %s)", m,
				podcontract.ClientAuthOIDC, podcontract.ClientAuthAPIKeys, podcontract.ClientAuthNone)
		}
		if seen[m] {
			return fmt.Errorf("client authentication mode %q given twice", m)
		}
		seen[m] = true
	}
	if seen[podcontract.ClientAuthNone] && len(modes) > 1 {
		return fmt.Errorf("client authentication mode %q cannot be combined with others", podcontract.ClientAuthNone)
	}
	return nil
}

// IsNone reports whether modes disables authentication.
func IsNone(modes []string) bool {
	return slices.Equal(modes, []string{podcontract.ClientAuthNone})
}

// Chain is the configured Authenticator. Close stops file watching.
type Chain struct {
	none bool
	keys *APIKeys
	oidc *OIDC
}

// New builds the authenticator for cfg. OIDC discovery happens here, so an
// unreachable or misconfigured issuer fails start-up loudly rather than
// every request quietly.
func New(ctx context.Context, cfg Config) (*Chain, error) {
	if err := ValidateModes(cfg.Modes); err != nil {
		return nil, err
	}
	c := &Chain{}
	for _, m := range cfg.Modes {
		switch m {
		case podcontract.ClientAuthNone:
			c.none = true
		case podcontract.ClientAuthAPIKeys:
			keys, err := LoadAPIKeys(cfg.APIKeysFile, cfg.Logger)
			if err != nil {
				return nil, err
			}
			c.keys = keys
		case podcontract.ClientAuthOIDC:
			o, err := NewOIDC(ctx, cfg.OIDCIssuer, cfg.OIDCAudience, cfg.HTTPClient)
			if err != nil {
				return nil, err
			}
			c.oidc = o
		}
	}
	return c, nil
}

// APIKeys returns the API-key store, or nil when that mode is off (main
// starts its file watcher).
func (c *Chain) APIKeys() *APIKeys { return c.keys }

// Authenticate implements Authenticator.
func (c *Chain) Authenticate(ctx context.Context, r *http.Request) (Identity, error) {
	if c.none {
		return Identity{ID: Anonymous}, nil
	}
	token, err := BearerToken(r.Header)
	if err != nil {
		return Identity{}, err
	}
	if c.keys != nil {
		if name, ok := c.keys.Verify(token); ok {
			return Identity{ID: "apikey:" + name}, nil
		}
	}
	if c.oidc != nil && strings.Count(token, ".") == 2 {
		sub, err := c.oidc.Verify(ctx, token)
		if err == nil {
			return Identity{ID: "oidc:" + sub}, nil
		}
		if errors.Is(err, ErrUnavailable) {
			return Identity{}, err
		}
		// The verifier's reason (expired, wrong audience, bad signature)
		// is useful to operators and contains no token material.
		return Identity{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return Identity{}, ErrInvalid
}

// BearerToken extracts the token of an "Authorization: Bearer" header.
func BearerToken(h http.Header) (string, error) {
	v := h.Values("Authorization")
	if len(v) == 0 {
		return "", ErrMissing
	}
	if len(v) > 1 {
		return "", fmt.Errorf("%w: more than one Authorization header", ErrInvalid)
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(v[0]), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", fmt.Errorf("%w: Authorization scheme is not Bearer", ErrInvalid)
	}
	token = strings.TrimSpace(token)
	switch {
	case token == "":
		return "", ErrMissing
	case len(token) > MaxTokenBytes:
		return "", fmt.Errorf("%w: token longer than %d bytes", ErrInvalid, MaxTokenBytes)
	}
	return token, nil
}
