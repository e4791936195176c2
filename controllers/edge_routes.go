package controllers

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders"
	"github.com/github-mcp-operator/github-mcp-operator/controllers/builders/traefikapi"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Owner: the edge engineer (issue 4).

// BasicAuthUsersKey is the Secret key Traefik's basicAuth middleware reads.
const BasicAuthUsersKey = "users"

// edgeRoutes applies the TLSOption, the Middlewares and (unless suspended)
// the IngressRoutes, removes the routes and middlewares no longer wanted,
// and sets IngressReady.
func (r *GitHubMCPServerReconciler) edgeRoutes(ctx context.Context, p *pass) error {
	cr := p.cr
	if !builders.Exposed(cr) {
		if r.Options.Features.Traefik {
			return r.pruneEdge(ctx, p, nil, pruneAll)
		}
		return nil
	}
	if !r.Options.Features.Traefik {
		p.setDependency(ConditionIngressReady, depBlocked, ReasonTraefikNotInstalled, traefikMissingMessage)
		return nil
	}
	if ba := cr.Spec.Ingress.BasicAuth; ba != nil {
		ok, err := r.checkBasicAuth(ctx, p, ba.SecretRef.Name)
		if err != nil {
			return err
		}
		if !ok {
			// Fail closed: routes built before basic auth was asked for
			// must not keep serving without it.
			return r.pruneEdge(ctx, p, nil, pruneRoutes)
		}
	}
	objs, err := builders.EdgeObjects(cr, builders.Inputs{Features: builders.Features{Traefik: true}})
	if err != nil {
		return stall(ReasonInvalidSpec, err.Error())
	}
	for _, o := range objs {
		if err := r.apply(ctx, o); err != nil {
			return err
		}
	}
	if err := r.pruneEdge(ctx, p, objs, pruneUnwanted); err != nil {
		return err
	}
	if cr.Spec.Suspend {
		p.setDependency(ConditionIngressReady, depReady, ReasonRoutesWithdrawn, "spec.suspend is true: the Traefik routes are withdrawn.")
		return nil
	}
	secure, _, _ := builders.EntryPoints(cr)
	p.setDependency(ConditionIngressReady, depReady, ReasonRoutesApplied,
		fmt.Sprintf("Traefik routes %s on entry point %s, with security headers, rate limit and TLS option %s.", builders.PublicURL(cr), secure, builders.TLSOptionName(cr)))
	return nil
}

// Which edge objects a pass prunes (see pruneEdge).
type pruneScope int

const (
	// pruneRoutes removes only the IngressRoutes not wanted: basic auth
	// failed closed, the rest of the edge stays for when it is fixed.
	pruneRoutes pruneScope = iota
	// pruneUnwanted also removes the Middlewares not wanted (an option was
	// removed). The TLSOption is always wanted while published.
	pruneUnwanted
	// pruneAll removes every edge object of the CR, TLSOption included: the
	// server is no longer published.
	pruneAll
)

// pruneEdge deletes the Traefik objects this CR controls that are not in
// keep, within scope: routes while suspended or after the redirect is
// disabled, middlewares whose option was removed, everything once the server
// is no longer published. Other actors' objects are left alone.
func (r *GitHubMCPServerReconciler) pruneEdge(ctx context.Context, p *pass, keep []client.Object, scope pruneScope) error {
	wanted := map[string]bool{}
	for _, o := range keep {
		wanted[o.GetObjectKind().GroupVersionKind().Kind+"/"+o.GetName()] = true
	}
	sel := client.MatchingLabels{builders.LabelInstance: p.cr.Name, builders.LabelManagedBy: builders.ManagedBy}
	var stale []client.Object
	routes := &traefikapi.IngressRouteList{}
	if err := r.Client.List(ctx, routes, client.InNamespace(p.cr.Namespace), sel); err != nil {
		return fmt.Errorf("listing IngressRoutes: %w", err)
	}
	for i := range routes.Items {
		if o := &routes.Items[i]; !wanted["IngressRoute/"+o.Name] {
			stale = append(stale, o)
		}
	}
	if scope >= pruneUnwanted {
		// Middlewares stay while suspended (they are in keep): only the
		// routes are withdrawn.
		mws := &traefikapi.MiddlewareList{}
		if err := r.Client.List(ctx, mws, client.InNamespace(p.cr.Namespace), sel); err != nil {
			return fmt.Errorf("listing Middlewares: %w", err)
		}
		for i := range mws.Items {
			if o := &mws.Items[i]; !wanted["Middleware/"+o.Name] {
				stale = append(stale, o)
			}
		}
	}
	if scope == pruneAll {
		opts := &traefikapi.TLSOptionList{}
		if err := r.Client.List(ctx, opts, client.InNamespace(p.cr.Namespace), sel); err != nil {
			return fmt.Errorf("listing TLSOptions: %w", err)
		}
		for i := range opts.Items {
			stale = append(stale, &opts.Items[i])
		}
	}
	for _, o := range stale {
		if !metav1.IsControlledBy(o, p.cr) {
			continue
		}
		uid := o.GetUID()
		if err := r.Client.Delete(ctx, o, client.Preconditions{UID: &uid}); client.IgnoreNotFound(err) != nil {
			return fmt.Errorf("deleting %s: %w", o.GetName(), err)
		}
	}
	return nil
}

