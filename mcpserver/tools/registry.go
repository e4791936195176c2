package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/github"
)

// ToolInfo describes one tool for docs, snapshots and policy.
type ToolInfo struct {
	Name     string `json:"name"`
	Toolset  string `json:"toolset"`
	ReadOnly bool   `json:"readOnly"`
	// Destructive marks write tools that overwrite or remove data.
	Destructive bool `json:"destructive"`
}

// deps is what tool handlers need at call time.
type deps struct {
	gh  *github.Client
	log *slog.Logger
}

// toolDef is one registered tool.
type toolDef struct {
	info     ToolInfo
	tool     *mcp.Tool
	register func(s *mcp.Server, d *deps)
}

var (
	registry []*toolDef
	byName   = map[string]*toolDef{}
)

// All returns every tool's name, toolset and flags, sorted by name.
func All() []ToolInfo {
	out := make([]ToolInfo, 0, len(registry))
	for _, t := range registry {
		out = append(out, t.info)
	}
	slices.SortFunc(out, func(a, b ToolInfo) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Tools returns every tool definition (name, description, schema,
// annotations), sorted by name, for the schema snapshot and docs.
func Tools() []*mcp.Tool {
	out := make([]*mcp.Tool, 0, len(registry))
	for _, t := range registry {
		out = append(out, t.tool)
	}
	slices.SortFunc(out, func(a, b *mcp.Tool) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// ToolsetNames returns the known toolset names in a stable order.
func ToolsetNames() []string {
	return []string{
		podcontract.ToolsetContext, podcontract.ToolsetRepos, podcontract.ToolsetIssues,
		podcontract.ToolsetPullRequests, podcontract.ToolsetUsers, podcontract.ToolsetActions,
		podcontract.ToolsetCodeSecurity,
	}
}

// handlerFunc is a tool's typed body. It returns a JSON-marshalable result,
// which is sanitized and sent as text, or an error, which becomes a tool
// error (IsError) with a readable message.
type handlerFunc[In any] func(ctx context.Context, d *deps, in *In) (any, error)

// define registers a tool. It is called from init functions only.
func define[In any](info ToolInfo, title, description string, schema *jsonschema.Schema, h handlerFunc[In]) {
	if _, dup := byName[info.Name]; dup {
		panic("tools: duplicate tool " + info.Name) // programming error at init
	}
	schema.AdditionalProperties = &jsonschema.Schema{Not: &jsonschema.Schema{}}
	readOnly, destructive := info.ReadOnly, info.Destructive
	openWorld := true
	t := &mcp.Tool{
		Name:        info.Name,
		Title:       title,
		Description: description,
		InputSchema: schema,
		Annotations: &mcp.ToolAnnotations{
			Title:           title,
			ReadOnlyHint:    readOnly,
			DestructiveHint: &destructive,
			OpenWorldHint:   &openWorld,
		},
	}
	d := &toolDef{info: info, tool: t}
	d.register = func(s *mcp.Server, dp *deps) {
		mcp.AddTool(s, t, func(ctx context.Context, _ *mcp.CallToolRequest, in In) (res *mcp.CallToolResult, _ any, err error) {
			defer func() {
				if r := recover(); r != nil {
					dp.log.Error("tool panicked", "tool", info.Name, "panic", panicSummary(r), "stack", string(debug.Stack()))
					res, err = errorResult(errors.New("internal error")), nil
				}
			}()
			out, herr := h(ctx, dp, &in)
			if herr != nil {
				return errorResult(toolError(herr)), nil, nil
			}
			res, eerr := textResult(out)
			if eerr != nil {
				// A result we cannot encode is our bug, not the caller's:
				// the cause goes to the log, and the client gets a tool
				// error (not a protocol error) without the encoder's
				// message, which may quote the value.
				dp.log.Error("cannot encode tool result", "tool", info.Name, "error", eerr)
				return errorResult(errors.New("internal error: cannot encode result")), nil, nil
			}
			return res, nil, nil
		})
	}
	registry = append(registry, d)
	byName[info.Name] = d
}

// panicSummary describes a recovered panic for the log. A runtime error's
// message ("index out of range [3] with length 2") holds no request data;
// any other panic value might (an argument, a GitHub response), so only its
// type is logged, as the HTTP front and audit.Recover do.
func panicSummary(r any) string {
	if re, ok := r.(runtime.Error); ok {
		return re.Error()
	}
	return fmt.Sprintf("%T", r)
}

func errorResult(err error) *mcp.CallToolResult {
	r := &mcp.CallToolResult{}
	r.SetError(err)
	return r
}

// maxResultBytes bounds one tool result sent to the client.
const maxResultBytes = 1 << 20

// textResult marshals v as JSON with every string sanitized. A string v is
// sent as is (it was sanitized by the handler). It fails only when v cannot
// be encoded; a result over the size limit is a tool error the client sees.
func textResult(v any) (*mcp.CallToolResult, error) {
	if s, ok := v.(string); ok {
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: s}}}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	b, err = SanitizeJSON(b)
	if err != nil {
		return nil, err
	}
	if len(b) > maxResultBytes {
		// Truncated JSON would mislead; ask for a smaller page instead.
		return errorResult(fmt.Errorf("result too large (%d KiB, limit %d KiB): ask for fewer items with perPage or a narrower query",
			len(b)>>10, maxResultBytes>>10)), nil
	}
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(b)}}}, nil
}
