package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"

	"github.com/github-mcp-operator/github-mcp-operator/config/argocd"
)

// TestDemoOnce runs the demo end to end in --once mode, as `make demo-once`
// and CI do, and checks more than the demo itself waits for: kstatus reads
// the live CR as Current, the report shows what a user needs, and deleting
// the CR garbage-collects the Deployment the operator created.
func TestDemoOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	var out bytes.Buffer
	var workdir string
	err := run(ctx, options{
		Once:         true,
		ReadyTimeout: 3 * time.Minute,
		Out:          &out,
		Log:          os.Stderr,
		AfterReady: func(ctx context.Context, d *demo) error {
			workdir = d.workdir
			return checkLiveDemo(ctx, d)
		},
	})
	if err != nil {
		t.Fatalf("demo --once: %v\noutput so far:\n%s", err, out.String())
	}
	report := out.String()
	for _, want := range []string{
		"### The GitHubMCPServer",
		"URL: https://" + sampleHost,
		"Ready  ", // the Ready condition's row
		"### Every object in namespace " + sampleNamespace,
		"deployment.apps/" + sampleName,
		"networkpolicy.networking.k8s.io/",
		"### The NetworkPolicies",
		"readOnlyRootFilesystem: true",
		"runAsNonRoot: true",
		"defaultMode: 0400", // the credential file, never an env var
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	// Teardown removed the work directory with everything in it.
	if workdir == "" {
		t.Fatal("AfterReady never ran")
	}
	if _, err := os.Stat(workdir); !os.IsNotExist(err) {
		t.Errorf("work directory %s survived the demo (stat: %v)", workdir, err)
	}
}

// checkLiveDemo runs against the demo's cluster before teardown.
func checkLiveDemo(ctx context.Context, d *demo) error {
	c := d.cluster
	raw, err := c.kubectlOutput(ctx, "get", "ghmcp", sampleName, "-n", sampleNamespace, "-o", "json", "--show-managed-fields")
	if err != nil {
		return err
	}
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(raw); err != nil {
		return err
	}
	res, err := status.Compute(u)
	if err != nil {
		return err
	}
	if res.Status != status.CurrentStatus {
		return fmt.Errorf("kstatus of the Ready CR is %s (%s), want Current", res.Status, res.Message)
	}
	// The operator never writes spec (Argo CD and Flux would see a diff
	// they did not make): only the demo's own apply owns spec fields.
	ownsSpec := false
	for _, mf := range u.GetManagedFields() {
		if mf.FieldsV1 == nil || !strings.Contains(mf.FieldsV1.GetRawString(), `"f:spec"`) {
			continue
		}
		if mf.Manager != "ghmcp-demo" {
			return fmt.Errorf("field manager %q (%s) owns spec fields of the CR", mf.Manager, mf.Operation)
		}
		ownsSpec = true
	}
	if !ownsSpec {
		return fmt.Errorf("no field manager owns the CR's spec: managedFields are missing, so the check above proves nothing")
	}
	// And Argo CD, through the shipped health check, calls it Healthy.
	h, err := argocd.Evaluate(u.Object)
	if err != nil {
		return err
	}
	if h.Status != "Healthy" {
		return fmt.Errorf("the Argo CD health of the Ready CR is %s (%s), want Healthy", h.Status, h.Message)
	}
	if !d.operator.running() {
		return fmt.Errorf("the operator exited:\n%s", d.operator.tail(40))
	}
	// The operator really ran as its ServiceAccount, with config/rbac's
	// least-privilege role: it may create Deployments, not Pods, and not
	// write Secrets. (A repeated --kubeconfig: kubectl takes the last.)
	who, err := c.kubectlOutput(ctx, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}", "--kubeconfig", d.operatorKubeconfig)
	if err != nil {
		return err
	}
	if string(who) != operatorServiceAccount {
		return fmt.Errorf("the operator ran as %q, want %s", who, operatorServiceAccount)
	}
	for _, check := range []struct{ verb, resource, want string }{
		{"create", "deployments.apps", "yes"},
		{"create", "pods", "no"},
		{"update", "secrets", "no"},
		{"delete", "githubmcpservers.mcp.githubmcp.dev", "no"},
	} {
		out, _ := c.kubectlOutput(ctx, "auth", "can-i", check.verb, check.resource, "-n", sampleNamespace, "--as", operatorServiceAccount)
		if got := strings.TrimSpace(string(out)); got != check.want {
			return fmt.Errorf("can the operator %s %s? %q, want %q", check.verb, check.resource, got, check.want)
		}
	}
	// The Deployment is Available and its pod Running on the kwok node.
	if err := c.kubectl(ctx, nil, "wait", "-n", sampleNamespace, "--for=condition=Available", "deployment/"+sampleName, "--timeout=30s"); err != nil {
		return err
	}
	// The emergency stop, seen by the GitOps tools on the live object: once
	// the operator has observed spec.suspend, Argo CD shows Suspended; after
	// resuming, the CR is Ready and Healthy again.
	if err := c.kubectl(ctx, nil, "patch", "ghmcp", sampleName, "-n", sampleNamespace, "--type=merge", "-p", `{"spec":{"suspend":true}}`); err != nil {
		return err
	}
	if err := waitHealth(ctx, c, "Suspended"); err != nil {
		return err
	}
	if err := c.kubectl(ctx, nil, "patch", "ghmcp", sampleName, "-n", sampleNamespace, "--type=merge", "-p", `{"spec":{"suspend":false}}`); err != nil {
		return err
	}
	if err := waitHealth(ctx, c, "Healthy"); err != nil {
		return err
	}
	// Deleting the CR garbage-collects what it owns (owner references).
	if err := c.kubectl(ctx, nil, "delete", "ghmcp", sampleName, "-n", sampleNamespace, "--wait=true", "--timeout=60s"); err != nil {
		return err
	}
	if err := c.kubectl(ctx, nil, "wait", "-n", sampleNamespace, "--for=delete", "deployment/"+sampleName, "--timeout=90s"); err != nil {
		return fmt.Errorf("the Deployment outlived its GitHubMCPServer: %w", err)
	}
	return nil
}

