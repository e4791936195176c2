package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"

	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/yaml"
)

// operatorServiceAccount is the identity config/default gives the manager.
// The demo runs the operator on the host but as this ServiceAccount
// (impersonated), so the sample becomes Ready only if the RBAC that ships
// in config/rbac is enough.
const operatorServiceAccount = "system:serviceaccount:github-mcp-operator-system:github-mcp-operator-controller-manager"

// installRBAC applies config/default, rendered by kubectl's kustomize,
// except the manager Deployment, its PodDisruptionBudget and its metrics
// Service: the operator runs on the host instead, and kwok would only
// pretend to run the image.
func (d *demo) installRBAC(ctx context.Context) error {
	rendered, err := d.cluster.kubectlOutput(ctx, "kustomize", filepath.Join(d.root, "config", "default"))
	if err != nil {
		return err
	}
	var keep [][]byte
	for _, doc := range bytes.Split(rendered, []byte("\n---\n")) {
		var obj struct{ Kind string }
		if err := yaml.Unmarshal(doc, &obj); err != nil {
			return fmt.Errorf("reading config/default: %w", err)
		}
		if obj.Kind == "Deployment" || obj.Kind == "Service" || obj.Kind == "PodDisruptionBudget" || obj.Kind == "" {
			continue
		}
		keep = append(keep, doc)
	}
	if err := d.cluster.apply(ctx, bytes.Join(keep, []byte("\n---\n"))); err != nil {
		return err
	}
	return d.cluster.kubectl(ctx, nil, "wait", "--for=condition=Established", "crd", "--all", "--timeout=60s")
}

// impersonatingKubeconfig writes a copy of the admin kubeconfig whose users
// impersonate user (every request is then authorized as that identity).
func impersonatingKubeconfig(admin, dir, user string) (string, error) {
	cfg, err := clientcmd.LoadFromFile(admin)
	if err != nil {
		return "", err
	}
	if len(cfg.AuthInfos) == 0 {
		return "", fmt.Errorf("%s has no users", admin)
	}
	for _, ai := range cfg.AuthInfos {
		ai.Impersonate = user
	}
	path := filepath.Join(dir, "operator-kubeconfig.yaml")
	return path, clientcmd.WriteToFile(*cfg, path)
}
