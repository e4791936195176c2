# The local demo, the install bundle and the kind e2e suite (issue 6).
# Included by the Makefile; uses its BIN, KUBERNETES_VERSION and KWOK_VERSION.

KUBECTL ?= $(BIN)/kubectl-$(KUBERNETES_VERSION)
# The operator image written into dist/install.yaml. Empty keeps the one
# config/manager names.
INSTALL_IMG ?=

##@ Demo and GitOps

.PHONY: demo
demo: ## The first command: a local cluster, the operator and a Ready GitHubMCPServer; Ctrl-C stops it all.
	go run ./hack/demo

.PHONY: demo-once
demo-once: ## The demo for CI: print everything, tear down, exit.
	go run ./hack/demo --once

.PHONY: demo-bins
demo-bins: ## Build the control plane, etcd, kwokctl and kwok into bin/ (first time only).
	hack/build-tools.sh control-plane etcd kwok

# The demo's tests (hack/demo) start kwok clusters, so `make test` builds
# the kwok binaries and the rest of the control plane first.
TEST_DEPS += demo-bins

.PHONY: build-installer
build-installer: ## Write dist/install.yaml from config/default (INSTALL_IMG=repo/name:tag to set the image).
	hack/build-tools.sh kubectl
	@mkdir -p dist
	@if [ -n "$(INSTALL_IMG)" ]; then \
		overlay=$$(mktemp -d "$(ROOT)/dist/.overlay-XXXXXX"); trap 'rm -rf "$$overlay"' EXIT; \
		printf 'resources:\n- ../../config/default\nimages:\n- name: ghcr.io/github-mcp-operator/manager\n  newName: %s\n  newTag: %s\n' \
			"$${INSTALL_IMG%:*}" "$${INSTALL_IMG##*:}" > "$$overlay/kustomization.yaml"; \
		$(KUBECTL) kustomize "$$overlay" > dist/install.yaml; \
	else \
		$(KUBECTL) kustomize config/default > dist/install.yaml; \
	fi
	@echo "wrote dist/install.yaml"

.PHONY: test-e2e
test-e2e: ## The kind e2e suite (needs Docker, kind, Helm): go test -tags e2e ./test/e2e/...
	go test -tags e2e -timeout 60m ./test/e2e/... -v -ginkgo.v
