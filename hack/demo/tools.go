package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/github-mcp-operator/github-mcp-operator/hack/repopaths"
)

// tools are the executables the demo runs, all under bin/.
type tools struct {
	root                                                string
	kubeAPIServer, kubeControllerManager, kubeScheduler string
	kubectl, etcd, kwokctl, kwok                        string
}

// ensureTools builds whatever binary is missing under bin/ with
// hack/build-tools.sh (which skips the ones already there) and returns
// their paths.
func ensureTools(ctx context.Context, root string, log io.Writer) (tools, error) {
	v, err := repopaths.Versions(root)
	if err != nil {
		return tools{}, err
	}
	for _, k := range []string{"KUBERNETES_VERSION", "ETCD_VERSION", "KWOK_VERSION"} {
		if v[k] == "" {
			return tools{}, fmt.Errorf("hack/versions.env does not set %s", k)
		}
	}
	bin := filepath.Join(root, "bin")
	kv := v["KUBERNETES_VERSION"]
	t := tools{
		root:                  root,
		kubeAPIServer:         filepath.Join(bin, "kube-apiserver-"+kv),
		kubeControllerManager: filepath.Join(bin, "kube-controller-manager-"+kv),
		kubeScheduler:         filepath.Join(bin, "kube-scheduler-"+kv),
		kubectl:               filepath.Join(bin, "kubectl-"+kv),
		etcd:                  filepath.Join(bin, "etcd-"+v["ETCD_VERSION"]),
		kwokctl:               filepath.Join(bin, "kwokctl-"+v["KWOK_VERSION"]),
		kwok:                  filepath.Join(bin, "kwok-"+v["KWOK_VERSION"]),
	}
	missing := false
	for _, p := range []string{t.kubeAPIServer, t.kubeControllerManager, t.kubeScheduler, t.kubectl, t.etcd, t.kwokctl, t.kwok} {
		if _, err := os.Stat(p); err != nil {
			missing = true
		}
	}
	if missing {
		fmt.Fprintln(log, "Building the control plane, etcd and kwok from Go modules into bin/ (first run only; several minutes)")
		cmd := exec.CommandContext(ctx, filepath.Join(root, "hack", "build-tools.sh"), "control-plane", "etcd", "kwok")
		cmd.Dir = root
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Run(); err != nil {
			return t, fmt.Errorf("hack/build-tools.sh: %w", err)
		}
	}
	return t, nil
}
