package traefik

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// securityHeaders are the headers every answer must carry, Traefik's own
// 429 and 403 included.
var securityHeaders = map[string]string{
	"Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
	"X-Frame-Options":           "DENY",
	"X-Content-Type-Options":    "nosniff",
	"X-Xss-Protection":          "1; mode=block",
	"Content-Security-Policy":   builders.DefaultContentSecurityPolicy,
	"Referrer-Policy":           "strict-origin-when-cross-origin",
}

func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	for k, want := range securityHeaders {
		if got := h.Get(k); got != want {
			t.Errorf("%s: header %s = %q, want %q", what, k, got, want)
		}
	}
}

// poll calls f until it returns nil, at most n times, 200ms apart.
// createPublished creates cr, waits for the operator to create its Service
// and, as there is no kubelet, publishes 127.0.0.1:port as the Service's
// MCP endpoint.
func createPublished(t *testing.T, ctx context.Context, cr *v1alpha1.GitHubMCPServer, port int) {
	t.Helper()
	c := env.Client
	if err := c.Create(ctx, cr); err != nil {
		t.Fatal(err)
	}
	svc := &corev1.Service{}
	poll(t, "the operator creates the Service", 150, func() error {
		return c.Get(ctx, client.ObjectKey{Namespace: cr.Namespace, Name: builders.ServiceName(cr)}, svc)
	})
	if err := PublishEndpoint(ctx, c, svc, podcontract.MCPPortName, port); err != nil {
		t.Fatal(err)
	}
}

func poll(t *testing.T, what string, n int, f func() error) {
	t.Helper()
	var err error
	for i := 0; i < n; i++ {
		if err = f(); err == nil {
			return
		}
		select {
		case <-mgrDone:
			t.Fatalf("the operator stopped: %v", mgrErr)
		case <-time.After(200 * time.Millisecond):
		}
	}
	t.Fatalf("%s: %v\n%s", what, err, proxy.LogTail(30))
}

type answer struct {
	status int
	header http.Header
	body   string
}

func get(c *http.Client, url string) (answer, error) {
	resp, err := c.Get(url)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return answer{resp.StatusCode, resp.Header, string(b)}, err
}

