package app_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app/apptest"
)

func rawPost(t *testing.T, url string, hdr http.Header) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestFrontFlagsWired checks that the front's flags reach the front:
// trusted proxies, ban threshold, the deny-list file and an audit file.
func TestFrontFlagsWired(t *testing.T) {
	dir := t.TempDir()
	denyFile := filepath.Join(dir, "deny")
	auditFile := filepath.Join(dir, "audit.log")
	if err := os.WriteFile(denyFile, []byte("# none yet\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := apptest.Start(t, apptest.Options{Args: []string{
		"--" + pc.FlagTrustedProxies + "=127.0.0.1",
		"--" + pc.FlagBanThreshold + "=3",
		"--" + pc.FlagDenyCIDRsFile + "=" + denyFile,
		"--" + pc.FlagDenyCIDRs + "=203.0.113.0/24",
		"--" + pc.FlagAuditLog + "=" + auditFile,
	}})
	from := func(ip, key string) http.Header {
		h := http.Header{"X-Forwarded-For": {ip}}
		if key != "" {
			h.Set("Authorization", "Bearer "+key)
		}
		return h
	}
	if got := rawPost(t, s.MCPURL, from("198.51.100.1", apptest.APIKey)); got != http.StatusOK {
		t.Fatalf("good request: %d", got)
	}
	for i := 0; i < 3; i++ {
		rawPost(t, s.MCPURL, from("198.51.100.2", "mcpk_wrong_key_for_the_ban_test_0000000"))
	}
	if got := rawPost(t, s.MCPURL, from("198.51.100.2", apptest.APIKey)); got != http.StatusForbidden {
		t.Fatalf("--ban-threshold=3 not applied: %d", got)
	}
	if got := rawPost(t, s.MCPURL, from("203.0.113.9", apptest.APIKey)); got != http.StatusForbidden {
		t.Fatalf("--deny-cidrs not applied: %d", got)
	}
	// The deny file is re-read on change (polled every 20ms under apptest).
	if err := os.WriteFile(denyFile, []byte("198.51.100.3/32\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	denied := false
	for i := 0; i < 200 && !denied; i++ {
		denied = rawPost(t, s.MCPURL, from("198.51.100.3", apptest.APIKey)) == http.StatusForbidden
		if !denied {
			waitABit()
		}
	}
	if !denied {
		t.Fatal("--deny-cidrs-file change not picked up")
	}
	s.Stop()
	b, err := os.ReadFile(auditFile)
	if err != nil {
		t.Fatal(err)
	}
	audit := string(b)
	for _, want := range []string{`"client_ip":"198.51.100.1"`, `"outcome":"banned"`, `"outcome":"deny_cidr"`, `"outcome":"unauthenticated"`} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit file lacks %s", want)
		}
	}
	if strings.Contains(s.Audit.String(), `"kind":"http"`) {
		t.Error("audit lines went to stdout despite --audit-log=<file>")
	}
	if strings.Contains(audit, apptest.APIKey) || strings.Contains(audit, "mcpk_wrong_key") {
		t.Error("a key in the audit file")
	}
	s.LeakCheck(t, "mcpk_wrong_key_for_the_ban_test_0000000")
}

// waitABit paces a bounded polling loop (apptest's file watcher polls
// every 20ms; the bound leaves a loaded machine ample room).
func waitABit() { time.Sleep(50 * time.Millisecond) }
