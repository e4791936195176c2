package app_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app/apptest"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/githubfake"
)

// TestStdioEndToEnd runs the server with --transport=stdio on in-process
// pipes and drives it with the Go SDK client, as a desktop client would
// drive the binary over its stdin and stdout.
func TestStdioEndToEnd(t *testing.T) {
	fake := githubfake.New(githubfake.Options{Tokens: []string{apptest.PAT}})
	defer fake.Close()
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(apptest.PAT), 0o600); err != nil {
		t.Fatal(err)
	}
	clientToServerR, clientToServerW := io.Pipe()
	serverToClientR, serverToClientW := io.Pipe()
	stderr := &apptest.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- app.Main(ctx, []string{
			"--" + pc.FlagTransport + "=" + pc.TransportStdio,
			"--" + pc.FlagGitHubHost + "=" + fake.Host(),
			"--" + pc.FlagGitHubTokenFile + "=" + tokenFile,
		}, app.Env{Stdin: clientToServerR, Stdout: serverToClientW, Stderr: stderr, GitHubHTTPClient: fake.Client()})
		serverToClientW.Close()
	}()

	cs, err := mcp.NewClient(&mcp.Implementation{Name: "desktop", Version: "v0"}, nil).Connect(ctx,
		&mcp.IOTransport{Reader: serverToClientR, Writer: clientToServerW}, nil)
	if err != nil {
		t.Fatalf("connect: %v\n%s", err, stderr.String())
	}
	tools, err := cs.ListTools(ctx, nil)
	if err != nil || len(tools.Tools) == 0 {
		t.Fatalf("tools/list: %v", err)
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "get_me", Arguments: map[string]any{}})
	if err != nil || res.IsError {
		t.Fatalf("get_me: %v %+v", err, res)
	}
	if b, _ := json.Marshal(res); !strings.Contains(string(b), githubfake.Login) {
		t.Fatalf("get_me: %s", b)
	}
	cs.Close() // the client hangs up: the server exits cleanly
	if code := <-done; code != 0 {
		t.Fatalf("exit code %d:\n%s", code, stderr.String())
	}
	// stdout carried only the protocol; the audit line went to stderr.
	logs := stderr.String()
	if !strings.Contains(logs, `"kind":"tool"`) || !strings.Contains(logs, `"client_id":"stdio"`) {
		t.Fatalf("no stdio audit line on stderr:\n%s", logs)
	}
	if strings.Contains(logs, apptest.PAT) {
		t.Fatal("PAT in the logs")
	}
}

