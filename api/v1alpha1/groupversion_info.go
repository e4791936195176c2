package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	// GroupVersion is the group and version of this API.
	GroupVersion = schema.GroupVersion{Group: "mcp.githubmcp.dev", Version: "v1alpha1"}

	// SchemeBuilder registers the types of this package with a runtime.Scheme.
	// It is apimachinery's builder, not controller-runtime's, so that this
	// package depends on apimachinery only and stays cheap to import.
	SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)

	// AddToScheme adds the types of this package to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)

// SchemeGroupVersion is GroupVersion under the name generated code (apply
// configurations) expects.
var SchemeGroupVersion = GroupVersion

// addKnownTypes registers the kinds of this group version, and the meta
// types (ListOptions and friends) every group version needs.
func addKnownTypes(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion, &GitHubMCPServer{}, &GitHubMCPServerList{})
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}
