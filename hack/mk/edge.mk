# The edge (issue 4): the real Traefik the tests in test/traefik run against.
# Included by the Makefile; uses its BIN and TRAEFIK_VERSION (from
# hack/versions.env, the single place that pins it).

# test/traefik reads TRAEFIK_BIN, so make and the tests agree on one path.
export TRAEFIK_BIN ?= $(abspath $(BIN))/traefik-$(TRAEFIK_VERSION)

##@ Edge

.PHONY: traefik-bin
traefik-bin: ## Build Traefik from its Go module into bin/ (first time only; several minutes).
	hack/build-tools.sh traefik

# test/traefik fails without the binary, so `make test` builds it first.
TEST_DEPS += traefik-bin

# The deepcopy code of the Traefik subset the operator writes
# (controllers/builders/traefikapi) is generated too; hooking it onto
# `generate` keeps `make verify` checking it.
.PHONY: generate-edge
generate-edge: $(CONTROLLER_GEN)
	$(CONTROLLER_GEN) object paths="./controllers/builders/traefikapi/..."
generate: generate-edge
