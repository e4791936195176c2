// Package httpserver is the MCP server's HTTP front: the MCP endpoint over
// Streamable HTTP (stateless, so replicas need no sticky sessions), the OAuth
// protected-resource metadata (RFC 9728), and on a separate port the health
// and metrics endpoints.
//
// Every request to the MCP port passes an ordered chain of cheap checks
// before any expensive work, and each answers with a precise status:
//
//  1. client IP resolution (X-Forwarded-For only from trusted proxies);
//  2. ban and static deny list → 403, before any authentication work;
//  3. Host allow-list → 403 (DNS-rebinding protection on every socket),
//     when there is a public URL or --allowed-hosts; otherwise the MCP
//     SDK's own check refuses a foreign Host on a loopback socket;
//  4. routing: the public metadata document, or the MCP path, else 404;
//  5. Origin allow-list → 403 (no Origin header is allowed: non-browser
//     clients send none);
//  6. method → 405 (stateless Streamable HTTP is POST only); CORS headers
//     and preflight only for allowed browser origins;
//  7. body cap → 413;
//  8. client authentication → 401 with WWW-Authenticate pointing at the
//     metadata; every failure counts towards a ban;
//  9. the Authorization header and cookies are removed, so nothing
//     downstream (tools, the GitHub client) can see or forward them;
//  10. client narrowing headers → the per-request MCP server, or 400.
//
// One audit line is written per request, whatever the outcome.
package httpserver
