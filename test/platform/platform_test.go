package platform

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/discovery"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/github-mcp-operator/github-mcp-operator/test/testenv"

	"github.com/github-mcp-operator/github-mcp-operator/hack/repopaths"
)

var env *testenv.Env

func TestMain(m *testing.M) {
	s := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		panic(err)
	}
	if err := apiextensionsv1.AddToScheme(s); err != nil {
		panic(err)
	}
	var err error
	env, err = testenv.Start(testenv.Options{Scheme: s})
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv:", err)
		os.Exit(1)
	}
	code := m.Run()
	if err := env.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping testenv:", err)
	}
	os.Exit(code)
}

func TestAPIServerIsTheOneWeBuilt(t *testing.T) {
	dc, err := discovery.NewDiscoveryClientForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	v, err := dc.ServerVersion()
	if err != nil {
		t.Fatalf("apiserver not reachable: %v", err)
	}
	versions, err := repopaths.Versions(env.Root)
	if err != nil {
		t.Fatal(err)
	}
	if v.GitVersion != versions["KUBERNETES_VERSION"] {
		t.Fatalf("apiserver reports %q, want %q (the binary built from hack/tools/kube)", v.GitVersion, versions["KUBERNETES_VERSION"])
	}
}

func TestCRDsAreEstablished(t *testing.T) {
	for _, name := range []string{
		"githubmcpservers.mcp.githubmcp.dev",
		"ingressroutes.traefik.io",
		"middlewares.traefik.io",
		"tlsoptions.traefik.io",
		"certificates.cert-manager.io",
		"issuers.cert-manager.io",
		"clusterissuers.cert-manager.io",
	} {
		t.Run(name, func(t *testing.T) {
			var crd apiextensionsv1.CustomResourceDefinition
			if err := env.Client.Get(context.Background(), client.ObjectKey{Name: name}, &crd); err != nil {
				t.Fatalf("get CRD: %v", err)
			}
			for _, c := range crd.Status.Conditions {
				if c.Type == apiextensionsv1.Established && c.Status == apiextensionsv1.ConditionTrue {
					return
				}
			}
			t.Fatalf("CRD %s is not Established: %+v", name, crd.Status.Conditions)
		})
	}
}

func restrictedNamespace(t *testing.T, ctx context.Context) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		GenerateName: "psa-",
		Labels:       map[string]string{"pod-security.kubernetes.io/enforce": "restricted"},
	}}
	if err := env.Client.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Client.Delete(context.Background(), ns) })
	return ns.Name
}

func pod(ns string, hardened bool) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{GenerateName: "p-", Namespace: ns},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "example.invalid/app:1"}}},
	}
	if hardened {
		p.Spec.SecurityContext = &corev1.PodSecurityContext{
			RunAsNonRoot:   ptr.To(true),
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		}
		p.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{
			AllowPrivilegeEscalation: ptr.To(false),
			Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
		}
	}
	return p
}

func TestPodSecurityRestrictedRejectsAWeakPod(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns := restrictedNamespace(t, ctx)

	err := env.Client.Create(ctx, pod(ns, false))
	if !apierrors.IsForbidden(err) {
		t.Fatalf("a pod without runAsNonRoot was not rejected as Forbidden: %v", err)
	}
	if !strings.Contains(err.Error(), "violates PodSecurity \"restricted") || !strings.Contains(err.Error(), "runAsNonRoot") {
		t.Fatalf("rejection does not come from Pod Security admission naming runAsNonRoot: %v", err)
	}
}

func TestPodSecurityRestrictedAdmitsAHardenedPod(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns := restrictedNamespace(t, ctx)
	if err := env.Client.Create(ctx, pod(ns, true)); err != nil {
		t.Fatalf("a pod that meets the restricted profile was rejected: %v", err)
	}
}
