package builders

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
)

// flag renders one command-line flag of the server. Every name comes from
// api/podcontract; none is typed here.
func flag(name, value string) string { return "--" + name + "=" + value }

// ServerArgs are the server container's arguments for a defaulted CR (see
// WithDefaults). The
// order is fixed so that the pod template (and the golden files) are stable.
func ServerArgs(cr *v1alpha1.GitHubMCPServer) ([]string, error) {
	s := cr.Spec
	args := []string{
		flag(pc.FlagListen, ":"+strconv.Itoa(pc.MCPPort)),
		flag(pc.FlagMetricsListen, ":"+strconv.Itoa(pc.MetricsPort)),
		flag(pc.FlagMCPPath, mcpPath(cr)),
		flag(pc.FlagGitHubHost, s.GitHub.Host),
	}
	switch a := s.GitHub.Auth; {
	case a.Token != nil && a.App != nil:
		return nil, fmt.Errorf("spec.github.auth sets both token and app; set exactly one")
	case a.Token != nil:
		args = append(args, flag(pc.FlagGitHubTokenFile, pc.GitHubTokenFile))
	case a.App != nil:
		args = append(args,
			flag(pc.FlagGitHubAppID, strconv.FormatInt(a.App.AppID, 10)),
			flag(pc.FlagGitHubInstallationID, strconv.FormatInt(a.App.InstallationID, 10)),
			flag(pc.FlagGitHubAppKeyFile, pc.GitHubAppPrivateKeyFile))
	default:
		return nil, fmt.Errorf("spec.github.auth sets neither token nor app; set exactly one")
	}
	args = append(args, flag(pc.FlagToolsets, joinStrings(s.GitHub.Toolsets)))
	if t := s.GitHub.Tools; t != nil {
		if len(t.Allow) > 0 {
			args = append(args, flag(pc.FlagToolsAllow, joinStrings(t.Allow)))
		}
		if len(t.Deny) > 0 {
			args = append(args, flag(pc.FlagToolsDeny, joinStrings(t.Deny)))
		}
	}
	args = append(args, flag(pc.FlagReadOnly, strconv.FormatBool(s.GitHub.ReadOnly == nil || *s.GitHub.ReadOnly)))
	if u := PublicURL(cr); u != "" {
		args = append(args, flag(pc.FlagPublicURL, u))
	}
	auth, err := clientAuthArgs(s.ClientAuth)
	if err != nil {
		return nil, err
	}
	args = append(args, auth...)
	args = append(args, httpArgs(s.HTTP)...)
	args = append(args, flag(pc.FlagAuditLog, string(s.Audit.Destination)))
	args = append(args, banArgs(s.Bans)...)
	return args, nil
}

func clientAuthArgs(ca v1alpha1.ClientAuthSpec) ([]string, error) {
	switch ca.Mode {
	case v1alpha1.ClientAuthNone:
		return []string{flag(pc.FlagClientAuth, pc.ClientAuthNone)}, nil
	case v1alpha1.ClientAuthOIDC:
		if ca.OIDC == nil {
			return nil, fmt.Errorf("spec.clientAuth.oidc is required when spec.clientAuth.mode is oidc")
		}
		args := []string{flag(pc.FlagClientAuth, pc.ClientAuthOIDC), flag(pc.FlagOIDCIssuer, ca.OIDC.Issuer)}
		if ca.OIDC.Audience != "" {
			args = append(args, flag(pc.FlagOIDCAudience, ca.OIDC.Audience))
		}
		return args, nil
	case v1alpha1.ClientAuthAPIKeys:
		if ca.APIKeysSecretRef == nil {
			return nil, fmt.Errorf("spec.clientAuth.apiKeysSecretRef is required when spec.clientAuth.mode is apiKeys")
		}
		return []string{flag(pc.FlagClientAuth, pc.ClientAuthAPIKeys), flag(pc.FlagAPIKeysFile, pc.APIKeysFile)}, nil
	default:
		return nil, fmt.Errorf("spec.clientAuth.mode %q is not one of oidc, apiKeys, none", ca.Mode)
	}
}

func httpArgs(h *v1alpha1.HTTPSpec) []string {
	if h == nil {
		return nil
	}
	var args []string
	if len(h.AllowedOrigins) > 0 {
		args = append(args, flag(pc.FlagAllowedOrigins, strings.Join(h.AllowedOrigins, ",")))
	}
	if len(h.TrustedProxies) > 0 {
		args = append(args, flag(pc.FlagTrustedProxies, strings.Join(h.TrustedProxies, ",")))
	}
	if h.MaxBodyBytes != nil {
		args = append(args, flag(pc.FlagMaxBodyBytes, strconv.FormatInt(*h.MaxBodyBytes, 10)))
	}
	return args
}

func banArgs(b *v1alpha1.BanSpec) []string {
	if b == nil {
		return nil
	}
	var args []string
	if b.Threshold != nil {
		args = append(args, flag(pc.FlagBanThreshold, strconv.Itoa(int(*b.Threshold))))
	}
	for _, f := range []struct{ name, v string }{
		{pc.FlagBanWindow, b.Window}, {pc.FlagBanDuration, b.Duration}, {pc.FlagBanMaxDuration, b.MaxDuration},
	} {
		if f.v != "" {
			args = append(args, flag(f.name, f.v))
		}
	}
	if len(b.DenyCIDRs) > 0 {
		args = append(args, flag(pc.FlagDenyCIDRs, strings.Join(b.DenyCIDRs, ",")))
	}
	return args
}

func mcpPath(cr *v1alpha1.GitHubMCPServer) string {
	if cr.Spec.Ingress != nil && cr.Spec.Ingress.Path != "" {
		return cr.Spec.Ingress.Path
	}
	return pc.DefaultMCPPath
}

func joinStrings[T ~string](in []T) string {
	s := make([]string, len(in))
	for i, v := range in {
		s[i] = string(v)
	}
	return strings.Join(s, ",")
}

// fileName is the last element of a contract path: the key a Secret volume
// item is projected to.
func fileName(p string) string { return path.Base(p) }
