package controllers

import (
	"context"
	"errors"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
)

// TestWriteStatusOncePerPassAndEventsOnTransitionsOnly drives writeStatus
// with a counting client: a pass that changes the summary writes the status
// once and emits one event; a pass that changes nothing writes nothing and
// emits nothing; a failed write emits no event (the retry would otherwise
// emit it a second time).
func TestWriteStatusOncePerPassAndEventsOnTransitionsOnly(t *testing.T) {
	s, err := NewScheme()
	if err != nil {
		t.Fatal(err)
	}
	cr := &v1alpha1.GitHubMCPServer{ObjectMeta: metav1.ObjectMeta{Name: "srv", Namespace: "team", Generation: 1}}
	writes, failWrites := 0, false
	c := fake.NewClientBuilder().WithScheme(s).WithObjects(cr.DeepCopy()).WithStatusSubresource(&v1alpha1.GitHubMCPServer{}).
		WithInterceptorFuncs(interceptor.Funcs{SubResourcePatch: func(ctx context.Context, c client.Client, sub string, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
			writes++
			if failWrites {
				return errors.New("apiserver unavailable")
			}
			return c.SubResource(sub).Patch(ctx, obj, patch, opts...)
		}}).Build()
	rec := events.NewFakeRecorder(10)
	r := &GitHubMCPServerReconciler{Client: c, Recorder: rec}
	ctx := context.Background()

	pass := func(t *testing.T, deps ...dependency) error {
		t.Helper()
		live := &v1alpha1.GitHubMCPServer{}
		if err := c.Get(ctx, client.ObjectKeyFromObject(cr), live); err != nil {
			t.Fatal(err)
		}
		p := &pass{cr: live.DeepCopy(), in: builders.Inputs{}, deps: deps}
		return r.writeStatus(ctx, live, p, nil)
	}
	ready := dependency{Type: ConditionWorkloadReady, State: depReady, Reason: ReasonDeploymentReady, Message: "Available."}
	waiting := dependency{Type: ConditionWorkloadReady, State: depWaiting, Reason: ReasonRolloutPending, Message: "Rolling."}
	drain := func() int {
		n := 0
		for {
			select {
			case <-rec.Events:
				n++
			default:
				return n
			}
		}
	}

	failWrites = true
	if err := pass(t, waiting); err == nil {
		t.Fatal("want the failed status write reported")
	}
	if n := drain(); n != 0 {
		t.Errorf("a failed status write emitted %d events; the retry will emit the transition again", n)
	}
	failWrites = false
	for _, step := range []struct {
		name           string
		dep            dependency
		writes, events int
	}{
		{"first pass: waiting", waiting, 1, 1},
		{"nothing changed", waiting, 0, 0},
		{"became ready", ready, 1, 1},
		{"still ready", ready, 0, 0},
	} {
		writes = 0
		if err := pass(t, step.dep); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if writes != step.writes {
			t.Errorf("%s: %d status writes, want %d", step.name, writes, step.writes)
		}
		if n := drain(); n != step.events {
			t.Errorf("%s: %d events, want %d", step.name, n, step.events)
		}
	}
}