func TestFlagValidation(t *testing.T) {
	dir := t.TempDir()
	tok := filepath.Join(dir, "token")
	if err := os.WriteFile(tok, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A cancelled context: should a case wrongly validate, the server stops
	// at once instead of serving for the rest of the run.
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	base := []string{"--" + pc.FlagGitHubTokenFile + "=" + tok, "--" + pc.FlagPublicURL + "=https://mcp.example.test/mcp", "--" + pc.FlagClientAuth + "=apikeys"}
	for _, tc := range []struct {
		name string
		args []string
		want string // a fragment of the error, naming the flag
	}{
		{"no credential", []string{"--" + pc.FlagPublicURL + "=https://x/mcp", "--" + pc.FlagClientAuth + "=none"}, "--" + pc.FlagGitHubTokenFile + ": no GitHub credential"},
		{"token and app", append(base, "--"+pc.FlagGitHubAppID+"=1"), "--" + pc.FlagGitHubTokenFile + ": give either"},
		{"partial app", []string{"--" + pc.FlagGitHubAppID + "=1", "--" + pc.FlagPublicURL + "=https://x/mcp", "--" + pc.FlagClientAuth + "=none"}, "--" + pc.FlagGitHubAppID + ": GitHub App mode needs"},
		{"http gh host", append(base, "--"+pc.FlagGitHubHost+"=http://ghe.example.test"), "--" + pc.FlagGitHubHost},
		{"no client auth", []string{"--" + pc.FlagGitHubTokenFile + "=" + tok, "--" + pc.FlagPublicURL + "=https://x/mcp"}, `--client-auth: no client authentication mode`},
		{"none combined", append(base, "--"+pc.FlagClientAuth+"=none,apikeys"), "cannot be combined"},
		{"unknown auth", append(base, "--"+pc.FlagClientAuth+"=basic"), `unknown client authentication mode "basic"`},
		{"oidc without issuer", append(base, "--"+pc.FlagClientAuth+"=oidc"), "--" + pc.FlagOIDCIssuer + ": required"},
		{"oidc http issuer", append(base, "--"+pc.FlagClientAuth+"=oidc", "--"+pc.FlagOIDCIssuer+"=http://idp.example.test"), "--" + pc.FlagOIDCIssuer},
		{"issuer without oidc", append(base, "--"+pc.FlagOIDCIssuer+"=https://idp.example.test"), "does not include oidc"},
		{"oidc without audience or public url", []string{"--" + pc.FlagGitHubTokenFile + "=" + tok, "--" + pc.FlagClientAuth + "=oidc", "--" + pc.FlagOIDCIssuer + "=https://idp.example.test"}, "--" + pc.FlagOIDCAudience + ": required"},
		{"http public url", append(base, "--"+pc.FlagPublicURL+"=http://mcp.example.test/mcp"), "--" + pc.FlagPublicURL},
		{"bad origin", append(base, "--"+pc.FlagAllowedOrigins+"=https://*.example.test"), "--" + pc.FlagAllowedOrigins},
		{"bad proxy cidr", append(base, "--"+pc.FlagTrustedProxies+"=10.0.0.0/99"), "--" + pc.FlagTrustedProxies},
		{"bad deny cidr", append(base, "--"+pc.FlagDenyCIDRs+"=nope"), "--" + pc.FlagDenyCIDRs},
		{"bad threshold", append(base, "--"+pc.FlagBanThreshold+"=0"), "--" + pc.FlagBanThreshold},
		{"ban max < duration", append(base, "--"+pc.FlagBanDuration+"=1h", "--"+pc.FlagBanMaxDuration+"=1m"), "--" + pc.FlagBanMaxDuration},
		{"same ports", append(base, "--"+pc.FlagListen+"=:8080", "--"+pc.FlagMetricsListen+"=:8080"), "--" + pc.FlagMetricsListen + ": must differ"},
		{"bad listen", append(base, "--"+pc.FlagListen+"=8080"), "--" + pc.FlagListen},
		{"bad mcp path", append(base, "--"+pc.FlagMCPPath+"=mcp"), "--" + pc.FlagMCPPath},
		{"tiny body cap", append(base, "--"+pc.FlagMaxBodyBytes+"=10"), "--" + pc.FlagMaxBodyBytes},
		{"bad toolset", append(base, "--"+pc.FlagToolsets+"=repos,nope"), "--" + pc.FlagToolsets},
		{"unknown tool", append(base, "--"+pc.FlagToolsDeny+"=rm_rf"), "rm_rf"},
		{"bad transport", append(base, "--"+pc.FlagTransport+"=websocket"), "--" + pc.FlagTransport},
		{"stdio audit on stdout", []string{"--" + pc.FlagTransport + "=stdio", "--" + pc.FlagGitHubTokenFile + "=" + tok, "--" + pc.FlagAuditLog + "=stdout"}, "--" + pc.FlagAuditLog + ": stdout carries the MCP protocol"},
		{"stdio with client auth", []string{"--" + pc.FlagTransport + "=stdio", "--" + pc.FlagGitHubTokenFile + "=" + tok, "--" + pc.FlagClientAuth + "=apikeys"}, "--" + pc.FlagClientAuth + ": stdio"},
		{"bad log level", append(base, "--"+pc.FlagLogLevel+"=loud"), "--" + pc.FlagLogLevel},
		{"stray argument", append(base, "serve"), "unexpected arguments"},
		{"unknown flag", append(base, "--gh-token=ghp_x"), "flag provided but not defined"},
		{"bad duration", append(base, "--"+pc.FlagBanWindow+"=forever"), "invalid value"},
		// One GitHub call, waits included, is bounded by the client's
		// request timeout: a longer "max wait" could never be waited.
		{"rate-limit wait beyond the call timeout", append(base, "--"+pc.FlagGitHubMaxRateLimitWait+"=2m"), "--" + pc.FlagGitHubMaxRateLimitWait},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			code := app.Main(stopped, tc.args, app.Env{Stdout: nopWC{}, Stderr: &out})
			if code != 2 {
				t.Fatalf("exit code %d, want 2; output:\n%s", code, out.String())
			}
			if !strings.Contains(out.String(), tc.want) {
				t.Fatalf("error does not mention %q:\n%s", tc.want, out.String())
			}
		})
	}
	// All problems are reported at once.
	var out strings.Builder
	app.Main(stopped, []string{"--" + pc.FlagBanThreshold + "=0", "--" + pc.FlagPublicURL + "=ftp://x"}, app.Env{Stdout: nopWC{}, Stderr: &out})
	for _, f := range []string{"--" + pc.FlagGitHubTokenFile, "--" + pc.FlagPublicURL, "--" + pc.FlagClientAuth, "--" + pc.FlagBanThreshold} {
		if !strings.Contains(out.String(), f) {
			t.Errorf("combined errors lack %s:\n%s", f, out.String())
		}
	}
	// Good flags parse, and defaults are the secure ones.
	cfg, err := app.ParseFlags(base, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Policy.ReadOnly || cfg.AuditLog != "stdout" || cfg.APIKeysFile != pc.APIKeysFile || cfg.Listen != ":8080" {
		t.Fatalf("defaults: %+v", cfg)
	}
	cfg, err = app.ParseFlags(append(base, "--"+pc.FlagClientAuth+"=oidc", "--"+pc.FlagOIDCIssuer+"=https://idp.example.test"), io.Discard)
	if err != nil || cfg.OIDCAudience != "https://mcp.example.test/mcp" {
		t.Fatalf("OIDC audience must default to the public URL: %v %+v", err, cfg)
	}
	if code := app.Main(context.Background(), []string{"-h"}, app.Env{Stdout: nopWC{}, Stderr: io.Discard}); code != 0 {
		t.Fatalf("-h exit %d", code)
	}
}

