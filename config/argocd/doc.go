// Package argocd holds no Go code of its own: it is the home of the Argo CD
// integration (health.lua, the argocd-cm snippet that installs it, and an
// Application example) and of the test that runs the health script the way
// Argo CD does, with the same Lua interpreter, against GitHubMCPServer
// fixtures in testdata/. The kstatus test in test/gitops reads the same
// fixtures, so Argo CD, Flux and kubectl are pinned to one set of examples.
package argocd
