// Package apptest runs the whole github-mcp-server in-process against the
// fake GitHub (mcpserver/githubfake), for end-to-end tests in Go and for
// driving other-language clients (test/mcpclient-ts). It captures the
// server's logs, its audit stream and every request it sends to GitHub, so
// tests can prove what reached GitHub and that no credential was logged.
package apptest
