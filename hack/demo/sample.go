package main

import (
	"bytes"
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
	"text/template"
	"time"
)

// The sample the demo applies.
const (
	sampleNamespace = "mcp-demo"
	sampleName      = "github"
	sampleHost      = "mcp.demo.localhost"
)

// sample is the demo's GitHubMCPServer and the Secrets it references. The
// server publishes on sampleHost through Traefik with a certificate from a
// Secret (spec.tls.secretName): no ACME server is reachable from a laptop,
// so a locally generated certificate is what lets Ready become True.
type sample struct {
	// APIKey is the client key an MCP client would send; only its SHA-256
	// goes into the cluster.
	APIKey string
}

func newSample() sample {
	return sample{APIKey: "ghmcp_demo_" + rand.Text()}
}

var manifestTemplate = template.Must(template.New("sample").Parse(`apiVersion: v1
kind: Namespace
metadata:
  name: {{.Namespace}}
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
    pod-security.kubernetes.io/warn: restricted
---
# The GitHub credential. GitHub is not reachable from the demo and kwok runs
# no containers, so a placeholder does; the operator mounts it as a file.
apiVersion: v1
kind: Secret
metadata:
  name: github-token
  namespace: {{.Namespace}}
type: Opaque
stringData:
  token: ghp_demo_placeholder_not_a_real_token
---
# Client API keys, as name:sha256:<hex> lines (the server never sees a
# plain key at rest).
apiVersion: v1
kind: Secret
metadata:
  name: mcp-api-keys
  namespace: {{.Namespace}}
type: Opaque
stringData:
  api-keys: "demo:sha256:{{.APIKeyHash}}"
---
apiVersion: v1
kind: Secret
metadata:
  name: mcp-demo-tls
  namespace: {{.Namespace}}
type: kubernetes.io/tls
data:
  tls.crt: {{.CertPEM}}
  tls.key: {{.KeyPEM}}
---
apiVersion: mcp.githubmcp.dev/v1alpha1
kind: GitHubMCPServer
metadata:
  name: {{.Name}}
  namespace: {{.Namespace}}
spec:
  replicas: 1
  github:
    auth:
      token:
        secretRef:
          name: github-token
          key: token
  ingress:
    mode: Traefik
    host: {{.Host}}
  tls:
    secretName: mcp-demo-tls
  clientAuth:
    mode: apiKeys
    apiKeysSecretRef:
      name: mcp-api-keys
      key: api-keys
`))

// manifest renders the sample with a fresh self-signed certificate.
func (s sample) manifest() ([]byte, error) {
	certPEM, keyPEM, err := selfSignedCert(sampleHost)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(s.APIKey))
	var b bytes.Buffer
	err = manifestTemplate.Execute(&b, map[string]string{
		"Namespace":  sampleNamespace,
		"Name":       sampleName,
		"Host":       sampleHost,
		"APIKeyHash": hex.EncodeToString(sum[:]),
		"CertPEM":    b64(certPEM),
		"KeyPEM":     b64(keyPEM),
	})
	return b.Bytes(), err
}

// selfSignedCert returns a PEM certificate and key for host, valid for a
// day: long enough for a demo, short enough not to be worth stealing.
func selfSignedCert(host string) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: host, Organization: []string{"github-mcp-operator demo"}},
		DNSNames:     []string{host},
		NotBefore:    now.Add(-time.Minute),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("creating the demo certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
