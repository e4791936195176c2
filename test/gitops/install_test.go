package gitops

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/github-mcp-operator/github-mcp-operator/test/testenv"

	"github.com/github-mcp-operator/github-mcp-operator/hack/repopaths"
)

// installNamespace is where config/default puts the operator.
const installNamespace = "github-mcp-operator-system"

// renderInstall builds config/default exactly as `kubectl apply -k` and
// `make build-installer` do.
func renderInstall(t *testing.T, root string) []*unstructured.Unstructured {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resources, err := k.Run(filesys.MakeFsOnDisk(), filepath.Join(root, "config", "default"))
	if err != nil {
		t.Fatalf("kustomize build config/default: %v", err)
	}
	var objs []*unstructured.Unstructured
	for _, r := range resources.Resources() {
		// Through JSON, so numbers are int64/float64 as in any object read
		// from an apiserver (kustomize's own maps hold plain ints).
		j, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(j); err != nil {
			t.Fatalf("%s: %v", r.CurId(), err)
		}
		objs = append(objs, u)
	}
	return objs
}

// warnings collects the apiserver's warnings (deprecated APIs, Pod Security
// violations in audit/warn mode, unknown fields): an install that draws one
// is not clean.
type warnings struct {
	mu   sync.Mutex
	list []string
}

func (w *warnings) HandleWarningHeaderWithContext(_ context.Context, _ int, _ string, text string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.list = append(w.list, text)
}

func (w *warnings) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	l := w.list
	w.list = nil
	return l
}

// TestInstallDryRun renders config/default and applies every object with
// server-side apply in dry-run mode to a real apiserver. The apiserver runs
// its admission chain and schema validation, and server-side apply rejects
// fields a schema does not declare, so a typo or an invalid object fails
// here rather than on a user's cluster.
func TestInstallDryRun(t *testing.T) {
	root, err := repopaths.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	objs := renderInstall(t, root)
	checkInstallShape(t, objs)

	env, err := testenv.Start(testenv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := env.Stop(); err != nil {
			t.Error(err)
		}
	})
	w := &warnings{}
	cfg := rest.CopyConfig(env.Config)
	cfg.WarningHandlerWithContext = w
	c, err := client.New(cfg, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// Dry-run objects are not persisted, so the namespace everything else
	// lands in has to exist for real; it is part of the install anyway.
	for _, o := range objs {
		if o.GetKind() == "Namespace" {
			if err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(o.DeepCopy()), client.FieldOwner("install-test"), client.ForceOwnership); err != nil {
				t.Fatalf("applying %s: %v", describe(o), err)
			}
		}
	}
	for _, o := range objs {
		err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(o.DeepCopy()), client.FieldOwner("install-test"), client.ForceOwnership, client.DryRunAll)
		if err != nil {
			t.Errorf("server-side dry-run of %s rejected: %v", describe(o), err)
		}
		for _, msg := range w.take() {
			t.Errorf("server-side dry-run of %s drew a warning: %s", describe(o), msg)
		}
	}

	checkFixturesAdmitted(ctx, t, client.WithFieldValidation(c, client.FieldValidation(metav1.FieldValidationStrict)))

	// Deployments are admitted whatever their pods look like; Pod Security
	// admission judges pods. Dry-run a pod from the manager's template in the
	// install namespace, which config/manager labels restricted.
	for _, o := range objs {
		if o.GetKind() != "Deployment" {
			continue
		}
		var d appsv1.Deployment
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &d); err != nil {
			t.Fatal(err)
		}
		pod := &corev1.Pod{
			ObjectMeta: d.Spec.Template.ObjectMeta,
			Spec:       d.Spec.Template.Spec,
		}
		pod.Name, pod.Namespace = d.Name+"-psa-check", d.Namespace
		// The ServiceAccount exists only as a dry run, and the pod
		// would be rejected for its absence rather than its security.
		pod.Spec.ServiceAccountName = ""
		if err := c.Create(ctx, pod, client.DryRunAll); err != nil {
			t.Errorf("a pod from %s is not admitted: %v", describe(o), err)
		}
		for _, msg := range w.take() {
			t.Errorf("a pod from %s drew a warning: %s", describe(o), msg)
		}
	}
}

