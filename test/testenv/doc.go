// Package testenv starts a real Kubernetes control plane for tests: a
// kube-apiserver and etcd built from Go modules by hack/build-tools.sh (no
// download, see AGENTS.md), with our CRDs and, unless asked not to, the real
// Traefik and cert-manager CRDs read from the Go module cache.
//
// Start it once per test package, from TestMain or a Ginkgo BeforeSuite:
//
//	env, err := testenv.Start(testenv.Options{Scheme: scheme})
//	...
//	defer env.Stop()
//
// The apiserver runs with its default admission plugins, so Pod Security
// admission is real: a namespace labelled
// pod-security.kubernetes.io/enforce=restricted rejects a weak pod.
package testenv
