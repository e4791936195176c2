package traefik

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"golang.org/x/crypto/bcrypt"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// do sends one request as the client at clientIP (X-Forwarded-For, which
// the entry point trusts from 127.0.0.1), with optional basic-auth
// credentials.
func do(c *http.Client, url, clientIP, user, pass string) (answer, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("X-Forwarded-For", clientIP)
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	resp, err := c.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return answer{resp.StatusCode, resp.Header, b.String()}, nil
}

// TestEdgeOptionsThroughRealTraefik proves the optional knobs on a second CR
// behind a trusted load balancer (ipStrategy.depth 1): TLS 1.2 opt-in with
// AEAD suites only, bcrypt basic auth that strips the header, a rate limit
// per client IP, and a concurrency cap per client IP.
func TestEdgeOptionsThroughRealTraefik(t *testing.T) {
	ctx := context.Background()
	c := env.Client
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "edge-opts-"}}
	if err := c.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	optsHost := ns.Name + ".edge.test"
	certPEM, keyPEM, roots, err := SelfSigned(optsHost)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*corev1.Secret{
		{ObjectMeta: metav1.ObjectMeta{Name: "github-pat", Namespace: ns.Name}, StringData: map[string]string{"token": "not-a-token"}},
		{ObjectMeta: metav1.ObjectMeta{Name: "htpasswd", Namespace: ns.Name}, StringData: map[string]string{"users": "alice:" + string(hash) + "\n"}},
		{ObjectMeta: metav1.ObjectMeta{Name: "opts-tls", Namespace: ns.Name}, Type: corev1.SecretTypeTLS,
			Data: map[string][]byte{corev1.TLSCertKey: certPEM, corev1.TLSPrivateKeyKey: keyPEM}},
	} {
		if err := c.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	lb := &v1alpha1.IPStrategy{Depth: 1}
	cr := &v1alpha1.GitHubMCPServer{
		ObjectMeta: metav1.ObjectMeta{Name: "opts", Namespace: ns.Name},
		Spec: v1alpha1.GitHubMCPServerSpec{
			GitHub:     v1alpha1.GitHubSpec{Auth: v1alpha1.GitHubAuth{Token: &v1alpha1.TokenAuth{SecretRef: v1alpha1.SecretKeyRef{Name: "github-pat", Key: "token"}}}},
			ClientAuth: v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthOIDC, OIDC: &v1alpha1.OIDCSpec{Issuer: "https://issuer.example.com"}},
			Ingress: &v1alpha1.IngressSpec{
				Host: optsHost, Path: "/mcp",
				RateLimit:   &v1alpha1.RateLimitSpec{Average: 10, Period: "1m", Burst: 2, IPStrategy: lb},
				BasicAuth:   &v1alpha1.BasicAuthSpec{SecretRef: v1alpha1.LocalSecretRef{Name: "htpasswd"}, Realm: "mcp"},
				InFlightReq: &v1alpha1.InFlightReqSpec{Amount: 1, IPStrategy: lb},
			},
			TLS: &v1alpha1.TLSSpec{SecretName: "opts-tls", MinVersion: v1alpha1.TLSVersion12},
		},
	}
	createPublished(t, ctx, cr, backend.Port)
	hc := proxy.Client(roots, 0)
	url := "https://" + optsHost + "/mcp"
	// Each client IP below is used by one step only: fresh buckets.
	poll(t, "basic auth without credentials answers 401", 300, func() error {
		a, err := do(hc, url, "198.51.100.10", "", "")
		if err != nil {
			return err
		}
		if a.status != http.StatusUnauthorized {
			return fmt.Errorf("got %d %q", a.status, a.body)
		}
		return nil
	})

	t.Run("TLS 1.2 opt-in: AEAD suites only", func(t *testing.T) {
		v, err := proxy.HandshakeVersion(optsHost, roots, tls.VersionTLS12, tls.VersionTLS12)
		if err != nil || v != tls.VersionTLS12 {
			t.Fatalf("TLS 1.2 handshake with the opt-in: %x, %v", v, err)
		}
		for _, cbc := range []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA} {
			conn, err := tls.Dial("tcp", proxy.WebSecureAddr, &tls.Config{ServerName: optsHost, RootCAs: roots,
				MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{cbc}})
			if err == nil {
				conn.Close()
				t.Errorf("a TLS 1.2 handshake with %s (CBC) succeeded", tls.CipherSuiteName(cbc))
			}
		}
	})

	t.Run("basic auth: bcrypt user in, others out, header stripped", func(t *testing.T) {
		a, err := do(hc, url, "198.51.100.10", "alice", "wrong")
		if err != nil {
			t.Fatal(err)
		}
		if a.status != http.StatusUnauthorized || a.header.Get("WWW-Authenticate") == "" {
			t.Fatalf("wrong password: %d %v", a.status, a.header)
		}
		checkSecurityHeaders(t, "401", a.header)
		a, err = do(hc, url, "198.51.100.10", "alice", "s3cret")
		if err != nil {
			t.Fatal(err)
		}
		if a.status != http.StatusOK || !strings.Contains(a.body, BackendBody) {
			t.Fatalf("alice: %d %q", a.status, a.body)
		}
		if strings.Contains(a.body, AuthSeen) {
			t.Fatal("the backend saw the Authorization header (removeHeader)")
		}
	})

	t.Run("rate limit is per client IP behind the load balancer", func(t *testing.T) {
		limited := false
		for i := 0; i < 8 && !limited; i++ {
			a, err := do(hc, url, "198.51.100.1", "alice", "s3cret")
			if err != nil {
				t.Fatal(err)
			}
			limited = a.status == http.StatusTooManyRequests
		}
		if !limited {
			t.Fatal("client 198.51.100.1 was never limited with burst 2")
		}
		a, err := do(hc, url, "198.51.100.2", "alice", "s3cret")
		if err != nil {
			t.Fatal(err)
		}
		if a.status != http.StatusOK {
			t.Fatalf("another client was limited too: %d (the bucket must be per client IP)", a.status)
		}
	})

	t.Run("inFlightReq caps concurrent requests per client", func(t *testing.T) {
		first := make(chan answer, 1)
		go func() {
			a, err := do(proxy.Client(roots, 0), url+"/hold", "198.51.100.3", "alice", "s3cret")
			if err != nil {
				a.body = err.Error()
			}
			first <- a
		}()
		select {
		case <-backend.Held:
		case <-time.After(20 * time.Second):
			t.Fatal("the held request never reached the backend")
		}
		a, err := do(hc, url, "198.51.100.3", "alice", "s3cret")
		if err != nil {
			t.Fatal(err)
		}
		if a.status != http.StatusTooManyRequests {
			t.Errorf("a second concurrent request from the same client: %d, want 429", a.status)
		}
		b, err := do(hc, url, "198.51.100.4", "alice", "s3cret")
		if err != nil {
			t.Fatal(err)
		}
		if b.status != http.StatusOK {
			t.Errorf("another client: %d, want 200", b.status)
		}
		backend.Release()
		select {
		case a := <-first:
			if a.status != http.StatusOK {
				t.Errorf("the held request: %d %q", a.status, a.body)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("the held request did not finish after release")
		}
	})
}
