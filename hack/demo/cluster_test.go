package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/hack/repopaths"
)

// startTestCluster starts a kwok cluster in a temporary work directory and
// stops it when the test ends.
func startTestCluster(t *testing.T, ctx context.Context) *cluster {
	t.Helper()
	root, err := repopaths.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	tl, err := ensureTools(ctx, root, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{t: tl, workdir: t.TempDir(), log: os.Stderr}
	t.Cleanup(func() {
		if err := c.stop(); err != nil {
			t.Errorf("stopping the cluster: %v", err)
		}
	})
	if err := c.start(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

// hardenedWorkload is a restricted-compliant Deployment owned by a
// ConfigMap, in a namespace that enforces Pod Security restricted.
const hardenedWorkload = `apiVersion: v1
kind: Namespace
metadata:
  name: basics
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: owner
  namespace: basics
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: basics
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1001
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: web
        image: example.invalid/web:1
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL]}
`

// TestClusterBasics proves the demo's cluster behaves like a real one where
// the operator relies on it: Pod Security restricted is enforced, a
// Deployment becomes Available with Running pods on the simulated node, and
// garbage collection follows owner references.
func TestClusterBasics(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c := startTestCluster(t, ctx)

	if err := c.apply(ctx, []byte(hardenedWorkload)); err != nil {
		t.Fatal(err)
	}
	if err := c.kubectl(ctx, nil, "wait", "-n", "basics", "--for=condition=Available", "deployment/web", "--timeout=90s"); err != nil {
		t.Fatal(err)
	}
	phases, err := c.kubectlOutput(ctx, "get", "pods", "-n", "basics", "-l", "app=web", "-o", "jsonpath={.items[*].status.phase}")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Fields(string(phases)); len(got) != 2 || got[0] != "Running" || got[1] != "Running" {
		t.Errorf("pod phases %q, want two Running", got)
	}

	// A privileged pod is rejected by Pod Security admission.
	err = c.apply(ctx, []byte(`apiVersion: v1
kind: Pod
metadata:
  name: root
  namespace: basics
spec:
  containers:
  - name: c
    image: example.invalid/root:1
    securityContext:
      privileged: true
`))
	if err == nil || !strings.Contains(err.Error(), "violates PodSecurity") {
		t.Errorf("a privileged pod in a restricted namespace: got %v, want a PodSecurity rejection", err)
	}

	// Make the ConfigMap own the Deployment, delete the ConfigMap, and the
	// garbage collector removes the Deployment.
	uid, err := c.kubectlOutput(ctx, "get", "configmap", "owner", "-n", "basics", "-o", "jsonpath={.metadata.uid}")
	if err != nil {
		t.Fatal(err)
	}
	patch := `{"metadata":{"ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"` + string(uid) + `"}]}}`
	if err := c.kubectl(ctx, nil, "patch", "deployment", "web", "-n", "basics", "--type=merge", "-p", patch); err != nil {
		t.Fatal(err)
	}
	if err := c.kubectl(ctx, nil, "delete", "configmap", "owner", "-n", "basics", "--wait=true"); err != nil {
		t.Fatal(err)
	}
	if err := c.kubectl(ctx, nil, "wait", "-n", "basics", "--for=delete", "deployment/web", "--timeout=90s"); err != nil {
		t.Errorf("the owned Deployment was not garbage-collected: %v", err)
	}
}
