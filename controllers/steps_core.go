package controllers

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// validate re-checks, defensively, what the schema already enforces, so a CR
// stored before a schema change (or with the CRD's validation bypassed)
// stalls with a clear message instead of producing a broken pod.
func (r *GitHubMCPServerReconciler) validate(_ context.Context, p *pass) error {
	cr := builders.WithDefaults(p.cr)
	if _, err := builders.ServerArgs(cr); err != nil {
		return stall(ReasonInvalidSpec, err.Error())
	}
	if _, err := builders.GitHubPort(cr); err != nil {
		return stall(ReasonInvalidSpec, err.Error())
	}
	if _, err := builders.NetworkPolicies(cr); err != nil {
		return stall(ReasonInvalidSpec, err.Error())
	}
	return nil
}

// contentVersion identifies the content of a mounted Secret key for the
// restart hash. It is a digest of the data, not the Secret's
// resourceVersion: labels and annotations other tools add to a Secret change
// the resourceVersion but not what the pods read, and must not restart them.
// Only a one-way digest leaves this function, and the restart hash folds it
// further into a 64-bit prefix (as Reloader-style tools do).
func contentVersion(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// checkAppPrivateKey accepts what the server's GitHub App client can sign
// with: a PEM RSA private key, PKCS#1 (as GitHub issues it) or PKCS#8.
// Anything else would only show up as crash-looping pods.
func checkAppPrivateKey(data []byte) string {
	b, _ := pem.Decode(data)
	if b == nil {
		return "is not a PEM private key; it must hold the GitHub App's private key as downloaded from GitHub."
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil && k != nil {
		return ""
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return fmt.Sprintf("holds a PEM block of type %q that is not a readable RSA private key.", b.Type)
	}
	if _, ok := k.(*rsa.PrivateKey); !ok {
		return "holds a private key that is not RSA; GitHub Apps sign with RSA keys."
	}
	return ""
}

// secretRef is a Secret key the pods mount, with the field naming it.
type secretRef struct {
	field string
	ref   v1alpha1.SecretKeyRef
	// check, when set, returns "" for usable data or a sentence saying what
	// is wrong with it (never quoting it).
	check func(data []byte) string
}

func secretRefs(cr *v1alpha1.GitHubMCPServer) []secretRef {
	var out []secretRef
	if a := cr.Spec.GitHub.Auth; a.Token != nil {
		out = append(out, secretRef{field: "spec.github.auth.token.secretRef", ref: a.Token.SecretRef})
	} else if a.App != nil {
		out = append(out, secretRef{field: "spec.github.auth.app.privateKeySecretRef", ref: a.App.PrivateKeySecretRef, check: checkAppPrivateKey})
	}
	if ca := cr.Spec.ClientAuth; ca.Mode == v1alpha1.ClientAuthAPIKeys && ca.APIKeysSecretRef != nil {
		out = append(out, secretRef{field: "spec.clientAuth.apiKeysSecretRef", ref: *ca.APIKeysSecretRef})
	}
	return out
}

// credentials checks that every referenced Secret and key exists and
// records a digest of each mounted key for the restart hash. Secret values
// are read only to check they are non-empty and to digest them; they never
// leave this function.
func (r *GitHubMCPServerReconciler) credentials(ctx context.Context, p *pass) error {
	for _, sr := range secretRefs(p.cr) {
		s := &corev1.Secret{}
		err := r.APIReader.Get(ctx, client.ObjectKey{Namespace: p.cr.Namespace, Name: sr.ref.Name}, s)
		switch {
		case apierrors.IsNotFound(err):
			msg := fmt.Sprintf("Secret %q named by %s does not exist in namespace %q.", sr.ref.Name, sr.field, p.cr.Namespace)
			p.setDependency(ConditionCredentialsReady, depBlocked, ReasonSecretNotFound, msg)
			return stall(ReasonSecretNotFound, msg)
		case err != nil:
			return fmt.Errorf("reading Secret %s: %w", sr.ref.Name, err)
		}
		if len(s.Data[sr.ref.Key]) == 0 {
			msg := fmt.Sprintf("Secret %q has no non-empty key %q (named by %s).", sr.ref.Name, sr.ref.Key, sr.field)
			p.setDependency(ConditionCredentialsReady, depBlocked, ReasonSecretKeyMissing, msg)
			return stall(ReasonSecretKeyMissing, msg)
		}
		if sr.check != nil {
			if why := sr.check(s.Data[sr.ref.Key]); why != "" {
				msg := fmt.Sprintf("Key %q of Secret %q (named by %s) %s", sr.ref.Key, sr.ref.Name, sr.field, why)
				p.setDependency(ConditionCredentialsReady, depBlocked, ReasonSecretKeyInvalid, msg)
				return stall(ReasonSecretKeyInvalid, msg)
			}
		}
		p.in.SecretVersions[sr.ref.Name+"/"+sr.ref.Key] = contentVersion(s.Data[sr.ref.Key])
	}
	p.setDependency(ConditionCredentialsReady, depReady, ReasonSecretsFound, "Every referenced Secret and key exists.")
	return nil
}

func (r *GitHubMCPServerReconciler) applyServiceAccount(ctx context.Context, p *pass) error {
	return r.apply(ctx, builders.ServiceAccount(p.cr))
}

func (r *GitHubMCPServerReconciler) applyService(ctx context.Context, p *pass) error {
	return r.apply(ctx, builders.Service(p.cr))
}

func (r *GitHubMCPServerReconciler) applyNetworkPolicies(ctx context.Context, p *pass) error {
	nps, err := builders.NetworkPolicies(p.cr)
	if err != nil {
		return stall(ReasonInvalidSpec, err.Error())
	}
	for _, np := range nps {
		if err := r.apply(ctx, np); err != nil {
			return err
		}
	}
	return nil
}

// applyDeployment applies the Deployment and reports its rollout as
// WorkloadReady.
func (r *GitHubMCPServerReconciler) applyDeployment(ctx context.Context, p *pass) error {
	d, err := builders.Deployment(p.cr, p.in)
	if err != nil {
		return stall(ReasonInvalidSpec, err.Error())
	}
	if err := r.apply(ctx, d); err != nil {
		return err
	}
	p.cr.Status.ReadyReplicas = d.Status.ReadyReplicas
	state, reason, msg := workloadState(d)
	p.setDependency(ConditionWorkloadReady, state, reason, msg)
	return nil
}

// workloadState reads a Deployment's rollout. Pure, table-tested.
func workloadState(d *appsv1.Deployment) (depState, string, string) {
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	st := d.Status
	for _, c := range st.Conditions {
		if c.Type == appsv1.DeploymentProgressing && c.Status == corev1.ConditionFalse && c.Reason == "ProgressDeadlineExceeded" {
			return depBlocked, ReasonRolloutFailed, "The Deployment's rollout exceeded its progress deadline; check the pods' events (image, scheduling, probes)."
		}
	}
	switch {
	case st.ObservedGeneration < d.Generation:
		return depWaiting, ReasonRolloutPending, "Waiting for the Deployment controller to observe the new spec."
	case want == 0 && st.Replicas == 0:
		// Zero pods is what was asked for (spec.replicas: 0, or suspend, which
		// Ready reports on its own): nothing to wait for, nothing serving.
		return depReady, ReasonScaledToZero, "The Deployment is scaled to zero; no pod serves requests."
	case st.UpdatedReplicas < want:
		return depWaiting, ReasonRolloutPending, fmt.Sprintf("Rollout in progress: %d of %d pods updated.", st.UpdatedReplicas, want)
	case st.Replicas > st.UpdatedReplicas:
		return depWaiting, ReasonRolloutPending, "Rollout in progress: old pods are terminating."
	case st.AvailableReplicas < want:
		return depWaiting, ReasonRolloutPending, fmt.Sprintf("Waiting for pods: %d of %d available.", st.AvailableReplicas, want)
	}
	return depReady, ReasonDeploymentReady, fmt.Sprintf("The Deployment is available (%d of %d pods ready).", st.ReadyReplicas, want)
}

// reconcilePDB applies the PodDisruptionBudget when there is more than one
// replica, and deletes ours otherwise.
func (r *GitHubMCPServerReconciler) reconcilePDB(ctx context.Context, p *pass) error {
	if pdb := builders.PodDisruptionBudget(p.cr); pdb != nil {
		return r.apply(ctx, pdb)
	}
	pdb := &policyv1.PodDisruptionBudget{}
	err := r.Client.Get(ctx, client.ObjectKey{Namespace: p.cr.Namespace, Name: builders.PDBName(p.cr)}, pdb)
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading PodDisruptionBudget: %w", err)
	}
	if !metav1.IsControlledBy(pdb, p.cr) {
		return nil // not ours: leave it alone
	}
	if err := r.Client.Delete(ctx, pdb, client.Preconditions{UID: &pdb.UID}); client.IgnoreNotFound(err) != nil {
		return fmt.Errorf("deleting PodDisruptionBudget: %w", err)
	}
	return nil
}

// applyServiceMonitor applies the ServiceMonitor when prometheus-operator
// was detected at start-up; without it there is nothing to do.
func (r *GitHubMCPServerReconciler) applyServiceMonitor(ctx context.Context, p *pass) error {
	if !r.Options.Features.ServiceMonitor {
		return nil
	}
	sm, err := builders.ServiceMonitor(p.cr)
	if err != nil {
		return err
	}
	return r.apply(ctx, sm)
}

// setURL publishes status.url only while a route serves it: not while
// suspended, without Traefik, or while the routes are withdrawn (basic auth
// failed closed). Clients and dashboards take the URL as a promise.
func (r *GitHubMCPServerReconciler) setURL(_ context.Context, p *pass) error {
	p.cr.Status.URL = ""
	for _, d := range p.deps {
		if d.Type == ConditionIngressReady && d.State == depReady && d.Reason == ReasonRoutesApplied {
			p.cr.Status.URL = builders.PublicURL(builders.WithDefaults(p.cr))
		}
	}
	return nil
}

// apply applies one owned object: see Apply. An object the apiserver
// rejects as invalid (a value the CRD schema could not see, such as a
// malformed label selector) stalls the pass rather than retrying forever.
func (r *GitHubMCPServerReconciler) apply(ctx context.Context, obj client.Object) error {
	kind := obj.GetObjectKind().GroupVersionKind().Kind
	err := Apply(ctx, r.Client, obj)
	if apierrors.IsInvalid(err) || apierrors.IsBadRequest(err) {
		return stall(ReasonInvalidSpec, fmt.Sprintf("The apiserver rejected the %s built from this spec: %s", kind, apiMessage(err)))
	}
	return err
}

// apiMessage is the apiserver's message for err, without our wrapping.
func apiMessage(err error) string {
	var s apierrors.APIStatus
	if errors.As(err, &s) {
		return s.Status().Message
	}
	return err.Error()
}