// checkBasicAuth reads the htpasswd Secret and accepts it only if every
// entry is user:bcrypt-hash. Traefik also accepts MD5 (apr1) and SHA-1,
// which are fast to brute-force; those are refused with a condition. The
// hashes never appear in a message.
func (r *GitHubMCPServerReconciler) checkBasicAuth(ctx context.Context, p *pass, name string) (bool, error) {
	s := &corev1.Secret{}
	err := r.APIReader.Get(ctx, client.ObjectKey{Namespace: p.cr.Namespace, Name: name}, s)
	switch {
	case apierrors.IsNotFound(err):
		p.setDependency(ConditionIngressReady, depBlocked, ReasonBasicAuthSecretMissing,
			fmt.Sprintf("Secret %q named by spec.ingress.basicAuth.secretRef does not exist in namespace %q; the routes are withdrawn until it does.", name, p.cr.Namespace))
		return false, nil
	case err != nil:
		return false, fmt.Errorf("reading Secret %s: %w", name, err)
	}
	if msg := checkHtpasswd(s.Data[BasicAuthUsersKey]); msg != "" {
		p.setDependency(ConditionIngressReady, depBlocked, ReasonBasicAuthInvalid,
			fmt.Sprintf("Secret %q named by spec.ingress.basicAuth.secretRef: %s The routes are withdrawn until it is fixed.", name, msg))
		return false, nil
	}
	return true, nil
}

// checkHtpasswd returns "" for a non-empty htpasswd file whose every entry
// is user:bcrypt, or a sentence naming the first bad line (by number and
// user, never the hash). Pure, table-tested.
func checkHtpasswd(data []byte) string {
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Sprintf("key %q is missing or empty; it must hold htpasswd lines user:bcrypt-hash.", BasicAuthUsersKey)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	n, users := 0, 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, hash, ok := strings.Cut(line, ":")
		if !ok || user == "" {
			return fmt.Sprintf("line %d of key %q is not user:hash.", n, BasicAuthUsersKey)
		}
		if !isBcrypt(hash) {
			return fmt.Sprintf("the hash of user %q (line %d) is not bcrypt; only $2y$, $2a$ and $2b$ hashes are accepted (htpasswd -B).", user, n)
		}
		users++
	}
	if users == 0 {
		return fmt.Sprintf("key %q has no user.", BasicAuthUsersKey)
	}
	return ""
}

// isBcrypt recognises a modular-crypt bcrypt hash: $2a$, $2b$ or $2y$, a
// two-digit cost from 04 to 31, and 53 characters of salt and digest.
func isBcrypt(h string) bool {
	if len(h) != 60 || (!strings.HasPrefix(h, "$2a$") && !strings.HasPrefix(h, "$2b$") && !strings.HasPrefix(h, "$2y$")) {
		return false
	}
	cost := h[4:6]
	if h[6] != '$' || cost < "04" || cost > "31" || cost[0] < '0' || cost[0] > '9' || cost[1] < '0' || cost[1] > '9' {
		return false
	}
	for _, c := range h[7:] {
		if c != '.' && c != '/' && (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
