package main

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/hack/repopaths"
)

// TestMain builds whatever binary is missing under bin/ before any test
// starts its clock: on a fresh clone that takes minutes (make test builds
// them first, plain go test does it here), and the tests' deadlines are
// meant for the cluster, not the compiler.
func TestMain(m *testing.M) {
	ctx := context.Background()
	root, err := repopaths.RepoRoot()
	if err == nil {
		_, err = ensureTools(ctx, root, os.Stderr)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "hack/demo tests: %v\n", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}
