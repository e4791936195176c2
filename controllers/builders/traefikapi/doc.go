// Package traefikapi is the subset of Traefik's traefik.io/v1alpha1 API the
// operator writes: IngressRoute, Middleware and TLSOption, with exactly the
// fields it sets and Traefik's JSON names.
//
// Why not import Traefik's own types
// (github.com/traefik/traefik/v3/pkg/provider/kubernetes/crd/traefikio/v1alpha1)?
// They pull in Traefik's dynamic-configuration package and through it an old
// go-github that needs golang.org/x/crypto/openpgp, which the x/crypto this
// module must use no longer has: the package does not build here. The field
// names are checked where it matters: every object is applied with strict
// field validation to the real Traefik CRDs in the tests, and read by a real
// Traefik (test/traefik).
//
// +kubebuilder:skip keeps `make manifests` (the CRD generator runs over
// ./controllers/...) from emitting CRDs for Traefik's kinds.
//
// +kubebuilder:skip
// +kubebuilder:object:generate=true
package traefikapi
