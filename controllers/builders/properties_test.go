package builders_test

import (
	"strings"
	"testing"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/ptr"
)

func fixtures() map[string]*v1alpha1.GitHubMCPServer {
	return map[string]*v1alpha1.GitHubMCPServer{"token": tokenCR(), "app": appCR(), "suspended": suspendedCR()}
}

// TestDeploymentHardening checks, for every fixture, the controls the
// restricted Pod Security profile and the threat model require.
func TestDeploymentHardening(t *testing.T) {
	for name, cr := range fixtures() {
		t.Run(name, func(t *testing.T) {
			d, err := builders.Deployment(cr, inputs)
			if err != nil {
				t.Fatal(err)
			}
			ps := d.Spec.Template.Spec
			check := func(what string, ok bool) {
				t.Helper()
				if !ok {
					t.Errorf("%s: not hardened", what)
				}
			}
			check("automountServiceAccountToken", ps.AutomountServiceAccountToken != nil && !*ps.AutomountServiceAccountToken)
			check("enableServiceLinks", ps.EnableServiceLinks != nil && !*ps.EnableServiceLinks)
			check("pod runAsNonRoot", ptr.Deref(ps.SecurityContext.RunAsNonRoot, false))
			check("runAsUser", ptr.Deref(ps.SecurityContext.RunAsUser, 0) == pc.RunAsUser)
			check("runAsGroup", ptr.Deref(ps.SecurityContext.RunAsGroup, 0) == pc.RunAsGroup)
			check("fsGroup", ptr.Deref(ps.SecurityContext.FSGroup, 0) == pc.RunAsGroup)
			check("pod seccomp", ps.SecurityContext.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault)
			if len(ps.Containers) != 1 || len(ps.InitContainers) != 0 {
				t.Fatalf("want exactly one container, got %d (+%d init)", len(ps.Containers), len(ps.InitContainers))
			}
			c := ps.Containers[0]
			sc := c.SecurityContext
			check("readOnlyRootFilesystem", ptr.Deref(sc.ReadOnlyRootFilesystem, false))
			check("allowPrivilegeEscalation", sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation)
			check("capabilities drop ALL", sc.Capabilities != nil && len(sc.Capabilities.Add) == 0 && len(sc.Capabilities.Drop) == 1 && sc.Capabilities.Drop[0] == "ALL")
			check("liveness on /healthz metrics port", c.LivenessProbe.HTTPGet.Path == pc.HealthzPath && c.LivenessProbe.HTTPGet.Port.StrVal == pc.MetricsPortName)
			check("readiness on /readyz metrics port", c.ReadinessProbe.HTTPGet.Path == pc.ReadyzPath && c.ReadinessProbe.HTTPGet.Port.StrVal == pc.MetricsPortName)
			check("maxUnavailable 0", d.Spec.Strategy.RollingUpdate.MaxUnavailable.IntVal == 0)
			for _, e := range c.Env {
				if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
					t.Errorf("env %s comes from a Secret; credentials must be files", e.Name)
				}
			}
			if len(c.EnvFrom) > 0 {
				t.Errorf("envFrom must stay empty")
			}
			var sawTmp, sawCred bool
			for _, v := range ps.Volumes {
				switch {
				case v.EmptyDir != nil:
					sawTmp = true
				case v.Secret != nil:
					sawCred = true
					if len(v.Secret.Items) != 1 || ptr.Deref(v.Secret.Items[0].Mode, 0) != 0o400 || ptr.Deref(v.Secret.DefaultMode, 0) != 0o400 {
						t.Errorf("secret volume %s: want exactly one item with mode 0400, got %+v", v.Name, v.Secret)
					}
				default:
					t.Errorf("unexpected volume kind %s", v.Name)
				}
			}
			check("/tmp emptyDir", sawTmp)
			check("credential volume", sawCred)
		})
	}
}

