package auth

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

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
		return "", err
	}
	if t.Subject == "" {
		return "", fmt.Errorf("token has no subject")
	}
	return t.Subject, nil
}
