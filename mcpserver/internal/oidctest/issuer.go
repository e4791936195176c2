package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Issuer is a running test OIDC provider.
type Issuer struct {
	Server *httptest.Server
	URL    string
	key    *rsa.PrivateKey
	kid    string
	// FailJWKS makes the JWKS endpoint answer 503 (identity provider down).
	FailJWKS atomic.Bool
	// JWKSFetches counts requests to the JWKS endpoint.
	JWKSFetches atomic.Int64

	// other is the one unpublished key used for forged tokens (RSA key
	// generation is slow; one suffices).
	otherOnce sync.Once
	other     *rsa.PrivateKey
	otherErr  error
}

// Start runs an issuer until the test ends.
func Start(t testing.TB) *Issuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	iss := &Issuer{key: key, kid: "test-key-1"}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{
			"issuer":                                iss.URL,
			"jwks_uri":                              iss.URL + "/jwks",
			"authorization_endpoint":                iss.URL + "/authorize",
			"token_endpoint":                        iss.URL + "/token",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		iss.JWKSFetches.Add(1)
		if iss.FailJWKS.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, map[string]any{"keys": []map[string]string{{
			"kty": "RSA", "alg": "RS256", "use": "sig", "kid": iss.kid,
			"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
		}}})
	})
	iss.Server = httptest.NewTLSServer(mux)
	iss.URL = iss.Server.URL
	t.Cleanup(iss.Server.Close)
	return iss
}

// Client trusts the issuer's TLS certificate.
func (i *Issuer) Client() *http.Client { return i.Server.Client() }

// Token signs a token for subject and audience, valid for an hour.
func (i *Issuer) Token(t testing.TB, subject, audience string) string {
	t.Helper()
	return i.TokenWith(t, jwt.MapClaims{
		"iss": i.URL, "sub": subject, "aud": audience,
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
	})
}

// TokenWith signs arbitrary claims with the issuer's key.
func (i *Issuer) TokenWith(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = i.kid
	s, err := tok.SignedString(i.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ForeignToken signs valid-looking claims with a key the issuer never
// published (under the published key ID).
func (i *Issuer) ForeignToken(t testing.TB, subject, audience string) string {
	return i.foreign(t, subject, audience, i.kid)
}

// UnknownKidToken signs with an unpublished key under a new key ID, as a
// token after a key rotation the verifier has not seen yet would be.
func (i *Issuer) UnknownKidToken(t testing.TB, subject, audience, kid string) string {
	return i.foreign(t, subject, audience, kid)
}

func (i *Issuer) foreign(t testing.TB, subject, audience, kid string) string {
	t.Helper()
	i.otherOnce.Do(func() { i.other, i.otherErr = rsa.GenerateKey(rand.Reader, 2048) })
	if i.otherErr != nil {
		t.Fatal(i.otherErr)
	}
	other := i.other
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss": i.URL, "sub": subject, "aud": audience, "exp": time.Now().Add(time.Hour).Unix(),
	})
	tok.Header["kid"] = kid
	s, err := tok.SignedString(other)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// AlgAttackTokens returns valid claims for subject and audience under the
// classic algorithm attacks, by name: "alg none" (unsigned) and "HS256 with
// the public key" (an HMAC keyed with the issuer's published key, the RS/HS
// confusion). A verifier must refuse every one.
func (i *Issuer) AlgAttackTokens(t testing.TB, subject, audience string) map[string]string {
	t.Helper()
	claims := jwt.MapClaims{"iss": i.URL, "sub": subject, "aud": audience,
		"iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
	out := map[string]string{}
	none := jwt.NewWithClaims(jwt.SigningMethodNone, claims)
	none.Header["kid"] = i.kid
	s, err := none.SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	out["alg none"] = s
	der, err := x509.MarshalPKIXPublicKey(&i.key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	for name, secret := range map[string][]byte{
		"HS256 keyed with the public key (PEM)": pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}),
		"HS256 keyed with the public key (n)":   i.key.N.Bytes(),
	} {
		hs := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
		hs.Header["kid"] = i.kid
		if out[name], err = hs.SignedString(secret); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
