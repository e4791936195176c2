package controllers_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	cmv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders/traefikapi"
	"golang.org/x/crypto/bcrypt"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
)

// Owner: the edge engineer (issue 4). Reconcile tests of the edge steps on
// the suite's control plane (real Traefik and cert-manager CRDs, no
// cert-manager or Traefik running: tests play cert-manager where needed).

// edgeTestCR is tokenCR published at mcp.example.com with tls.
func edgeTestCR(ns, name string, tls *v1alpha1.TLSSpec) *v1alpha1.GitHubMCPServer {
	cr := tokenCR(ns, name)
	cr.Spec.ClientAuth = v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthOIDC, OIDC: &v1alpha1.OIDCSpec{Issuer: "https://issuer.example.com"}}
	cr.Spec.Ingress = &v1alpha1.IngressSpec{Host: "mcp.example.com"}
	cr.Spec.TLS = tls
	return cr
}

func roleClusterIssuerTLS() *v1alpha1.TLSSpec {
	return &v1alpha1.TLSSpec{ACME: &v1alpha1.ACMESpec{
		Email: "ops@example.com", ClusterIssuer: true,
		Route53: v1alpha1.Route53Spec{Region: "us-east-1", Role: "arn:aws:iam::123456789012:role/dns01"},
	}}
}

func exists(obj client.Object, key client.ObjectKey) func() error {
	return func() error { return k8s.Get(ctx, key, obj) }
}

func gone(obj client.Object, key client.ObjectKey) func() error {
	return func() error {
		err := k8s.Get(ctx, key, obj)
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err == nil {
			return fmt.Errorf("%s still exists", key)
		}
		return err
	}
}

// TestEdgeClusterIssuerFinalizerCleansUp: a ClusterIssuer cannot be owned by
// the namespaced CR, so the finalizer must delete it when the CR goes.
func TestEdgeClusterIssuerFinalizerCleansUp(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	cr := edgeTestCR(ns, "ci", roleClusterIssuerTLS())
	if err := k8s.Create(ctx, cr); err != nil {
		t.Fatal(err)
	}
	ciKey := client.ObjectKey{Name: builders.ClusterIssuerName(cr)}
	ci := &cmv1.ClusterIssuer{}
	eventually(t, "ClusterIssuer created", exists(ci, ciKey))
	if ci.Labels[builders.LabelOwnerNamespace] != ns || ci.Labels[builders.LabelOwnerName] != "ci" || len(ci.OwnerReferences) != 0 {
		t.Fatalf("ClusterIssuer labels/owners wrong: %v %v", ci.Labels, ci.OwnerReferences)
	}
	if r53 := ci.Spec.ACME.Solvers[0].DNS01.Route53; r53.Role == "" || r53.SecretAccessKey.Name != "" || r53.Auth != nil {
		t.Fatalf("role-only solver wrong: %+v", r53)
	}
	eventually(t, "finalizer on the CR", func() error {
		if !controllerutil.ContainsFinalizer(getCR(t, ns, "ci"), builders.ClusterIssuerFinalizer) {
			return errors.New("no finalizer yet")
		}
		return nil
	})
	cert := &cmv1.Certificate{}
	eventually(t, "Certificate created", exists(cert, client.ObjectKey{Namespace: ns, Name: "ci"}))
	if cert.Spec.RenewBefore == nil || cert.Spec.RenewBefore.Duration != 720*time.Hour || cert.Spec.IssuerRef.Kind != "ClusterIssuer" {
		t.Fatalf("Certificate spec wrong: %+v", cert.Spec)
	}
	wantCondition(t, ns, "ci", controllers.ConditionCertificateReady, metav1.ConditionFalse, controllers.ReasonCertificatePending)

	// Not owned, yet repaired: deleting it brings it back. Settle the CR
	// first (certificate issued, workload available), so no requeue of a
	// waiting pass can mask a missing watch.
	markCertificateReady(t, ns, "ci", time.Now().Add(time.Hour))
	markDeploymentAvailable(t, ns, "ci")
	wantCondition(t, ns, "ci", controllers.ConditionReady, metav1.ConditionTrue, "")
	if err := k8s.Delete(ctx, ci); err != nil {
		t.Fatal(err)
	}
	eventually(t, "ClusterIssuer restored", func() error {
		fresh := &cmv1.ClusterIssuer{}
		if err := k8s.Get(ctx, ciKey, fresh); err != nil {
			return err
		}
		if fresh.UID == ci.UID {
			return errors.New("still the old ClusterIssuer")
		}
		return nil
	})

	if err := k8s.Delete(ctx, getCR(t, ns, "ci")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "ClusterIssuer deleted by the finalizer", gone(&cmv1.ClusterIssuer{}, ciKey))
	eventually(t, "CR gone", gone(&v1alpha1.GitHubMCPServer{}, client.ObjectKey{Namespace: ns, Name: "ci"}))
}

