package github

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	gogithub "github.com/google/go-github/v62/github"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/githubfake"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/reqctx"
)

// secretDir lays out a token the way a Kubernetes Secret volume does:
// dir/token -> ..data/token, ..data -> ..<timestamp>/. rotate swaps ..data
// atomically, like the kubelet.
type secretDir struct {
	t   *testing.T
	dir string
	gen int
}

func newSecretDir(t *testing.T, token string) *secretDir {
	d := &secretDir{t: t, dir: t.TempDir()}
	d.rotate(token)
	if err := os.Symlink(filepath.Join("..data", "token"), filepath.Join(d.dir, "token")); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *secretDir) path() string { return filepath.Join(d.dir, "token") }

func (d *secretDir) rotate(token string) {
	d.gen++
	ts := filepath.Join(d.dir, "..v"+string(rune('0'+d.gen)))
	if err := os.Mkdir(ts, 0o755); err != nil {
		d.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ts, "token"), []byte(token+"\n"), 0o600); err != nil {
		d.t.Fatal(err)
	}
	tmp := filepath.Join(d.dir, "..data_tmp")
	if err := os.Symlink(filepath.Base(ts), tmp); err != nil {
		d.t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(d.dir, "..data")); err != nil {
		d.t.Fatal(err)
	}
}

func newPATClient(t *testing.T, fake *githubfake.Server, tokenFile string, mod func(*Config)) (*Client, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	cfg := Config{Host: fake.Host(), TokenFile: tokenFile, HTTPClient: fake.Client(), Registerer: reg}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, reg
}

func TestPATSendsServerCredentialAndRecordsRequestIDs(t *testing.T) {
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_server"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_server")
	c, _ := newPATClient(t, fake, sd.path(), nil)

	info := &reqctx.Info{ClientID: "alice"}
	ctx := reqctx.With(context.Background(), info)
	u, _, err := c.REST().Users.Get(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if u.GetLogin() != githubfake.Login {
		t.Fatalf("login = %q", u.GetLogin())
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Authorization != "Bearer ghp_server" || reqs[0].Path != "/user" {
		t.Fatalf("requests = %+v", reqs)
	}
	if ids := info.GitHubRequestIDs(); len(ids) != 1 || !strings.HasPrefix(ids[0], "FAKE:") {
		t.Fatalf("request IDs = %v", ids)
	}
	if v := testutil.ToFloat64(c.metrics.rateRemaining.WithLabelValues("core")); v != 4999 {
		t.Fatalf("rate-limit remaining gauge = %v", v)
	}
	if v := testutil.ToFloat64(c.metrics.requests.WithLabelValues("2xx")); v != 1 {
		t.Fatalf("2xx counter = %v", v)
	}
}

func TestWrongTokenIsRejectedAndCheckFails(t *testing.T) {
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_right"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_wrong")
	c, _ := newPATClient(t, fake, sd.path(), nil)
	err := c.Check(context.Background())
	if err == nil || !strings.Contains(err.Error(), "Bad credentials") {
		t.Fatalf("Check = %v, want Bad credentials", err)
	}
	if c.Ready() {
		t.Fatal("Ready after failed check")
	}
	if strings.Contains(err.Error(), "ghp_wrong") {
		t.Fatal("error leaks the token")
	}
}

func TestTokenRotationWithoutRestart(t *testing.T) {
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_one"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_one")
	c, _ := newPATClient(t, fake, sd.path(), nil)
	ctx := context.Background()
	if err := c.Check(ctx); err != nil || !c.Ready() {
		t.Fatalf("Check = %v, Ready = %v", err, c.Ready())
	}
	// GitHub revokes the old token; the Secret is rotated.
	fake.SetTokens("ghp_two")
	sd.rotate("ghp_two")
	if err := c.Check(ctx); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	reqs := fake.Requests()
	if got := reqs[len(reqs)-1].Authorization; got != "Bearer ghp_two" {
		t.Fatalf("last Authorization = %q", got)
	}
}

