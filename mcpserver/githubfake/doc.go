// Package githubfake is a local fake of the GitHub REST API for tests, on an
// httptest TLS server. It serves every endpoint the MCP tools use with
// realistic JSON (go-github's own types), and adds the behaviour the server's
// security claims rest on:
//
//   - token checking: only tokens it knows (SetTokens, or minted for the
//     GitHub App) pass; anything else is 401 "Bad credentials", so a test
//     proves the server sends its own credential and never a client's;
//   - App installation tokens: POST /app/installations/{id}/access_tokens
//     verifies the app JWT (RS256) with the app's public key and mints a
//     short-lived token;
//   - ETags on every GET and 304 Not Modified on If-None-Match;
//   - rate limits on demand (403 with X-RateLimit-Remaining: 0 and
//     X-RateLimit-Reset, or 429 with Retry-After);
//   - a request log tests can inspect;
//   - the GitHub Enterprise Server path prefix /api/v3.
//
// The data set is one repository, octo-org/hello-world, whose texts carry
// invisible characters and HTML comments so tests can check sanitization.
package githubfake
