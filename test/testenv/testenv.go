package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	"github.com/github-mcp-operator/github-mcp-operator/hack/repopaths"
)

// Options choose what the control plane starts with.
type Options struct {
	// Scheme is used for Client. Nil means client-go's scheme only.
	Scheme *runtime.Scheme
	// WithoutThirdPartyCRDs starts without the Traefik and cert-manager CRDs,
	// for tests that prove the operator copes when they are absent.
	WithoutThirdPartyCRDs bool
	// WithoutOurCRDs starts without config/crd/bases (rarely wanted).
	WithoutOurCRDs bool
}

// Env is a running control plane.
type Env struct {
	// Config reaches the apiserver as cluster admin.
	Config *rest.Config
	// Client talks to the apiserver with strict field validation, so a field
	// the schema does not know fails the test instead of vanishing.
	Client client.Client
	// KubeconfigFile is an admin kubeconfig on disk, for child processes
	// (Traefik, kubectl, the operator binary).
	KubeconfigFile string
	// Binaries are the executables the control plane runs on.
	Binaries Binaries
	// Root is the repository root.
	Root string

	env *envtest.Environment
	dir string
}

// Start brings up kube-apiserver and etcd and installs the CRDs.
func Start(opts Options) (*Env, error) {
	root, err := repopaths.RepoRoot()
	if err != nil {
		return nil, err
	}
	bins, err := EnsureBinaries(root)
	if err != nil {
		return nil, err
	}
	var crds []string
	if !opts.WithoutOurCRDs {
		crds = append(crds, filepath.Join(root, "config", "crd", "bases"))
	}
	if !opts.WithoutThirdPartyCRDs {
		third, err := repopaths.ThirdPartyCRDPaths(root)
		if err != nil {
			return nil, err
		}
		crds = append(crds, third...)
	}
	scheme := opts.Scheme
	if scheme == nil {
		scheme = clientgoscheme.Scheme
	}
	te := &envtest.Environment{
		CRDInstallOptions: envtest.CRDInstallOptions{
			Paths:              crds,
			ErrorIfPathMissing: true,
			Scheme:             scheme,
		},
		ControlPlaneStartTimeout: time.Minute,
		ControlPlaneStopTimeout:  time.Minute,
	}
	te.ControlPlane.GetAPIServer().Path = bins.APIServer
	te.ControlPlane.Etcd = &envtest.Etcd{Path: bins.Etcd}
	te.ControlPlane.KubectlPath = bins.Kubectl

	cfg, err := te.Start()
	if err != nil {
		return nil, fmt.Errorf("starting the control plane: %w", err)
	}
	e := &Env{Config: cfg, Binaries: bins, Root: root, env: te}
	if err := e.finish(scheme); err != nil {
		_ = te.Stop()
		return nil, err
	}
	return e, nil
}

func (e *Env) finish(scheme *runtime.Scheme) error {
	c, err := client.New(e.Config, client.Options{Scheme: scheme})
	if err != nil {
		return fmt.Errorf("creating the client: %w", err)
	}
	e.Client = client.WithFieldValidation(c, "Strict")

	user, err := e.env.AddUser(envtest.User{Name: "testenv-admin", Groups: []string{"system:masters"}}, e.Config)
	if err != nil {
		return fmt.Errorf("creating the admin user: %w", err)
	}
	kubeconfig, err := user.KubeConfig()
	if err != nil {
		return fmt.Errorf("writing the kubeconfig: %w", err)
	}
	e.dir, err = os.MkdirTemp("", "testenv-")
	if err != nil {
		return err
	}
	e.KubeconfigFile = filepath.Join(e.dir, "kubeconfig")
	return os.WriteFile(e.KubeconfigFile, kubeconfig, 0o600)
}

// Stop stops the control plane and removes its files.
func (e *Env) Stop() error {
	err := e.env.Stop()
	if e.dir != "" {
		_ = os.RemoveAll(e.dir)
	}
	return err
}
