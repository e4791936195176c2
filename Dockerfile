# syntax=docker/dockerfile:1
#
# Two images from one build context:
#   docker build --target github-mcp-server -t <repo>/github-mcp-server:<tag> .
#   docker build --target manager           -t <repo>/manager:<tag> .
# Multi-arch: docker buildx build --platform linux/amd64,linux/arm64 --target ... .
#
# Both are static (CGO_ENABLED=0) binaries on distroless "static": no shell,
# no package manager, no libc. They run as UID/GID 1001 (the pod contract's
# RunAsUser/RunAsGroup) on a read-only root filesystem; the only writable
# path is /tmp, which the operator mounts as an emptyDir (readOnlyRootFilesystem
# makes the image's own /tmp unwritable, so the emptyDir is required).
# Nothing is written at run time besides an optional --audit-log file, which
# must then live under /tmp or another mounted volume.

# Keep in step with the go directive in go.mod.
ARG GO_VERSION=1.26
ARG BASE_IMAGE=gcr.io/distroless/static-debian12:nonroot

# The compiler runs on the build machine's own platform and cross-compiles
# (pure Go: no emulation needed for foreign architectures).
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS deps
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY api/ api/
COPY cmd/ cmd/
COPY controllers/ controllers/
COPY mcpserver/ mcpserver/

FROM deps AS build-github-mcp-server
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath \
      -ldflags "-s -w -X github.com/github-mcp-operator/github-mcp-operator/mcpserver/app.Version=${VERSION}" \
      -o /out/github-mcp-server ./cmd/github-mcp-server

FROM deps AS build-manager
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath -ldflags "-s -w" -o /out/manager ./cmd/manager

# The MCP server. Ports: 8080 MCP (Traefik only), 9090 health and metrics.
FROM ${BASE_IMAGE} AS github-mcp-server
COPY --from=build-github-mcp-server /out/github-mcp-server /github-mcp-server
USER 1001:1001
EXPOSE 8080 9090
ENTRYPOINT ["/github-mcp-server"]

# The operator. Listed last, so a plain `docker build .` builds it.
FROM ${BASE_IMAGE} AS manager
COPY --from=build-manager /out/manager /manager
USER 1001:1001
ENTRYPOINT ["/manager"]
