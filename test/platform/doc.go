// Package platform proves the test platform itself is real: the apiserver
// built from Go modules answers, our CRD is established next to the real
// Traefik and cert-manager CRDs, and Pod Security admission enforces the
// restricted profile. If these fail, every other envtest-based test is moot.
package platform
