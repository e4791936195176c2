package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Module paths whose CRDs the demo installs, and where in each module they
// live. The versions are the ones go.mod pins, so the demo's CRDs match the
// types the operator compiles against.
const (
	traefikModule     = "github.com/traefik/traefik/v3"
	traefikCRDFile    = "docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml"
	certManagerModule = "github.com/cert-manager/cert-manager"
	certManagerCRDDir = "deploy/crds"
)

// tools are the executables the demo runs, all under bin/.
type tools struct {
	root                                                string
	kubeAPIServer, kubeControllerManager, kubeScheduler string
	kubectl, etcd, kwokctl, kwok                        string
}

// repoRoot is the directory of the main module's go.mod, as the go command
// sees it from the working directory (make, go run and go test all run
// inside the repository).
func repoRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run the demo from inside the github-mcp-operator repository")
	}
	return filepath.Dir(gomod), nil
}

// versions reads hack/versions.env, the one place that pins the binaries.
func versions(root string) (map[string]string, error) {
	data, err := os.ReadFile(filepath.Join(root, "hack", "versions.env"))
	if err != nil {
		return nil, err
	}
	v := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if k, val, ok := strings.Cut(line, "="); ok {
			v[k] = val
		}
	}
	return v, sc.Err()
}

// ensureTools builds whatever binary is missing under bin/ with
// hack/build-tools.sh (which skips the ones already there) and returns
// their paths.
func ensureTools(ctx context.Context, root string, log io.Writer) (tools, error) {
	v, err := versions(root)
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

// moduleDir returns a module's directory in the module cache, at the version
// the main module's go.mod pins, downloading it if needed.
func moduleDir(ctx context.Context, root, module string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", module)
	cmd.Dir = root
	out, err := cmd.Output()
	var m struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &m); jerr != nil || err != nil {
		return "", fmt.Errorf("go mod download %s: %v %s", module, err, m.Error)
	}
	if m.Error != "" || m.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %s", module, m.Error)
	}
	return m.Dir, nil
}

// thirdPartyCRDs returns the Traefik CRD file and the cert-manager CRD
// directory from the module cache.
func thirdPartyCRDs(ctx context.Context, root string) ([]string, error) {
	traefik, err := moduleDir(ctx, root, traefikModule)
	if err != nil {
		return nil, err
	}
	cm, err := moduleDir(ctx, root, certManagerModule)
	if err != nil {
		return nil, err
	}
	paths := []string{filepath.Join(traefik, traefikCRDFile), filepath.Join(cm, certManagerCRDDir)}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("third-party CRDs: %w", err)
		}
	}
	return paths, nil
}