func TestStartupFailuresExitNonZero(t *testing.T) {
	dir := t.TempDir()
	tok := filepath.Join(dir, "token")
	if err := os.WriteFile(tok, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]string{
		"missing token file":   {"--" + pc.FlagGitHubTokenFile + "=" + filepath.Join(dir, "nope"), "--" + pc.FlagPublicURL + "=https://x/mcp", "--" + pc.FlagClientAuth + "=none"},
		"missing api keys":     {"--" + pc.FlagGitHubTokenFile + "=" + tok, "--" + pc.FlagPublicURL + "=https://x/mcp", "--" + pc.FlagClientAuth + "=apikeys", "--" + pc.FlagAPIKeysFile + "=" + filepath.Join(dir, "nope")},
		"missing deny file":    {"--" + pc.FlagGitHubTokenFile + "=" + tok, "--" + pc.FlagPublicURL + "=https://x/mcp", "--" + pc.FlagClientAuth + "=none", "--" + pc.FlagDenyCIDRsFile + "=" + filepath.Join(dir, "nope"), "--" + pc.FlagListen + "=127.0.0.1:0", "--" + pc.FlagMetricsListen + "=127.0.0.1:0"},
		"unwritable audit log": {"--" + pc.FlagGitHubTokenFile + "=" + tok, "--" + pc.FlagPublicURL + "=https://x/mcp", "--" + pc.FlagClientAuth + "=none", "--" + pc.FlagAuditLog + "=" + filepath.Join(dir, "no", "such", "dir")},
	} {
		var out strings.Builder
		// Bounded: a case that wrongly starts serving exits 0 after this.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		code := app.Main(ctx, args, app.Env{Stdout: nopWC{}, Stderr: &out})
		cancel()
		if code != 1 {
			t.Errorf("%s: exit %d, want 1:\n%s", name, code, out.String())
		}
	}
}

type nopWC struct{}

func (nopWC) Write(p []byte) (int, error) { return len(p), nil }
func (nopWC) Close() error                { return nil }
