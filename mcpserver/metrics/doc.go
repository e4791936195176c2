// Package metrics holds the MCP server's Prometheus registry and the
// collectors of the HTTP front: requests by status code, tool calls by tool
// and outcome, latency histograms, authentication failures, bans and the
// client-auth-none gauge. The GitHub client registers its own collectors
// (rate-limit remaining, cache hits) on the same registry through
// Metrics.Registry, so one /metrics endpoint serves everything.
package metrics
