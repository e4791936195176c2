package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/time/rate"
)

// JWKSFetchInterval and JWKSFetchBurst bound requests to the issuer.
// go-oidc re-fetches the JWKS whenever a token names a key it has not
// cached, so without a bound every forged token would cost the identity
// provider a request. Key rotation needs one fetch; a few in a burst cover
// start-up and a rotation at once.
const (
	JWKSFetchInterval = 10 * time.Second
	JWKSFetchBurst    = 3
)

var (
	errFetchLimited = errors.New("JWKS fetch rate limit reached")
	errProviderDown = errors.New("identity provider unreachable at the last fetch")
)

// limitedTransport refuses requests beyond the limiter instead of waiting,
// so a flood of forged tokens cannot queue up behind it. It remembers
// whether the last real fetch failed: while the provider is down, a refused
// fetch is still "unavailable", not "invalid token".
type limitedTransport struct {
	next       http.RoundTripper
	limiter    *rate.Limiter
	lastFailed atomic.Bool
}

func (l *limitedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if !l.limiter.Allow() {
		if l.lastFailed.Load() {
			return nil, errProviderDown
		}
		return nil, errFetchLimited
	}
	resp, err := l.next.RoundTrip(r)
	l.lastFailed.Store(err != nil || resp.StatusCode >= 500)
	return resp, err
}

// OIDC verifies JWT bearer tokens issued by one OIDC provider.
type OIDC struct {
	verifier *oidc.IDTokenVerifier
}

// NewOIDC discovers issuer (which must be https) and returns a verifier that
// requires audience in the token's aud claim. The JWKS is fetched lazily and
// refreshed when a token names an unknown key, so key rotation needs no
// restart.
func NewOIDC(ctx context.Context, issuer, audience string, client *http.Client) (*OIDC, error) {
	u, err := url.Parse(issuer)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("OIDC issuer %q must be an https URL", issuer)
	}
	if audience == "" {
		return nil, fmt.Errorf("OIDC audience is empty (it defaults to the public URL)")
	}
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	next := client.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	limited := *client
	limited.Transport = &limitedTransport{next: next, limiter: rate.NewLimiter(rate.Every(JWKSFetchInterval), JWKSFetchBurst)}
	client = &limited
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// The client context also serves later JWKS refreshes; go-oidc drops
	// its cancellation for those.
	provider, err := oidc.NewProvider(oidc.ClientContext(dctx, client), issuer)
	if err != nil {
		return nil, fmt.Errorf("OIDC discovery for %s: %w", issuer, err)
	}
	return &OIDC{verifier: provider.Verifier(&oidc.Config{ClientID: audience})}, nil
}

// Verify checks signature, issuer, audience and expiry, and returns the
// subject.
func (o *OIDC) Verify(ctx context.Context, token string) (string, error) {
	t, err := o.verifier.Verify(ctx, token)
	if err != nil {
		// go-oidc flattens the cause into text ("failed to verify
		// signature: fetching keys ..."), so match it there: the keys could
		// not be fetched (identity provider down), which says nothing about
		// the client and must not count towards a ban.
		// Our own fetch limit is different: the token names a key we do not
		// hold and we declined to look further, so it stays invalid.
		msg := err.Error()
		if strings.Contains(msg, "fetching keys") && !strings.Contains(msg, errFetchLimited.Error()) {
			return "", fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		return "", err
	}
	if t.Subject == "" {
		return "", fmt.Errorf("token has no subject")
	}
	return t.Subject, nil
}