// TestEdgeClusterIssuerReleasedWhenNoLongerWanted: switching to a namespaced
// Issuer deletes the ClusterIssuer and drops the finalizer at once.
func TestEdgeClusterIssuerReleasedWhenNoLongerWanted(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	cr := edgeTestCR(ns, "switch", roleClusterIssuerTLS())
	if err := k8s.Create(ctx, cr); err != nil {
		t.Fatal(err)
	}
	ciKey := client.ObjectKey{Name: builders.ClusterIssuerName(cr)}
	eventually(t, "ClusterIssuer created", exists(&cmv1.ClusterIssuer{}, ciKey))
	patch := []byte(`{"spec":{"tls":{"acme":{"clusterIssuer":false,"route53":{"region":"us-east-1","role":"arn:aws:iam::123456789012:role/dns01","serviceAccountRef":{"name":"cm"}}}}}}`)
	if err := k8s.Patch(ctx, getCR(t, ns, "switch"), client.RawPatch(types.MergePatchType, patch)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "ClusterIssuer deleted", gone(&cmv1.ClusterIssuer{}, ciKey))
	eventually(t, "Issuer created", exists(&cmv1.Issuer{}, client.ObjectKey{Namespace: ns, Name: "switch-acme"}))
	// Then to a certificate managed elsewhere: our Issuer and Certificate go.
	patch = []byte(`{"spec":{"tls":{"acme":null,"secretName":"elsewhere"}}}`)
	if err := k8s.Patch(ctx, getCR(t, ns, "switch"), client.RawPatch(types.MergePatchType, patch)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Issuer pruned", gone(&cmv1.Issuer{}, client.ObjectKey{Namespace: ns, Name: "switch-acme"}))
	eventually(t, "Certificate pruned", gone(&cmv1.Certificate{}, client.ObjectKey{Namespace: ns, Name: "switch"}))
	eventually(t, "finalizer dropped", func() error {
		if controllerutil.ContainsFinalizer(getCR(t, ns, "switch"), builders.ClusterIssuerFinalizer) {
			return errors.New("finalizer still there")
		}
		return nil
	})
}

// TestEdgeCertificateReadyFollowsCertManager plays cert-manager: once the
// Certificate reports Ready with a notAfter, the CR says so.
func TestEdgeCertificateReadyFollowsCertManager(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	tls := &v1alpha1.TLSSpec{IssuerRef: &v1alpha1.IssuerRef{Name: "letsencrypt", Kind: v1alpha1.IssuerKindClusterIssuer}}
	if err := k8s.Create(ctx, edgeTestCR(ns, "certs", tls)); err != nil {
		t.Fatal(err)
	}
	wantCondition(t, ns, "certs", controllers.ConditionIngressReady, metav1.ConditionTrue, controllers.ReasonRoutesApplied)
	wantCondition(t, ns, "certs", controllers.ConditionCertificateReady, metav1.ConditionFalse, controllers.ReasonCertificatePending)
	notAfter := metav1.NewTime(time.Now().Add(90 * 24 * time.Hour).Truncate(time.Second))
	markCertificateReady(t, ns, "certs", notAfter.Time)
	wantCondition(t, ns, "certs", controllers.ConditionCertificateReady, metav1.ConditionTrue, controllers.ReasonCertificateIssued)
	eventually(t, "certificateNotAfter", func() error {
		got := getCR(t, ns, "certs").Status.CertificateNotAfter
		if got == nil || !got.Equal(&notAfter) {
			return fmt.Errorf("certificateNotAfter %v, want %v", got, notAfter)
		}
		return nil
	})
	if u := getCR(t, ns, "certs").Status.URL; u != "https://mcp.example.com/mcp" {
		t.Fatalf("status.url %q", u)
	}
}

// TestEdgeBasicAuthBcryptOnly: an MD5 htpasswd entry stalls IngressReady
// with a reason; replacing it with bcrypt (a Secret change, watched) heals.
func TestEdgeBasicAuthBcryptOnly(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	secret(t, ns, "htpasswd", map[string]string{"users": "alice:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/\n"})
	cr := edgeTestCR(ns, "ba", &v1alpha1.TLSSpec{SecretName: "ba-tls"})
	if err := k8s.Create(ctx, cr); err != nil {
		t.Fatal(err)
	}
	route := client.ObjectKey{Namespace: ns, Name: "ba"}
	eventually(t, "route served before basic auth", exists(&traefikapi.IngressRoute{}, route))
	// Asking for basic auth with an MD5 entry must withdraw the open route.
	patch := []byte(`{"spec":{"ingress":{"basicAuth":{"secretRef":{"name":"htpasswd"}}}}}`)
	if err := k8s.Patch(ctx, getCR(t, ns, "ba"), client.RawPatch(types.MergePatchType, patch)); err != nil {
		t.Fatal(err)
	}
	wantCondition(t, ns, "ba", controllers.ConditionIngressReady, metav1.ConditionFalse, controllers.ReasonBasicAuthInvalid)
	wantCondition(t, ns, "ba", controllers.ConditionStalled, metav1.ConditionTrue, "")
	if c := condition(t, ns, "ba", controllers.ConditionIngressReady); c == nil || !contains(c.Message, `user "alice"`) || contains(c.Message, "$apr1$") {
		t.Fatalf("message must name the user, never the hash: %+v", c)
	}
	eventually(t, "no route serves while basic auth is invalid (fail closed)", gone(&traefikapi.IngressRoute{}, route))
	eventually(t, "no status.url while no route serves it", wantURL(t, ns, "ba", ""))
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	s := &corev1.Secret{}
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: "htpasswd"}, s); err != nil {
		t.Fatal(err)
	}
	s.Data = map[string][]byte{"users": []byte("alice:" + string(hash) + "\n")}
	if err := k8s.Update(ctx, s); err != nil {
		t.Fatal(err)
	}
	wantCondition(t, ns, "ba", controllers.ConditionIngressReady, metav1.ConditionTrue, controllers.ReasonRoutesApplied)
	eventually(t, "route back with basic auth", exists(&traefikapi.IngressRoute{}, route))
	eventually(t, "status.url once routed", wantURL(t, ns, "ba", "https://mcp.example.com/mcp"))
	mw := &traefikapi.Middleware{}
	eventually(t, "basicAuth middleware", exists(mw, client.ObjectKey{Namespace: ns, Name: "ba-basicauth"}))
	if mw.Spec.BasicAuth == nil || mw.Spec.BasicAuth.Secret != "htpasswd" || !mw.Spec.BasicAuth.RemoveHeader {
		t.Fatalf("basicAuth middleware %+v", mw.Spec)
	}
}

