package controllers

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"time"

	cmv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	cmmeta "github.com/cert-manager/cert-manager/pkg/apis/meta/v1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Owner: the edge engineer (issue 4).

// edgeCertificate makes sure a certificate for spec.ingress.host exists:
// cert-manager's (acme: our Issuer or ClusterIssuer plus a Certificate;
// issuerRef: a Certificate) or the user's (spec.tls.secretName). It sets
// CertificateReady and status.certificateNotAfter.
func (r *GitHubMCPServerReconciler) edgeCertificate(ctx context.Context, p *pass) error {
	cr := p.cr
	p.cr.Status.CertificateNotAfter = nil
	// A ClusterIssuer we made but no longer need (the CR changed mode, or
	// stopped publishing) is deleted now, not at CR deletion.
	if !builders.Exposed(cr) || !builders.WantsClusterIssuer(cr) || !r.Options.Features.CertManager {
		if err := r.releaseClusterIssuer(ctx, p.cr); err != nil {
			return err
		}
	}
	if r.Options.Features.CertManager {
		if err := r.pruneCertManager(ctx, p); err != nil {
			return err
		}
	}
	if !builders.Exposed(cr) {
		return nil
	}
	tls := cr.Spec.TLS
	switch {
	case tls == nil:
		p.setDependency(ConditionCertificateReady, depBlocked, ReasonTLSNotConfigured,
			"spec.tls is not set: a published server needs a certificate; set spec.tls.acme, spec.tls.issuerRef or spec.tls.secretName.")
		return nil
	case tls.SecretName != "":
		return r.checkTLSSecret(ctx, p, tls.SecretName)
	case !r.Options.Features.CertManager:
		p.setDependency(ConditionCertificateReady, depBlocked, ReasonCertManagerNotInstalled, certManagerMissingMsg)
		return nil
	}

	if builders.WantsClusterIssuer(cr) {
		if err := r.addFinalizer(ctx, p.cr, builders.ClusterIssuerFinalizer); err != nil {
			return err
		}
	}
	iss, err := builders.Issuer(cr)
	if err != nil {
		return stall(ReasonInvalidSpec, err.Error())
	}
	if iss != nil {
		if err := r.apply(ctx, iss); err != nil {
			return err
		}
	}
	cert := builders.Certificate(cr)
	if cert == nil {
		return nil
	}
	if err := r.apply(ctx, cert); err != nil {
		return err
	}
	state, reason, msg := certificateState(cert)
	p.setDependency(ConditionCertificateReady, state, reason, msg)
	if cert.Status.NotAfter != nil {
		t := *cert.Status.NotAfter
		p.cr.Status.CertificateNotAfter = &t
	}
	return nil
}

// certificateState reads a cert-manager Certificate's Ready condition. Pure,
// table-tested. The message carries no time or generated name.
func certificateState(c *cmv1.Certificate) (depState, string, string) {
	host := ""
	if len(c.Spec.DNSNames) > 0 {
		host = c.Spec.DNSNames[0]
	}
	for _, cond := range c.Status.Conditions {
		if cond.Type != cmv1.CertificateConditionReady {
			continue
		}
		if cond.ObservedGeneration != 0 && cond.ObservedGeneration < c.Generation {
			break
		}
		if cond.Status == cmmeta.ConditionTrue {
			return depReady, ReasonCertificateIssued, fmt.Sprintf("cert-manager issued the certificate for %s (Certificate %s).", host, c.Name)
		}
		return depWaiting, ReasonCertificatePending, fmt.Sprintf("Waiting for cert-manager to issue the certificate for %s (Certificate %s: %s).", host, c.Name, cond.Reason)
	}
	return depWaiting, ReasonCertificatePending, fmt.Sprintf("Waiting for cert-manager to issue the certificate for %s (Certificate %s).", host, c.Name)
}

