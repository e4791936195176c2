package builders_test

import (
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
)

// GitHubPort takes the port from spec.github.host, 443 by default, and
// refuses one that is not a TCP port.
func TestGitHubPort(t *testing.T) {
	for host, want := range map[string]int32{
		"":                                     443,
		"https://ghe.example.test":             443,
		"https://ghe.example.test:8443":        8443,
		"https://ghe.example.test:1":           1,
		"https://ghe.example.test:65535":       65535,
		"https://ghe.example.test:0":           -1,
		"https://ghe.example.test:65536":       -1,
		"https://ghe.example.test:99999999999": -1,
		"http://ghe.example.test:80":           -1,
	} {
		cr := tokenCR()
		cr.Spec.GitHub.Host = host
		got, err := builders.GitHubPort(cr)
		switch {
		case want < 0 && err == nil:
			t.Errorf("%q: port %d accepted", host, got)
		case want >= 0 && (err != nil || got != want):
			t.Errorf("%q: got %d, %v; want %d", host, got, err, want)
		}
	}
}
