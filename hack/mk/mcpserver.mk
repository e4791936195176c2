# The MCP server (issue 5): the TypeScript SDK interop client's npm
# dependencies, the server binary, and a longer fuzz run.
# Included by the Makefile.

TS_CLIENT_DIR := test/mcpclient-ts

##@ MCP server

# npm ci runs only when the lockfile or package.json is newer than the
# installed tree (node_modules/.package-lock.json is npm's own stamp).
$(TS_CLIENT_DIR)/node_modules/.package-lock.json: $(TS_CLIENT_DIR)/package.json $(TS_CLIENT_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "make test needs Node.js 18+ and npm for the TypeScript MCP client interop test (test/mcpclient-ts); install them (Debian: apt-get install nodejs npm) and rerun" >&2; exit 1; }
	npm ci --prefix $(TS_CLIENT_DIR) --ignore-scripts --no-audit --no-fund
	@touch $@

.PHONY: ts-client-deps
ts-client-deps: $(TS_CLIENT_DIR)/node_modules/.package-lock.json ## Install the TypeScript MCP client used by the interop test (npm ci, from the lockfile).

# test/mcpclient-ts/ts_test.go fails without these dependencies.
TEST_DEPS += ts-client-deps

.PHONY: build-mcp-server
build-mcp-server: ## Build bin/github-mcp-server (static).
	CGO_ENABLED=0 go build -trimpath -o bin/github-mcp-server ./cmd/github-mcp-server

FUZZTIME ?= 5m
.PHONY: fuzz-mcp-server
fuzz-mcp-server: ## Fuzz the MCP HTTP/JSON-RPC entry point for FUZZTIME (default 5m).
	go test -run '^$$' -fuzz '^FuzzJSONRPC$$' -fuzztime $(FUZZTIME) ./mcpserver/httpserver/
