package controllers

import (
	"errors"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
)

func TestSummarize(t *testing.T) {
	ready := func(t string) dependency {
		return dependency{Type: t, State: depReady, Reason: "OK", Message: t + " ok."}
	}
	waiting := dependency{Type: ConditionWorkloadReady, State: depWaiting, Reason: ReasonRolloutPending, Message: "Rolling."}
	blocked := dependency{Type: "IngressReady", State: depBlocked, Reason: "TraefikNotInstalled", Message: "Install Traefik."}
	for _, tc := range []struct {
		name                        string
		o                           outcome
		ready, reconciling, stalled metav1.ConditionStatus
		readyReason                 string
		completed                   bool
	}{
		{"all ready", outcome{Deps: []dependency{ready("CredentialsReady"), ready("WorkloadReady")}}, "True", "False", "False", ReasonSucceeded, true},
		{"waiting", outcome{Deps: []dependency{ready("CredentialsReady"), waiting}}, "False", "True", "False", ReasonRolloutPending, true},
		{"blocked wins over waiting", outcome{Deps: []dependency{waiting, blocked}}, "False", "False", "True", "TraefikNotInstalled", true},
		{"stall error", outcome{Err: stall(ReasonSecretNotFound, "Secret gone.")}, "False", "False", "True", ReasonSecretNotFound, true},
		{"wrapped stall error", outcome{Err: errors.Join(errors.New("x"), stall(ReasonInvalidSpec, "bad"))}, "False", "False", "True", ReasonInvalidSpec, true},
		{"transient error", outcome{Err: errors.New("connection refused")}, "False", "True", "False", ReasonReconcileError, false},
		{"suspended", outcome{Suspended: true, Deps: []dependency{ready("WorkloadReady")}}, "False", "False", "False", ReasonSuspended, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var conds []metav1.Condition
			o := tc.o
			o.Generation = 7
			if got := summarize(&conds, o); got != tc.completed {
				t.Errorf("completed = %v, want %v", got, tc.completed)
			}
			for typ, want := range map[string]metav1.ConditionStatus{ConditionReady: tc.ready, ConditionReconciling: tc.reconciling, ConditionStalled: tc.stalled} {
				c := meta.FindStatusCondition(conds, typ)
				if c == nil || c.Status != want {
					t.Errorf("%s = %v, want %s", typ, c, want)
					continue
				}
				if c.ObservedGeneration != 7 || c.Message == "" || c.Reason == "" {
					t.Errorf("%s lacks generation, reason or message: %+v", typ, c)
				}
			}
			if r := meta.FindStatusCondition(conds, ConditionReady); r != nil && r.Reason != tc.readyReason {
				t.Errorf("Ready reason = %s, want %s", r.Reason, tc.readyReason)
			}
		})
	}
}

func TestSummarizePrunesStaleDependencies(t *testing.T) {
	conds := []metav1.Condition{{Type: "IngressReady", Status: "False", Reason: "X", Message: "x"}}
	summarize(&conds, outcome{Deps: []dependency{{Type: ConditionWorkloadReady, State: depReady, Reason: "R", Message: "m"}}})
	if meta.FindStatusCondition(conds, "IngressReady") != nil {
		t.Errorf("a dependency no step set must be dropped after a completed pass")
	}
	conds = []metav1.Condition{{Type: "IngressReady", Status: "False", Reason: "X", Message: "x"}}
	summarize(&conds, outcome{Err: errors.New("boom")})
	if meta.FindStatusCondition(conds, "IngressReady") == nil {
		t.Errorf("a failed pass must keep the conditions it could not re-evaluate")
	}
}