// TestDemoStalled breaks the sample (its API-key Secret is left out) and
// expects the demo to fail fast with the operator's Stalled message instead
// of waiting out its timeout, and to clean up all the same.
func TestDemoStalled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	var out bytes.Buffer
	inspected := false
	err := run(ctx, options{
		Once:         true,
		ReadyTimeout: 3 * time.Minute,
		Out:          &out,
		Log:          io.Discard,
		EditManifest: func(m []byte) []byte {
			docs := strings.Split(string(m), "\n---\n")
			kept := docs[:0]
			for _, d := range docs {
				if !strings.Contains(d, "name: mcp-api-keys\n  namespace:") {
					kept = append(kept, d)
				}
			}
			if len(kept) != len(docs)-1 {
				t.Fatalf("the sample has no mcp-api-keys Secret to leave out")
			}
			return []byte(strings.Join(kept, "\n---\n"))
		},
		AfterReady: func(context.Context, *demo) error {
			t.Error("the broken sample became Ready")
			return nil
		},
		// The stalled CR, live: kstatus says Failed, Argo CD Degraded.
		UpFailed: func(ctx context.Context, d *demo) {
			inspected = true
			raw, err := d.cluster.kubectlOutput(ctx, "get", "ghmcp", sampleName, "-n", sampleNamespace, "-o", "json")
			if err != nil {
				t.Error(err)
				return
			}
			u := &unstructured.Unstructured{}
			if err := u.UnmarshalJSON(raw); err != nil {
				t.Error(err)
				return
			}
			if res, err := status.Compute(u); err != nil || res.Status != status.FailedStatus {
				t.Errorf("kstatus of the stalled CR: %v %v, want Failed", res, err)
			}
			if h, err := argocd.Evaluate(u.Object); err != nil || h.Status != "Degraded" {
				t.Errorf("Argo CD health of the stalled CR: %+v %v, want Degraded", h, err)
			}
		},
	})
	if err == nil {
		t.Fatal("the demo succeeded with a missing Secret")
	}
	if !inspected {
		t.Error("UpFailed never ran")
	}
	if !strings.Contains(err.Error(), "Stalled") || !strings.Contains(err.Error(), "mcp-api-keys") {
		t.Errorf("want a Stalled error naming the Secret mcp-api-keys, got: %v", err)
	}
}

// waitHealth polls the live CR until the operator has observed its latest
// generation and Argo CD's health check returns want; bounded to a minute.
func waitHealth(ctx context.Context, c *cluster, want string) error {
	var last string
	for range 60 {
		raw, err := c.kubectlOutput(ctx, "get", "ghmcp", sampleName, "-n", sampleNamespace, "-o", "json")
		if err != nil {
			return err
		}
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(raw); err != nil {
			return err
		}
		observed, _, _ := unstructured.NestedInt64(u.Object, "status", "observedGeneration")
		h, err := argocd.Evaluate(u.Object)
		if err != nil {
			return err
		}
		if observed == u.GetGeneration() && h.Status == want {
			return nil
		}
		last = h.Status + ": " + h.Message
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
	return fmt.Errorf("the Argo CD health never became %s; last %s", want, last)
}