func TestRestartHashFollowsSecretVersions(t *testing.T) {
	a, _ := builders.Deployment(tokenCR(), builders.Inputs{SecretVersions: map[string]string{"github-pat": "1", "mcp-api-keys": "1"}})
	b, _ := builders.Deployment(tokenCR(), builders.Inputs{SecretVersions: map[string]string{"github-pat": "2", "mcp-api-keys": "1"}})
	c, _ := builders.Deployment(tokenCR(), builders.Inputs{SecretVersions: map[string]string{"mcp-api-keys": "1", "github-pat": "1"}})
	ha, hb, hc := a.Spec.Template.Annotations[builders.RestartHashAnnotation], b.Spec.Template.Annotations[builders.RestartHashAnnotation], c.Spec.Template.Annotations[builders.RestartHashAnnotation]
	if ha == "" || ha == hb {
		t.Errorf("hash must change with a Secret's resourceVersion: %q vs %q", ha, hb)
	}
	if ha != hc {
		t.Errorf("hash must not depend on map order: %q vs %q", ha, hc)
	}
}

func TestReplicasAndPDB(t *testing.T) {
	for _, tc := range []struct {
		name     string
		replicas *int32
		suspend  bool
		want     *int32
		pdb      bool
	}{
		{"unset leaves replicas to others", nil, false, nil, false},
		{"one", ptr.To[int32](1), false, ptr.To[int32](1), false},
		{"three", ptr.To[int32](3), false, ptr.To[int32](3), true},
		{"suspended", ptr.To[int32](3), true, ptr.To[int32](0), false},
		{"suspended unset", nil, true, ptr.To[int32](0), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cr := tokenCR()
			cr.Spec.Replicas, cr.Spec.Suspend = tc.replicas, tc.suspend
			d, err := builders.Deployment(cr, inputs)
			if err != nil {
				t.Fatal(err)
			}
			if (d.Spec.Replicas == nil) != (tc.want == nil) || (tc.want != nil && *d.Spec.Replicas != *tc.want) {
				t.Errorf("replicas = %v, want %v", ptr.Deref(d.Spec.Replicas, -1), ptr.Deref(tc.want, -1))
			}
			if got := builders.PodDisruptionBudget(cr) != nil; got != tc.pdb {
				t.Errorf("PDB = %v, want %v", got, tc.pdb)
			}
		})
	}
}

func TestServerArgsRejectsBadAuth(t *testing.T) {
	both := tokenCR()
	both.Spec.GitHub.Auth.App = appCR().Spec.GitHub.Auth.App
	none := tokenCR()
	none.Spec.GitHub.Auth.Token = nil
	oidcNoIssuer := tokenCR()
	oidcNoIssuer.Spec.ClientAuth = v1alpha1.ClientAuthSpec{Mode: v1alpha1.ClientAuthOIDC}
	badMode := tokenCR()
	badMode.Spec.ClientAuth.Mode = "magic"
	for name, cr := range map[string]*v1alpha1.GitHubMCPServer{"both": both, "none": none, "oidc without issuer": oidcNoIssuer, "unknown mode": badMode} {
		if _, err := builders.Deployment(cr, inputs); err == nil {
			t.Errorf("%s: want an error", name)
		}
		if _, err := builders.Desired(cr, inputs); err == nil {
			t.Errorf("%s: Desired must fail too", name)
		}
	}
}

// TestArgsUseContractFlags guards against a flag typed by hand: every
// argument must be one of the contract's flags.
func TestArgsUseContractFlags(t *testing.T) {
	known := map[string]bool{}
	for _, f := range []string{pc.FlagListen, pc.FlagMetricsListen, pc.FlagMCPPath, pc.FlagPublicURL, pc.FlagAllowedOrigins, pc.FlagMaxBodyBytes,
		pc.FlagGitHubHost, pc.FlagGitHubTokenFile, pc.FlagGitHubAppID, pc.FlagGitHubInstallationID, pc.FlagGitHubAppKeyFile,
		pc.FlagToolsets, pc.FlagToolsAllow, pc.FlagToolsDeny, pc.FlagReadOnly, pc.FlagClientAuth, pc.FlagOIDCIssuer, pc.FlagOIDCAudience,
		pc.FlagAPIKeysFile, pc.FlagTrustedProxies, pc.FlagAuditLog, pc.FlagBanThreshold, pc.FlagBanWindow, pc.FlagBanDuration,
		pc.FlagBanMaxDuration, pc.FlagDenyCIDRs} {
		known[f] = true
	}
	for name, cr := range fixtures() {
		args, err := builders.ServerArgs(builders.WithDefaults(cr))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range args {
			n, _, ok := strings.Cut(strings.TrimPrefix(a, "--"), "=")
			if !ok || !strings.HasPrefix(a, "--") || !known[n] {
				t.Errorf("%s: argument %q is not a contract flag", name, a)
			}
		}
	}
}

