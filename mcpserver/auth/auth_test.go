package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/internal/oidctest"
)

const (
	audience = "https://mcp.example.test/mcp"
	keyA     = "k_alpha_0123456789abcdef0123456789abcdef"
	keyB     = "k_bravo_0123456789abcdef0123456789abcdef"
)

func req(auth string) *http.Request {
	r, _ := http.NewRequest("POST", "/mcp", nil)
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	return r
}

func writeKeys(t *testing.T, path string, lines ...string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestValidateModes(t *testing.T) {
	ok := [][]string{{"none"}, {"oidc"}, {"apikeys"}, {"oidc", "apikeys"}}
	bad := [][]string{nil, {"none", "oidc"}, {"basic"}, {"oidc", "oidc"}, {""}}
	for _, m := range ok {
		if err := ValidateModes(m); err != nil {
			t.Errorf("%q: %v", m, err)
		}
	}
	for _, m := range bad {
		if err := ValidateModes(m); err == nil {
			t.Errorf("%q accepted", m)
		}
	}
}

func TestAPIKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	writeKeys(t, path, "# clients", HashKey("ci-bot", keyA), "")
	c, err := New(context.Background(), Config{Modes: []string{podcontract.ClientAuthAPIKeys}, APIKeysFile: path})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.Authenticate(context.Background(), req("Bearer "+keyA))
	if err != nil || id.ID != "apikey:ci-bot" {
		t.Fatalf("id %v err %v", id, err)
	}
	for _, h := range []string{"", "Bearer ", "Basic " + keyA, "Bearer " + keyB, "Bearer " + keyA + "x", "Bearer " + strings.Repeat("a", MaxTokenBytes+1)} {
		_, err := c.Authenticate(context.Background(), req(h))
		if !errors.Is(err, ErrMissing) && !errors.Is(err, ErrInvalid) {
			t.Errorf("%.20q: err %v", h, err)
		}
		if err != nil && strings.Contains(err.Error(), keyA) {
			t.Errorf("error leaks the key: %v", err)
		}
	}

	// Rotation: keyA revoked, keyB added, without a restart.
	writeKeys(t, path, HashKey("laptop", keyB))
	if changed, err := c.APIKeys().Watcher.Load(); err != nil || !changed {
		t.Fatalf("reload changed=%v err=%v", changed, err)
	}
	if _, err := c.Authenticate(context.Background(), req("Bearer "+keyA)); err == nil {
		t.Fatal("revoked key still accepted")
	}
	if id, err := c.Authenticate(context.Background(), req("Bearer "+keyB)); err != nil || id.ID != "apikey:laptop" {
		t.Fatalf("new key: %v %v", id, err)
	}
	// A broken file keeps the previous keys.
	writeKeys(t, path, "garbage")
	if _, err := c.APIKeys().Watcher.Load(); err == nil {
		t.Fatal("broken file accepted")
	}
	if _, err := c.Authenticate(context.Background(), req("Bearer "+keyB)); err != nil {
		t.Fatal("broken reload dropped the good keys")
	}
	// A well-formed file without keys is a revocation of every key, not a
	// broken file: emptying the Secret must lock clients out.
	writeKeys(t, path, "# every key revoked", "")
	if changed, err := c.APIKeys().Watcher.Load(); err != nil || !changed {
		t.Fatalf("emptied file: changed=%v err=%v", changed, err)
	}
	if _, err := c.Authenticate(context.Background(), req("Bearer "+keyB)); !errors.Is(err, ErrInvalid) {
		t.Fatalf("key still accepted after the file was emptied: %v", err)
	}
}

// Starting with no keys is still a configuration error.
func TestEmptyKeysFileFailsStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys")
	writeKeys(t, path, "# nothing yet", "")
	if _, err := New(context.Background(), Config{Modes: []string{podcontract.ClientAuthAPIKeys}, APIKeysFile: path}); err == nil {
		t.Fatal("an API keys file without keys was accepted at start")
	}
}

func TestParseAPIKeysErrors(t *testing.T) {
	good := HashKey("a", "x")
	for _, content := range []string{
		"",
		"a:sha256",
		"bad name:" + strings.SplitN(good, ":", 2)[1],
		"a:md5:" + strings.Repeat("0", 32),
		"a:sha256:xyz",
		good + "\n" + good,
	} {
		if _, err := ParseAPIKeys([]byte(content)); err == nil {
			t.Errorf("%q accepted", content)
		}
	}
}

func TestMissingKeysFile(t *testing.T) {
	_, err := New(context.Background(), Config{Modes: []string{"apikeys"}, APIKeysFile: filepath.Join(t.TempDir(), "nope")})
	if err == nil {
		t.Fatal("missing file accepted")
	}
}

func TestNone(t *testing.T) {
	c, err := New(context.Background(), Config{Modes: []string{"none"}})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.Authenticate(context.Background(), req(""))
	if err != nil || id.ID != Anonymous {
		t.Fatalf("%v %v", id, err)
	}
}

