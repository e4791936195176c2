package main

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
)

// buildBinary compiles the real binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "github-mcp-server")
	// Same build settings as the test binary, so the build cache is shared.
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestBinary checks what only the real process can show: SIGTERM leads to a
// clean exit 0, and configuration never comes from the environment.
func TestBinary(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	token := filepath.Join(dir, "token")
	if err := os.WriteFile(token, []byte("ghp_binaryTestToken01234"), 0o600); err != nil {
		t.Fatal(err)
	}

	t.Run("env is ignored", func(t *testing.T) {
		cmd := exec.Command(bin, "--"+pc.FlagPublicURL+"=https://mcp.example.test/mcp", "--"+pc.FlagClientAuth+"=none")
		cmd.Env = append(os.Environ(), "GITHUB_TOKEN=ghp_fromEnv", "GITHUB_PERSONAL_ACCESS_TOKEN=ghp_fromEnv", "GH_TOKEN_FILE="+token)
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(out), "--"+pc.FlagGitHubTokenFile+": no GitHub credential") {
			t.Fatalf("a credential in the environment was used or the error is unclear: %v\n%s", err, out)
		}
	})

	t.Run("SIGTERM exits cleanly", func(t *testing.T) {
		mcpAddr, opsAddr := freeAddr(t), freeAddr(t)
		// GitHub is unreachable here: the server still starts (readiness
		// says not ready) and must still shut down cleanly.
		cmd := exec.Command(bin,
			"--"+pc.FlagListen+"="+mcpAddr, "--"+pc.FlagMetricsListen+"="+opsAddr,
			"--"+pc.FlagPublicURL+"=http://"+mcpAddr+"/mcp",
			"--"+pc.FlagGitHubHost+"=https://127.0.0.1:1",
			"--"+pc.FlagGitHubTokenFile+"="+token,
			"--"+pc.FlagClientAuth+"=none",
			"--"+pc.FlagShutdownTimeout+"=5s",
		)
		cmd.Env = []string{}
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Process.Kill()
		lines := make(chan string, 100)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		var logs []string
		deadline := time.After(60 * time.Second)
	wait:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("exited before serving:\n%s", strings.Join(logs, "\n"))
				}
				logs = append(logs, l)
				if strings.Contains(l, "Serving MCP over Streamable HTTP") {
					break wait
				}
			case <-deadline:
				t.Fatalf("never started:\n%s", strings.Join(logs, "\n"))
			}
		}
		resp, err := http.Get("http://" + opsAddr + pc.HealthzPath)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("healthz: %v %v", resp, err)
		}
		resp.Body.Close()
		resp, err = http.Get("http://" + opsAddr + pc.ReadyzPath)
		if err != nil || resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("readyz with GitHub unreachable: %v %v", resp, err)
		}
		resp.Body.Close()

		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		// Read stderr to its end (the child's exit closes it) before Wait,
		// which closes the pipe: the shutdown logs then reach the leak check.
		rest := make(chan []string, 1)
		go func() {
			var tail []string
			for l := range lines {
				tail = append(tail, l)
			}
			rest <- tail
		}()
		select {
		case tail := <-rest:
			logs = append(logs, tail...)
		case <-time.After(60 * time.Second):
			t.Fatal("did not exit after SIGTERM (stderr still open)")
		}
		if err := cmd.Wait(); err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
		if !strings.Contains(strings.Join(logs, "\n"), "Shutting down") {
			t.Fatalf("shutdown logs not captured, the leak check would see nothing:\n%s", strings.Join(logs, "\n"))
		}
		for _, l := range logs {
			if strings.Contains(l, "ghp_binaryTestToken") {
				t.Fatal("token in the logs")
			}
		}
	})
}
