//go:build tools

// Package tools pins the Traefik command built by hack/build-tools.sh traefik.
package tools

import (
	_ "github.com/traefik/traefik/v3/cmd/traefik"
)
