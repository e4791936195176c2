// Package e2e is the end-to-end suite for users with Docker: it creates a
// kind cluster with Calico (a CNI that enforces NetworkPolicy; kind's
// default kindnet does not), installs Traefik and cert-manager with Helm,
// loads the two images built from the Dockerfile, deploys the operator from
// config/default and a GitHubMCPServer, and checks from outside what the
// unit and envtest suites can only check on paper: the server runs as UID
// 1001 on a read-only root filesystem, answers MCP through Traefik, and
// cannot be reached directly from another namespace.
//
// It is behind the build tag e2e and runs with `make test-e2e`; `make test`
// only vets it (go vet -tags e2e ./test/...). See docs/demo.md.
package e2e
