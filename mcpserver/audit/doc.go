// Package audit writes the server's audit trail: one JSON line per HTTP
// request and one per tool call, on a stream of its own (stdout by default;
// operational logs go to stderr through slog), so that a log pipeline can
// route and retain it separately.
//
// Lines carry who (client identity and IP), what (method, path, tool), a
// SHA-256 digest of the tool's canonical arguments (never the values: they
// may hold file contents or private repository names), the outcome, the
// latency and the X-GitHub-Request-Id values of the upstream calls, so an
// audit line can be matched with GitHub's own logs. No credential is ever
// written: the writer knows nothing of headers or tokens.
package audit
