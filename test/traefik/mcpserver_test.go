package traefik

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app/apptest"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// bearer adds the client's API key to every request, as an MCP client
// configured with a key does.
type bearer struct {
	key  string
	next http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.key)
	return b.next.RoundTrip(r)
}

// TestRealMCPServerThroughTraefik: the real MCP server (in-process, against
// the local fake GitHub API) behind the routes the operator wrote; an MCP
// client (the Go SDK) initializes, lists and calls a tool through Traefik
// over TLS 1.3 with SNI, as a user's client would.
func TestRealMCPServerThroughTraefik(t *testing.T) {
	ctx := context.Background()
	c := env.Client
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "edge-mcp-"}}
	if err := c.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	host := ns.Name + ".edge.test"
	publicURL := "https://" + host + podcontract.DefaultMCPPath
	// The server listens on loopback, and Traefik forwards the public Host
	// to it there. The server's Host allow-list (the --public-url host)
	// accepts that on any socket; the MCP SDK's own loopback heuristic,
	// which would refuse it, is off once the list is in force.
	srv := apptest.Start(t, apptest.Options{Args: []string{
		"--" + podcontract.FlagPublicURL + "=" + publicURL,
		"--" + podcontract.FlagListen + "=127.0.0.1:0",
	}})
	srv.WaitReady(t)
	u, err := url.Parse(srv.MCPURL)
	if err != nil {
		t.Fatal(err)
	}
	_, portStr, _ := net.SplitHostPort(u.Host)
	port, err := strconv.Atoi(portStr)
	if err != nil {
		t.Fatal(err)
	}

	certPEM, keyPEM, roots, err := SelfSigned(host)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*corev1.Secret{
		{ObjectMeta: metav1.ObjectMeta{Name: "github-pat", Namespace: ns.Name}, StringData: map[string]string{"token": "not-a-token"}},
		{ObjectMeta: metav1.ObjectMeta{Name: "api-keys", Namespace: ns.Name}, StringData: map[string]string{"keys": "unused-by-this-test"}},
		{ObjectMeta: metav1.ObjectMeta{Name: "mcp-tls", Namespace: ns.Name}, Type: corev1.SecretTypeTLS,
			Data: map[string][]byte{corev1.TLSCertKey: certPEM, corev1.TLSPrivateKeyKey: keyPEM}},
	} {
		if err := c.Create(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	cr := &v1alpha1.GitHubMCPServer{
		ObjectMeta: metav1.ObjectMeta{Name: "mcp", Namespace: ns.Name},
		Spec: v1alpha1.GitHubMCPServerSpec{
			GitHub:     v1alpha1.GitHubSpec{Auth: v1alpha1.GitHubAuth{Token: &v1alpha1.TokenAuth{SecretRef: v1alpha1.SecretKeyRef{Name: "github-pat", Key: "token"}}}},
			ClientAuth: v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthAPIKeys, APIKeysSecretRef: &v1alpha1.SecretKeyRef{Name: "api-keys", Key: "keys"}},
			Ingress:    &v1alpha1.IngressSpec{Host: host},
			TLS:        &v1alpha1.TLSSpec{SecretName: "mcp-tls"},
		},
	}
	createPublished(t, ctx, cr, port)
	hc := proxy.Client(roots, 0)
	// Poll with the key: unauthenticated requests count towards the
	// server's own abuse ban (fail2ban's counterpart) and would get 429s.
	mcpHTTP := &http.Client{Transport: bearer{apptest.APIKey, hc.Transport}, CheckRedirect: hc.CheckRedirect}
	poll(t, "the route reaches the MCP server", 300, func() error {
		_, err := get(mcpHTTP, publicURL) // any answer from the server will do
		if err != nil {
			return err
		}
		rs, err := proxy.Routers(ctx)
		if err != nil {
			return err
		}
		for _, r := range rs {
			if r.Provider == "kubernetescrd" && r.Status == "enabled" && r.Service != "" && len(r.Name) > len(ns.Name) && r.Name[:len(ns.Name)] == ns.Name {
				return nil
			}
		}
		return errNotYet
	})
	var cs *mcp.ClientSession
	poll(t, "an MCP session through Traefik", 100, func() error {
		var err error
		cs, err = mcp.NewClient(&mcp.Implementation{Name: "edge-test", Version: "v0"}, nil).Connect(ctx,
			&mcp.StreamableClientTransport{Endpoint: publicURL, HTTPClient: mcpHTTP, MaxRetries: -1}, nil)
		return err
	})
	defer cs.Close()
	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatalf("tools/list through Traefik: %v\n%s", err, srv.Logs.String())
	}
	var names []string
	for _, tl := range tools.Tools {
		names = append(names, tl.Name)
	}
	if !slices.Contains(names, "get_me") {
		t.Fatalf("tools/list: %v, want get_me", names)
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "get_me"})
	if err != nil || res.IsError {
		t.Fatalf("get_me through Traefik: %+v, %v", res, err)
	}

	// Without the key the server itself refuses, and Traefik's security
	// headers are still on its answer.
	req, err := http.NewRequest(http.MethodPost, publicURL, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	if a.status != http.StatusUnauthorized {
		t.Fatalf("no key: %d %q", a.status, a.body)
	}
	checkSecurityHeaders(t, "401 from the server", a.header)
}