func TestOIDC(t *testing.T) {
	iss := oidctest.Start(t)
	ctx := context.Background()
	c, err := New(ctx, Config{Modes: []string{"oidc"}, OIDCIssuer: iss.URL, OIDCAudience: audience, HTTPClient: iss.Client()})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.Authenticate(ctx, req("Bearer "+iss.Token(t, "alice", audience)))
	if err != nil || id.ID != "oidc:alice" {
		t.Fatalf("good token: %v %v", id, err)
	}
	for name, tok := range map[string]string{
		"wrong audience": iss.Token(t, "alice", "https://other.example.test/mcp"),
		"foreign key":    iss.ForeignToken(t, "alice", audience),
		"expired": iss.TokenWith(t, jwt.MapClaims{"iss": iss.URL, "sub": "alice", "aud": audience,
			"exp": time.Now().Add(-time.Hour).Unix()}),
		"wrong issuer": iss.TokenWith(t, jwt.MapClaims{"iss": "https://evil.example.test", "sub": "alice", "aud": audience,
			"exp": time.Now().Add(time.Hour).Unix()}),
		"no subject": iss.TokenWith(t, jwt.MapClaims{"iss": iss.URL, "aud": audience, "exp": time.Now().Add(time.Hour).Unix()}),
		"not a jwt":  "a.b.c",
	} {
		_, err := c.Authenticate(ctx, req("Bearer "+tok))
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err %v", name, err)
		}
	}
	// alg "none" and the RS256/HS256 confusion are refused (go-oidc only
	// accepts the asymmetric algorithms the issuer advertises).
	for name, tok := range iss.AlgAttackTokens(t, "alice", audience) {
		_, err := c.Authenticate(ctx, req("Bearer "+tok))
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err %v", name, err)
		}
	}
}

func TestOIDCAndAPIKeysTogether(t *testing.T) {
	iss := oidctest.Start(t)
	path := filepath.Join(t.TempDir(), "keys")
	writeKeys(t, path, HashKey("ci", keyA))
	c, err := New(context.Background(), Config{Modes: []string{"oidc", "apikeys"}, APIKeysFile: path,
		OIDCIssuer: iss.URL, OIDCAudience: audience, HTTPClient: iss.Client()})
	if err != nil {
		t.Fatal(err)
	}
	for tok, want := range map[string]string{keyA: "apikey:ci", iss.Token(t, "bob", audience): "oidc:bob"} {
		id, err := c.Authenticate(context.Background(), req("Bearer "+tok))
		if err != nil || id.ID != want {
			t.Errorf("want %s, got %v %v", want, id, err)
		}
	}
}

func TestOIDCConfigErrors(t *testing.T) {
	for _, issuer := range []string{"http://insecure.example.test", "not a url", ""} {
		if _, err := NewOIDC(context.Background(), issuer, audience, nil); err == nil {
			t.Errorf("issuer %q accepted", issuer)
		}
	}
	iss := oidctest.Start(t)
	if _, err := NewOIDC(context.Background(), iss.URL, "", iss.Client()); err == nil {
		t.Error("empty audience accepted")
	}
	// Discovery with an untrusting client fails at start-up, not per request.
	if _, err := NewOIDC(context.Background(), iss.URL, audience, &http.Client{}); err == nil {
		t.Error("discovery over an untrusted certificate succeeded")
	}
}

func BenchmarkAPIKeyVerify(b *testing.B) {
	var lines []string
	for i := 0; i < 50; i++ {
		lines = append(lines, HashKey("k"+strings.Repeat("x", i%5)+string(rune('a'+i%26))+string(rune('a'+i/26)), keyA+string(rune('a'+i%26))))
	}
	keys, err := ParseAPIKeys([]byte(strings.Join(lines, "\n")))
	if err != nil {
		b.Fatal(err)
	}
	a := &APIKeys{}
	a.keys.Store(&keys)
	b.ReportAllocs()
	for b.Loop() {
		a.Verify(keyB)
	}
}

func TestOIDCKeysUnavailableIsNotTheClientsFault(t *testing.T) {
	iss := oidctest.Start(t)
	ctx := context.Background()
	c, err := New(ctx, Config{Modes: []string{"oidc"}, OIDCIssuer: iss.URL, OIDCAudience: audience, HTTPClient: iss.Client()})
	if err != nil {
		t.Fatal(err)
	}
	good := iss.Token(t, "alice", audience)
	if _, err := c.Authenticate(ctx, req("Bearer "+good)); err != nil {
		t.Fatal(err) // keys now cached
	}
	iss.FailJWKS.Store(true)
	// Cached keys keep working while the provider is down.
	if _, err := c.Authenticate(ctx, req("Bearer "+good)); err != nil {
		t.Fatalf("cached key failed during outage: %v", err)
	}
	// A token naming an unknown key needs a fetch, which fails: unavailable.
	_, err = c.Authenticate(ctx, req("Bearer "+iss.UnknownKidToken(t, "bob", audience, "rotated-2")))
	if !errors.Is(err, ErrUnavailable) || errors.Is(err, ErrInvalid) {
		t.Fatalf("outage: err %v, want ErrUnavailable", err)
	}
}

func TestOIDCFetchesAreRateLimited(t *testing.T) {
	iss := oidctest.Start(t)
	ctx := context.Background()
	c, err := New(ctx, Config{Modes: []string{"oidc"}, OIDCIssuer: iss.URL, OIDCAudience: audience, HTTPClient: iss.Client()})
	if err != nil {
		t.Fatal(err)
	}
	// A flood of forged tokens under fresh key IDs must not become a flood
	// of JWKS requests; past the burst they are plainly invalid.
	for i := 0; i < 50; i++ {
		_, err := c.Authenticate(ctx, req("Bearer "+iss.UnknownKidToken(t, "mallory", audience, fmt.Sprintf("kid-%d", i))))
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("forged token %d: %v", i, err)
		}
	}
	if n := iss.JWKSFetches.Load(); n > JWKSFetchBurst {
		t.Fatalf("%d JWKS fetches for 50 forged tokens, limit %d", n, JWKSFetchBurst)
	}
}
