package builders

import (
	"fmt"
	"time"

	cmacme "github.com/cert-manager/cert-manager/pkg/apis/acme/v1"
	cmv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Owner: the edge engineer (issue 4). cert-manager objects: the ACME Issuer
// or ClusterIssuer (DNS-01 in Route 53) and the Certificate for the host.

// CertManagerAPIVersion is the apiVersion of Issuer, ClusterIssuer and
// Certificate.
const CertManagerAPIVersion = "cert-manager.io/v1"

// RenewBefore is how long before expiry cert-manager renews: 30 days, written
// in hours because Go durations have no unit for days.
const RenewBefore = 720 * time.Hour

// Labels on a ClusterIssuer naming the CR it belongs to. A cluster-scoped
// object cannot have a namespaced owner, so these labels (and the finalizer
// ClusterIssuerFinalizer on the CR) stand in for an owner reference.
const (
	LabelOwnerNamespace = "mcp.githubmcp.dev/owner-namespace"
	LabelOwnerName      = "mcp.githubmcp.dev/owner-name"
	// ClusterIssuerFinalizer on the CR keeps it until its ClusterIssuer is
	// deleted.
	ClusterIssuerFinalizer = "mcp.githubmcp.dev/cluster-issuer"
)

// IssuerName is the name of the namespaced ACME Issuer.
func IssuerName(cr *v1alpha1.GitHubMCPServer) string { return cr.Name + "-acme" }

// ClusterIssuerName is unique per CR across the cluster: namespaces and CR
// names are DNS labels (no dots), so the dots make the name unambiguous.
func ClusterIssuerName(cr *v1alpha1.GitHubMCPServer) string {
	return "ghmcp." + cr.Namespace + "." + cr.Name
}

// CertificateName is the name of the Certificate.
func CertificateName(cr *v1alpha1.GitHubMCPServer) string { return cr.Name }

// TLSSecretName is the kubernetes.io/tls Secret the IngressRoute serves:
// spec.tls.secretName, or the Secret our Certificate writes.
func TLSSecretName(cr *v1alpha1.GitHubMCPServer) string {
	if cr.Spec.TLS != nil && cr.Spec.TLS.SecretName != "" {
		return cr.Spec.TLS.SecretName
	}
	return cr.Name + "-tls"
}

// WantsClusterIssuer reports whether the CR asks for a ClusterIssuer.
func WantsClusterIssuer(cr *v1alpha1.GitHubMCPServer) bool {
	return cr.Spec.TLS != nil && cr.Spec.TLS.ACME != nil && cr.Spec.TLS.ACME.ClusterIssuer
}

// NeedsCertManager reports whether the CR's certificate comes from
// cert-manager (acme or issuerRef).
func NeedsCertManager(cr *v1alpha1.GitHubMCPServer) bool {
	return cr.Spec.TLS != nil && (cr.Spec.TLS.ACME != nil || cr.Spec.TLS.IssuerRef != nil)
}

// Issuer returns the ACME Issuer, or ClusterIssuer with
// spec.tls.acme.clusterIssuer, or nil when spec.tls has no acme. It is
// returned as unstructured so that the Route 53 solver carries only the
// credential fields in use: cert-manager's Go type always serialises
// secretAccessKeySecretRef, even empty.
func Issuer(cr *v1alpha1.GitHubMCPServer) (client.Object, error) {
	if cr.Spec.TLS == nil || cr.Spec.TLS.ACME == nil {
		return nil, nil
	}
	a := cr.Spec.TLS.ACME
	server := a.Server
	if server == "" {
		server = v1alpha1.LetsEncryptProduction
	}
	r := a.Route53
	solver := &cmacme.ACMEIssuerDNS01ProviderRoute53{
		Region: r.Region, HostedZoneID: r.HostedZoneID, Role: r.Role, AccessKeyID: r.AccessKeyID,
	}
	if s := r.SecretAccessKeySecretRef; s != nil {
		solver.SecretAccessKey = cmmeta.SecretKeySelector{LocalObjectReference: cmmeta.LocalObjectReference{Name: s.Name}, Key: s.Key}
	}
	if sa := r.ServiceAccountRef; sa != nil {
		solver.Auth = &cmacme.Route53Auth{Kubernetes: &cmacme.Route53KubernetesAuth{
			ServiceAccountRef: &cmacme.ServiceAccountRef{Name: sa.Name, TokenAudiences: append([]string(nil), sa.Audiences...)},
		}}
	}
	name := IssuerName(cr)
	meta := ObjectMeta(cr, name)
	kind := "Issuer"
	if a.ClusterIssuer {
		kind, name = "ClusterIssuer", ClusterIssuerName(cr)
		meta = metav1.ObjectMeta{Name: name, Labels: Labels(cr)}
		meta.Labels[LabelOwnerNamespace], meta.Labels[LabelOwnerName] = cr.Namespace, cr.Name
	}
	spec := cmv1.IssuerSpec{IssuerConfig: cmv1.IssuerConfig{ACME: &cmacme.ACMEIssuer{
		Email:  a.Email,
		Server: server,
		// The ACME account key; cert-manager creates it. For a
		// ClusterIssuer it lives in cert-manager's cluster resource
		// namespace.
		PrivateKey: cmmeta.SecretKeySelector{LocalObjectReference: cmmeta.LocalObjectReference{Name: name + "-account"}},
		Solvers: []cmacme.ACMEChallengeSolver{{
			Selector: &cmacme.CertificateDNSNameSelector{DNSNames: []string{cr.Spec.Ingress.Host}},
			DNS01:    &cmacme.ACMEChallengeSolverDNS01{Route53: solver},
		}},
	}}}
	var typed client.Object = &cmv1.Issuer{TypeMeta: metav1.TypeMeta{APIVersion: CertManagerAPIVersion, Kind: kind}, ObjectMeta: meta, Spec: spec}
	if a.ClusterIssuer {
		typed = &cmv1.ClusterIssuer{TypeMeta: metav1.TypeMeta{APIVersion: CertManagerAPIVersion, Kind: kind}, ObjectMeta: meta, Spec: spec}
	}
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(typed)
	if err != nil {
		return nil, fmt.Errorf("converting the %s: %w", kind, err)
	}
	u := &unstructured.Unstructured{Object: m}
	delete(u.Object, "status")
	unstructured.RemoveNestedField(u.Object, "metadata", "creationTimestamp")
	route53 := []string{"spec", "acme", "solvers"}
	solvers, _, _ := unstructured.NestedSlice(u.Object, route53...)
	for _, s := range solvers {
		r53, _, _ := unstructured.NestedMap(s.(map[string]any), "dns01", "route53")
		if ref, ok := r53["secretAccessKeySecretRef"].(map[string]any); ok && ref["name"] == "" {
			unstructured.RemoveNestedField(s.(map[string]any), "dns01", "route53", "secretAccessKeySecretRef")
		}
	}
	if err := unstructured.SetNestedSlice(u.Object, solvers, route53...); err != nil {
		return nil, err
	}
	return u, nil
}

// CertificateIssuerRef is the issuer our Certificate names.
func CertificateIssuerRef(cr *v1alpha1.GitHubMCPServer) (cmmeta.IssuerReference, bool) {
	switch {
	case cr.Spec.TLS == nil:
		return cmmeta.IssuerReference{}, false
	case cr.Spec.TLS.ACME != nil && cr.Spec.TLS.ACME.ClusterIssuer:
		return cmmeta.IssuerReference{Name: ClusterIssuerName(cr), Kind: "ClusterIssuer", Group: "cert-manager.io"}, true
	case cr.Spec.TLS.ACME != nil:
		return cmmeta.IssuerReference{Name: IssuerName(cr), Kind: "Issuer", Group: "cert-manager.io"}, true
	case cr.Spec.TLS.IssuerRef != nil:
		ref := cr.Spec.TLS.IssuerRef
		kind, group := string(ref.Kind), ref.Group
		if kind == "" {
			kind = string(v1alpha1.IssuerKindIssuer)
		}
		if group == "" {
			group = "cert-manager.io"
		}
		return cmmeta.IssuerReference{Name: ref.Name, Kind: kind, Group: group}, true
	}
	return cmmeta.IssuerReference{}, false
}

// Certificate is the certificate for spec.ingress.host, renewed 720h before
// expiry, with a fresh ECDSA P-256 key at every renewal. Nil when the
// certificate is not cert-manager's (spec.tls.secretName, or no spec.tls).
func Certificate(cr *v1alpha1.GitHubMCPServer) *cmv1.Certificate {
	ref, ok := CertificateIssuerRef(cr)
	if !ok {
		return nil
	}
	return &cmv1.Certificate{
		TypeMeta:   metav1.TypeMeta{APIVersion: CertManagerAPIVersion, Kind: "Certificate"},
		ObjectMeta: ObjectMeta(cr, CertificateName(cr)),
		Spec: cmv1.CertificateSpec{
			SecretName:  TLSSecretName(cr),
			DNSNames:    []string{cr.Spec.Ingress.Host},
			IssuerRef:   ref,
			RenewBefore: &metav1.Duration{Duration: RenewBefore},
			PrivateKey: &cmv1.CertificatePrivateKey{
				Algorithm:      cmv1.ECDSAKeyAlgorithm,
				Size:           256,
				RotationPolicy: cmv1.RotationPolicyAlways,
			},
			Usages: []cmv1.KeyUsage{cmv1.UsageDigitalSignature, cmv1.UsageServerAuth},
		},
	}
}
