// Command demo is the README's first command (`make demo`): on a machine
// that has only Go, it shows a GitHubMCPServer becoming Ready on a real
// Kubernetes control plane in a few minutes.
//
// It builds (or reuses) kube-apiserver, kube-controller-manager,
// kube-scheduler, kubectl, etcd and kwok under bin/, starts a cluster from
// them with kwokctl's binary runtime and one simulated node (kwok marks pods
// Running; no container runs), installs our CRDs and the Traefik and
// cert-manager CRDs from the Go module cache, starts the operator, applies a
// sample namespace (Pod Security restricted), Secrets and a GitHubMCPServer
// that uses a locally generated certificate (no ACME server is reachable),
// waits for Ready and prints what the operator produced.
//
// Then it keeps the cluster up and prints its kubeconfig until Ctrl-C;
// with --once (or DEMO_ONCE=1) it exits after printing. Everything it
// creates lives in one temporary directory, removed on exit, and every
// process it starts is stopped on exit.
package main
