package traefik

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Entry point names, as the operator's IngressRoutes reference them.
const (
	EntryPointWeb       = "web"
	EntryPointWebSecure = "websecure"
)

// Proxy is a running Traefik process.
type Proxy struct {
	// WebAddr, WebSecureAddr and APIAddr are host:port on 127.0.0.1.
	WebAddr, WebSecureAddr, APIAddr string
	// LogFile holds Traefik's log, for failure messages.
	LogFile string

	cmd  *exec.Cmd
	done chan error
}

// Options tune a Proxy.
type Options struct {
	// Dir receives the kubeconfig and the log; a test's t.TempDir().
	Dir string
	// Kubeconfig is the file Traefik reads through KUBECONFIG; testenv's
	// Env.KubeconfigFile.
	Kubeconfig string
	// TrustedIPs are the proxies whose X-Forwarded-For the entry points
	// keep (forwardedHeaders.trustedIPs), as behind a load balancer; they let
	// a test act as several clients and exercise ipStrategy.depth.
	TrustedIPs []string
	// Namespaces limits the CRD provider to these namespaces (all if empty).
	Namespaces []string
}

// Start runs Traefik against the apiserver of opts.Kubeconfig and waits, in a bounded
// loop, until its API answers. Stop must be called to end the process.
func Start(ctx context.Context, opts Options) (*Proxy, error) {
	// The free ports are released before Traefik binds them; on a busy
	// machine another process may take one and Traefik exits. Try again
	// with fresh ports a few times before giving up.
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var p *Proxy
		if p, err = start(ctx, opts); err == nil {
			return p, nil
		}
		if !errors.Is(err, errExitedEarly) {
			return nil, err
		}
	}
	return nil, err
}

// errExitedEarly marks a Traefik that exited before its API answered.
var errExitedEarly = errors.New("traefik exited before its API answered")

func start(ctx context.Context, opts Options) (*Proxy, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	if opts.Kubeconfig == "" || opts.Dir == "" {
		return nil, errors.New("traefik.Start needs Options.Kubeconfig and Options.Dir")
	}
	kubeconfig := opts.Kubeconfig
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	p := &Proxy{
		WebAddr:       ports[0],
		WebSecureAddr: ports[1],
		APIAddr:       ports[2],
		LogFile:       filepath.Join(opts.Dir, "traefik.log"),
		done:          make(chan error, 1),
	}
	args := []string{
		"--global.checkNewVersion=false",
		"--global.sendAnonymousUsage=false",
		"--entryPoints." + EntryPointWeb + ".address=" + p.WebAddr,
		"--entryPoints." + EntryPointWebSecure + ".address=" + p.WebSecureAddr,
		"--entryPoints.traefik.address=" + p.APIAddr,
		// The API (read-only JSON) on its own loopback entry point; no dashboard.
		"--api=true",
		"--api.insecure=true",
		"--api.dashboard=false",
		"--providers.kubernetescrd=true",
		"--providers.providersThrottleDuration=100ms",
		"--log.level=DEBUG",
		"--log.filePath=" + p.LogFile,
	}
	if len(opts.TrustedIPs) > 0 {
		for _, ep := range []string{EntryPointWeb, EntryPointWebSecure} {
			args = append(args, "--entryPoints."+ep+".forwardedHeaders.trustedIPs="+strings.Join(opts.TrustedIPs, ","))
		}
	}
	if len(opts.Namespaces) > 0 {
		args = append(args, "--providers.kubernetescrd.namespaces="+strings.Join(opts.Namespaces, ","))
	}
	p.cmd = exec.Command(bin, args...)
	// A clean environment: KUBERNETES_SERVICE_HOST would switch Traefik to
	// in-cluster configuration instead of KUBECONFIG.
	p.cmd.Env = []string{"KUBECONFIG=" + kubeconfig, "HOME=" + opts.Dir, "PATH=" + os.Getenv("PATH")}
	stderr, err := os.Create(filepath.Join(opts.Dir, "traefik.stderr"))
	if err != nil {
		return nil, err
	}
	p.cmd.Stdout, p.cmd.Stderr = stderr, stderr
	// Its own process group, so Stop ends exactly this process; killed with
	// the test process if that dies first (a go test timeout).
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		_ = stderr.Close() // nothing was written; the start error is the news
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() {
		p.done <- p.cmd.Wait()
		// Traefik has exited; a close error loses nothing LogTail could show.
		_ = stderr.Close()
	}()

	if err := p.waitAPI(ctx, 90*time.Second); err != nil {
		_ = p.Stop()
		return nil, fmt.Errorf("%w\n%s", err, p.LogTail(40))
	}
	return p, nil
}

