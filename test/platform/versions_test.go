package platform

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/hack/repopaths"
)

// TestToolModulesPinTheVersionsEnvVersions: hack/build-tools.sh names each
// binary after hack/versions.env, but builds it from the tool module's
// go.mod. If the two disagree, bin/ would hold a binary whose name lies.
func TestToolModulesPinTheVersionsEnvVersions(t *testing.T) {
	v, err := repopaths.Versions(env.Root)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ dir, module, key string }{
		{"kube", "k8s.io/kubernetes", "KUBERNETES_VERSION"},
		{"etcd", "go.etcd.io/etcd/server/v3", "ETCD_VERSION"},
		{"kwok", "sigs.k8s.io/kwok", "KWOK_VERSION"},
		{"traefik", "github.com/traefik/traefik/v3", "TRAEFIK_VERSION"},
	} {
		data, err := os.ReadFile(filepath.Join(env.Root, "hack", "tools", c.dir, "go.mod"))
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`(?m)^\s*(?:require\s+)?` + regexp.QuoteMeta(c.module) + `\s+(v\S+)`).FindSubmatch(data)
		if m == nil {
			t.Errorf("hack/tools/%s/go.mod does not require %s", c.dir, c.module)
			continue
		}
		if got := string(m[1]); got != v[c.key] {
			t.Errorf("hack/tools/%s/go.mod pins %s %s, hack/versions.env says %s=%s", c.dir, c.module, got, c.key, v[c.key])
		}
	}
}
