package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/hack/repopaths"
)

// demo holds everything one run created, so close can undo all of it.
type demo struct {
	opts     options
	root     string
	workdir  string
	cluster  *cluster
	operator *process
	// operatorKubeconfig is the kubeconfig the operator runs with: the
	// admin's, impersonating operatorServiceAccount.
	operatorKubeconfig string
	sample             sample
	started            bool // the kwok cluster was (possibly partly) created
}

func newDemo(ctx context.Context, opts options) (*demo, error) {
	root, err := repopaths.RepoRoot()
	if err != nil {
		return nil, err
	}
	t, err := ensureTools(ctx, root, opts.Log)
	if err != nil {
		return nil, err
	}
	// One temporary directory holds the cluster (etcd data, certificates,
	// logs, kubeconfig), the operator binary and its log.
	workdir, err := os.MkdirTemp("", "ghmcp-demo-")
	if err != nil {
		return nil, err
	}
	return &demo{
		opts:    opts,
		root:    root,
		workdir: workdir,
		cluster: &cluster{t: t, workdir: workdir, log: opts.Log},
		sample:  newSample(),
	}, nil
}

// up brings the cluster, the CRDs, the operator and the sample up, and
// waits for the sample to become Ready.
func (d *demo) up(ctx context.Context) error {
	start := time.Now()
	d.step("Starting a local cluster (kwok, binary runtime) from bin/")
	d.started = true
	if err := d.cluster.start(ctx); err != nil {
		return err
	}
	d.step("Installing the Traefik and cert-manager CRDs, then config/default without the manager Deployment (CRD, namespace, ServiceAccount, RBAC)")
	if err := d.installCRDs(ctx); err != nil {
		return err
	}
	if err := d.installRBAC(ctx); err != nil {
		return err
	}
	d.step("Building and starting the operator (go build ./cmd/manager) as its ServiceAccount " + operatorServiceAccount)
	kubeconfig, err := impersonatingKubeconfig(d.cluster.Kubeconfig, d.workdir, operatorServiceAccount)
	if err != nil {
		return err
	}
	d.operatorKubeconfig = kubeconfig
	op, err := startOperator(ctx, d.root, d.workdir, kubeconfig)
	if err != nil {
		return err
	}
	d.operator = op
	d.step("Applying the sample: namespace " + sampleNamespace + " (Pod Security restricted), Secrets and a GitHubMCPServer")
	manifest, err := d.sample.manifest()
	if err != nil {
		return err
	}
	if d.opts.EditManifest != nil {
		manifest = d.opts.EditManifest(manifest)
	}
	if err := d.cluster.apply(ctx, manifest); err != nil {
		return err
	}
	d.step(fmt.Sprintf("Waiting up to %s for ghmcp/%s to become Ready", d.opts.ReadyTimeout, sampleName))
	if err := d.waitReady(ctx); err != nil {
		return fmt.Errorf("ghmcp/%s did not become Ready: %w\n%s", sampleName, err, d.diagnose())
	}
	// What a user or a CI job runs; it returns at once now, and proves the
	// conditions work with kubectl's own wait.
	if err := d.cluster.kubectl(ctx, nil, "wait", "--for=condition=Ready", "-n", sampleNamespace, "ghmcp/"+sampleName, "--timeout=10s"); err != nil {
		return err
	}
	d.step(fmt.Sprintf("kubectl wait --for=condition=Ready ghmcp/%s: Ready, %s after start", sampleName, time.Since(start).Round(time.Second)))
	return nil
}

// waitReady polls the CR until Ready=True, and gives up early when waiting
// cannot help: Stalled=True for the current generation (the operator needs
// a change from the user) or the operator process exited.
func (d *demo) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, d.opts.ReadyTimeout)
	defer cancel()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		raw, err := d.cluster.kubectlOutput(ctx, "get", "ghmcp", sampleName, "-n", sampleNamespace, "-o", "json")
		if err == nil {
			var s server
			if jerr := json.Unmarshal(raw, &s); jerr != nil {
				return jerr
			}
			if c, ok := s.condition("Ready"); ok && c.Status == "True" && s.Status.ObservedGeneration == s.Metadata.Generation {
				return nil
			}
			if c, ok := s.condition("Stalled"); ok && c.Status == "True" && s.Status.ObservedGeneration == s.Metadata.Generation {
				return fmt.Errorf("the operator reports Stalled (%s): %s", c.Reason, c.Message)
			}
		}
		if !d.operator.running() {
			return errors.New("the operator exited")
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("timed out after %s", d.opts.ReadyTimeout)
		case <-tick.C:
		}
	}
}

// installCRDs applies the Traefik and cert-manager CRDs from the module
// cache (ours comes with config/default), then waits until the apiserver
// serves them: the operator detects them at start-up.
func (d *demo) installCRDs(ctx context.Context) error {
	third, err := repopaths.ThirdPartyCRDPaths(d.root)
	if err != nil {
		return err
	}
	args := []string{"apply", "--server-side", "--field-manager=ghmcp-demo"}
	for _, p := range third {
		args = append(args, "-f", p)
	}
	if err := d.cluster.kubectl(ctx, nil, args...); err != nil {
		return err
	}
	return d.cluster.kubectl(ctx, nil, "wait", "--for=condition=Established", "crd", "--all", "--timeout=60s")
}

// diagnose gathers what explains a CR that is not Ready: its status and the
// operator's last log lines.
func (d *demo) diagnose() string {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var b strings.Builder
	if out, err := d.cluster.kubectlOutput(ctx, "get", "ghmcp", sampleName, "-n", sampleNamespace, "-o", "yaml"); err == nil {
		b.WriteString("The GitHubMCPServer:\n")
		b.Write(out)
	}
	if d.operator != nil {
		b.WriteString("\nThe operator's last log lines (" + d.operator.logPath + "):\n")
		b.WriteString(d.operator.tail(40))
	}
	return b.String()
}

// close stops the operator, then the cluster, then removes the work
// directory; it reports every failure but always tries every step.
func (d *demo) close() error {
	var errs []error
	if d.operator != nil {
		errs = append(errs, d.operator.stop())
	}
	if d.started {
		errs = append(errs, d.cluster.stop())
	}
	errs = append(errs, os.RemoveAll(d.workdir))
	return errors.Join(errs...)
}

func (d *demo) step(msg string) {
	fmt.Fprintf(d.opts.Log, "==> %s\n", msg)
}

// kubectlHint is how a user runs the demo's kubectl, relative to the
// repository when possible.
func (d *demo) kubectlHint() string {
	if rel, err := filepath.Rel(d.root, d.cluster.t.kubectl); err == nil {
		return rel
	}
	return d.cluster.t.kubectl
}
