package apptest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/auth"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/githubfake"
)

// Fixed test credentials: long and unique, so grepping for them is
// meaningful.
const (
	PAT    = "ghp_apptestServerPAT0123"                         //nolint:gosec // G101: a fake token only the test GitHub accepts
	APIKey = "mcpk_apptest_client_key_9f8e7d6c5b4a39281706f5e4" //nolint:gosec // G101: a test client key, valid only in this harness
)

// Buffer is a goroutine-safe bytes.Buffer.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Close lets a Buffer serve as the process's stdout.
func (b *Buffer) Close() error { return nil }

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Server is a running in-process server.
type Server struct {
	MCPURL string // http://127.0.0.1:port/mcp
	OpsURL string // http://127.0.0.1:port
	Fake   *githubfake.Server
	Audit  *Buffer // the audit stream (the process's stdout)
	Logs   *Buffer // operational logs (stderr)
	// Upstream holds a dump (headers and bodies) of every request the
	// server sent towards GitHub.
	Upstream *Buffer
	// TokenFile is the PAT file the server reads (tests rotate it).
	TokenFile string

	cancel context.CancelFunc
	done   chan int
}

// Options tune Start.
type Options struct {
	// Args are appended to the defaults (later flags win).
	Args []string
	// OIDCHTTPClient reaches a test OIDC issuer (its TLS certificate).
	OIDCHTTPClient *http.Client
}

// Start runs the server with a PAT file, an API-keys file holding APIKey,
// --client-auth=apikeys and a loopback public URL. It is stopped at the end
// of the test.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	fake := githubfake.New(githubfake.Options{Tokens: []string{PAT}})
	t.Cleanup(fake.Close)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	keysFile := filepath.Join(dir, "api-keys")
	mustWrite(t, tokenFile, PAT+"\n")
	mustWrite(t, keysFile, auth.HashKey("apptest", APIKey)+"\n")

	s := &Server{Fake: fake, Audit: &Buffer{}, Logs: &Buffer{}, Upstream: &Buffer{}, TokenFile: tokenFile, done: make(chan int, 1)}
	base := fake.Client()
	spy := &http.Client{Transport: &spyTransport{next: base.Transport, out: s.Upstream}, Timeout: base.Timeout}

	// The public URL must be known before the port is: reserve a port.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	args := []string{
		"--" + pc.FlagListen + "=" + addr,
		"--" + pc.FlagMetricsListen + "=127.0.0.1:0",
		"--" + pc.FlagPublicURL + "=http://" + addr + pc.DefaultMCPPath,
		"--" + pc.FlagGitHubHost + "=" + fake.Host(),
		"--" + pc.FlagGitHubTokenFile + "=" + tokenFile,
		"--" + pc.FlagClientAuth + "=" + pc.ClientAuthAPIKeys,
		"--" + pc.FlagAPIKeysFile + "=" + keysFile,
		"--" + pc.FlagShutdownTimeout + "=10s",
		"--" + pc.FlagReadyCheckInterval + "=1s",
		"--" + pc.FlagLogLevel + "=debug",
	}
	args = append(args, o.Args...)

	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	listening := make(chan [2]net.Addr, 1)
	go func() {
		s.done <- app.Main(ctx, args, app.Env{
			Stdin: io.NopCloser(strings.NewReader("")), Stdout: s.Audit, Stderr: s.Logs,
			GitHubHTTPClient: spy, SkipDrainDelay: true, OIDCHTTPClient: o.OIDCHTTPClient,
			// Reload tests then wait milliseconds, not the production 5s.
			ReloadInterval: 20 * time.Millisecond,
			OnListening:    func(m, o net.Addr) { listening <- [2]net.Addr{m, o} },
		})
	}()
	select {
	case a := <-listening:
		s.MCPURL = "http://" + a[0].String() + pc.DefaultMCPPath
		s.OpsURL = "http://" + a[1].String()
	case code := <-s.done:
		t.Fatalf("server exited with %d before listening:\n%s", code, s.Logs.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not start:\n%s", s.Logs.String())
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

// Stop cancels the server (as SIGTERM does) and returns its exit code.
// Calling it again returns -1.
func (s *Server) Stop() int {
	s.cancel()
	select {
	case code, ok := <-s.done:
		if ok {
			close(s.done)
			return code
		}
		return -1
	case <-time.After(60 * time.Second):
		return -2
	}
}

// WaitReady polls /readyz until it answers 200 (bounded).
func (s *Server) WaitReady(t testing.TB) {
	t.Helper()
	for i := 0; i < 600; i++ {
		resp, err := http.Get(s.OpsURL + pc.ReadyzPath)
		if err == nil {
			_ = resp.Body.Close() // only the status matters
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server never became ready:\n%s", s.Logs.String())
}

// LeakCheck fails t if any of the secrets appears in the logs or the audit
// stream.
func (s *Server) LeakCheck(t testing.TB, secrets ...string) {
	t.Helper()
	all := s.Logs.String() + s.Audit.String()
	if len(all) == 0 {
		t.Fatal("nothing captured: the leak check would prove nothing")
	}
	for _, sec := range append(secrets, PAT, APIKey) {
		if strings.Contains(all, sec) {
			t.Errorf("a credential (%.6s…) appears in the server's logs or audit stream", sec)
		}
	}
}

type spyTransport struct {
	next http.RoundTripper
	out  *Buffer
}

func (s *spyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if dump, err := httputil.DumpRequestOut(r, true); err == nil {
		fmt.Fprintf(s.out, "%s\n----\n", dump)
	}
	return s.next.RoundTrip(r)
}

func mustWrite(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
