// Package auth authenticates the MCP server's clients. It is entirely
// separate from the server's own GitHub credential: a client's token is
// checked here and then dropped, never forwarded upstream.
//
// Modes (one or more, or "none" chosen explicitly):
//   - oidc: a JWT bearer token verified against the issuer's JWKS (discovered
//     from the issuer URL), whose audience must contain the server's public
//     resource URL (RFC 8707 / RFC 9728 audience binding);
//   - apikeys: named keys from a mounted file of "name:sha256:<hex>" lines,
//     compared in constant time and re-read when the file changes;
//   - none: every request is "anonymous". Chosen only explicitly; the caller
//     logs a warning and sets a metric.
//
// Both real modes read "Authorization: Bearer <token>". An API key is tried
// first (a hash lookup); a token shaped like a JWT then goes to OIDC.
package auth