// TestEdgeSecretNameAndSuspend: the TLS Secret is awaited, then read for its
// expiry; suspend withdraws the IngressRoutes and resume restores them.
func TestEdgeSecretNameAndSuspend(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	if err := k8s.Create(ctx, edgeTestCR(ns, "own", &v1alpha1.TLSSpec{SecretName: "own-cert"})); err != nil {
		t.Fatal(err)
	}
	wantCondition(t, ns, "own", controllers.ConditionCertificateReady, metav1.ConditionFalse, controllers.ReasonCertificateSecretAbsent)
	certPEM, keyPEM, notAfter := selfSigned(t, "mcp.example.com")
	tlsSecret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "own-cert", Namespace: ns}, Type: corev1.SecretTypeTLS,
		Data: map[string][]byte{corev1.TLSCertKey: certPEM, corev1.TLSPrivateKeyKey: keyPEM},
	}
	if err := k8s.Create(ctx, tlsSecret); err != nil {
		t.Fatal(err)
	}
	wantCondition(t, ns, "own", controllers.ConditionCertificateReady, metav1.ConditionTrue, controllers.ReasonCertificateSecretFound)
	if got := getCR(t, ns, "own").Status.CertificateNotAfter; got == nil || !got.Time.Equal(notAfter) {
		t.Fatalf("certificateNotAfter %v, want %v", got, notAfter)
	}
	routes := []client.ObjectKey{{Namespace: ns, Name: "own"}, {Namespace: ns, Name: "own-http-redirect"}}
	for _, k := range routes {
		eventually(t, "IngressRoute "+k.Name, exists(&traefikapi.IngressRoute{}, k))
	}
	ir := &traefikapi.IngressRoute{}
	if err := k8s.Get(ctx, routes[0], ir); err != nil {
		t.Fatal(err)
	}
	if ir.Spec.TLS == nil || ir.Spec.TLS.SecretName != "own-cert" || len(ir.Spec.Routes) != 2 {
		t.Fatalf("websecure route %+v", ir.Spec)
	}

	// Drift: a deleted route comes back, an edited middleware is restored.
	if err := k8s.Delete(ctx, ir); err != nil {
		t.Fatal(err)
	}
	eventually(t, "IngressRoute restored", func() error {
		fresh := &traefikapi.IngressRoute{}
		if err := k8s.Get(ctx, routes[0], fresh); err != nil {
			return err
		}
		if fresh.UID == ir.UID {
			return errors.New("still the old IngressRoute")
		}
		return nil
	})
	rl := client.ObjectKey{Namespace: ns, Name: "own-ratelimit"}
	mw := &traefikapi.Middleware{}
	if err := k8s.Get(ctx, rl, mw); err != nil {
		t.Fatal(err)
	}
	if err := k8s.Patch(ctx, mw, client.RawPatch(types.MergePatchType, []byte(`{"spec":{"rateLimit":{"average":100000}}}`))); err != nil {
		t.Fatal(err)
	}
	eventually(t, "rate limit restored", func() error {
		fresh := &traefikapi.Middleware{}
		if err := k8s.Get(ctx, rl, fresh); err != nil {
			return err
		}
		if fresh.Spec.RateLimit == nil || fresh.Spec.RateLimit.Average == nil || *fresh.Spec.RateLimit.Average != 100 {
			return fmt.Errorf("rate limit %+v", fresh.Spec.RateLimit)
		}
		return nil
	})

	setSuspend(t, ns, "own", true)
	for _, k := range routes {
		eventually(t, "IngressRoute withdrawn "+k.Name, gone(&traefikapi.IngressRoute{}, k))
	}
	wantCondition(t, ns, "own", controllers.ConditionIngressReady, metav1.ConditionTrue, controllers.ReasonRoutesWithdrawn)
	eventually(t, "middlewares kept while suspended", exists(&traefikapi.Middleware{}, client.ObjectKey{Namespace: ns, Name: "own-headers"}))
	setSuspend(t, ns, "own", false)
	for _, k := range routes {
		eventually(t, "IngressRoute back "+k.Name, exists(&traefikapi.IngressRoute{}, k))
	}
}

