package controllers

import (
	"context"
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// FieldManager is the one field manager the operator applies every object
// with. Other tools should not use it.
const FieldManager = "github-mcp-operator"

// Apply server-side-applies obj as FieldManager with forced ownership. obj
// must carry apiVersion and kind (every builder sets them). The apiserver
// validates an apply request against the object's schema and rejects unknown
// fields, so a typo never silently disappears. On success obj holds the live
// object as the apiserver returned it.
func Apply(ctx context.Context, c client.Client, obj client.Object) error {
	u, err := ToApplyObject(obj)
	if err != nil {
		return err
	}
	if err := c.Apply(ctx, client.ApplyConfigurationFromUnstructured(u), client.FieldOwner(FieldManager), client.ForceOwnership); err != nil {
		return fmt.Errorf("applying %s %s: %w", u.GetKind(), u.GetName(), err)
	}
	// The response is the live object; hand it back (with its status).
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, obj); err != nil {
		return fmt.Errorf("decoding applied %s %s: %w", u.GetKind(), u.GetName(), err)
	}
	return nil
}

// ToApplyObject converts a typed object to what an apply request sends, dropping
// what a typed Go struct always serialises but the operator does not own:
// status and null creation timestamps.
func ToApplyObject(obj client.Object) (*unstructured.Unstructured, error) {
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, fmt.Errorf("converting %T: %w", obj, err)
	}
	u := &unstructured.Unstructured{Object: m}
	if u.GetAPIVersion() == "" || u.GetKind() == "" {
		return nil, fmt.Errorf("object %T %q has no apiVersion/kind", obj, obj.GetName())
	}
	delete(u.Object, "status")
	unstructured.RemoveNestedField(u.Object, "metadata", "creationTimestamp")
	unstructured.RemoveNestedField(u.Object, "spec", "template", "metadata", "creationTimestamp")
	return u, nil
}
