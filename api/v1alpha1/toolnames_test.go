package v1alpha1_test

import (
	"encoding/json"
	"os"
	"slices"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
)

// TestToolNameEnumIsTheServersToolList: the CRD accepts exactly the tool
// names the server knows (mcpserver/tools tests its registry against the same
// podcontract list), so a typo in spec.github.tools is rejected at admission
// rather than crash-looping the pod.
func TestToolNameEnumIsTheServersToolList(t *testing.T) {
	data, err := os.ReadFile("../../config/crd/bases/mcp.githubmcp.dev_githubmcpservers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(data, crd); err != nil {
		t.Fatal(err)
	}
	github := crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"].Properties["github"]
	toolsets := enumOf(t, github.Properties["toolsets"].Items)
	wantToolsets := []string{podcontract.ToolsetActions, podcontract.ToolsetCodeSecurity, podcontract.ToolsetContext,
		podcontract.ToolsetIssues, podcontract.ToolsetPullRequests, podcontract.ToolsetRepos, podcontract.ToolsetUsers}
	if !slices.Equal(toolsets, wantToolsets) {
		t.Errorf("spec.github.toolsets enum = %v, want the podcontract toolsets %v", toolsets, wantToolsets)
	}
	tools := crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"].Properties["github"].Properties["tools"]
	for _, list := range []string{"allow", "deny"} {
		got := enumOf(t, tools.Properties[list].Items)
		if !slices.Equal(got, podcontract.ToolNames) {
			t.Errorf("spec.github.tools.%s enum = %v\nwant podcontract.ToolNames = %v", list, got, podcontract.ToolNames)
		}
	}
}

// enumOf returns the sorted enum of a list's item schema.
func enumOf(t *testing.T, items *apiextensionsv1.JSONSchemaPropsOrArray) []string {
	t.Helper()
	if items == nil || items.Schema == nil || len(items.Schema.Enum) == 0 {
		t.Fatal("list has no item enum")
	}
	var out []string
	for _, e := range items.Schema.Enum {
		var s string
		if err := json.Unmarshal(e.Raw, &s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}
