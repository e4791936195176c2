// Package namespaced proves the namespace-scoped install (config/namespaced):
// with only the RBAC that overlay grants, and --watch-namespaces taken from
// its Deployment, the operator reconciles GitHubMCPServers in the watched
// namespace, leaves the others alone, and cannot even read Secrets there.
package namespaced
