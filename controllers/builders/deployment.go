package builders

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"sort"

	pc "github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/api/v1alpha1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/utils/ptr"
)

// Volume names in the pod.
const (
	volTmp        = "tmp"
	volCredential = "github-credential" //nolint:gosec // G101: a volume name, not a credential
	volAPIKeys    = "client-api-keys"
)

// secretFileMode is the mode of mounted Secret files: owner read-only. The
// kubelet adds group read for the pod's fsGroup, which the server runs as.
const secretFileMode int32 = 0o400

// Deployment builds the server's Deployment.
func Deployment(cr *v1alpha1.GitHubMCPServer, in Inputs) (*appsv1.Deployment, error) {
	cr = WithDefaults(cr)
	args, err := ServerArgs(cr)
	if err != nil {
		return nil, err
	}
	volumes, mounts, err := podVolumes(cr)
	if err != nil {
		return nil, err
	}
	d := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: ObjectMeta(cr, DeploymentName(cr)),
		Spec: appsv1.DeploymentSpec{
			// Unset replicas are left to others (an HPA); suspend forces 0.
			Replicas:             cr.Spec.Replicas,
			RevisionHistoryLimit: ptr.To[int32](5),
			Selector:             &metav1.LabelSelector{MatchLabels: SelectorLabels(cr)},
			Strategy: appsv1.DeploymentStrategy{
				Type: appsv1.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &appsv1.RollingUpdateDeployment{
					MaxUnavailable: ptr.To(intstr.FromInt32(0)),
					MaxSurge:       ptr.To(intstr.FromInt32(1)),
				},
			},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{
					Labels:      Labels(cr),
					Annotations: map[string]string{RestartHashAnnotation: RestartHash(in.SecretVersions)},
				},
				Spec: podSpec(cr, args, volumes, mounts),
			},
		},
	}
	if cr.Spec.Suspend {
		d.Spec.Replicas = ptr.To[int32](0)
	}
	return d, nil
}

func podSpec(cr *v1alpha1.GitHubMCPServer, args []string, volumes []corev1.Volume, mounts []corev1.VolumeMount) corev1.PodSpec {
	return corev1.PodSpec{
		ServiceAccountName:           ServiceAccountName(cr),
		AutomountServiceAccountToken: ptr.To(false),
		EnableServiceLinks:           ptr.To(false),
		ImagePullSecrets:             cr.Spec.ImagePullSecrets,
		SecurityContext: &corev1.PodSecurityContext{
			RunAsNonRoot:   ptr.To(true),
			RunAsUser:      ptr.To[int64](pc.RunAsUser),
			RunAsGroup:     ptr.To[int64](pc.RunAsGroup),
			FSGroup:        ptr.To[int64](pc.RunAsGroup),
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		},
		Containers: []corev1.Container{{
			Name:            ContainerName,
			Image:           cr.Spec.Image,
			ImagePullPolicy: cr.Spec.ImagePullPolicy,
			Args:            args,
			Ports: []corev1.ContainerPort{
				{Name: pc.MCPPortName, ContainerPort: pc.MCPPort, Protocol: corev1.ProtocolTCP},
				{Name: pc.MetricsPortName, ContainerPort: pc.MetricsPort, Protocol: corev1.ProtocolTCP},
			},
			Env: []corev1.EnvVar{{
				// Lets the Go runtime collect before the memory limit is hit.
				Name: "GOMEMLIMIT",
				ValueFrom: &corev1.EnvVarSource{ResourceFieldRef: &corev1.ResourceFieldSelector{
					ContainerName: ContainerName, Resource: "limits.memory", Divisor: resource.MustParse("1"),
				}},
			}},
			Resources:      *cr.Spec.Resources.DeepCopy(),
			VolumeMounts:   mounts,
			LivenessProbe:  probe(pc.HealthzPath, 10, 3),
			ReadinessProbe: probe(pc.ReadyzPath, 5, 2),
			SecurityContext: &corev1.SecurityContext{
				RunAsNonRoot:             ptr.To(true),
				ReadOnlyRootFilesystem:   ptr.To(true),
				AllowPrivilegeEscalation: ptr.To(false),
				Privileged:               ptr.To(false),
				Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
				SeccompProfile:           &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
			},
			TerminationMessagePolicy: corev1.TerminationMessageFallbackToLogsOnError,
		}},
		Volumes: volumes,
	}
}

