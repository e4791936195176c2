package controllers_test

import (
	"fmt"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// kstatusOf computes kstatus for the live CR, as Flux, Argo CD's gitops
// engine and cli-utils appliers do. test/gitops pins hand-written fixtures;
// this checks what the operator really writes.
func kstatusOf(t *testing.T, ns, name string) (status.Status, string) {
	t.Helper()
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(getCR(t, ns, name))
	if err != nil {
		t.Fatal(err)
	}
	res, err := status.Compute(&unstructured.Unstructured{Object: m})
	if err != nil {
		t.Fatal(err)
	}
	return res.Status, res.Message
}

func wantKstatus(t *testing.T, ns, name string, want status.Status) {
	t.Helper()
	eventually(t, "kstatus "+string(want), func() error {
		if got, msg := kstatusOf(t, ns, name); got != want {
			return fmt.Errorf("kstatus %s (%s)", got, msg)
		}
		return nil
	})
}

// TestKstatusOfWhatTheOperatorWrites: InProgress while the rollout runs,
// Current once Ready, Failed when stalled.
func TestKstatusOfWhatTheOperatorWrites(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	if err := k8s.Create(ctx, tokenCR(ns, "kst")); err != nil {
		t.Fatal(err)
	}
	wantKstatus(t, ns, "kst", status.InProgressStatus)
	markDeploymentAvailable(t, ns, "kst")
	// kstatus also says Current for a CR nobody has reconciled yet, so
	// Current counts only together with Ready=True.
	wantCondition(t, ns, "kst", controllers.ConditionReady, metav1.ConditionTrue, controllers.ReasonSucceeded)
	wantKstatus(t, ns, "kst", status.CurrentStatus)

	stalled := tokenCR(ns, "kst-stalled")
	stalled.Spec.GitHub.Auth.Token.SecretRef.Name = "no-such-secret"
	if err := k8s.Create(ctx, stalled); err != nil {
		t.Fatal(err)
	}
	wantKstatus(t, ns, "kst-stalled", status.FailedStatus)
}
