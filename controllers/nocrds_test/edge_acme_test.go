package nocrds_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers"
)

// TestACMEWithoutCertManagerOrTraefik: an exposed CR asking for an ACME
// certificate gets CertificateReady=False/CertManagerNotInstalled and
// IngressReady=False/TraefikNotInstalled, each naming what to install; the
// ClusterIssuer finalizer is not added (nothing to clean up); the workload
// exists; deleting the CR is not blocked; the operator keeps running.
func TestACMEWithoutCertManagerOrTraefik(t *testing.T) {
	c, ctx := env.Client, context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "edge-nocrds-"}}
	if err := c.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	if err := c.Create(ctx, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "github-pat", Namespace: ns.Name}, StringData: map[string]string{"token": "x"}}); err != nil {
		t.Fatal(err)
	}
	cr := &v1alpha1.GitHubMCPServer{
		ObjectMeta: metav1.ObjectMeta{Name: "acme", Namespace: ns.Name},
		Spec: v1alpha1.GitHubMCPServerSpec{
			GitHub:  v1alpha1.GitHubSpec{Auth: v1alpha1.GitHubAuth{Token: &v1alpha1.TokenAuth{SecretRef: v1alpha1.SecretKeyRef{Name: "github-pat", Key: "token"}}}},
			Ingress: &v1alpha1.IngressSpec{Host: "mcp.example.com"},
			TLS: &v1alpha1.TLSSpec{ACME: &v1alpha1.ACMESpec{Email: "ops@example.com", ClusterIssuer: true,
				Route53: v1alpha1.Route53Spec{Region: "us-east-1", Role: "arn:aws:iam::123456789012:role/dns01"}}},
			ClientAuth: v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthOIDC, OIDC: &v1alpha1.OIDCSpec{Issuer: "https://issuer.example.com"}},
		},
	}
	if err := c.Create(ctx, cr); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		controllers.ConditionCertificateReady: controllers.ReasonCertManagerNotInstalled,
		controllers.ConditionIngressReady:     controllers.ReasonTraefikNotInstalled,
	}
	var last string
	ok := false
	for range 300 {
		if err := c.Get(ctx, client.ObjectKeyFromObject(cr), cr); err != nil {
			t.Fatal(err)
		}
		ok, last = true, ""
		for typ, reason := range want {
			cond := meta.FindStatusCondition(cr.Status.Conditions, typ)
			if cond == nil || cond.Status != metav1.ConditionFalse || cond.Reason != reason || !strings.Contains(cond.Message, "install") {
				ok, last = false, fmt.Sprintf("%s = %+v", typ, cond)
			}
		}
		if ok {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !ok {
		t.Fatalf("conditions not reached: %s", last)
	}
	if cm := meta.FindStatusCondition(cr.Status.Conditions, controllers.ConditionCertificateReady); !strings.Contains(cm.Message, "cert-manager") {
		t.Errorf("CertificateReady must name cert-manager: %q", cm.Message)
	}
	if !meta.IsStatusConditionTrue(cr.Status.Conditions, controllers.ConditionStalled) {
		t.Errorf("Stalled must be True (only a human can install the CRDs): %+v", cr.Status.Conditions)
	}
	if len(cr.Finalizers) != 0 {
		t.Errorf("no ClusterIssuer can exist, so no finalizer: %v", cr.Finalizers)
	}
	if err := c.Get(ctx, client.ObjectKey{Namespace: ns.Name, Name: "acme"}, &appsv1.Deployment{}); err != nil {
		t.Errorf("the workload must be built without the edge CRDs: %v", err)
	}
	if err := c.Delete(ctx, cr); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		err := c.Get(ctx, client.ObjectKeyFromObject(cr), cr)
		if client.IgnoreNotFound(err) == nil && err != nil {
			break
		}
		if i == 300 {
			t.Fatalf("the CR was not deleted: %v", cr.Finalizers)
		}
		time.Sleep(100 * time.Millisecond)
	}
	select {
	case <-mgrDone:
		t.Fatalf("the operator stopped: %v", mgrErr)
	default:
	}
}