func TestRotationToEmptyFileKeepsPreviousToken(t *testing.T) {
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_one"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_one")
	c, _ := newPATClient(t, fake, sd.path(), nil)
	sd.rotate("")
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check = %v, want the previous token to keep working", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	_ = os.WriteFile(empty, []byte(" \n"), 0o600)
	for name, cfg := range map[string]Config{
		"http host":      {Host: "http://ghe.example.com", TokenFile: empty},
		"no credential":  {},
		"both":           {TokenFile: empty, AppID: 1, InstallationID: 2, AppPrivateKeyFile: empty},
		"partial app":    {AppID: 1},
		"empty token":    {TokenFile: empty},
		"missing token":  {TokenFile: filepath.Join(dir, "nope")},
		"host with path": {Host: "https://ghe.example.com/foo", TokenFile: empty},
	} {
		t.Run(name, func(t *testing.T) {
			if c, err := New(context.Background(), cfg); err == nil {
				c.Close()
				t.Fatal("New succeeded")
			}
		})
	}
}

func TestResolveHost(t *testing.T) {
	for _, tc := range []struct{ host, api, uploads string }{
		{"", "https://api.github.com/", "https://uploads.github.com/"},
		{"https://github.com", "https://api.github.com/", "https://uploads.github.com/"},
		{"https://github.com/", "https://api.github.com/", "https://uploads.github.com/"},
		{"https://ghe.example.com", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/uploads/"},
		{"https://ghe.example.com:8443/api/v3", "https://ghe.example.com:8443/api/v3/", "https://ghe.example.com:8443/api/uploads/"},
	} {
		ep, err := resolveHost(tc.host)
		if err != nil || ep.api != tc.api || ep.uploads != tc.uploads {
			t.Errorf("resolveHost(%q) = %+v, %v", tc.host, ep, err)
		}
	}
	for _, bad := range []string{"http://github.com", "ftp://x", "github.com", "https://u:p@ghe.example.com", "https://"} {
		if _, err := resolveHost(bad); err == nil {
			t.Errorf("resolveHost(%q) accepted", bad)
		}
	}
	if _, err := resolveHost("http://ghe.example.com"); err == nil || !strings.Contains(err.Error(), "https") {
		t.Errorf("error for http host should mention https: %v", err)
	}
}

// recordSleeps replaces the rate-limit sleep for one test.
func recordSleeps(t *testing.T) *[]time.Duration {
	var mu sync.Mutex
	var waits []time.Duration
	old := sleep
	sleep = func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d)
		return nil
	}
	t.Cleanup(func() { sleep = old })
	return &waits
}

func TestRateLimitWaitsThenSucceeds(t *testing.T) {
	waits := recordSleeps(t)
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_x"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_x")
	c, reg := newPATClient(t, fake, sd.path(), func(c *Config) { c.MaxRateLimitWait = 10 * time.Second })
	fake.SetRateLimit(githubfake.RateLimitSecondary, 1, 2*time.Second)
	if _, _, err := c.REST().Users.Get(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if len(*waits) != 1 || (*waits)[0] != 2*time.Second {
		t.Fatalf("waits = %v, want [2s]", *waits)
	}
	if n := testutil.ToFloat64(c.metrics.rateLimited); n != 1 {
		t.Fatalf("rate limited counter = %v", n)
	}
	_ = reg
}

