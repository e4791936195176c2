// Package gitops holds the tests that pin how GitOps tools see this project:
// kstatus (what kubectl wait, Flux and cli-utils compute from a
// GitHubMCPServer's status) and the install manifests (config/default,
// rendered with kustomize and applied with server-side dry-run to a real
// apiserver). The Argo CD health check has its own test next to the script,
// in config/argocd; both read the fixtures in config/argocd/testdata.
package gitops
