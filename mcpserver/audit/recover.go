package audit

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Recover returns an mcp.Middleware that turns a panic in a method handler
// (a tool) into a JSON-RPC internal error. The client sees a generic
// message, never a stack trace; the log gets the panic's type, not its
// value (which may hold request data).
func Recover(logger *slog.Logger) mcp.Middleware {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (res mcp.Result, err error) {
			defer func() {
				if p := recover(); p != nil {
					logger.Error("Panic in MCP handler", "method", method, "panic_type", fmt.Sprintf("%T", p), "request_id", RequestIDFrom(ctx))
					res, err = nil, &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "internal error"}
				}
			}()
			return next(ctx, method, req)
		}
	}
}
