package controllers_test

import (
	"strings"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// podFromTemplate creates a Pod from the Deployment builder's pod template in
// a namespace that enforces Pod Security "restricted".
func podFromTemplate(t *testing.T, ns, name string, weaken func(*corev1.PodSpec)) error {
	t.Helper()
	cr := tokenCR(ns, name)
	sa := builders.ServiceAccount(cr)
	sa.OwnerReferences = nil // the CR is not stored here
	if err := k8s.Create(ctx, sa); err != nil {
		t.Fatal(err)
	}
	d, err := builders.Deployment(cr, builders.Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns, Labels: d.Spec.Template.Labels},
		Spec:       *d.Spec.Template.Spec.DeepCopy(),
	}
	if weaken != nil {
		weaken(&pod.Spec)
	}
	return k8s.Create(ctx, pod)
}

func TestRenderedPodIsAdmittedAsRestricted(t *testing.T) {
	ns := newNamespace(t)
	if err := podFromTemplate(t, ns, "hardened", nil); err != nil {
		t.Fatalf("the rendered pod is rejected in a restricted namespace: %v", err)
	}
	// The check is real: a weaker pod is rejected.
	for name, weaken := range map[string]func(*corev1.PodSpec){
		"escalation": func(s *corev1.PodSpec) { s.Containers[0].SecurityContext.AllowPrivilegeEscalation = ptr.To(true) },
		"root": func(s *corev1.PodSpec) {
			s.SecurityContext.RunAsNonRoot = nil
			s.Containers[0].SecurityContext.RunAsNonRoot = nil
			s.SecurityContext.RunAsUser = ptr.To[int64](0)
		},
		"caps": func(s *corev1.PodSpec) { s.Containers[0].SecurityContext.Capabilities = nil },
	} {
		err := podFromTemplate(t, ns, "weak-"+name, weaken)
		if err == nil || !strings.Contains(err.Error(), "violates PodSecurity") {
			t.Errorf("%s: a weakened pod must be rejected, got %v", name, err)
		}
	}
}

// TestApplyIsStrict: an apply request with a field the schema does not know
// fails instead of dropping the field.
func TestApplyIsStrict(t *testing.T) {
	ns := newNamespace(t)
	u := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "ServiceAccount",
		"metadata":                     map[string]any{"name": "strict", "namespace": ns},
		"automountServiceAccountToken": false,
		"automountServiceAccountTokn":  true,
	}}
	err := controllers.Apply(ctx, k8s, u)
	if err == nil || !strings.Contains(err.Error(), "automountServiceAccountTokn") {
		t.Fatalf("want an error naming the unknown field, got %v", err)
	}
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "strict"}, &corev1.ServiceAccount{}); err == nil {
		t.Errorf("the object was created despite the unknown field")
	}
}