func TestSummarizeKeepsTransitionTime(t *testing.T) {
	var conds []metav1.Condition
	o := outcome{Deps: []dependency{{Type: ConditionWorkloadReady, State: depReady, Reason: "R", Message: "m"}}}
	summarize(&conds, o)
	first := meta.FindStatusCondition(conds, ConditionReady).LastTransitionTime
	conds[0].LastTransitionTime = metav1.NewTime(first.Add(-3600e9))
	before := append([]metav1.Condition(nil), conds...)
	summarize(&conds, o)
	for i := range before {
		if !before[i].LastTransitionTime.Equal(&conds[i].LastTransitionTime) {
			t.Errorf("%s: an unchanged condition must keep its transition time", conds[i].Type)
		}
	}
}

func TestTransition(t *testing.T) {
	mk := func(s metav1.ConditionStatus, reason string, stalled bool) []metav1.Condition {
		c := []metav1.Condition{{Type: ConditionReady, Status: s, Reason: reason, Message: reason}}
		if stalled {
			c = append(c, metav1.Condition{Type: ConditionStalled, Status: "True", Reason: reason})
		}
		return c
	}
	for _, tc := range []struct {
		name          string
		before, after []metav1.Condition
		want          string
	}{
		{"first ready", nil, mk("True", "Succeeded", false), "Normal"},
		{"unchanged", mk("True", "Succeeded", false), mk("True", "Succeeded", false), ""},
		{"stalled", mk("True", "Succeeded", false), mk("False", "SecretNotFound", true), "Warning"},
		{"progressing", mk("True", "Succeeded", false), mk("False", "RolloutInProgress", false), "Normal"},
		{"failing and retrying", mk("True", "Succeeded", false), mk("False", ReasonReconcileError, false), "Warning"},
	} {
		if got, _, _ := transition(tc.before, tc.after); got != tc.want {
			t.Errorf("%s: event type %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestWorkloadState(t *testing.T) {
	dep := func(replicas *int32, gen, obs int64, st appsv1.DeploymentStatus) *appsv1.Deployment {
		st.ObservedGeneration = obs
		return &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Generation: gen}, Spec: appsv1.DeploymentSpec{Replicas: replicas}, Status: st}
	}
	for _, tc := range []struct {
		name string
		d    *appsv1.Deployment
		want depState
	}{
		{"not observed", dep(ptr.To[int32](1), 2, 1, appsv1.DeploymentStatus{}), depWaiting},
		{"no pods yet", dep(ptr.To[int32](2), 1, 1, appsv1.DeploymentStatus{UpdatedReplicas: 2, Replicas: 2, AvailableReplicas: 1}), depWaiting},
		{"old pods", dep(ptr.To[int32](1), 1, 1, appsv1.DeploymentStatus{UpdatedReplicas: 1, Replicas: 2, AvailableReplicas: 1}), depWaiting},
		{"available", dep(ptr.To[int32](2), 1, 1, appsv1.DeploymentStatus{UpdatedReplicas: 2, Replicas: 2, AvailableReplicas: 2, ReadyReplicas: 2}), depReady},
		{"nil replicas means one", dep(nil, 1, 1, appsv1.DeploymentStatus{UpdatedReplicas: 1, Replicas: 1, AvailableReplicas: 1}), depReady},
		{"scaled to zero", dep(ptr.To[int32](0), 1, 1, appsv1.DeploymentStatus{}), depReady},
		{"deadline exceeded", dep(ptr.To[int32](1), 1, 1, appsv1.DeploymentStatus{Conditions: []appsv1.DeploymentCondition{
			{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: "ProgressDeadlineExceeded"}}}), depBlocked},
	} {
		if got, _, msg := workloadState(tc.d); got != tc.want || msg == "" {
			t.Errorf("%s: state %v (%q), want %v", tc.name, got, msg, tc.want)
		}
	}
	// spec.replicas: 0 without suspend is not "Suspended": only spec.suspend is.
	if _, reason, _ := workloadState(dep(ptr.To[int32](0), 1, 1, appsv1.DeploymentStatus{})); reason != ReasonScaledToZero {
		t.Errorf("scaled to zero: reason %q, want %q", reason, ReasonScaledToZero)
	}
}
