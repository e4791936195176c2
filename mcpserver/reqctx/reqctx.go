// Package reqctx carries per-request facts through a context: who the client
// is, where it connects from, and which GitHub requests served it. The HTTP
// front (authentication, audit) writes them; the GitHub client reads or adds
// to them. It is a leaf package so that both sides can share it.
package reqctx

import (
	"context"
	"sync"
)

// Info describes one MCP request. It is safe for concurrent use.
type Info struct {
	// ClientID is the authenticated client identity (OIDC subject or API key
	// name), or "anonymous" when client authentication is "none".
	ClientID string
	// ClientIP is the client address after trusted-proxy resolution.
	ClientIP string

	mu         sync.Mutex
	requestIDs []string
}

type key struct{}

// With returns a context that carries info.
func With(ctx context.Context, info *Info) context.Context {
	return context.WithValue(ctx, key{}, info)
}

// From returns the Info in ctx, or nil.
func From(ctx context.Context) *Info {
	info, _ := ctx.Value(key{}).(*Info)
	return info
}

// AddGitHubRequestID records the X-GitHub-Request-Id of an upstream call.
// It is a no-op on a nil Info, so callers need not check.
func (i *Info) AddGitHubRequestID(id string) {
	if i == nil || id == "" {
		return
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	if len(i.requestIDs) < 16 { // bounded: one tool call makes few upstream calls
		i.requestIDs = append(i.requestIDs, id)
	}
}

// GitHubRequestIDs returns a copy of the recorded upstream request IDs.
func (i *Info) GitHubRequestIDs() []string {
	if i == nil {
		return nil
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]string(nil), i.requestIDs...)
}
