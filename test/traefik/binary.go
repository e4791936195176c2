package traefik

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/github-mcp-operator/github-mcp-operator/hack/repopaths"
)

// BinaryEnv names an environment variable that overrides where the Traefik
// binary is; hack/mk/edge.mk sets it so make and the tests agree on one path.
const BinaryEnv = "TRAEFIK_BIN"

// Binary returns the path of bin/traefik-<TRAEFIK_VERSION> (the version is
// read from hack/versions.env), or $TRAEFIK_BIN when set. A missing binary is
// an error, never a skip: the edge is only proven when Traefik really runs.
func Binary() (string, error) {
	if p := os.Getenv(BinaryEnv); p != "" {
		return checkExecutable(p)
	}
	root, err := repopaths.RepoRoot()
	if err != nil {
		return "", err
	}
	v, err := repopaths.Versions(root)
	if err != nil {
		return "", fmt.Errorf("reading hack/versions.env: %w", err)
	}
	if v["TRAEFIK_VERSION"] == "" {
		return "", fmt.Errorf("hack/versions.env has no TRAEFIK_VERSION")
	}
	return checkExecutable(filepath.Join(root, "bin", "traefik-"+v["TRAEFIK_VERSION"]))
}

func checkExecutable(p string) (string, error) {
	fi, err := os.Stat(p) //nolint:gosec // G703: $TRAEFIK_BIN is set by whoever runs the tests, to name the binary to run
	if err != nil {
		return "", fmt.Errorf("traefik binary %s: %w (build it with `make traefik-bin` or hack/build-tools.sh traefik)", p, err)
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return "", fmt.Errorf("traefik binary %s is not an executable file", p)
	}
	return p, nil
}