func TestRateLimitBeyondBudgetFailsClearly(t *testing.T) {
	waits := recordSleeps(t)
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_x"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_x")
	c, _ := newPATClient(t, fake, sd.path(), func(c *Config) { c.MaxRateLimitWait = 5 * time.Second })

	fake.SetRateLimit(githubfake.RateLimitPrimary, 100, time.Hour)
	_, _, err := c.REST().Users.Get(context.Background(), "")
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.Status != 403 || rl.Reset.IsZero() {
		t.Fatalf("err = %v, want *RateLimitError with reset", err)
	}
	if !strings.Contains(rl.Error(), "GitHub rate limit exceeded; resets at ") {
		t.Fatalf("message = %q", rl.Error())
	}
	if len(*waits) != 0 {
		t.Fatalf("waited %v although the reset is beyond the budget", *waits)
	}

	// Retries are bounded too: 429 with a short Retry-After, forever.
	fake.SetRateLimit(githubfake.RateLimitSecondary, 100, time.Second)
	fake.ResetLog()
	_, _, err = c.REST().Users.Get(context.Background(), "")
	if !errors.As(err, &rl) || rl.Status != 429 {
		t.Fatalf("err = %v, want 429 *RateLimitError", err)
	}
	if got := len(fake.Requests()); got != DefaultMaxRetries+1 {
		t.Fatalf("attempts = %d, want %d", got, DefaultMaxRetries+1)
	}
}

func TestPermission403IsNotARateLimit(t *testing.T) {
	p := &rateLimitPolicy{now: time.Now}
	resp := &httpResponse403
	if limited, _ := p.rateLimited(resp); limited {
		t.Fatal("plain 403 treated as rate limit")
	}
}

func TestETagCacheServes304FromCache(t *testing.T) {
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_x"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_x")
	c, _ := newPATClient(t, fake, sd.path(), nil)
	ctx := context.Background()
	for range 3 {
		r, _, err := c.REST().Repositories.Get(ctx, githubfake.Owner, githubfake.Repo)
		if err != nil || r.GetFullName() != "octo-org/hello-world" {
			t.Fatalf("Get = %v, %v", r.GetFullName(), err)
		}
	}
	reqs := fake.Requests()
	if reqs[0].IfNoneMatch != "" || reqs[1].IfNoneMatch == "" || reqs[1].Status != 304 || reqs[2].Status != 304 {
		t.Fatalf("requests = %+v", reqs)
	}
	if h, m := testutil.ToFloat64(c.metrics.cacheHits), testutil.ToFloat64(c.metrics.cacheMisses); h != 2 || m != 1 {
		t.Fatalf("hits = %v, misses = %v", h, m)
	}
	// Another credential never shares the entry.
	fake.SetTokens("ghp_y")
	sd.rotate("ghp_y")
	fake.ResetLog()
	if _, _, err := c.REST().Repositories.Get(ctx, githubfake.Owner, githubfake.Repo); err != nil {
		t.Fatal(err)
	}
	if r := fake.Requests(); r[0].IfNoneMatch != "" {
		t.Fatal("cache entry shared across credentials")
	}
}

func TestETagCacheIsBounded(t *testing.T) {
	c := newETagCache(2)
	for _, k := range []string{"a", "b", "c"} {
		c.put(&cacheEntry{key: k})
	}
	if c.Len() != 2 || c.get("a") != nil || c.get("c") == nil {
		t.Fatalf("len = %d", c.Len())
	}
}

func TestConcurrencyCap(t *testing.T) {
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_x"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_x")
	c, _ := newPATClient(t, fake, sd.path(), func(c *Config) { c.MaxConcurrent = 1 })
	// Hold the only slot by not closing a response body; a second call
	// must then wait, and give up when its context ends.
	req, _ := c.REST().NewRequest("GET", "user", nil)
	resp, err := c.REST().Client().Transport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := c.REST().Users.Get(ctx, ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("second call err = %v, want context.Canceled", err)
	}
	resp.Body.Close()
	if _, _, err := c.REST().Users.Get(context.Background(), ""); err != nil {
		t.Fatalf("after release: %v", err)
	}
}

func writeAppKey(t *testing.T) (string, *rsa.PublicKey) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "app.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, &key.PublicKey
}

