// Package repopaths finds what the tests, the demo and the tools share: the
// repository root, the versions pinned in hack/versions.env, and the
// third-party CRDs in the Go module cache (at the versions go.mod pins,
// located through the go command, never through a machine path). It has no
// dependencies beyond the standard library, so a main package can use it.
package repopaths

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Module paths whose CRDs the tests install, and where in each module they live.
const (
	traefikModule     = "github.com/traefik/traefik/v3"
	traefikCRDFile    = "docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml"
	certManagerModule = "github.com/cert-manager/cert-manager"
	promOpModule      = "github.com/prometheus-operator/prometheus-operator"
	serviceMonitorCRD = "example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml"
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

// ModuleDir returns the directory of a module in the module cache, downloading
// it if needed: "path" means the version of the main module's build list,
// "path@version" that version.
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
// directory from the module cache: cert-manager at the version go.mod pins,
// Traefik at TRAEFIK_VERSION.
func ThirdPartyCRDPaths(root string) ([]string, error) {
	// Traefik's CRDs come at the version of the Traefik binary the tests run
	// (hack/versions.env). The operator does not import Traefik's Go types
	// (their package does not build against our x/crypto; see AGENTS.md), so
	// go.mod has no Traefik version to follow.
	v, err := Versions(root)
	if err != nil {
		return nil, err
	}
	if v["TRAEFIK_VERSION"] == "" {
		return nil, fmt.Errorf("hack/versions.env does not set TRAEFIK_VERSION")
	}
	traefik, err := ModuleDir(root, traefikModule+"@"+v["TRAEFIK_VERSION"])
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

// ServiceMonitorCRDPath returns prometheus-operator's own ServiceMonitor CRD
// from the module cache, at PROMETHEUS_OPERATOR_VERSION. The operator writes
// ServiceMonitors as unstructured objects, so go.mod does not pin the module.
func ServiceMonitorCRDPath(root string) (string, error) {
	v, err := Versions(root)
	if err != nil {
		return "", err
	}
	if v["PROMETHEUS_OPERATOR_VERSION"] == "" {
		return "", fmt.Errorf("hack/versions.env does not set PROMETHEUS_OPERATOR_VERSION")
	}
	dir, err := ModuleDir(root, promOpModule+"@"+v["PROMETHEUS_OPERATOR_VERSION"])
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, serviceMonitorCRD)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("ServiceMonitor CRD: %w", err)
	}
	return p, nil
}
