// Package tools defines the GitHub MCP tools and the policy that decides
// which of them a client may see.
//
// API for the HTTP front (stable):
//
//	p := tools.Policy{Toolsets: ..., Allow: ..., Deny: ..., ReadOnly: true}
//	f, err := tools.NewFactory(tools.Options{Client: gh, Policy: p, Implementation: impl})
//	// NewFactory calls p.Validate: unknown toolset or tool names are an
//	// error naming them, to be reported at start-up.
//	handler := mcp.NewStreamableHTTPHandler(func(r *http.Request) *mcp.Server {
//		n, err := tools.ParseNarrowing(r.Header) // X-MCP-Toolsets, X-MCP-Tools, X-MCP-Readonly
//		if err != nil {
//			return nil // unknown names: answer 400
//		}
//		return f.Server(n) // cached per effective tool set
//	}, &mcp.StreamableHTTPOptions{Stateless: true})
//
// All and Tools describe every tool for docs and snapshots; Effective is the
// pure policy function behind Server and ToolNames.
//
// The agreed signatures are unchanged; additions: ParseNarrowing and the
// Header* constants, Narrowing.Validate, Effective, Tools, ToolsetNames and
// the sanitizer (Sanitize, StripInvisible, RemoveUnsafeHTML, SanitizeJSON).
// Package github adds Config.MaxRetries, *RateLimitError, DownloadTail and
// LastCheckError.
//
// The policy (toolsets, allow list, deny list, read-only) is an upper bound
// set by flags. A Narrowing, parsed from the request headers X-MCP-Toolsets,
// X-MCP-Tools and X-MCP-Readonly, can only remove tools from it: Effective is
// the intersection, never a union.
//
// Every tool validates its arguments (owner and repo names by GitHub's rules,
// relative file paths without "..", bounded counts) and returns bad input as
// an MCP tool error naming the argument. Text that comes back from GitHub is
// passed through Sanitize (invisible, tag and BiDi characters stripped, unsafe
// HTML removed) before it reaches the model.
package tools