func TestAppTokenMintedAndRefreshed(t *testing.T) {
	keyFile, pub := writeAppKey(t)
	// Tokens that live 30s are inside ghinstallation's one-minute refresh
	// window, so every use must mint a fresh one.
	fake := githubfake.New(githubfake.Options{AppID: 42, InstallationID: 7, AppPublicKey: pub, AppTokenTTL: 30 * time.Second})
	defer fake.Close()
	c, err := New(context.Background(), Config{Host: fake.Host(), AppID: 42, InstallationID: 7,
		AppPrivateKeyFile: keyFile, HTTPClient: fake.Client()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	for range 2 {
		if err := c.Check(ctx); err != nil {
			t.Fatal(err)
		}
	}
	minted := fake.MintedTokens()
	if len(minted) != 2 {
		t.Fatalf("minted %d tokens, want 2 (refresh before expiry)", len(minted))
	}
	var used []string
	for _, r := range fake.Requests() {
		if r.Path == "/rate_limit" {
			used = append(used, r.Authorization)
		}
	}
	if len(used) != 2 || used[0] != "token "+minted[0] || used[1] != "token "+minted[1] {
		t.Fatalf("used %v, minted %v", used, minted)
	}
	if !c.Ready() {
		t.Fatal("not ready")
	}
}

func TestAppTokenNotRefreshedWhileValid(t *testing.T) {
	keyFile, pub := writeAppKey(t)
	fake := githubfake.New(githubfake.Options{AppID: 42, InstallationID: 7, AppPublicKey: pub})
	defer fake.Close()
	c, err := New(context.Background(), Config{Host: fake.Host(), AppID: 42, InstallationID: 7,
		AppPrivateKeyFile: keyFile, HTTPClient: fake.Client()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for range 3 {
		if err := c.Check(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(fake.MintedTokens()); n != 1 {
		t.Fatalf("minted %d tokens, want 1", n)
	}
}

func TestAppWrongKeyIsRejected(t *testing.T) {
	keyFile, _ := writeAppKey(t)
	_, otherPub := writeAppKey(t)
	fake := githubfake.New(githubfake.Options{AppID: 42, InstallationID: 7, AppPublicKey: otherPub})
	defer fake.Close()
	c, err := New(context.Background(), Config{Host: fake.Host(), AppID: 42, InstallationID: 7,
		AppPrivateKeyFile: keyFile, HTTPClient: fake.Client()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Check(context.Background()); err == nil || c.Ready() {
		t.Fatalf("Check = %v, Ready = %v; want failure", err, c.Ready())
	}
}

func TestAppBadKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.pem")
	_ = os.WriteFile(path, []byte("not a key"), 0o600)
	if _, err := New(context.Background(), Config{Host: "https://ghe.example.com", AppID: 1, InstallationID: 2, AppPrivateKeyFile: path}); err == nil {
		t.Fatal("accepted a bad key")
	}
}

var httpResponse403 = http.Response{StatusCode: 403, Header: http.Header{"X-Ratelimit-Remaining": {"12"}}}

// Error responses must release their concurrency slot: go-github reads
// them to EOF and swaps the body, never closing the original.
func TestErrorResponsesReleaseConcurrencySlot(t *testing.T) {
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_x"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_x")
	c, _ := newPATClient(t, fake, sd.path(), func(c *Config) { c.MaxConcurrent = 1 })
	for i := range 3 {
		// The deadline only turns a deadlock into a failure; it is never
		// approached when the slot is released.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, _, err := c.REST().Repositories.Get(ctx, "nobody", "nothing")
		cancel()
		var ge *gogithub.ErrorResponse
		if !errors.As(err, &ge) || ge.Response.StatusCode != 404 {
			t.Fatalf("call %d: err = %v, want a 404", i, err)
		}
	}
}

func TestRateLimitWaitNeverOutlivesTheDeadline(t *testing.T) {
	waits := recordSleeps(t)
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_x"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_x")
	c, _ := newPATClient(t, fake, sd.path(), func(c *Config) { c.MaxRateLimitWait = time.Minute })
	fake.SetRateLimit(githubfake.RateLimitSecondary, 1, 30*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err := c.REST().Users.Get(ctx, "")
	var rl *RateLimitError
	if !errors.As(err, &rl) || len(*waits) != 0 {
		t.Fatalf("err = %v, waits = %v; want an immediate *RateLimitError", err, *waits)
	}
}
