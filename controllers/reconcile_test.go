package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

var ctx = context.Background()

// owned lists the core objects of an instance.
func owned(name string) []client.Object {
	return []client.Object{
		&corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name}},
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: name}},
		&networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: name + "-default-deny"}},
		&networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: name + "-ingress"}},
		&networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: name + "-egress"}},
		&appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: name}},
		serviceMonitor(name),
	}
}

// serviceMonitor is an empty ServiceMonitor to read into (prometheus-operator
// is detected in this suite).
func serviceMonitor(name string) *unstructured.Unstructured {
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(builders.ServiceMonitorGVK)
	u.SetName(name)
	return u
}

// controlledBy checks that obj exists and is controlled by cr.
func controlledBy(ns string, obj client.Object, cr *v1alpha1.GitHubMCPServer) error {
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: obj.GetName()}, obj); err != nil {
		return err
	}
	if !metav1.IsControlledBy(obj, cr) {
		return fmt.Errorf("%T %s is not controlled by the CR: %v", obj, obj.GetName(), obj.GetOwnerReferences())
	}
	return nil
}

func condition(t *testing.T, ns, name, typ string) *metav1.Condition {
	t.Helper()
	return meta.FindStatusCondition(getCR(t, ns, name).Status.Conditions, typ)
}

func wantCondition(t *testing.T, ns, name, typ string, status metav1.ConditionStatus, reason string) {
	t.Helper()
	eventually(t, fmt.Sprintf("%s=%s/%s", typ, status, reason), func() error {
		c := condition(t, ns, name, typ)
		if c == nil || c.Status != status || (reason != "" && c.Reason != reason) {
			return fmt.Errorf("got %+v", c)
		}
		return nil
	})
}

// markDeploymentAvailable plays the Deployment controller, which envtest
// does not run: it reports every wanted replica updated and available.
func markDeploymentAvailable(t *testing.T, ns, name string) {
	t.Helper()
	eventually(t, "mark the Deployment available", func() error {
		d := &appsv1.Deployment{}
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, d); err != nil {
			return err
		}
		n := ptr.Deref(d.Spec.Replicas, 1)
		d.Status = appsv1.DeploymentStatus{ObservedGeneration: d.Generation, Replicas: n, UpdatedReplicas: n, ReadyReplicas: n, AvailableReplicas: n}
		return k8s.Status().Update(ctx, d)
	})
}

func TestCreateReconcilesEverythingAndReady(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	cr := tokenCR(ns, "alpha")
	if err := k8s.Create(ctx, cr); err != nil {
		t.Fatal(err)
	}
	for _, o := range owned("alpha") {
		eventually(t, "owned "+o.GetName(), func() error { return controlledBy(ns, o, cr) })
	}
	wantCondition(t, ns, "alpha", controllers.ConditionCredentialsReady, metav1.ConditionTrue, controllers.ReasonSecretsFound)
	wantCondition(t, ns, "alpha", controllers.ConditionReady, metav1.ConditionFalse, controllers.ReasonRolloutPending)
	wantCondition(t, ns, "alpha", controllers.ConditionReconciling, metav1.ConditionTrue, "")

	markDeploymentAvailable(t, ns, "alpha")
	wantCondition(t, ns, "alpha", controllers.ConditionReady, metav1.ConditionTrue, controllers.ReasonSucceeded)
	got := getCR(t, ns, "alpha")
	if got.Status.ObservedGeneration != got.Generation || got.Status.ReadyReplicas != 1 {
		t.Errorf("status = %+v, want observedGeneration %d and 1 ready replica", got.Status, got.Generation)
	}
	if c := meta.FindStatusCondition(got.Status.Conditions, controllers.ConditionStalled); c == nil || c.Status != metav1.ConditionFalse {
		t.Errorf("Stalled = %+v, want False", c)
	}
	// Every object is applied by the one field manager.
	d := &appsv1.Deployment{}
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "alpha"}, d); err != nil {
		t.Fatal(err)
	}
	var applied bool
	for _, mf := range d.ManagedFields {
		if mf.Manager == controllers.FieldManager && mf.Operation == metav1.ManagedFieldsOperationApply {
			applied = true
		}
	}
	if !applied {
		t.Errorf("the Deployment has no apply entry for %s: %+v", controllers.FieldManager, d.ManagedFields)
	}
}