// markCertificateReady plays cert-manager: the Certificate is Ready and
// expires at notAfter.
func markCertificateReady(t *testing.T, ns, name string, notAfter time.Time) {
	t.Helper()
	na := metav1.NewTime(notAfter.Truncate(time.Second))
	eventually(t, "play cert-manager", func() error {
		c := &cmv1.Certificate{}
		if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, c); err != nil {
			return err
		}
		c.Status.NotAfter = &na
		c.Status.Conditions = []cmv1.CertificateCondition{{Type: cmv1.CertificateConditionReady, Status: cmmeta.ConditionTrue,
			Reason: "Ready", Message: "issued", ObservedGeneration: c.Generation, LastTransitionTime: &na}}
		return k8s.Status().Update(ctx, c)
	})
}

// wantURL checks status.url.
func wantURL(t *testing.T, ns, name, want string) func() error {
	return func() error {
		if got := getCR(t, ns, name).Status.URL; got != want {
			return fmt.Errorf("status.url = %q, want %q", got, want)
		}
		return nil
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func selfSigned(t *testing.T, host string) (certPEM, keyPEM []byte, notAfter time.Time) {
	t.Helper()
	return selfSignedUntil(t, host, time.Now().Add(48*time.Hour))
}

func selfSignedUntil(t *testing.T, host string, notAfter time.Time) (certPEM, keyPEM []byte, _ time.Time) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	notAfter = notAfter.Truncate(time.Second).UTC()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: notAfter}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), notAfter
}

