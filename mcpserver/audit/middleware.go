package audit

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/metrics"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/reqctx"
)

// Tool-call outcomes.
const (
	OutcomeOK        = "ok"
	OutcomeToolError = "tool_error" // the tool ran and reported a failure (IsError)
	OutcomeError     = "error"      // JSON-RPC error: unknown tool, bad params, internal
)

// UnknownTool is the metrics label for calls to tools that do not exist, so
// that a client cannot grow the label set without bound.
const UnknownTool = "_unknown"

// maxToolNameLen bounds the tool name copied into an audit line.
const maxToolNameLen = 128

// ToolMiddleware returns an mcp.Middleware that writes one audit line and
// records metrics for every tools/call. Each call gets its own reqctx.Info
// (sharing the request's identity), so the GitHub request IDs on its line
// are exactly its own; they are also added to the request's Info for the
// HTTP line. defaultClientID names the client when the context carries no
// Info (the stdio transport).
func ToolMiddleware(l *Logger, m *metrics.Metrics, defaultClientID string) mcp.Middleware {
	return func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			call, ok := req.(*mcp.CallToolRequest)
			if !ok || method != "tools/call" || call.Params == nil {
				return next(ctx, method, req)
			}
			parent := reqctx.From(ctx)
			info := &reqctx.Info{ClientID: defaultClientID}
			if parent != nil {
				info.ClientID, info.ClientIP = parent.ClientID, parent.ClientIP
			}
			start := time.Now()
			res, err := next(reqctx.With(ctx, info), method, req)
			elapsed := time.Since(start)

			outcome := OutcomeOK
			if err != nil {
				outcome = OutcomeError
			} else if r, ok := res.(*mcp.CallToolResult); ok && r != nil && r.IsError {
				outcome = OutcomeToolError
			}
			ids := info.GitHubRequestIDs()
			for _, id := range ids {
				parent.AddGitHubRequestID(id)
			}
			name := call.Params.Name
			label := name
			if isUnknownTool(err) {
				label = UnknownTool
			}
			m.ObserveToolCall(label, outcome, elapsed)
			_ = l.Log(Record{
				Kind:             KindTool,
				RequestID:        RequestIDFrom(ctx),
				ClientID:         info.ClientID,
				ClientIP:         info.ClientIP,
				Tool:             truncate(name, maxToolNameLen),
				ArgsSHA256:       ArgsDigest(call.Params.Arguments),
				Outcome:          outcome,
				LatencyMS:        Millis(elapsed),
				GitHubRequestIDs: ids,
			})
			return res, err
		}
	}
}

func isUnknownTool(err error) bool {
	var werr *jsonrpc.Error
	return errors.As(err, &werr) && werr.Code == jsonrpc.CodeInvalidParams && strings.HasPrefix(werr.Message, "unknown tool")
}

// Millis converts a duration to fractional milliseconds, rounded to µs.
func Millis(d time.Duration) float64 {
	return float64(d.Microseconds()) / 1000
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}
