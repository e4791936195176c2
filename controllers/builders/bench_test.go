package builders_test

import (
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
)

// BenchmarkDesired measures building every object of a fully configured CR,
// which each reconcile pass does once.
func BenchmarkDesired(b *testing.B) {
	cr := appCR()
	in := builders.Inputs{Features: builders.Features{Traefik: true, CertManager: true, ServiceMonitor: true}, SecretVersions: inputs.SecretVersions}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := builders.Desired(cr, in); err != nil {
			b.Fatal(err)
		}
	}
}