// TestEdgeUnpublishRemovesEveryEdgeObject: when the server stops being
// published (spec.ingress.mode Disabled), nothing of the edge may linger:
// not the routes, and not the Middlewares or the TLSOption either.
func TestEdgeUnpublishRemovesEveryEdgeObject(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	if err := k8s.Create(ctx, edgeTestCR(ns, "unpub", &v1alpha1.TLSSpec{SecretName: "unpub-cert"})); err != nil {
		t.Fatal(err)
	}
	edge := map[client.ObjectKey]client.Object{
		{Namespace: ns, Name: "unpub"}:                &traefikapi.IngressRoute{},
		{Namespace: ns, Name: "unpub-http-redirect"}:  &traefikapi.IngressRoute{},
		{Namespace: ns, Name: "unpub-headers"}:        &traefikapi.Middleware{},
		{Namespace: ns, Name: "unpub-ratelimit"}:      &traefikapi.Middleware{},
		{Namespace: ns, Name: "unpub-redirect-https"}: &traefikapi.Middleware{},
	}
	tlsOption := client.ObjectKey{Namespace: ns, Name: builders.TLSOptionName(getCR(t, ns, "unpub"))}
	edge[tlsOption] = &traefikapi.TLSOption{}
	for k, o := range edge {
		eventually(t, fmt.Sprintf("%T %s", o, k.Name), exists(o, k))
	}
	patch := []byte(`{"spec":{"ingress":{"mode":"Disabled"}}}`)
	if err := k8s.Patch(ctx, getCR(t, ns, "unpub"), client.RawPatch(types.MergePatchType, patch)); err != nil {
		t.Fatal(err)
	}
	for k, o := range edge {
		eventually(t, fmt.Sprintf("%T %s removed", o, k.Name), gone(o, k))
	}
	eventually(t, "IngressReady dropped", func() error {
		if c := condition(t, ns, "unpub", controllers.ConditionIngressReady); c != nil {
			return fmt.Errorf("IngressReady still %+v", c)
		}
		return nil
	})
}

// TestEdgeOwnCertificateExpiryIsNoticed: nothing in the cluster changes when
// a certificate managed elsewhere (spec.tls.secretName) expires, so the
// operator must come back at its notAfter by itself and stop calling it
// valid.
func TestEdgeOwnCertificateExpiryIsNoticed(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	certPEM, keyPEM, _ := selfSignedUntil(t, "mcp.example.com", time.Now().Add(8*time.Second))
	if err := k8s.Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "exp-cert", Namespace: ns}, Type: corev1.SecretTypeTLS,
		Data: map[string][]byte{corev1.TLSCertKey: certPEM, corev1.TLSPrivateKeyKey: keyPEM},
	}); err != nil {
		t.Fatal(err)
	}
	if err := k8s.Create(ctx, edgeTestCR(ns, "exp", &v1alpha1.TLSSpec{SecretName: "exp-cert"})); err != nil {
		t.Fatal(err)
	}
	markDeploymentAvailable(t, ns, "exp")
	// Nothing is waiting any more, so no periodic requeue is due: only the
	// operator's own recheck at notAfter can notice the expiry. (On a slow
	// machine the certificate may already have expired by then; the end
	// state is the same, so this cannot flake.)
	wantCondition(t, ns, "exp", controllers.ConditionWorkloadReady, metav1.ConditionTrue, controllers.ReasonDeploymentReady)
	wantCondition(t, ns, "exp", controllers.ConditionCertificateReady, metav1.ConditionFalse, controllers.ReasonCertificateInvalid)
}

// TestEdgeOwnCertificateForAnotherHost: with sniStrict, Traefik refuses
// every handshake for a host its certificate does not cover, so such a
// certificate is not "valid" for this server.
func TestEdgeOwnCertificateForAnotherHost(t *testing.T) {
	ns := newNamespace(t)
	withSecrets(t, ns)
	certPEM, keyPEM, _ := selfSigned(t, "other.example.com")
	if err := k8s.Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "wrong-cert", Namespace: ns}, Type: corev1.SecretTypeTLS,
		Data: map[string][]byte{corev1.TLSCertKey: certPEM, corev1.TLSPrivateKeyKey: keyPEM},
	}); err != nil {
		t.Fatal(err)
	}
	if err := k8s.Create(ctx, edgeTestCR(ns, "wrong", &v1alpha1.TLSSpec{SecretName: "wrong-cert"})); err != nil {
		t.Fatal(err)
	}
	wantCondition(t, ns, "wrong", controllers.ConditionCertificateReady, metav1.ConditionFalse, controllers.ReasonCertificateInvalid)
	if c := condition(t, ns, "wrong", controllers.ConditionCertificateReady); !contains(c.Message, "mcp.example.com") {
		t.Errorf("the message must name the host the certificate does not cover: %q", c.Message)
	}
}
