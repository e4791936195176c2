package testenv

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Module paths whose CRDs the tests install, and where in each module they live.
const (
	traefikModule     = "github.com/traefik/traefik/v3"
	traefikCRDFile    = "docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml"
	certManagerModule = "github.com/cert-manager/cert-manager"
	certManagerCRDDir = "deploy/crds"
)

// RepoRoot returns the root of this repository: the directory of the main
// module's go.mod, as the go command reports it for the test's working dir.
func RepoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("not inside the github-mcp-operator module")
	}
	return filepath.Dir(gomod), nil
}

// Versions reads hack/versions.env, the single place that pins the versions
// of the binaries under bin/.
func Versions(root string) (map[string]string, error) {
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
		k, val, ok := strings.Cut(line, "=")
		if ok {
			v[k] = val
		}
	}
	return v, sc.Err()
}

// Binaries are the control-plane executables the tests run.
type Binaries struct {
	APIServer, Etcd, Kubectl string
}

var buildOnce sync.Once
var buildErr error

// EnsureBinaries returns the paths of kube-apiserver, etcd and kubectl under
// bin/, building any that is missing with hack/build-tools.sh. The script
// takes a lock, so parallel test packages build each binary only once.
func EnsureBinaries(root string) (Binaries, error) {
	v, err := Versions(root)
	if err != nil {
		return Binaries{}, err
	}
	bin := filepath.Join(root, "bin")
	b := Binaries{
		APIServer: filepath.Join(bin, "kube-apiserver-"+v["KUBERNETES_VERSION"]),
		Etcd:      filepath.Join(bin, "etcd-"+v["ETCD_VERSION"]),
		Kubectl:   filepath.Join(bin, "kubectl-"+v["KUBERNETES_VERSION"]),
	}
	for _, p := range []string{b.APIServer, b.Etcd, b.Kubectl} {
		if _, err := os.Stat(p); err != nil {
			buildOnce.Do(func() {
				cmd := exec.Command(filepath.Join(root, "hack", "build-tools.sh"), "kube-apiserver", "kubectl", "etcd")
				cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
				buildErr = cmd.Run()
			})
			if buildErr != nil {
				return b, fmt.Errorf("building control-plane binaries: %w", buildErr)
			}
			break
		}
	}
	return b, nil
}

// ModuleDir returns the directory of a module of the main module's build
// list, downloading it into the module cache if needed.
func ModuleDir(root, module string) (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", module)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %w", module, err)
	}
	var m struct{ Dir, Error string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", fmt.Errorf("go mod download %s: %w", module, err)
	}
	if m.Error != "" || m.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %s", module, m.Error)
	}
	return m.Dir, nil
}

// ThirdPartyCRDPaths returns the Traefik CRD file and the cert-manager CRD
// directory from the module cache, at the versions go.mod pins.
func ThirdPartyCRDPaths(root string) ([]string, error) {
	traefik, err := ModuleDir(root, traefikModule)
	if err != nil {
		return nil, err
	}
	cm, err := ModuleDir(root, certManagerModule)
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