func probe(p string, period, failures int32) *corev1.Probe {
	return &corev1.Probe{
		ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
			Path: p, Port: intstr.FromString(pc.MetricsPortName), Scheme: corev1.URISchemeHTTP,
		}},
		PeriodSeconds:    period,
		TimeoutSeconds:   2,
		FailureThreshold: failures,
	}
}

// podVolumes mounts /tmp and every Secret the server reads, each as files
// projected through items, so only the referenced key reaches the pod.
func podVolumes(cr *v1alpha1.GitHubMCPServer) ([]corev1.Volume, []corev1.VolumeMount, error) {
	vols := []corev1.Volume{{
		Name:         volTmp,
		VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{SizeLimit: ptr.To(resource.MustParse("64Mi"))}},
	}}
	mounts := []corev1.VolumeMount{{Name: volTmp, MountPath: pc.TmpDir}}

	ref, file := credentialRef(cr)
	if ref == nil {
		return nil, nil, fmt.Errorf("spec.github.auth sets neither token nor app; set exactly one")
	}
	if path.Dir(file) != pc.GitHubCredentialDir {
		return nil, nil, fmt.Errorf("pod contract: %s is not inside %s", file, pc.GitHubCredentialDir)
	}
	vols = append(vols, secretVolume(volCredential, *ref, fileName(file)))
	mounts = append(mounts, corev1.VolumeMount{Name: volCredential, MountPath: pc.GitHubCredentialDir, ReadOnly: true})

	if ca := cr.Spec.ClientAuth; ca.Mode == v1alpha1.ClientAuthAPIKeys && ca.APIKeysSecretRef != nil {
		vols = append(vols, secretVolume(volAPIKeys, *ca.APIKeysSecretRef, fileName(pc.APIKeysFile)))
		mounts = append(mounts, corev1.VolumeMount{Name: volAPIKeys, MountPath: pc.APIKeysDir, ReadOnly: true})
	}
	return vols, mounts, nil
}

func secretVolume(name string, ref v1alpha1.SecretKeyRef, file string) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{
		SecretName:  ref.Name,
		DefaultMode: ptr.To(secretFileMode),
		Items:       []corev1.KeyToPath{{Key: ref.Key, Path: file, Mode: ptr.To(secretFileMode)}},
	}}}
}

// credentialRef is the GitHub credential's Secret key and the file the
// server reads it from.
func credentialRef(cr *v1alpha1.GitHubMCPServer) (*v1alpha1.SecretKeyRef, string) {
	switch a := cr.Spec.GitHub.Auth; {
	case a.Token != nil && a.App == nil:
		return &a.Token.SecretRef, pc.GitHubTokenFile
	case a.App != nil && a.Token == nil:
		return &a.App.PrivateKeySecretRef, pc.GitHubAppPrivateKeyFile
	}
	return nil, ""
}

// SecretRefs are every Secret key the pods mount, in a stable order.
func SecretRefs(cr *v1alpha1.GitHubMCPServer) []v1alpha1.SecretKeyRef {
	var refs []v1alpha1.SecretKeyRef
	if ref, _ := credentialRef(cr); ref != nil {
		refs = append(refs, *ref)
	}
	if ca := cr.Spec.ClientAuth; ca.Mode == v1alpha1.ClientAuthAPIKeys && ca.APIKeysSecretRef != nil {
		refs = append(refs, *ca.APIKeysSecretRef)
	}
	return refs
}

// RestartHash hashes the versions of the mounted Secret keys (see
// Inputs.SecretVersions). The pod-template changes (and the pods roll)
// exactly when one of them changes.
func RestartHash(secretVersions map[string]string) string {
	names := make([]string, 0, len(secretVersions))
	for n := range secretVersions {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "secret/%s=%s\n", n, secretVersions[n])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
