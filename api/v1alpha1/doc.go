// Package v1alpha1 holds the GitHubMCPServer API (group mcp.githubmcp.dev).
//
// The schema is deliberately strict from the first version: every field is
// documented, bounded (MaxLength/MaxItems), and cross-field rules are CEL
// x-kubernetes-validations with a message that names the field, so a bad CR is
// rejected at admission instead of surfacing later as a broken pod.
//
// This package is a leaf: it imports only apimachinery and core API types.
//
// +kubebuilder:object:generate=true
// +kubebuilder:ac:generate=true
// +kubebuilder:ac:output:package="applyconfiguration"
// +groupName=mcp.githubmcp.dev
package v1alpha1
