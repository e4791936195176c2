package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// clusterName is the kwok cluster's name inside the demo's own work
// directory; a fresh directory per run means runs never collide.
const clusterName = "ghmcp-demo"

// cluster is a kwok cluster running on the binaries under bin/.
type cluster struct {
	t       tools
	workdir string // KWOK_WORKDIR: every file of the cluster lives here
	log     io.Writer
	// Kubeconfig is the admin kubeconfig kwokctl writes for the cluster.
	Kubeconfig string
}

// env is the environment for kwokctl: its work directory (never the
// user's home), our kubectl (so it downloads nothing) and, for the kubectl
// it runs itself, a discovery cache in the work directory too.
func (c *cluster) env() []string {
	return append(os.Environ(),
		"KWOK_WORKDIR="+c.workdir,
		"KWOK_KUBECTL_BINARY="+c.t.kubectl,
		"KUBECACHEDIR="+filepath.Join(c.workdir, "kubectl-cache"),
	)
}

func (c *cluster) kwokctl(ctx context.Context, args ...string) error {
	cmd := exec.CommandContext(ctx, c.t.kwokctl, args...)
	cmd.Env = c.env()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("kwokctl %s: %w\n%s", strings.Join(args, " "), err, out.String())
	}
	return nil
}

// start creates the cluster: etcd, kube-apiserver (RBAC and the default
// admission plugins, so Pod Security admission is enforced),
// kube-controller-manager, kube-scheduler and the kwok controller, all as
// local processes, then one simulated node.
func (c *cluster) start(ctx context.Context) error {
	err := c.kwokctl(ctx, "create", "cluster",
		"--name", clusterName,
		"--runtime", "binary",
		// An empty --kubeconfig keeps kwokctl out of ~/.kube/config; the
		// cluster's own kubeconfig stays in the work directory.
		"--kubeconfig", "",
		"--kube-authorization=true",
		"--kube-admission=true",
		"--kube-apiserver-binary", c.t.kubeAPIServer,
		"--kube-controller-manager-binary", c.t.kubeControllerManager,
		"--kube-scheduler-binary", c.t.kubeScheduler,
		"--etcd-binary", c.t.etcd,
		"--kwok-controller-binary", c.t.kwok,
		"--wait", "2m",
		"--timeout", "3m",
	)
	if err != nil {
		return err
	}
	c.Kubeconfig = filepath.Join(c.workdir, "clusters", clusterName, "kubeconfig.yaml")
	if _, err := os.Stat(c.Kubeconfig); err != nil {
		return fmt.Errorf("kwokctl wrote no kubeconfig: %w", err)
	}
	if err := c.kwokctl(ctx, "scale", "node", "--name", clusterName, "--replicas", "1"); err != nil {
		return err
	}
	if err := c.kubectl(ctx, nil, "wait", "--for=condition=Ready", "node", "--all", "--timeout=90s"); err != nil {
		// The kwok controller marks nodes Ready; its log says why it did not.
		return fmt.Errorf("%w\nkwok-controller log (tail):\n%s", err, c.componentLogTail(ctx, "kwok-controller"))
	}
	return nil
}

// componentLogTail returns the last lines of a cluster component's log, for
// error messages; it never fails.
func (c *cluster) componentLogTail(ctx context.Context, component string) string {
	cmd := exec.CommandContext(ctx, c.t.kwokctl, "logs", component, "--name", clusterName)
	cmd.Env = c.env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Sprintf("(kwokctl logs %s: %v)", component, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return strings.Join(lines, "\n")
}

// stop deletes the cluster: kwokctl stops every component it started.
// It runs even when ctx is cancelled (Ctrl-C), with its own deadline.
func (c *cluster) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return c.kwokctl(ctx, "delete", "cluster", "--name", clusterName)
}

// kubectl runs our kubectl against the cluster. With out nil, output is
// kept and returned in the error only.
func (c *cluster) kubectl(ctx context.Context, out io.Writer, args ...string) error {
	cmd := exec.CommandContext(ctx, c.t.kubectl, c.kubectlArgs(args...)...)
	var buf bytes.Buffer
	if out == nil {
		cmd.Stdout = &buf
	} else {
		cmd.Stdout = out
	}
	cmd.Stderr = &buf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("kubectl %s: %w\n%s", strings.Join(args, " "), err, buf.String())
	}
	return nil
}

// kubectlArgs points kubectl at the cluster and keeps its discovery cache
// in the work directory instead of ~/.kube/cache.
func (c *cluster) kubectlArgs(args ...string) []string {
	return append([]string{"--kubeconfig", c.Kubeconfig, "--cache-dir", filepath.Join(c.workdir, "kubectl-cache")}, args...)
}

// kubectlOutput runs kubectl and returns its standard output.
func (c *cluster) kubectlOutput(ctx context.Context, args ...string) ([]byte, error) {
	var out bytes.Buffer
	err := c.kubectl(ctx, &out, args...)
	return out.Bytes(), err
}

// apply applies manifests from stdin with server-side apply and strict
// field validation, under the demo's field manager.
func (c *cluster) apply(ctx context.Context, manifest []byte) error {
	cmd := exec.CommandContext(ctx, c.t.kubectl, c.kubectlArgs(
		"apply", "--server-side", "--field-manager=ghmcp-demo", "--validate=strict", "-f", "-")...)
	cmd.Stdin = bytes.NewReader(manifest)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("kubectl apply: %w\n%s", err, buf.String())
	}
	return nil
}
