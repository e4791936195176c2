// Package nocrds_test runs the operator against a control plane without the
// Traefik and cert-manager CRDs (a package of its own because the control
// plane is per package): the operator must start, never watch the absent
// kinds, and tell each CR that needs them what to install.
package nocrds_test
