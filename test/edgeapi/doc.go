// Package edgeapi checks the edge part of the GitHubMCPServer schema
// (spec.ingress's Traefik settings and spec.tls) and the cert-manager objects
// the operator builds for it, on a real kube-apiserver with the real Traefik
// and cert-manager CRDs: every CEL rule with one valid and one invalid
// object, and every Issuer/ClusterIssuer credential variant applied with
// strict field validation.
package edgeapi
