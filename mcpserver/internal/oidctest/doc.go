// Package oidctest runs a local OIDC issuer for tests: an httptest TLS
// server with a discovery document and a JWKS of a freshly generated RSA key,
// and a helper to mint signed tokens with chosen claims.
package oidctest
