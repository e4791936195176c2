# github-mcp-operator — kubebuilder-style targets. `make help` lists them.
#
# Every tool this Makefile runs is built from a pinned Go module into bin/,
# named <tool>-<version>, so a version bump builds beside the old one and a
# second run rebuilds nothing. Nothing is downloaded except Go modules (and
# the npm packages of the TypeScript client test).

SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec
.DEFAULT_GOAL := help

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BIN  := $(ROOT)/bin
include hack/versions.env

CONTROLLER_TOOLS_VERSION ?= v0.23.0
GOLANGCI_LINT_VERSION    ?= v2.15.0
CONTROLLER_GEN ?= $(BIN)/controller-gen-$(CONTROLLER_TOOLS_VERSION)
GOLANGCI_LINT  ?= $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)

IMG_MANAGER ?= ghcr.io/github-mcp-operator/manager:dev
IMG_SERVER  ?= ghcr.io/github-mcp-operator/github-mcp-server:dev
CONTAINER_TOOL ?= docker

# go test flags; GO_TEST_FLAGS=-v for verbose runs. Packages that start a
# control plane take a while the first time, hence the generous timeout.
GO_TEST_FLAGS ?=
GO_TEST_TIMEOUT ?= 30m

# Fragments under hack/mk/ add targets and append to TEST_DEPS (targets
# `make test` runs before `go test`, e.g. the Traefik binary or npm ci).
TEST_DEPS :=
include $(wildcard hack/mk/*.mk)

##@ General

.PHONY: help
help: ## Show the targets.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Development

.PHONY: manifests
manifests: $(CONTROLLER_GEN) ## Generate the CRD and RBAC manifests from markers.
	$(CONTROLLER_GEN) rbac:roleName=manager-role crd paths="./api/..." paths="./controllers/..." output:crd:artifacts:config=config/crd/bases output:rbac:artifacts:config=config/rbac

.PHONY: generate
generate: $(CONTROLLER_GEN) ## Generate deepcopy code and apply configurations for our API.
	$(CONTROLLER_GEN) object paths="./api/..."
	$(CONTROLLER_GEN) applyconfiguration paths="./api/..."

.PHONY: fmt
fmt: ## go fmt.
	go fmt ./...

.PHONY: vet
vet: ## go vet, including the e2e suite behind its build tag.
	go vet ./...
	go vet -tags e2e ./test/...

.PHONY: lint
lint: $(GOLANGCI_LINT) ## Run golangci-lint v2.
	$(GOLANGCI_LINT) run ./...

.PHONY: test
test: control-plane-bins $(TEST_DEPS) vet ## Run every test on a real apiserver (builds the binaries the first time).
	go test -timeout $(GO_TEST_TIMEOUT) $(GO_TEST_FLAGS) ./... 2>&1 | tee $(BIN)/test-output.log
	hack/leak-check.sh $(BIN)/test-output.log

.PHONY: verify
verify: manifests generate fmt ## Regenerate everything; fail if a generated file is stale.
	@if [ -n "$$(git status --porcelain -- api config go.mod go.sum '*.go')" ]; then \
		echo "verify: generated files are stale or unformatted; run 'make manifests generate fmt' and commit:"; \
		git status --porcelain -- api config go.mod go.sum '*.go'; git --no-pager diff --stat; exit 1; \
	fi

##@ Build

.PHONY: build
build: ## Build the operator and the MCP server into bin/.
	go build -o $(BIN)/manager ./cmd/manager
	go build -o $(BIN)/github-mcp-server ./cmd/github-mcp-server

.PHONY: run
run: manifests ## Run the operator against the cluster of the current kubeconfig.
	go run ./cmd/manager

.PHONY: docker-build
docker-build: ## Build both images (needs a Docker engine).
	$(CONTAINER_TOOL) build --target manager -t $(IMG_MANAGER) .
	$(CONTAINER_TOOL) build --target github-mcp-server -t $(IMG_SERVER) .

##@ Tools

.PHONY: control-plane-bins
control-plane-bins: ## Build kube-apiserver, kubectl and etcd into bin/ (about 8 minutes the first time).
	hack/build-tools.sh kube-apiserver kubectl etcd

$(CONTROLLER_GEN):
	GOBIN=$(BIN)/.gobin go install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_TOOLS_VERSION)
	mv $(BIN)/.gobin/controller-gen $@

$(GOLANGCI_LINT):
	GOBIN=$(BIN)/.gobin go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(BIN)/.gobin/golangci-lint $@