// checkFixturesAdmitted creates every status fixture's object (without its
// status) with a dry run, so the fixtures the Argo CD and kstatus tests use
// stay valid GitHubMCPServers as the API evolves: a renamed field such as
// spec.suspend fails here.
func checkFixturesAdmitted(ctx context.Context, t *testing.T, c client.Client) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures in %s: %v", fixtureDir, err)
	}
	ns := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "mcp"},
	}}
	if err := c.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		u := loadFixture(t, filepath.Base(f))
		unstructured.RemoveNestedField(u.Object, "status")
		unstructured.RemoveNestedField(u.Object, "metadata", "generation")
		if err := c.Create(ctx, u, client.DryRunAll); err != nil {
			t.Errorf("fixture %s is not a valid GitHubMCPServer: %v", filepath.Base(f), err)
		}
	}
}

// checkInstallShape asserts what the issue promises about the install
// without a cluster: which kinds it contains and that the manager is
// hardened. The apiserver cannot see these (a valid Deployment may run as
// root).
func checkInstallShape(t *testing.T, objs []*unstructured.Unstructured) {
	t.Helper()
	var kinds []string
	for _, o := range objs {
		kinds = append(kinds, o.GetKind())
		if ns := o.GetNamespace(); ns != "" && ns != installNamespace {
			t.Errorf("%s is in namespace %q, want %q", describe(o), ns, installNamespace)
		}
	}
	for _, want := range []string{"Namespace", "CustomResourceDefinition", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service", "PodDisruptionBudget"} {
		if !slices.Contains(kinds, want) {
			t.Errorf("config/default has no %s (kinds: %s)", want, strings.Join(kinds, ", "))
		}
	}
	for _, o := range objs {
		switch o.GetKind() {
		case "Namespace":
			if got := o.GetLabels()["pod-security.kubernetes.io/enforce"]; got != "restricted" {
				t.Errorf("%s enforces Pod Security %q, want restricted", describe(o), got)
			}
		case "Service":
			if typ, _, _ := unstructured.NestedString(o.Object, "spec", "type"); typ != "ClusterIP" {
				t.Errorf("%s is of type %q, want ClusterIP", describe(o), typ)
			}
		case "Deployment":
			var d appsv1.Deployment
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &d); err != nil {
				t.Fatal(err)
			}
			for _, problem := range hardeningProblems(&d) {
				t.Errorf("%s: %s", describe(o), problem)
			}
		}
	}
}

// hardeningProblems lists where the manager Deployment falls short of the
// issue's bar: non-root, read-only root filesystem, no privilege
// escalation, no capabilities, RuntimeDefault seccomp, leader election,
// probes and resource limits.
func hardeningProblems(d *appsv1.Deployment) []string {
	var p []string
	spec := d.Spec.Template.Spec
	psc := spec.SecurityContext
	if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
		p = append(p, "pod securityContext.runAsNonRoot is not true")
	}
	if psc == nil || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
		p = append(p, "pod seccompProfile is not RuntimeDefault")
	}
	if len(spec.Containers) == 0 {
		return append(p, "no containers")
	}
	for _, c := range spec.Containers {
		sc := c.SecurityContext
		switch {
		case sc == nil:
			p = append(p, fmt.Sprintf("container %s has no securityContext", c.Name))
			continue
		case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
			p = append(p, fmt.Sprintf("container %s: readOnlyRootFilesystem is not true", c.Name))
		case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
			p = append(p, fmt.Sprintf("container %s: allowPrivilegeEscalation is not false", c.Name))
		case sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") || len(sc.Capabilities.Add) > 0:
			p = append(p, fmt.Sprintf("container %s: capabilities do not drop ALL and add none", c.Name))
		}
		if c.LivenessProbe == nil || c.ReadinessProbe == nil {
			p = append(p, fmt.Sprintf("container %s lacks a liveness or readiness probe", c.Name))
		}
		if c.Resources.Limits.Memory().IsZero() || c.Resources.Requests.Cpu().IsZero() {
			p = append(p, fmt.Sprintf("container %s lacks a memory limit or a CPU request", c.Name))
		}
		if !slices.Contains(c.Args, "--leader-elect") {
			p = append(p, fmt.Sprintf("container %s does not run with --leader-elect", c.Name))
		}
	}
	return p
}

func describe(o *unstructured.Unstructured) string {
	if o.GetNamespace() == "" {
		return o.GetKind() + " " + o.GetName()
	}
	return o.GetKind() + " " + o.GetNamespace() + "/" + o.GetName()
}
