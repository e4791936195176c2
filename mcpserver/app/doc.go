// Package app is the github-mcp-server program: command-line parsing and
// validation, and the wiring of the GitHub client, the tools, the HTTP front
// (or the stdio transport), audit, bans, metrics and health. The binary in
// cmd/github-mcp-server is a thin main around Main, so tests can run the
// whole server in-process against the fake GitHub.
//
// Configuration comes from flags only (named in api/podcontract), never
// from the environment: secrets live in mounted files.
package app
