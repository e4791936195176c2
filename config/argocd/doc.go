// Package argocd is the Argo CD integration: health.lua (the health check
// for GitHubMCPServer), argocd-cm.yaml (the snippet that installs it) and
// application.yaml (Application examples). Its Go code runs the script the
// way Argo CD does, with the same Lua interpreter and library set, so tests
// here (against the fixtures in testdata/) and elsewhere (against live
// objects, see hack/demo) can ask what Argo CD would show. The kstatus test
// in test/gitops reads the same fixtures.
package argocd
