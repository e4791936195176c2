package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// process is a child the demo started in its own process group, so a
// terminal's Ctrl-C reaches the demo alone and the demo stops the child in
// order (and everything the child started) on its way out.
type process struct {
	cmd     *exec.Cmd
	logPath string
	done    chan struct{}
	err     error
}

// startOperator builds cmd/manager into the work directory and runs it
// against the cluster. Metrics and health ports are off (":0" would pick
// random ones; nobody scrapes them here) and leader election is off (one
// replica, no in-cluster lease needed).
func startOperator(ctx context.Context, root, workdir, kubeconfig string) (*process, error) {
	bin := filepath.Join(workdir, "manager")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/manager")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build ./cmd/manager: %w\n%s", err, out)
	}
	logPath := filepath.Join(workdir, "operator.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	// Not CommandContext: cancellation must go through stop, which lets
	// the operator shut down cleanly instead of killing it outright.
	cmd := exec.Command(bin,
		"--metrics-bind-address=0",
		"--health-probe-bind-address=0",
		"--leader-elect=false",
	)
	cmd.Dir = workdir
	// controller-runtime reads KUBECONFIG; the operator has no --kubeconfig
	// flag of its own.
	cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("starting the operator: %w", err)
	}
	p := &process{cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		_ = logFile.Close()
		close(p.done)
	}()
	// An operator that dies at start-up (bad flag, no CRD) should fail the
	// demo now, with its log, not after the Ready timeout.
	select {
	case <-p.done:
		exit := p.err
		if exit == nil {
			exit = errors.New("exit status 0") // what Wait reports as nil
		}
		return nil, fmt.Errorf("the operator exited at start-up: %w\n%s", exit, p.tail(40))
	case <-time.After(2 * time.Second):
	case <-ctx.Done():
		return p, ctx.Err()
	}
	return p, nil
}

// stop sends SIGTERM to the process group, waits up to 15 s for a clean
// exit, then kills the group.
func (p *process) stop() error {
	pgid := p.cmd.Process.Pid
	select {
	case <-p.done:
		return nil
	default:
	}
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
		return nil
	case <-time.After(15 * time.Second):
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	select {
	case <-p.done:
		return nil
	case <-time.After(5 * time.Second):
		return errors.New("the operator did not exit after SIGKILL")
	}
}

// running reports whether the process is still alive.
func (p *process) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// tail returns the last n lines of the process's log.
func (p *process) tail(n int) string {
	b, err := os.ReadFile(p.logPath)
	if err != nil {
		return err.Error()
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	var s strings.Builder
	for _, l := range lines {
		s.Write(l)
		s.WriteByte('\n')
	}
	return s.String()
}
