package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"

	"github.com/github-mcp-operator/github-mcp-operator/hack/repopaths"
)

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
	v, err := repopaths.Versions(root)
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
