//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// Versions of what the suite installs; each can be overridden from the
// environment. Pin them: the suite checks the combination, not "latest".
var (
	calicoVersion = envOr("E2E_CALICO_VERSION", "v3.30.3")
	traefikChart  = envOr("E2E_TRAEFIK_CHART_VERSION", "39.0.9")
	// traefikImageTag matches the Traefik module go.mod pins (CRD types).
	traefikImageTag    = envOr("E2E_TRAEFIK_IMAGE_TAG", "v3.6.12")
	certManagerVersion = envOr("E2E_CERT_MANAGER_VERSION", "v1.21.2")
	curlImage          = envOr("E2E_CURL_IMAGE", "curlimages/curl:8.16.0")
	busyboxImage       = envOr("E2E_BUSYBOX_IMAGE", "busybox:1.37")
)

const (
	managerImage = "github-mcp-operator/manager:e2e"
	serverImage  = "github-mcp-operator/github-mcp-server:e2e"
)

// environment is the kind cluster and the tools that drive it.
type environment struct {
	root, clusterName, kubeconfig string
	docker, kind, helm, kubectl   string
	tmp                           string
	// githubToken is a real GitHub token: the server reports ready only
	// after a successful call to GitHub, so a placeholder never gets there.
	githubToken string
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// newEnvironment finds the tools (KIND, HELM, DOCKER, KUBECTL override
// the PATH lookup) and the repository root.
func newEnvironment() (*environment, error) {
	root, err := filepath.Abs("../..")
	if err != nil {
		return nil, err
	}
	e := &environment{root: root, clusterName: envOr("E2E_CLUSTER", "ghmcp-e2e"), githubToken: os.Getenv("E2E_GITHUB_TOKEN")}
	if e.githubToken == "" {
		return nil, fmt.Errorf("set E2E_GITHUB_TOKEN to a GitHub token (read-only is enough): the server is ready only once GitHub answers it")
	}
	for _, t := range []struct {
		dst       *string
		env, name string
	}{
		{&e.docker, "DOCKER", "docker"},
		{&e.kind, "KIND", "kind"},
		{&e.helm, "HELM", "helm"},
		{&e.kubectl, "KUBECTL", "kubectl"},
	} {
		p, err := exec.LookPath(envOr(t.env, t.name))
		if err != nil {
			return nil, fmt.Errorf("the e2e suite needs %s (set %s or put it on PATH): %w", t.name, t.env, err)
		}
		*t.dst = p
	}
	e.tmp, err = os.MkdirTemp("", "ghmcp-e2e-")
	if err != nil {
		return nil, err
	}
	e.kubeconfig = filepath.Join(e.tmp, "kubeconfig")
	return e, nil
}

// run executes a command and fails the spec with its output on error.
func run(name string, args ...string) string {
	out, err := tryRun(nil, name, args...)
	ExpectWithOffset(1, err).NotTo(HaveOccurred(), out)
	return out
}

// tryRun executes a command and returns its combined output and error.
func tryRun(stdin []byte, name string, args ...string) (string, error) {
	GinkgoWriter.Printf("$ %s %s\n", filepath.Base(name), strings.Join(args, " "))
	cmd := exec.Command(name, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (e *environment) k(args ...string) string {
	return run(e.kubectl, append([]string{"--kubeconfig", e.kubeconfig}, args...)...)
}

func (e *environment) tryK(args ...string) (string, error) {
	return tryRun(nil, e.kubectl, append([]string{"--kubeconfig", e.kubeconfig}, args...)...)
}

// apply applies manifests server-side with strict field validation.
func (e *environment) apply(manifest string) {
	out, err := tryRun([]byte(manifest), e.kubectl, "--kubeconfig", e.kubeconfig,
		"apply", "--server-side", "--field-manager=e2e", "--validate=strict", "-f", "-")
	ExpectWithOffset(1, err).NotTo(HaveOccurred(), out)
}

// createCluster creates a kind cluster without kindnet and installs Calico,
// which enforces NetworkPolicy (ingress and egress).
func (e *environment) createCluster() {
	cfg := filepath.Join(e.tmp, "kind.yaml")
	Expect(os.WriteFile(cfg, []byte(`kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
networking:
  disableDefaultCNI: true
  podSubnet: 192.168.0.0/16
`), 0o600)).To(Succeed())
	run(e.kind, "create", "cluster", "--name", e.clusterName, "--config", cfg, "--kubeconfig", e.kubeconfig, "--wait", "0s")
	e.k("apply", "--server-side", "-f", "https://raw.githubusercontent.com/projectcalico/calico/"+calicoVersion+"/manifests/calico.yaml")
	e.k("-n", "kube-system", "rollout", "status", "daemonset/calico-node", "--timeout=5m")
	e.k("wait", "--for=condition=Ready", "nodes", "--all", "--timeout=5m")
}

func (e *environment) deleteCluster() {
	out, err := tryRun(nil, e.kind, "delete", "cluster", "--name", e.clusterName)
	if err != nil {
		GinkgoWriter.Printf("deleting the kind cluster: %v\n%s", err, out)
	}
	_ = os.RemoveAll(e.tmp)
}

// buildAndLoadImages builds both Dockerfile targets and loads them into
// the kind nodes, so nothing is pulled from a registry for our images.
func (e *environment) buildAndLoadImages() {
	for target, img := range map[string]string{"manager": managerImage, "github-mcp-server": serverImage} {
		run(e.docker, "build", "--target", target, "-t", img, e.root)
		run(e.kind, "load", "docker-image", img, "--name", e.clusterName)
	}
}

// installAddons installs Traefik (namespace traefik, the operator's default
// Traefik selector) and cert-manager with their Helm charts.
func (e *environment) installAddons() {
	helm := func(args ...string) string {
		return run(e.helm, append([]string{"--kubeconfig", e.kubeconfig}, args...)...)
	}
	helm("repo", "add", "--force-update", "traefik", "https://traefik.github.io/charts")
	helm("repo", "add", "--force-update", "jetstack", "https://charts.jetstack.io")
	helm("upgrade", "--install", "cert-manager", "jetstack/cert-manager", "--version", certManagerVersion,
		"--namespace", "cert-manager", "--create-namespace", "--set", "crds.enabled=true", "--wait", "--timeout", "5m")
	helm("upgrade", "--install", "traefik", "traefik/traefik", "--version", traefikChart,
		"--namespace", "traefik", "--create-namespace", "--set", "service.type=ClusterIP", "--set", "image.tag="+traefikImageTag, "--wait", "--timeout", "5m")
}

// deployOperator applies config/default through an overlay that points it
// at the locally built manager image.
func (e *environment) deployOperator() {
	overlay := filepath.Join(e.tmp, "overlay")
	Expect(os.MkdirAll(overlay, 0o700)).To(Succeed())
	rel, err := filepath.Rel(overlay, filepath.Join(e.root, "config", "default"))
	Expect(err).NotTo(HaveOccurred())
	name, tag, _ := strings.Cut(managerImage, ":")
	Expect(os.WriteFile(filepath.Join(overlay, "kustomization.yaml"), []byte(fmt.Sprintf(`resources:
- %s
images:
- name: ghcr.io/github-mcp-operator/manager
  newName: %s
  newTag: %s
`, rel, name, tag)), 0o600)).To(Succeed())
	e.k("apply", "--server-side", "-k", overlay)
	e.k("-n", "github-mcp-operator-system", "rollout", "status", "deployment/github-mcp-operator-controller-manager", "--timeout=5m")
}

// eventually polls f until it succeeds or the bounded timeout expires.
func eventually(timeout time.Duration, f func() error) {
	EventuallyWithOffset(1, f).WithTimeout(timeout).WithPolling(2 * time.Second).Should(Succeed())
}
