package controllers

import (
	"fmt"

	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/discovery"
)

// TriState is an integration flag: auto (detect), true (require) or false.
// It implements flag.Value.
type TriState string

const (
	TriAuto  TriState = "auto"
	TriTrue  TriState = "true"
	TriFalse TriState = "false"
)

func (t *TriState) String() string { return string(*t) }

// Set parses a flag value.
func (t *TriState) Set(v string) error {
	switch TriState(v) {
	case TriAuto, TriTrue, TriFalse:
		*t = TriState(v)
		return nil
	}
	return fmt.Errorf("%q is not one of auto, true, false", v)
}

// FeatureFlags are the wanted state of each optional integration.
type FeatureFlags struct {
	Traefik, CertManager, ServiceMonitor TriState
}

// integration is an optional CRD group the operator can use.
type integration struct {
	name         string
	groupVersion string
	kinds        []string
	installHint  string
}

var (
	traefikIntegration = integration{
		name: "Traefik", groupVersion: "traefik.io/v1alpha1",
		kinds:       []string{"IngressRoute", "Middleware", "TLSOption"},
		installHint: "install Traefik v3 with its CRDs (the traefik Helm chart installs them), or run with --enable-traefik=false",
	}
	certManagerIntegration = integration{
		name: "cert-manager", groupVersion: "cert-manager.io/v1",
		kinds:       []string{"Certificate", "Issuer", "ClusterIssuer"},
		installHint: "install cert-manager with its CRDs (crds.enabled=true in its Helm chart), or run with --enable-cert-manager=false",
	}
	serviceMonitorIntegration = integration{
		name: "prometheus-operator", groupVersion: "monitoring.coreos.com/v1",
		kinds:       []string{"ServiceMonitor"},
		installHint: "install prometheus-operator's CRDs, or run with --enable-service-monitor=false",
	}
)

// DetectFeatures decides each integration once, at start-up: a watch on an
// absent CRD would make the manager exit, so an absent integration is never
// watched. An integration explicitly enabled but absent fails fast with an
// install hint.
func DetectFeatures(dc discovery.ServerResourcesInterface, s FeatureFlags) (builders.Features, error) {
	var f builders.Features
	var err error
	if f.Traefik, err = decide(dc, traefikIntegration, s.Traefik); err != nil {
		return f, err
	}
	if f.CertManager, err = decide(dc, certManagerIntegration, s.CertManager); err != nil {
		return f, err
	}
	if f.ServiceMonitor, err = decide(dc, serviceMonitorIntegration, s.ServiceMonitor); err != nil {
		return f, err
	}
	return f, nil
}

func decide(dc discovery.ServerResourcesInterface, in integration, want TriState) (bool, error) {
	if want == TriFalse {
		return false, nil
	}
	present, err := installed(dc, in)
	if err != nil {
		return false, err
	}
	if !present && want == TriTrue {
		return false, fmt.Errorf("%s integration enabled explicitly, but its CRDs (%s %v) are not installed: %s", in.name, in.groupVersion, in.kinds, in.installHint)
	}
	return present, nil
}

// installed reports whether every kind of the integration is served.
func installed(dc discovery.ServerResourcesInterface, in integration) (bool, error) {
	list, err := dc.ServerResourcesForGroupVersion(in.groupVersion)
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("discovering %s: %w", in.groupVersion, err)
	}
	served := map[string]bool{}
	for _, r := range list.APIResources {
		served[r.Kind] = true
	}
	for _, k := range in.kinds {
		if !served[k] {
			return false, nil
		}
	}
	return true, nil
}
