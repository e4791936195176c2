package builders

import (
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// WantsPDB reports whether the instance runs more than one pod, the only
// case where a PodDisruptionBudget helps (with one pod it would block node
// drains forever).
func WantsPDB(cr *v1alpha1.GitHubMCPServer) bool {
	return !cr.Spec.Suspend && cr.Spec.Replicas != nil && *cr.Spec.Replicas > 1
}

// PodDisruptionBudget keeps all but one pod up during voluntary disruptions.
// It returns nil when WantsPDB is false.
func PodDisruptionBudget(cr *v1alpha1.GitHubMCPServer) *policyv1.PodDisruptionBudget {
	if !WantsPDB(cr) {
		return nil
	}
	return &policyv1.PodDisruptionBudget{
		TypeMeta:   metav1.TypeMeta{APIVersion: "policy/v1", Kind: "PodDisruptionBudget"},
		ObjectMeta: ObjectMeta(cr, PDBName(cr)),
		Spec: policyv1.PodDisruptionBudgetSpec{
			MaxUnavailable:             ptr.To(intstr.FromInt32(1)),
			Selector:                   &metav1.LabelSelector{MatchLabels: SelectorLabels(cr)},
			UnhealthyPodEvictionPolicy: ptr.To(policyv1.AlwaysAllow),
		},
	}
}