// checkTLSSecret checks the certificate managed elsewhere: the Secret exists
// and its tls.crt is a PEM certificate that has not expired. Only the public
// certificate is parsed; tls.key is never read.
func (r *GitHubMCPServerReconciler) checkTLSSecret(ctx context.Context, p *pass, name string) error {
	s := &corev1.Secret{}
	err := r.APIReader.Get(ctx, client.ObjectKey{Namespace: p.cr.Namespace, Name: name}, s)
	switch {
	case apierrors.IsNotFound(err):
		p.setDependency(ConditionCertificateReady, depWaiting, ReasonCertificateSecretAbsent,
			fmt.Sprintf("Waiting for Secret %q named by spec.tls.secretName to exist in namespace %q.", name, p.cr.Namespace))
		return nil
	case err != nil:
		return fmt.Errorf("reading Secret %s: %w", name, err)
	}
	leaf, err := leafCertificate(s.Data[corev1.TLSCertKey])
	if err != nil {
		p.setDependency(ConditionCertificateReady, depBlocked, ReasonCertificateInvalid,
			fmt.Sprintf("Secret %q named by spec.tls.secretName: %v.", name, err))
		return nil
	}
	notAfter := leaf.NotAfter
	p.cr.Status.CertificateNotAfter = &metav1.Time{Time: notAfter}
	// With sniStrict, Traefik refuses every handshake for a host the
	// certificate does not cover.
	if host := p.cr.Spec.Ingress.Host; !coversHost(leaf, host) {
		p.setDependency(ConditionCertificateReady, depBlocked, ReasonCertificateInvalid,
			fmt.Sprintf("The certificate in Secret %q named by spec.tls.secretName does not cover spec.ingress.host %s.", name, host))
		return nil
	}
	if time.Now().After(notAfter) {
		p.setDependency(ConditionCertificateReady, depBlocked, ReasonCertificateInvalid,
			fmt.Sprintf("The certificate in Secret %q named by spec.tls.secretName has expired; renew it.", name))
		return nil
	}
	p.setDependency(ConditionCertificateReady, depReady, ReasonCertificateSecretFound,
		fmt.Sprintf("Secret %q named by spec.tls.secretName holds a valid certificate.", name))
	// Nothing watched changes when it expires: look again then.
	p.recheckIn(time.Until(notAfter) + time.Second)
	return nil
}

// coversHost reports whether c is valid for host by name (its SANs).
func coversHost(c *x509.Certificate, host string) bool { return c.VerifyHostname(host) == nil }

// leafCertificate returns the first certificate of a PEM bundle, the one a
// server presents.
func leafCertificate(pemData []byte) (*x509.Certificate, error) {
	if len(pemData) == 0 {
		return nil, fmt.Errorf("it has no %s", corev1.TLSCertKey)
	}
	for {
		var b *pem.Block
		b, pemData = pem.Decode(pemData)
		if b == nil {
			return nil, fmt.Errorf("its %s holds no PEM certificate", corev1.TLSCertKey)
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("its %s holds an unreadable certificate", corev1.TLSCertKey)
		}
		return c, nil
	}
}

// pruneCertManager deletes the namespaced Issuer and the Certificate this CR
// controls when the spec no longer asks for them (tls switched to
// secretName or issuerRef, or the server is no longer published), so
// cert-manager stops renewing a certificate nobody serves.
func (r *GitHubMCPServerReconciler) pruneCertManager(ctx context.Context, p *pass) error {
	cr := p.cr
	exposed := builders.Exposed(cr)
	var stale []client.Object
	if !exposed || cr.Spec.TLS == nil || cr.Spec.TLS.ACME == nil || cr.Spec.TLS.ACME.ClusterIssuer {
		stale = append(stale, &cmv1.Issuer{})
		stale[len(stale)-1].SetName(builders.IssuerName(cr))
	}
	if !exposed || builders.Certificate(cr) == nil {
		stale = append(stale, &cmv1.Certificate{})
		stale[len(stale)-1].SetName(builders.CertificateName(cr))
	}
	for _, o := range stale {
		err := r.Client.Get(ctx, client.ObjectKey{Namespace: cr.Namespace, Name: o.GetName()}, o)
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("reading %T %s: %w", o, o.GetName(), err)
		}
		if !metav1.IsControlledBy(o, cr) {
			continue // not ours: leave it alone
		}
		uid := o.GetUID()
		if err := r.Client.Delete(ctx, o, client.Preconditions{UID: &uid}); client.IgnoreNotFound(err) != nil {
			return fmt.Errorf("deleting %T %s: %w", o, o.GetName(), err)
		}
	}
	return nil
}
