package controllers

import (
	cmv1 "github.com/cert-manager/cert-manager/pkg/apis/certmanager/v1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders/traefikapi"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Owner: the edge engineer (issue 4). The edge steps publish the server
// through Traefik with a certificate from cert-manager (or one managed
// elsewhere). They run after the core workload steps:
//
//   - edgeCertificate: Issuer or ClusterIssuer and Certificate (or checks the
//     spec.tls.secretName Secret); sets CertificateReady and
//     status.certificateNotAfter. See edge_certificate.go.
//   - edgeRoutes: TLSOption, Middlewares and IngressRoutes (none while
//     suspended); checks the basic-auth htpasswd Secret; sets IngressReady.
//     See edge_routes.go.
//
// An integration whose CRDs are absent is never touched; a CR that needs it
// gets a condition naming what to install (no error loop).
func (r *GitHubMCPServerReconciler) edgeSteps() []step {
	return []step{
		{"edgeCertificate", r.edgeCertificate},
		{"edgeRoutes", r.edgeRoutes},
	}
}

// The edge's permissions (generated into config/rbac/role.yaml): delete for
// the pruning of objects no longer wanted (pruneEdge, pruneCertManager) and
// the ClusterIssuer cleanup; patch on the CR for the ClusterIssuer finalizer.
//
// +kubebuilder:rbac:groups=traefik.io,resources=ingressroutes;middlewares;tlsoptions,verbs=get;list;watch;create;patch;delete
// +kubebuilder:rbac:groups=cert-manager.io,resources=issuers;certificates;clusterissuers,verbs=get;list;watch;create;patch;delete
// +kubebuilder:rbac:groups=mcp.githubmcp.dev,resources=githubmcpservers,verbs=patch

// Edge condition types and reasons.
const (
	ConditionIngressReady     = "IngressReady"
	ConditionCertificateReady = "CertificateReady"

	ReasonTraefikNotInstalled     = "TraefikNotInstalled"
	ReasonCertManagerNotInstalled = "CertManagerNotInstalled"
	ReasonTLSNotConfigured        = "TLSNotConfigured"
	ReasonCertificateIssued       = "CertificateIssued"
	ReasonCertificatePending      = "CertificatePending"
	ReasonCertificateSecretFound  = "CertificateSecretFound"
	ReasonCertificateSecretAbsent = "CertificateSecretNotFound"
	ReasonCertificateInvalid      = "CertificateInvalid"
	ReasonRoutesApplied           = "RoutesApplied"
	ReasonRoutesWithdrawn         = "RoutesWithdrawn"
	ReasonBasicAuthSecretMissing  = "BasicAuthSecretNotFound"
	ReasonBasicAuthInvalid        = "BasicAuthInvalid"
)

// Install hints, named in conditions when a CR needs an absent integration.
const (
	traefikMissingMessage = "spec.ingress.mode is Traefik but the Traefik CRDs (traefik.io/v1alpha1 IngressRoute, Middleware, TLSOption) are not installed: install Traefik v3 with its CRDs and restart the operator, or set spec.ingress.mode to Disabled."
	certManagerMissingMsg = "spec.tls.acme and spec.tls.issuerRef need cert-manager, but its CRDs (cert-manager.io/v1 Issuer, ClusterIssuer, Certificate) are not installed: install cert-manager v1.x with its CRDs and restart the operator, or use spec.tls.secretName."
)

// edgeWatches are the optional kinds the controller owns, returned only for
// integrations detected at start-up (a watch on an absent CRD makes the
// manager exit). The ClusterIssuer is not owned (cluster-scoped, no owner
// reference): the finalizer cleans it up and each pass re-applies it.
func (r *GitHubMCPServerReconciler) edgeWatches() []client.Object {
	var objs []client.Object
	if r.Options.Features.Traefik {
		objs = append(objs, &traefikapi.IngressRoute{}, &traefikapi.Middleware{}, &traefikapi.TLSOption{})
	}
	if r.Options.Features.CertManager {
		objs = append(objs, &cmv1.Issuer{}, &cmv1.Certificate{})
	}
	return objs
}
