// Command github-mcp-server is the GitHub MCP server that the operator
// deploys: one GitHub credential read from a mounted file, its own client
// authentication, audit, abuse bans, health and metrics. Run with -h for the
// flags; docs/mcp-server.md explains them.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app"
)

func main() {
	// SIGTERM (Kubernetes) and SIGINT (a terminal) start the graceful drain.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	code := app.Main(ctx, os.Args[1:], app.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	stop()
	os.Exit(code)
}
