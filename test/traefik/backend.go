package traefik

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// BackendBody is what the test backend answers, so a test can tell the
// backend's answer from one Traefik made up.
const BackendBody = "backend-ok"

// Backend is a local HTTP server standing in for the MCP server's pod.
type Backend struct {
	Port int
	srv  *http.Server
	// Held receives once for each request to a path ending in /hold, which
	// then waits until Release (to test concurrency caps).
	Held    chan struct{}
	mu      sync.Mutex
	release chan struct{}
}

// AuthSeen is appended to the answer when the request still carried an
// Authorization header (basic auth must strip it).
const AuthSeen = " authorization-seen"

// StartBackend serves BackendBody plus the request path on a free loopback
// port until Close.
func StartBackend() (*Backend, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &Backend{Port: l.Addr().(*net.TCPAddr).Port, Held: make(chan struct{}, 16), release: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/hold") {
			b.mu.Lock()
			release := b.release
			b.mu.Unlock()
			b.Held <- struct{}{}
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "%s %s", BackendBody, r.URL.Path) //nolint:gosec // G705: a text/plain echo read by tests, never by a browser
		if r.Header.Get("Authorization") != "" {
			fmt.Fprint(w, AuthSeen)
		}
	})
	// Only our tests and Traefik connect, but a stuck client must not pin a
	// connection while headers trickle in.
	b.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = b.srv.Serve(l) }()
	return b, nil
}

// Release lets every held request finish; later ones are held again.
func (b *Backend) Release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.release)
	b.release = make(chan struct{})
}

// Close stops the backend.
func (b *Backend) Close() error { return b.srv.Shutdown(context.Background()) }

// PublishEndpoint makes the Service svc resolve to this backend; see
// PublishEndpoint.
func (b *Backend) PublishEndpoint(ctx context.Context, c client.Client, svc *corev1.Service, portName string) error {
	return PublishEndpoint(ctx, c, svc, portName, b.Port)
}

// PublishEndpoint makes the Service svc (in its namespace) resolve to
// 127.0.0.1:port: an EndpointSlice of addressType FQDN with address 127.0.0.1
// (the apiserver rejects loopback IPv4 addresses, not this form), labelled
// with the Service name, its port named like the Service's port portName. It
// carries no endpointslice.kubernetes.io/managed-by label, so no controller
// would claim it.
func PublishEndpoint(ctx context.Context, c client.Client, svc *corev1.Service, portName string, port int) error {
	if port < 1 || port > 65535 {
		return fmt.Errorf("publishing an endpoint for %s: port %d is not a TCP port", svc.Name, port)
	}
	es := &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{
			Name:      svc.Name + "-test-backend",
			Namespace: svc.Namespace,
			Labels:    map[string]string{discoveryv1.LabelServiceName: svc.Name},
		},
		AddressType: discoveryv1.AddressTypeFQDN,
		Endpoints: []discoveryv1.Endpoint{{
			Addresses:  []string{"127.0.0.1"},
			Conditions: discoveryv1.EndpointConditions{Ready: ptr.To(true), Serving: ptr.To(true)},
		}},
		Ports: []discoveryv1.EndpointPort{{
			Name:     ptr.To(portName),
			Port:     ptr.To(int32(port)),
			Protocol: ptr.To(corev1.ProtocolTCP),
		}},
	}
	if err := c.Create(ctx, es); err != nil {
		return fmt.Errorf("creating EndpointSlice for %s on port %s: %w", svc.Name, strconv.Itoa(port), err)
	}
	return nil
}
