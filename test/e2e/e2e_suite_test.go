//go:build e2e

package e2e

import (
	"os"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestE2E(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "github-mcp-operator e2e (kind)")
}

var env *environment

var _ = BeforeSuite(func() {
	var err error
	env, err = newEnvironment()
	Expect(err).NotTo(HaveOccurred())
	By("creating kind cluster " + env.clusterName + " with Calico")
	env.createCluster()
	By("building and loading the images")
	env.buildAndLoadImages()
	By("installing Traefik and cert-manager with Helm")
	env.installAddons()
	By("deploying the operator from config/default")
	env.deployOperator()
})

var _ = AfterSuite(func() {
	if env == nil {
		return
	}
	if os.Getenv("E2E_KEEP_CLUSTER") == "1" {
		GinkgoWriter.Printf("E2E_KEEP_CLUSTER=1: leaving kind cluster %s\n", env.clusterName)
		return
	}
	env.deleteCluster()
})
