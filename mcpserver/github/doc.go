// Package github holds the MCP server's one GitHub credential and the
// upstream HTTP client built on it.
//
// The credential is either a personal access token read from a mounted file
// (re-read when a Kubernetes Secret rotation swaps the file, without a
// restart) or a GitHub App installation whose tokens are minted and refreshed
// before expiry. The client's transport chain injects that credential, caps
// concurrent upstream calls, waits a bounded time on GitHub rate limits and
// then fails with a typed *RateLimitError, serves conditional GETs from an
// ETag cache, and records each X-GitHub-Request-Id into the request context
// (mcpserver/reqctx) for the audit log.
//
// A client's own token never reaches this package: the HTTP front
// authenticates clients separately and only ever calls REST().
package github