// TestEdgeThroughRealTraefik reconciles one CR with the operator and checks,
// through a real Traefik, everything a client of the edge sees. The steps
// share state and run in order: the rate limit is exhausted late, then the
// allow list is narrowed, then the server is suspended.
func TestEdgeThroughRealTraefik(t *testing.T) {
	ctx := context.Background()
	c := env.Client
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "edge-"}}
	if err := c.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	// A host per run, so repeated runs (-count) never share a route.
	host := ns.Name + ".edge.test"
	certPEM, keyPEM, roots, err := SelfSigned(host)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*corev1.Secret{
		{ObjectMeta: metav1.ObjectMeta{Name: "github-pat", Namespace: ns.Name}, StringData: map[string]string{"token": "not-a-token"}},
		{ObjectMeta: metav1.ObjectMeta{Name: "mcp-tls", Namespace: ns.Name}, Type: corev1.SecretTypeTLS,
			Data: map[string][]byte{corev1.TLSCertKey: certPEM, corev1.TLSPrivateKeyKey: keyPEM}},
	} {
		if err := c.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	cr := &v1alpha1.GitHubMCPServer{
		ObjectMeta: metav1.ObjectMeta{Name: "edge", Namespace: ns.Name},
		Spec: v1alpha1.GitHubMCPServerSpec{
			GitHub:     v1alpha1.GitHubSpec{Auth: v1alpha1.GitHubAuth{Token: &v1alpha1.TokenAuth{SecretRef: v1alpha1.SecretKeyRef{Name: "github-pat", Key: "token"}}}},
			ClientAuth: v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthOIDC, OIDC: &v1alpha1.OIDCSpec{Issuer: "https://issuer.example.com"}},
			Ingress: &v1alpha1.IngressSpec{
				Host: host, Path: "/mcp",
				// A slow refill (10 a minute) so the burst test is not
				// raced by new tokens; bursts of 5.
				RateLimit:   &v1alpha1.RateLimitSpec{Average: 10, Period: "1m", Burst: 5},
				IPAllowList: &v1alpha1.IPAllowListSpec{SourceRange: []string{"127.0.0.1/32"}},
			},
			TLS: &v1alpha1.TLSSpec{SecretName: "mcp-tls"},
		},
	}
	createPublished(t, ctx, cr, backend.Port)

	hc := proxy.Client(roots, 0)
	mcpURL := "https://" + host + "/mcp"
	var ok answer
	poll(t, "HTTPS through Traefik reaches the backend", 300, func() error {
		a, err := get(hc, mcpURL)
		if err != nil {
			return err
		}
		if a.status != http.StatusOK || !strings.Contains(a.body, BackendBody+" /mcp") {
			return fmt.Errorf("got %d %q", a.status, a.body)
		}
		ok = a
		return nil
	})

	t.Run("https answer carries every security header", func(t *testing.T) {
		checkSecurityHeaders(t, "200", ok.header)
	})

	t.Run("only the MCP path is routed", func(t *testing.T) {
		a, err := get(hc, "https://"+host+"/mcpx")
		if err != nil {
			t.Fatal(err)
		}
		if a.status != http.StatusNotFound || strings.Contains(a.body, BackendBody) {
			t.Fatalf("/mcpx: got %d %q, want Traefik's 404", a.status, a.body)
		}
	})

	t.Run("protected-resource metadata is routed with oidc", func(t *testing.T) {
		a, err := get(hc, "https://"+host+podcontract.ProtectedResourcePath)
		if err != nil {
			t.Fatal(err)
		}
		if a.status != http.StatusOK || !strings.Contains(a.body, BackendBody+" "+podcontract.ProtectedResourcePath) {
			t.Fatalf("got %d %q", a.status, a.body)
		}
	})

	t.Run("http redirects to https", func(t *testing.T) {
		a, err := get(hc, "http://"+host+"/mcp")
		if err != nil {
			t.Fatal(err)
		}
		if a.status != http.StatusMovedPermanently && a.status != http.StatusPermanentRedirect {
			t.Fatalf("got %d, want a permanent redirect", a.status)
		}
		if loc := a.header.Get("Location"); loc != mcpURL {
			t.Fatalf("Location %q, want %q", loc, mcpURL)
		}
		if strings.Contains(a.body, BackendBody) {
			t.Fatal("the redirect route reached the backend")
		}
	})

	t.Run("TLS 1.2 refused, TLS 1.3 accepted", func(t *testing.T) {
		// Refused for its version, not for something else (SNI, trust, a
		// closed port), which would make this pass for the wrong reason.
		if v, err := proxy.HandshakeVersion(host, roots, tls.VersionTLS12, tls.VersionTLS12); err == nil || !strings.Contains(err.Error(), "protocol version") {
			t.Fatalf("want a TLS 1.2 handshake refused with a protocol-version alert, got version %x, %v", v, err)
		}
		v, err := proxy.HandshakeVersion(host, roots, tls.VersionTLS13, tls.VersionTLS13)
		if err != nil || v != tls.VersionTLS13 {
			t.Fatalf("TLS 1.3 handshake: version %x, %v", v, err)
		}
	})

	t.Run("no disabled router", func(t *testing.T) {
		rs, err := proxy.Routers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ours := 0
		for _, r := range rs {
			if r.Status == "disabled" {
				t.Errorf("router %s is disabled: %v", r.Name, r.Errors)
			}
			if r.Provider == "kubernetescrd" && strings.HasPrefix(r.Name, ns.Name+"-edge") {
				ours++
			}
		}
		if ours != 3 {
			t.Errorf("want 3 routers of ours (mcp, metadata, redirect), got %d in %+v", ours, rs)
		}
	})

	t.Run("a burst beyond burst gets 429 with Retry-After and the headers", func(t *testing.T) {
		var limited *answer
		passed := 0
		for i := 0; i < 15 && limited == nil; i++ {
			a, err := get(hc, mcpURL)
			if err != nil {
				t.Fatal(err)
			}
			switch a.status {
			case http.StatusOK:
				passed++
			case http.StatusTooManyRequests:
				limited = &a
			default:
				t.Fatalf("request %d: unexpected %d %q", i, a.status, a.body)
			}
		}
		if limited == nil {
			t.Fatalf("15 requests passed a burst of 5")
		}
		if passed > 5 {
			t.Errorf("%d requests passed a burst of 5", passed)
		}
		if limited.header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		checkSecurityHeaders(t, "429", limited.header)
	})

	t.Run("ipAllowList blocks an address outside it", func(t *testing.T) {
		patch := []byte(`{"spec":{"ingress":{"ipAllowList":{"sourceRange":["192.0.2.0/24"]}}}}`)
		if err := c.Patch(ctx, cr, client.RawPatch(types.MergePatchType, patch)); err != nil {
			t.Fatal(err)
		}
		poll(t, "127.0.0.1 is refused once outside the allow list", 150, func() error {
			a, err := get(hc, mcpURL)
			if err != nil {
				return err
			}
			if a.status != http.StatusForbidden {
				return fmt.Errorf("got %d", a.status)
			}
			checkSecurityHeaders(t, "403", a.header)
			return nil
		})
	})

	t.Run("suspend withdraws the route", func(t *testing.T) {
		if err := c.Patch(ctx, cr, client.RawPatch(types.MergePatchType, []byte(`{"spec":{"suspend":true}}`))); err != nil {
			t.Fatal(err)
		}
		poll(t, "Traefik drops our routers", 150, func() error {
			rs, err := proxy.Routers(ctx)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if strings.HasPrefix(r.Name, ns.Name+"-edge") {
					return fmt.Errorf("router %s still served", r.Name)
				}
			}
			return nil
		})
		_, err := get(hc, mcpURL)
		// With the route gone no certificate matches the SNI, so sniStrict
		// refuses the handshake; either way nothing reaches the backend.
		if err == nil {
			a, _ := get(hc, mcpURL)
			if a.status != http.StatusNotFound {
				t.Fatalf("after suspend: got %d %q", a.status, a.body)
			}
		} else if !isTLSRefusal(err) {
			t.Fatalf("after suspend: %v", err)
		}
	})
}

func isTLSRefusal(err error) bool {
	var re tls.RecordHeaderError
	return errors.As(err, &re) || strings.Contains(err.Error(), "tls") || strings.Contains(err.Error(), "remote error")
}

var errNotYet = errors.New("not yet")