func TestDeletedObjectsAreRestored(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	cr := tokenCR(ns, "beta")
	if err := k8s.Create(ctx, cr); err != nil {
		t.Fatal(err)
	}
	for _, o := range owned("beta") {
		eventually(t, "owned "+o.GetName(), func() error { return controlledBy(ns, o, cr) })
		old := o.GetUID()
		if err := k8s.Delete(ctx, o); err != nil {
			t.Fatal(err)
		}
		eventually(t, "restored "+o.GetName(), func() error {
			if err := controlledBy(ns, o, cr); err != nil {
				return err
			}
			if o.GetUID() == old {
				return fmt.Errorf("not recreated yet")
			}
			return nil
		})
	}
}

func TestDriftIsRepairedAndForeignFieldsKept(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	if err := k8s.Create(ctx, tokenCR(ns, "gamma")); err != nil {
		t.Fatal(err)
	}
	key := client.ObjectKey{Namespace: ns, Name: "gamma"}
	d := &appsv1.Deployment{}
	eventually(t, "deployment", func() error { return k8s.Get(ctx, key, d) })
	// Another actor weakens a field we own, scales (an HPA would) and adds
	// an annotation.
	patch := []byte(`{"metadata":{"annotations":{"example.com/owner":"team-a"}},"spec":{"replicas":4,"template":{"spec":{"automountServiceAccountToken":true}}}}`)
	if err := k8s.Patch(ctx, d, client.RawPatch(types.MergePatchType, patch), client.FieldOwner("someone-else")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "drift repaired", func() error {
		if err := k8s.Get(ctx, key, d); err != nil {
			return err
		}
		if ptr.Deref(d.Spec.Template.Spec.AutomountServiceAccountToken, true) {
			return fmt.Errorf("automountServiceAccountToken still true")
		}
		return nil
	})
	if d.Annotations["example.com/owner"] != "team-a" {
		t.Errorf("a foreign annotation was removed: %v", d.Annotations)
	}
	if ptr.Deref(d.Spec.Replicas, 0) != 4 {
		t.Errorf("replicas owned by another actor were changed to %v", ptr.Deref(d.Spec.Replicas, 0))
	}
}

func TestSecretChangeRollsThePods(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	if err := k8s.Create(ctx, tokenCR(ns, "delta")); err != nil {
		t.Fatal(err)
	}
	key := client.ObjectKey{Namespace: ns, Name: "delta"}
	hash := func() (string, error) {
		d := &appsv1.Deployment{}
		if err := k8s.Get(ctx, key, d); err != nil {
			return "", err
		}
		return d.Spec.Template.Annotations[builders.RestartHashAnnotation], nil
	}
	var before string
	eventually(t, "initial hash", func() (err error) {
		before, err = hash()
		if err == nil && before == "" {
			err = fmt.Errorf("no hash")
		}
		return err
	})
	s := &corev1.Secret{}
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "github-pat"}, s); err != nil {
		t.Fatal(err)
	}
	s.StringData = map[string]string{"token": "ghp_rotated"}
	if err := k8s.Update(ctx, s); err != nil {
		t.Fatal(err)
	}
	eventually(t, "hash changes after the Secret changes", func() error {
		after, err := hash()
		if err != nil {
			return err
		}
		if after == before {
			return fmt.Errorf("hash still %s", after)
		}
		return nil
	})
}

