//go:build e2e

package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
)

const (
	serverNS = "e2e-mcp"
	clientNS = "e2e-client"
	crName   = "github"
	mcpHost  = "mcp.e2e.test"
)

var _ = Describe("a GitHubMCPServer on kind", Ordered, func() {
	apiKey := "ghmcp_e2e_" + rand.Text()
	var podName, podIP string

	BeforeAll(func() {
		certPEM, keyPEM := selfSigned(mcpHost)
		sum := sha256.Sum256([]byte(apiKey))
		env.apply(fmt.Sprintf(`apiVersion: v1
kind: Namespace
metadata:
  name: %[1]s
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: Namespace
metadata:
  name: %[2]s
---
apiVersion: v1
kind: Secret
metadata: {name: github-token, namespace: %[1]s}
type: Opaque
stringData: {token: %[9]q}
---
apiVersion: v1
kind: Secret
metadata: {name: mcp-api-keys, namespace: %[1]s}
type: Opaque
stringData: {api-keys: "e2e:sha256:%[3]s"}
---
apiVersion: v1
kind: Secret
metadata: {name: mcp-tls, namespace: %[1]s}
type: kubernetes.io/tls
data: {tls.crt: %[4]s, tls.key: %[5]s}
---
apiVersion: mcp.githubmcp.dev/v1alpha1
kind: GitHubMCPServer
metadata: {name: %[6]s, namespace: %[1]s}
spec:
  image: %[7]s
  imagePullPolicy: IfNotPresent
  replicas: 1
  github:
    auth:
      token:
        secretRef: {name: github-token, key: token}
  ingress:
    mode: Traefik
    host: %[8]s
  tls:
    secretName: mcp-tls
  clientAuth:
    mode: apiKeys
    apiKeysSecretRef: {name: mcp-api-keys, key: api-keys}
`, serverNS, clientNS, hex.EncodeToString(sum[:]),
			base64.StdEncoding.EncodeToString(certPEM), base64.StdEncoding.EncodeToString(keyPEM),
			crName, serverImage, mcpHost, env.githubToken))
		env.k("wait", "-n", serverNS, "--for=condition=Ready", "ghmcp/"+crName, "--timeout=5m")

		out := env.k("get", "pods", "-n", serverNS, "-l", "app.kubernetes.io/instance="+crName,
			"-o", "jsonpath={.items[0].metadata.name} {.items[0].status.podIP}")
		fields := strings.Fields(out)
		Expect(fields).To(HaveLen(2), "want one server pod with an IP, got %q", out)
		podName, podIP = fields[0], fields[1]

		// A client pod in another namespace, with no policy of its own.
		env.k("run", "curl", "-n", clientNS, "--image", curlImage, "--restart=Never", "--command", "--", "sleep", "3600")
		env.k("wait", "-n", clientNS, "--for=condition=Ready", "pod/curl", "--timeout=3m")
	})

	It("runs the server as UID 1001 on a read-only root filesystem", func() {
		// The API view: what the operator asked for.
		sc := env.k("get", "pod", podName, "-n", serverNS, "-o",
			"jsonpath={.spec.securityContext.runAsUser} {.spec.containers[0].securityContext.readOnlyRootFilesystem}")
		Expect(strings.Fields(sc)).To(Equal([]string{"1001", "true"}))

		// The kernel's view. The image is distroless (no shell, no id), so
		// an ephemeral busybox container that shares the server's process
		// namespace reads the server process's credentials and tries to
		// write through /proc/1/root into the server's root filesystem. It
		// runs under the same restricted profile and UID, so Pod Security
		// admits it and it may inspect a process of its own UID.
		target := env.k("get", "pod", podName, "-n", serverNS, "-o", "jsonpath={.spec.containers[0].name}")
		script := `set -e
awk '/^Uid:/ {print "uid=" $2}' /proc/1/status
if touch /proc/1/root/e2e-probe 2>/dev/null; then echo "root=writable"; else echo "root=read-only"; fi
if touch /proc/1/root/tmp/e2e-probe 2>/dev/null; then echo "tmp=writable"; else echo "tmp=read-only"; fi
`
		custom := `{"securityContext":{"runAsUser":1001,"runAsGroup":1001,"runAsNonRoot":true,"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"seccompProfile":{"type":"RuntimeDefault"}}}`
		customFile := writeTemp("debug.json", custom)
		env.k("debug", "-n", serverNS, podName, "--image", busyboxImage, "--target", target,
			"--container", "probe", "--profile", "restricted", "--custom", customFile, "--", "sh", "-c", script)
		var logs string
		eventually(2*time.Minute, func() error {
			out, err := env.tryK("logs", "-n", serverNS, podName, "-c", "probe")
			if err != nil || !strings.Contains(out, "tmp=") {
				return fmt.Errorf("probe not finished: %v %s", err, out)
			}
			logs = out
			return nil
		})
		Expect(logs).To(ContainSubstring("uid=1001"))
		Expect(logs).To(ContainSubstring("root=read-only"))
		// The control: the same probe can write where the pod may write,
		// so "read-only" above is the filesystem talking, not the probe.
		Expect(logs).To(ContainSubstring("tmp=writable"))
	})

	It("answers MCP through Traefik", func() {
		svcIP := strings.TrimSpace(env.k("get", "svc", "traefik", "-n", "traefik", "-o", "jsonpath={.spec.clusterIP}"))
		body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"e2e","version":"0"}}}`
		eventually(2*time.Minute, func() error {
			out, err := env.tryK("exec", "-n", clientNS, "curl", "--", "curl", "-sS", "-k", "--max-time", "10",
				"--resolve", mcpHost+":443:"+svcIP, "-H", "Authorization: Bearer "+apiKey,
				"-H", "Content-Type: application/json", "-H", "Accept: application/json, text/event-stream",
				"-w", "\nHTTP %{http_code}", "-d", body, "https://"+mcpHost+podcontract.DefaultMCPPath)
			if err != nil {
				return fmt.Errorf("%v: %s", err, out)
			}
			if !strings.Contains(out, "HTTP 200") || !strings.Contains(out, "protocolVersion") {
				return fmt.Errorf("no MCP initialize result through Traefik: %s", out)
			}
			return nil
		})
		// Without a key the server refuses, so the 200 above was earned.
		out, err := env.tryK("exec", "-n", clientNS, "curl", "--", "curl", "-sS", "-k", "--max-time", "10",
			"--resolve", mcpHost+":443:"+svcIP, "-o", "/dev/null", "-w", "%{http_code}",
			"-H", "Content-Type: application/json", "-d", body, "https://"+mcpHost+podcontract.DefaultMCPPath)
		Expect(err).NotTo(HaveOccurred(), out)
		Expect(strings.TrimSpace(out)).To(Equal("401"))
	})

	It("refuses a direct connection to the pod from another namespace", func() {
		out, err := env.tryK("exec", "-n", clientNS, "curl", "--", "curl", "-sS", "--max-time", "5",
			fmt.Sprintf("http://%s:%d%s", podIP, podcontract.MCPPort, podcontract.DefaultMCPPath))
		Expect(err).To(HaveOccurred(), "a pod in %s reached the server directly: %s", clientNS, out)
		Expect(out).To(Or(ContainSubstring("timed out"), ContainSubstring("refused")), out)
	})
})

// selfSigned returns a PEM certificate and key for host.
func selfSigned(host string) (certPEM, keyPEM []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	Expect(err).NotTo(HaveOccurred())
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	Expect(err).NotTo(HaveOccurred())
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host},
		DNSNames:     []string{host},
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	Expect(err).NotTo(HaveOccurred())
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	Expect(err).NotTo(HaveOccurred())
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
}

// writeTemp writes content to a file in the suite's temporary directory.
func writeTemp(name, content string) string {
	p := filepath.Join(env.tmp, name)
	Expect(os.WriteFile(p, []byte(content), 0o600)).To(Succeed())
	return p
}
