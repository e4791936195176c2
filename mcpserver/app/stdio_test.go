package app_test

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	base := []string{"--gh-token-file=" + tok, "--public-url=https://mcp.example.test/mcp", "--client-auth=apikeys"}
	for _, tc := range []struct {
		name string
		args []string
		want string // a fragment of the error, naming the flag
	}{
		{"no credential", []string{"--public-url=https://x/mcp", "--client-auth=none"}, "--gh-token-file: no GitHub credential"},
		{"token and app", append(base, "--gh-app-id=1"), "--gh-token-file: give either"},
		{"partial app", []string{"--gh-app-id=1", "--public-url=https://x/mcp", "--client-auth=none"}, "--gh-app-id: GitHub App mode needs"},
		{"http gh host", append(base, "--gh-host=http://ghe.example.test"), "--gh-host"},
		{"no client auth", []string{"--gh-token-file=" + tok, "--public-url=https://x/mcp"}, `--client-auth: no client authentication mode`},
		{"none combined", append(base, "--client-auth=none,apikeys"), "cannot be combined"},
		{"unknown auth", append(base, "--client-auth=basic"), `unknown client authentication mode "basic"`},
		{"oidc without issuer", append(base, "--client-auth=oidc"), "--oidc-issuer: required"},
		{"oidc http issuer", append(base, "--client-auth=oidc", "--oidc-issuer=http://idp.example.test"), "--oidc-issuer"},
		{"issuer without oidc", append(base, "--oidc-issuer=https://idp.example.test"), "does not include oidc"},
		{"no public url", []string{"--gh-token-file=" + tok, "--client-auth=none"}, "--public-url: required"},
		{"http public url", append(base, "--public-url=http://mcp.example.test/mcp"), "--public-url"},
		{"bad origin", append(base, "--allowed-origins=https://*.example.test"), "--allowed-origins"},
		{"bad proxy cidr", append(base, "--trusted-proxies=10.0.0.0/99"), "--trusted-proxies"},
		{"bad deny cidr", append(base, "--deny-cidrs=nope"), "--deny-cidrs"},
		{"bad threshold", append(base, "--ban-threshold=0"), "--ban-threshold"},
		{"ban max < duration", append(base, "--ban-duration=1h", "--ban-max-duration=1m"), "--ban-max-duration"},
		{"same ports", append(base, "--listen=:8080", "--metrics-listen=:8080"), "--metrics-listen: must differ"},
		{"bad listen", append(base, "--listen=8080"), "--listen"},
		{"bad mcp path", append(base, "--mcp-path=mcp"), "--mcp-path"},
		{"tiny body cap", append(base, "--max-body-bytes=10"), "--max-body-bytes"},
		{"bad toolset", append(base, "--toolsets=repos,nope"), "--toolsets"},
		{"unknown tool", append(base, "--tools-deny=rm_rf"), "rm_rf"},
		{"bad transport", append(base, "--transport=websocket"), "--transport"},
		{"stdio audit on stdout", []string{"--transport=stdio", "--gh-token-file=" + tok, "--audit-log=stdout"}, "--audit-log: stdout carries the MCP protocol"},
		{"stdio with client auth", []string{"--transport=stdio", "--gh-token-file=" + tok, "--client-auth=apikeys"}, "--client-auth: stdio"},
		{"bad log level", append(base, "--log-level=loud"), "--log-level"},
		{"stray argument", append(base, "serve"), "unexpected arguments"},
		{"unknown flag", append(base, "--gh-token=ghp_x"), "flag provided but not defined"},
		{"bad duration", append(base, "--ban-window=forever"), "invalid value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			code := app.Main(context.Background(), tc.args, app.Env{Stdout: nopWC{}, Stderr: &out})
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
	app.Main(context.Background(), []string{"--ban-threshold=0"}, app.Env{Stdout: nopWC{}, Stderr: &out})
	for _, f := range []string{"--gh-token-file", "--public-url", "--client-auth", "--ban-threshold"} {
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
	cfg, err = app.ParseFlags(append(base, "--client-auth=oidc", "--oidc-issuer=https://idp.example.test"), io.Discard)
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
		"missing token file":   {"--gh-token-file=" + filepath.Join(dir, "nope"), "--public-url=https://x/mcp", "--client-auth=none"},
		"missing api keys":     {"--gh-token-file=" + tok, "--public-url=https://x/mcp", "--client-auth=apikeys", "--api-keys-file=" + filepath.Join(dir, "nope")},
		"missing deny file":    {"--gh-token-file=" + tok, "--public-url=https://x/mcp", "--client-auth=none", "--deny-cidrs-file=" + filepath.Join(dir, "nope"), "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0"},
		"unwritable audit log": {"--gh-token-file=" + tok, "--public-url=https://x/mcp", "--client-auth=none", "--audit-log=" + filepath.Join(dir, "no", "such", "dir")},
	} {
		var out strings.Builder
		if code := app.Main(context.Background(), args, app.Env{Stdout: nopWC{}, Stderr: &out}); code != 1 {
			t.Errorf("%s: exit %d, want 1:\n%s", name, code, out.String())
		}
	}
}

type nopWC struct{}

func (nopWC) Write(p []byte) (int, error) { return len(p), nil }
func (nopWC) Close() error                { return nil }
