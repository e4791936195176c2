package controllers

import (
	"errors"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Condition types. Ready summarises; Reconciling and Stalled follow kstatus;
// the others are per-dependency conditions set by the steps.
const (
	ConditionReady            = "Ready"
	ConditionReconciling      = "Reconciling"
	ConditionStalled          = "Stalled"
	ConditionCredentialsReady = "CredentialsReady"
	ConditionWorkloadReady    = "WorkloadReady"
)

// Reasons (CamelCase, stable: tools match on them).
const (
	ReasonSucceeded        = "Succeeded"
	ReasonProgressing      = "Progressing"
	ReasonSuspended        = "Suspended"
	ReasonReconcileError   = "ReconcileError"
	ReasonInvalidSpec      = "InvalidSpec"
	ReasonSecretNotFound   = "SecretNotFound"
	ReasonSecretKeyMissing = "SecretKeyMissing"
	ReasonSecretKeyInvalid = "SecretKeyInvalid"
	ReasonSecretsFound     = "SecretsFound"
	ReasonDeploymentReady  = "DeploymentAvailable"
	ReasonRolloutPending   = "RolloutInProgress"
	ReasonRolloutFailed    = "RolloutFailed"
	ReasonScaledToZero     = "ScaledToZero"
)

// depState is how a dependency stands after a step.
type depState int

const (
	// depReady: the dependency is fine.
	depReady depState = iota
	// depWaiting: it will get there by itself (a rollout, a certificate
	// being issued); Reconciling=True and the pass requeues.
	depWaiting
	// depBlocked: only a human can fix it (a missing CRD, a missing Secret);
	// Stalled=True, no retry loop (watches bring the CR back).
	depBlocked
)

// dependency records one dependency condition set during a pass, in order.
type dependency struct {
	Type   string
	State  depState
	Reason string
	// Message is a human sentence: no secret, no generated name, no time.
	Message string
}

// stallError is an error only the user can fix (an invalid spec, a missing
// Secret). The pass reports Stalled=True and returns a terminal error.
type stallError struct {
	Reason, Message string
}

func (e *stallError) Error() string { return e.Message }

// stall returns a stallError.
func stall(reason, message string) error { return &stallError{Reason: reason, Message: message} }

// outcome is everything summarize needs about one pass.
type outcome struct {
	Generation int64
	Suspended  bool
	// Deps are the dependency conditions the steps set, in step order.
	Deps []dependency
	// Err is the error that stopped the steps, if any.
	Err error
}

// summarize writes the dependency conditions, then Ready, Reconciling and
// Stalled into conds, and reports whether the pass completed (so
// observedGeneration may advance). A stall counts as completed: the spec was
// fully evaluated and found wanting, and kstatus reads Stalled=True only when
// observedGeneration matches. A transient error does not.
func summarize(conds *[]metav1.Condition, o outcome) (completed bool) {
	set := func(t string, s metav1.ConditionStatus, reason, msg string) {
		meta.SetStatusCondition(conds, metav1.Condition{Type: t, Status: s, Reason: reason, Message: msg, ObservedGeneration: o.Generation})
	}
	for _, d := range o.Deps {
		s := metav1.ConditionTrue
		if d.State != depReady {
			s = metav1.ConditionFalse
		}
		set(d.Type, s, d.Reason, d.Message)
	}

	var se *stallError
	switch {
	case errors.As(o.Err, &se):
		set(ConditionStalled, metav1.ConditionTrue, se.Reason, se.Message)
		set(ConditionReconciling, metav1.ConditionFalse, se.Reason, "Reconciliation stopped: "+se.Message)
		set(ConditionReady, metav1.ConditionFalse, se.Reason, se.Message)
		return true
	case o.Err != nil:
		msg := "Reconciliation failed and will be retried: " + o.Err.Error()
		set(ConditionStalled, metav1.ConditionFalse, ReasonReconcileError, "The operator is retrying.")
		set(ConditionReconciling, metav1.ConditionTrue, ReasonReconcileError, msg)
		set(ConditionReady, metav1.ConditionFalse, ReasonReconcileError, msg)
		return false
	}

	pruneConditions(conds, o.Deps)
	if d, ok := firstDep(o.Deps, depBlocked); ok {
		set(ConditionStalled, metav1.ConditionTrue, d.Reason, d.Message)
		set(ConditionReconciling, metav1.ConditionFalse, d.Reason, "Waiting for a change: "+d.Message)
		set(ConditionReady, metav1.ConditionFalse, d.Reason, d.Message)
		return true
	}
	set(ConditionStalled, metav1.ConditionFalse, ReasonSucceeded, "The operator is not blocked.")
	if d, ok := firstDep(o.Deps, depWaiting); ok {
		set(ConditionReconciling, metav1.ConditionTrue, ReasonProgressing, d.Message)
		set(ConditionReady, metav1.ConditionFalse, d.Reason, d.Message)
		return true
	}
	set(ConditionReconciling, metav1.ConditionFalse, ReasonSucceeded, "Reconciliation succeeded.")
	if o.Suspended {
		set(ConditionReady, metav1.ConditionFalse, ReasonSuspended, "The server is suspended (spec.suspend is true): scaled to zero, routes withdrawn.")
		return true
	}
	set(ConditionReady, metav1.ConditionTrue, ReasonSucceeded, "The server is ready.")
	return true
}

func firstDep(deps []dependency, s depState) (dependency, bool) {
	for _, d := range deps {
		if d.State == s {
			return d, true
		}
	}
	return dependency{}, false
}

// pruneConditions drops dependency conditions no step set in a completed
// pass (for instance IngressReady after spec.ingress was removed).
func pruneConditions(conds *[]metav1.Condition, deps []dependency) {
	keep := map[string]bool{ConditionReady: true, ConditionReconciling: true, ConditionStalled: true}
	for _, d := range deps {
		keep[d.Type] = true
	}
	out := (*conds)[:0]
	for _, c := range *conds {
		if keep[c.Type] {
			out = append(out, c)
		}
	}
	*conds = out
}

// transition describes a change of the summary worth an event, or "" when
// nothing changed: events are emitted on transitions only.
func transition(before, after []metav1.Condition) (eventType, reason, message string) {
	b, a := meta.FindStatusCondition(before, ConditionReady), meta.FindStatusCondition(after, ConditionReady)
	if a == nil || (b != nil && b.Status == a.Status && b.Reason == a.Reason) {
		return "", "", ""
	}
	if a.Status == metav1.ConditionTrue {
		return "Normal", a.Reason, a.Message
	}
	if s := meta.FindStatusCondition(after, ConditionStalled); s != nil && s.Status == metav1.ConditionTrue {
		return "Warning", a.Reason, a.Message
	}
	// A failing pass is worth a Warning even though it will be retried:
	// `kubectl get events --field-selector type=Warning` must show it.
	if a.Reason == ReasonReconcileError {
		return "Warning", a.Reason, a.Message
	}
	return "Normal", a.Reason, a.Message
}
