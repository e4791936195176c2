package tools

import (
	"slices"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
)

// TestRegistryIsTheContractsToolList: the operator's CRD enum is tested
// against podcontract.ToolNames too, so adding or renaming a tool here fails
// until the contract (and with it the CRD) says the same.
func TestRegistryIsTheContractsToolList(t *testing.T) {
	var got []string
	for _, info := range All() {
		got = append(got, info.Name)
	}
	if !slices.IsSorted(podcontract.ToolNames) {
		t.Fatalf("podcontract.ToolNames must be sorted: %v", podcontract.ToolNames)
	}
	if !slices.Equal(got, podcontract.ToolNames) {
		t.Fatalf("tool registry = %v\nwant podcontract.ToolNames = %v", got, podcontract.ToolNames)
	}
}