// waitAPI polls the API until it answers 200 or the deadline passes.
func (p *Proxy) waitAPI(ctx context.Context, within time.Duration) error {
	deadline := time.Now().Add(within)
	var last error
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			p.done <- err
			if err == nil {
				return fmt.Errorf("%w (exit status 0)", errExitedEarly)
			}
			return fmt.Errorf("%w: %w", errExitedEarly, err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		_, last = p.Routers(ctx)
		if last == nil {
			return nil
		}
	}
	return fmt.Errorf("traefik API at %s did not answer within %s: %w", p.APIAddr, within, last)
}

// Stop ends Traefik (SIGTERM, then SIGKILL after 10s) and waits for it.
func (p *Proxy) Stop() error {
	if p == nil || p.cmd == nil || p.cmd.Process == nil {
		return nil
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case err := <-p.done:
		// The exit status only reflects our SIGTERM. Put it back, as
		// waitAPI does, so a second Stop returns at once.
		p.done <- err
		return nil
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		err := <-p.done
		p.done <- err // killed: the status adds nothing to the error below
		return errors.New("traefik did not stop on SIGTERM; killed")
	}
}

// LogTail returns the last n lines of Traefik's log, to explain a failure.
func (p *Proxy) LogTail(n int) string {
	data, err := os.ReadFile(p.LogFile)
	if err != nil {
		return fmt.Sprintf("(no traefik log: %v)", err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "traefik log (tail):\n" + strings.Join(lines, "\n")
}

// apiClient reads Traefik's API; a bounded timeout so a stuck call cannot
// hang a polling loop.
var apiClient = &http.Client{Timeout: 5 * time.Second}

// Router is the part of Traefik's /api/http/routers answer the tests read.
type Router struct {
	Name        string   `json:"name"`
	Rule        string   `json:"rule"`
	Service     string   `json:"service"`
	Status      string   `json:"status"`
	Provider    string   `json:"provider"`
	EntryPoints []string `json:"entryPoints"`
	Middlewares []string `json:"middlewares"`
	Errors      []string `json:"error"`
	TLS         *struct {
		Options string `json:"options"`
	} `json:"tls"`
}

// Routers returns every HTTP router Traefik currently serves.
func (p *Proxy) Routers(ctx context.Context) ([]Router, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+p.APIAddr+"/api/http/routers?per_page=1000", nil)
	if err != nil {
		return nil, err
	}
	resp, err := apiClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/http/routers: %s: %s", resp.Status, body)
	}
	var rs []Router
	if err := json.Unmarshal(body, &rs); err != nil {
		return nil, fmt.Errorf("decoding /api/http/routers: %w", err)
	}
	return rs, nil
}

// freePorts reserves n distinct loopback ports. They are released before
// Traefik binds them; on a busy machine another process could take one, in
// which case Traefik exits and Start reports it.
func freePorts(n int) ([]string, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close() // only frees the reserved port for Traefik
		}
	}()
	var addrs []string
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("reserving a loopback port: %w", err)
		}
		ls = append(ls, l)
		addrs = append(addrs, l.Addr().String())
	}
	return addrs, nil
}