func TestNetworkPolicies(t *testing.T) {
	nps, err := builders.NetworkPolicies(appCR())
	if err != nil {
		t.Fatal(err)
	}
	deny, ing, eg := nps[0], nps[1], nps[2]
	if len(deny.Spec.Ingress) != 0 || len(deny.Spec.Egress) != 0 || len(deny.Spec.PolicyTypes) != 2 {
		t.Errorf("default deny must have both policy types and no rules: %+v", deny.Spec)
	}
	if got := ing.Spec.Ingress[0].Ports[0].Port.IntVal; got != pc.MCPPort {
		t.Errorf("first ingress rule is for port %d, want the MCP port", got)
	}
	if ns := ing.Spec.Ingress[0].From[0].NamespaceSelector; ns == nil || len(ns.MatchLabels) == 0 {
		t.Errorf("MCP port must be limited to the Traefik namespace")
	}
	if got := eg.Spec.Egress[1].Ports[0].Port.IntVal; got != 8443 {
		t.Errorf("GitHub egress port = %d, want the GHES port 8443", got)
	}
	for _, r := range eg.Spec.Egress {
		for _, p := range r.To {
			if p.IPBlock != nil && (p.IPBlock.CIDR == "0.0.0.0/0" || p.IPBlock.CIDR == "::/0") {
				t.Errorf("egress to the whole internet")
			}
		}
	}
	bad := tokenCR()
	bad.Spec.NetworkPolicy = &v1alpha1.NetworkPolicySpec{GitHubEgressCIDRs: []string{"not-a-cidr"}}
	if _, err := builders.NetworkPolicies(bad); err == nil {
		t.Errorf("an invalid CIDR must be an error")
	}
}

func TestDesiredIsCoreWhenNotExposed(t *testing.T) {
	objs, err := builders.Desired(tokenCR(), inputs)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, o := range objs {
		kinds = append(kinds, o.GetObjectKind().GroupVersionKind().Kind+"/"+o.GetName())
		if len(o.GetOwnerReferences()) != 1 || o.GetOwnerReferences()[0].Kind != "GitHubMCPServer" {
			t.Errorf("%s has no controller owner reference", o.GetName())
		}
		if o.GetLabels()[builders.LabelManagedBy] != builders.ManagedBy {
			t.Errorf("%s lacks app.kubernetes.io labels", o.GetName())
		}
	}
	want := "ServiceAccount/demo Service/demo NetworkPolicy/demo-default-deny NetworkPolicy/demo-ingress NetworkPolicy/demo-egress Deployment/demo"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("Desired = %s\nwant      %s", got, want)
	}
}

func TestWithDefaultsDoesNotMutate(t *testing.T) {
	cr := tokenCR()
	_ = builders.WithDefaults(cr)
	if cr.Spec.Image != "" || cr.Spec.Resources != nil || cr.Spec.NetworkPolicy != nil {
		t.Errorf("WithDefaults mutated its input")
	}
	d := builders.WithDefaults(cr)
	if d.Spec.Image != v1alpha1.DefaultImage || len(d.Spec.GitHub.Toolsets) != 5 || !*d.Spec.GitHub.ReadOnly {
		t.Errorf("defaults not applied: %+v", d.Spec)
	}
}
