package github

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
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
	if len(reqs) != 1 || reqs[0].Authorization != "Bearer ghp_server" || reqs[0].Path != "/user" || !reqs[0].GHES {
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

// ETag revalidation: 304s are served from the cache and counted.
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

// The fsnotify watch reloads a rotated token even when no call comes in.
func TestTokenWatchReloadsProactively(t *testing.T) {
	sd := newSecretDir(t, "ghp_one")
	p, err := newPATCreds(sd.path(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	if p.watcher == nil {
		t.Fatal("no watcher")
	}
	sd.rotate("ghp_two")
	for i := 0; ; i++ {
		p.mu.Lock()
		tok := p.token
		p.mu.Unlock()
		if tok == "ghp_two" {
			break
		}
		if i == 500 {
			t.Fatal("watcher did not reload the rotated token")
		}
		time.Sleep(10 * time.Millisecond) // bounded poll for the watcher goroutine
	}
}

// rewriteRT sends requests for any host to the fake, remembering the host
// the client meant, so github.com mode can be tested offline.
type rewriteRT struct {
	fake  *githubfake.Server
	mu    sync.Mutex
	hosts []string
}

func (r *rewriteRT) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.hosts = append(r.hosts, req.URL.Host)
	r.mu.Unlock()
	req = req.Clone(req.Context())
	u, _ := url.Parse(r.fake.URL)
	req.URL.Host, req.Host = u.Host, u.Host
	return r.fake.Client().Transport.RoundTrip(req)
}

func TestGitHubDotComUsesAPIHost(t *testing.T) {
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_x"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_x")
	rt := &rewriteRT{fake: fake}
	c, err := New(context.Background(), Config{Host: "https://github.com", TokenFile: sd.path(), HTTPClient: &http.Client{Transport: rt}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(rt.hosts) != 1 || rt.hosts[0] != "api.github.com" {
		t.Fatalf("hosts = %v", rt.hosts)
	}
	if r := fake.Requests(); r[0].Path != "/rate_limit" || r[0].GHES {
		t.Fatalf("path = %q", r[0].Path)
	}
}

func TestCredentialOnlyGoesToGitHubHosts(t *testing.T) {
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_x"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_x")
	rt := &rewriteRT{fake: fake}
	c, err := New(context.Background(), Config{Host: "https://github.com", TokenFile: sd.path(), HTTPClient: &http.Client{Transport: rt}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req, _ := http.NewRequest(http.MethodGet, "https://elsewhere.example.com/user", nil)
	req.Header.Set("Authorization", "Bearer someone-elses")
	resp, err := c.REST().Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, _, err := c.REST().Users.Get(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 || reqs[0].Authorization != "" || reqs[1].Authorization != "Bearer ghp_x" {
		t.Fatalf("requests = %+v", reqs)
	}
	if rt.hosts[0] != "elsewhere.example.com" || rt.hosts[1] != "api.github.com" {
		t.Fatalf("hosts = %v", rt.hosts)
	}
}

// A request to the API host over plain http (a redirect downgrade, a
// misconfigured GHES) must not carry the credential in clear text.
func TestCredentialNeverTravelsOverPlainHTTP(t *testing.T) {
	sd := newSecretDir(t, "ghp_x")
	var mu sync.Mutex
	seen := map[string]string{} // scheme -> Authorization
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		seen[req.URL.Scheme] = req.Header.Get("Authorization")
		mu.Unlock()
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
	})
	c, err := New(context.Background(), Config{Host: "https://github.com", TokenFile: sd.path(), HTTPClient: &http.Client{Transport: rt}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, u := range []string{"http://api.github.com/user", "https://api.github.com/user"} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		resp, err := c.REST().Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["http"] != "" {
		t.Error("the credential went to the API host over plain http")
	}
	if seen["https"] != "Bearer ghp_x" { // the check above can fail: https gets it
		t.Errorf("https request carried %q", seen["https"])
	}
}

// The cache is bounded in bytes, not only in entries: 1000 entries of up to
// 1 MiB each would be a gigabyte, four times the pod's default memory limit.
func TestETagCacheIsBoundedInBytes(t *testing.T) {
	body := make([]byte, maxCachedBody) // shared by every entry: the test itself stays small
	c := newETagCache(DefaultCacheEntries)
	for i := range 200 {
		c.put(&cacheEntry{key: strconv.Itoa(i), etag: `"x"`, body: body})
		if c.Bytes() > DefaultCacheBytes {
			t.Fatalf("after %d puts the cache holds %d bytes, over %d", i+1, c.Bytes(), DefaultCacheBytes)
		}
	}
	if c.get("199") == nil || c.get("0") != nil {
		t.Fatal("eviction is not least-recently-used")
	}
	if DefaultCacheBytes > 64<<20 {
		t.Fatalf("DefaultCacheBytes %d does not fit a 256Mi pod comfortably", DefaultCacheBytes)
	}
	c.remove("199")
	want := int64(0)
	for el := c.ll.Front(); el != nil; el = el.Next() {
		want += el.Value.(*cacheEntry).size()
	}
	if c.Bytes() != want {
		t.Fatalf("Bytes() = %d after remove, entries hold %d", c.Bytes(), want)
	}
}