func TestSuspendAndResume(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	cr := tokenCR(ns, "epsilon")
	cr.Spec.Replicas = ptr.To[int32](3)
	if err := k8s.Create(ctx, cr); err != nil {
		t.Fatal(err)
	}
	key := client.ObjectKey{Namespace: ns, Name: "epsilon"}
	replicas := func(want int32) func() error {
		return func() error {
			d := &appsv1.Deployment{}
			if err := k8s.Get(ctx, key, d); err != nil {
				return err
			}
			if got := ptr.Deref(d.Spec.Replicas, -1); got != want {
				return fmt.Errorf("replicas = %d, want %d", got, want)
			}
			return nil
		}
	}
	pdb := func(want bool) func() error {
		return func() error {
			err := k8s.Get(ctx, key, &policyv1.PodDisruptionBudget{})
			switch {
			case want && err != nil:
				return err
			case !want && err == nil:
				return fmt.Errorf("PDB still exists")
			case !want && !apierrors.IsNotFound(err):
				return err
			}
			return nil
		}
	}
	eventually(t, "3 replicas", replicas(3))
	eventually(t, "PDB", pdb(true))

	setSuspend(t, ns, "epsilon", true)
	eventually(t, "suspended to 0", replicas(0))
	eventually(t, "PDB removed while suspended", pdb(false))
	markDeploymentAvailable(t, ns, "epsilon")
	wantCondition(t, ns, "epsilon", controllers.ConditionReady, metav1.ConditionFalse, controllers.ReasonSuspended)
	wantCondition(t, ns, "epsilon", controllers.ConditionStalled, metav1.ConditionFalse, "")

	setSuspend(t, ns, "epsilon", false)
	eventually(t, "resumed to 3", replicas(3))
	eventually(t, "PDB back", pdb(true))
	markDeploymentAvailable(t, ns, "epsilon")
	wantCondition(t, ns, "epsilon", controllers.ConditionReady, metav1.ConditionTrue, controllers.ReasonSucceeded)
}

func setSuspend(t *testing.T, ns, name string, v bool) {
	t.Helper()
	cr := getCR(t, ns, name)
	patch := []byte(fmt.Sprintf(`{"spec":{"suspend":%t}}`, v))
	if err := k8s.Patch(ctx, cr, client.RawPatch(types.MergePatchType, patch)); err != nil {
		t.Fatal(err)
	}
}

func TestMissingSecretStallsThenRecovers(t *testing.T) {
	ns := newNamespace(t)
	if err := k8s.Create(ctx, tokenCR(ns, "zeta")); err != nil {
		t.Fatal(err)
	}
	wantCondition(t, ns, "zeta", controllers.ConditionStalled, metav1.ConditionTrue, controllers.ReasonSecretNotFound)
	c := condition(t, ns, "zeta", controllers.ConditionReady)
	if c.Status != metav1.ConditionFalse || !strings.Contains(c.Message, "spec.github.auth.token.secretRef") || !strings.Contains(c.Message, `"github-pat"`) {
		t.Errorf("Ready = %+v, want False with a message naming the field and the Secret", c)
	}
	if cr := getCR(t, ns, "zeta"); cr.Status.ObservedGeneration != cr.Generation {
		t.Errorf("a stalled pass has still observed the generation (kstatus reads Stalled only then)")
	}
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "zeta"}, &appsv1.Deployment{}); !apierrors.IsNotFound(err) {
		t.Errorf("no Deployment may exist without its credential, got %v", err)
	}
	// The key is missing next; the Secret watch brings the CR back.
	secret(t, ns, "github-pat", map[string]string{"wrong-key": "x"})
	wantCondition(t, ns, "zeta", controllers.ConditionStalled, metav1.ConditionTrue, controllers.ReasonSecretKeyMissing)
	secret(t, ns, "api-keys", map[string]string{"keys": "ci:sha256:00"})
	s := &corev1.Secret{}
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "github-pat"}, s); err != nil {
		t.Fatal(err)
	}
	s.StringData = map[string]string{"token": "ghp_x"}
	if err := k8s.Update(ctx, s); err != nil {
		t.Fatal(err)
	}
	wantCondition(t, ns, "zeta", controllers.ConditionStalled, metav1.ConditionFalse, "")
	wantCondition(t, ns, "zeta", controllers.ConditionCredentialsReady, metav1.ConditionTrue, "")
	// Events are emitted on transitions, and never carry a secret value.
	eventually(t, "a Warning event for the stall", func() error {
		evs := &corev1.EventList{}
		if err := k8s.List(ctx, evs, client.InNamespace(ns)); err != nil {
			return err
		}
		for _, e := range evs.Items {
			if strings.Contains(e.Message, "ghp_") {
				t.Errorf("an event leaks a secret: %s", e.Message)
			}
			if e.Type == "Warning" && (e.Reason == controllers.ReasonSecretNotFound || e.Reason == controllers.ReasonSecretKeyMissing) {
				return nil
			}
		}
		return fmt.Errorf("no Warning event among %d", len(evs.Items))
	})
}

