package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"

	"sigs.k8s.io/yaml"
)

// producedKinds are the kinds the operator may create for a
// GitHubMCPServer, plus what Kubernetes makes from them (ReplicaSets,
// Pods). Kinds with no objects are left out of kubectl's output.
var producedKinds = []string{
	"serviceaccounts", "deployments", "replicasets", "pods", "services",
	"networkpolicies", "poddisruptionbudgets",
	"ingressroutes.traefik.io", "middlewares.traefik.io", "tlsoptions.traefik.io",
	"issuers.cert-manager.io", "certificates.cert-manager.io",
}

// condition is the part of a metav1.Condition the report shows.
type condition struct {
	Type, Status, Reason, Message string
}

// server is the part of a GitHubMCPServer the report reads.
type server struct {
	Metadata struct {
		Name, Namespace, UID string
		Generation           int64
	}
	Status struct {
		ObservedGeneration int64
		URL                string
		ReadyReplicas      int32
		Conditions         []condition
	}
}

// condition returns the condition of type t.
func (s *server) condition(t string) (condition, bool) {
	for _, c := range s.Status.Conditions {
		if c.Type == t {
			return c, true
		}
	}
	return condition{}, false
}

// report prints what a user wants to see once the sample is Ready.
func (d *demo) report(ctx context.Context) error {
	out := d.opts.Out
	c := d.cluster
	ns := sampleNamespace

	section(out, "The GitHubMCPServer")
	if err := c.kubectl(ctx, out, "get", "ghmcp", "-n", ns, "-o", "wide"); err != nil {
		return err
	}
	raw, err := c.kubectlOutput(ctx, "get", "ghmcp", sampleName, "-n", ns, "-o", "json")
	if err != nil {
		return err
	}
	var s server
	if err := json.Unmarshal(raw, &s); err != nil {
		return fmt.Errorf("reading ghmcp/%s: %w", sampleName, err)
	}
	fmt.Fprintf(out, "\nURL: %s\nGeneration %d, observed %d, ready replicas %d\n\n",
		s.Status.URL, s.Metadata.Generation, s.Status.ObservedGeneration, s.Status.ReadyReplicas)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CONDITION\tSTATUS\tREASON\tMESSAGE")
	for _, cond := range s.Status.Conditions {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", cond.Type, cond.Status, cond.Reason, cond.Message)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	section(out, "Every object in namespace "+ns)
	if err := c.kubectl(ctx, out, "get", strings.Join(producedKinds, ","), "-n", ns, "-o", "wide"); err != nil {
		return err
	}

	section(out, "The NetworkPolicies")
	if err := c.kubectl(ctx, out, "get", "networkpolicies", "-n", ns, "-o", "yaml"); err != nil {
		return err
	}

	section(out, "The Deployment's security settings")
	return d.printSecurity(ctx, out)
}

// printSecurity prints the pod- and container-level security settings of
// every Deployment in the sample namespace, as YAML.
func (d *demo) printSecurity(ctx context.Context, out io.Writer) error {
	raw, err := d.cluster.kubectlOutput(ctx, "get", "deployments", "-n", sampleNamespace, "-o", "json")
	if err != nil {
		return err
	}
	var list struct {
		Items []struct {
			Metadata struct{ Name string }
			Spec     struct {
				Template struct {
					Spec struct {
						AutomountServiceAccountToken *bool          `json:"automountServiceAccountToken"`
						EnableServiceLinks           *bool          `json:"enableServiceLinks"`
						SecurityContext              map[string]any `json:"securityContext"`
						Containers                   []struct {
							Name            string         `json:"name"`
							SecurityContext map[string]any `json:"securityContext"`
							VolumeMounts    []any          `json:"volumeMounts"`
						} `json:"containers"`
						Volumes []any `json:"volumes"`
					}
				}
			}
		}
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return fmt.Errorf("reading deployments: %w", err)
	}
	if len(list.Items) == 0 {
		return fmt.Errorf("the operator created no Deployment in %s", sampleNamespace)
	}
	for _, dep := range list.Items {
		fmt.Fprintf(out, "deployment/%s:\n", dep.Metadata.Name)
		y, err := yaml.Marshal(dep.Spec.Template.Spec)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, indent(octalModes(string(y)), "  "))
	}
	return nil
}

// fileMode matches the file modes of Secret volumes, which JSON and YAML
// print in decimal (256); people read them in octal (0400).
var fileMode = regexp.MustCompile(`(?m)^(\s*(?:- )?(?:defaultMode|mode)): (\d+)$`)

func octalModes(y string) string {
	return fileMode.ReplaceAllStringFunc(y, func(m string) string {
		sub := fileMode.FindStringSubmatch(m)
		n, err := strconv.Atoi(sub[2])
		if err != nil {
			return m
		}
		return fmt.Sprintf("%s: 0%o", sub[1], n)
	})
}

func section(out io.Writer, title string) {
	fmt.Fprintf(out, "\n### %s\n\n", title)
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}
