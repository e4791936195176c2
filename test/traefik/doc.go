// Package traefik runs a real Traefik proxy (built from its Go module into
// bin/ by hack/build-tools.sh traefik) against a test control plane, so that
// the edge the operator writes — IngressRoutes, Middlewares, the TLSOption —
// is proven by the proxy that reads it, not by reading our own YAML back.
//
// Traefik runs with its Kubernetes CRD provider on the envtest apiserver
// (through a kubeconfig file named by KUBECONFIG), its entry points on free
// loopback ports. No kubelet runs, so a backend is published through an
// EndpointSlice of addressType FQDN whose address is 127.0.0.1: the apiserver
// rejects loopback IPv4 endpoints, accepts the FQDN form, and Traefik dials it.
//
// The tests in this package start the operator's reconciler in-process on a
// GitHubMCPServer and assert what a client sees through Traefik.
package traefik