// TestSecretMetadataChangeDoesNotRollThePods: labels and annotations that
// other tools put on a Secret (Argo CD tracking, external-secrets, a kubectl
// label) change its resourceVersion but not what the pods read, so they must
// not restart the pods.
func TestSecretMetadataChangeDoesNotRollThePods(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	if err := k8s.Create(ctx, tokenCR(ns, "theta")); err != nil {
		t.Fatal(err)
	}
	key := client.ObjectKey{Namespace: ns, Name: "theta"}
	hash := func() string {
		d := &appsv1.Deployment{}
		if err := k8s.Get(ctx, key, d); err != nil {
			t.Fatal(err)
		}
		return d.Spec.Template.Annotations[builders.RestartHashAnnotation]
	}
	wantCondition(t, ns, "theta", controllers.ConditionCredentialsReady, metav1.ConditionTrue, "")
	before := hash()
	s := &corev1.Secret{}
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "github-pat"}, s); err != nil {
		t.Fatal(err)
	}
	patch := []byte(`{"metadata":{"labels":{"example.com/tracked-by":"gitops"},"annotations":{"example.com/synced-at":"now"}}}`)
	if err := k8s.Patch(ctx, s, client.RawPatch(types.MergePatchType, patch)); err != nil {
		t.Fatal(err)
	}
	// A spec change forces a pass that reads the relabelled Secret; once
	// that pass is observed, the hash must be what it was.
	cr := getCR(t, ns, "theta")
	if err := k8s.Patch(ctx, cr, client.RawPatch(types.MergePatchType, []byte(`{"spec":{"github":{"toolsets":["repos"]}}}`))); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the spec change observed", func() error {
		if got := getCR(t, ns, "theta"); got.Status.ObservedGeneration != got.Generation {
			return fmt.Errorf("observedGeneration %d of %d", got.Status.ObservedGeneration, got.Generation)
		}
		return nil
	})
	if after := hash(); after != before {
		t.Errorf("restart hash %s -> %s after a metadata-only Secret change: the pods would restart for nothing", before, after)
	}
}

// TestCacheHoldsOnlyOurObjects: the operator watches every owned kind, but
// caches only the objects it manages; the cluster's other Deployments,
// Services and ServiceAccounts would otherwise all sit in its memory.
func TestCacheHoldsOnlyOurObjects(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	foreign := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "not-ours", Namespace: ns},
		Spec:       corev1.ServiceSpec{Ports: []corev1.ServicePort{{Port: 80}}},
	}
	if err := k8s.Create(ctx, foreign); err != nil {
		t.Fatal(err)
	}
	if err := k8s.Create(ctx, tokenCR(ns, "iota")); err != nil {
		t.Fatal(err)
	}
	// Ours reaches the cache; by then the earlier foreign one would have too.
	eventually(t, "our Service cached", func() error {
		return mgrCache.Get(ctx, client.ObjectKey{Namespace: ns, Name: "iota"}, &corev1.Service{})
	})
	if err := mgrCache.Get(ctx, client.ObjectKeyFromObject(foreign), &corev1.Service{}); !apierrors.IsNotFound(err) {
		t.Errorf("a Service the operator does not manage is cached (err %v)", err)
	}
}
