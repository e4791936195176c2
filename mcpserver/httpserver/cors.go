package httpserver

import (
	"net/http"
	"strings"
)

// CORS for browser-hosted MCP clients on an allowed origin. Only origins
// that passed the allow-list get these headers; others were refused with
// 403 before. Preflight needs no credentials (browsers send none), and
// credentials travel in the Authorization header, never in cookies, so
// Access-Control-Allow-Credentials is not set.

var (
	corsAllowHeaders = strings.Join([]string{
		"Authorization", "Content-Type", "Accept", "Mcp-Protocol-Version", "Mcp-Method", "Mcp-Name",
		"Mcp-Session-Id", "Last-Event-ID", "X-MCP-Toolsets", "X-MCP-Tools", "X-MCP-Readonly",
	}, ", ")
	corsExposeHeaders = strings.Join([]string{"Mcp-Session-Id", "Mcp-Protocol-Version", "WWW-Authenticate"}, ", ")
)

func setCORS(h http.Header, origin string) {
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
}

func preflight(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "POST")
	h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
	h.Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}
