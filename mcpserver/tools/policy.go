package tools

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
)

// Policy is the operator-set upper bound on the tools a client may use.
type Policy struct {
	// Toolsets enables whole toolsets; empty means podcontract.DefaultToolsets.
	// "all" enables every toolset.
	Toolsets []string
	// Allow, when non-empty, keeps only these tools (intersected with Toolsets).
	Allow []string
	// Deny removes these tools.
	Deny []string
	// ReadOnly hides every tool that writes to GitHub.
	ReadOnly bool
}

// Narrowing is what a client asks for on one request. It can only remove
// tools from the Policy's set. Empty lists mean "no narrowing".
type Narrowing struct {
	Toolsets []string
	Tools    []string
	ReadOnly bool
}

// Request headers a client may use to narrow the policy (the names the
// reference remote server uses).
const (
	HeaderToolsets = "X-MCP-Toolsets"
	HeaderTools    = "X-MCP-Tools"
	HeaderReadOnly = "X-MCP-Readonly"
)

// ToolsetAll names every toolset at once.
const ToolsetAll = "all"

// Validate reports unknown toolset or tool names, naming them all.
func (p Policy) Validate() error {
	var errs []error
	if bad := unknownToolsets(p.Toolsets, true); len(bad) > 0 {
		errs = append(errs, fmt.Errorf("unknown toolsets %q (known: %s)", bad, strings.Join(ToolsetNames(), ", ")))
	}
	if bad := unknownTools(p.Allow); len(bad) > 0 {
		errs = append(errs, fmt.Errorf("unknown tools in allow list: %q", bad))
	}
	if bad := unknownTools(p.Deny); len(bad) > 0 {
		errs = append(errs, fmt.Errorf("unknown tools in deny list: %q", bad))
	}
	return errors.Join(errs...)
}

// Validate reports unknown toolset or tool names in a client's narrowing.
func (n Narrowing) Validate() error {
	var errs []error
	if bad := unknownToolsets(n.Toolsets, true); len(bad) > 0 {
		errs = append(errs, fmt.Errorf("unknown toolsets %q", bad))
	}
	if bad := unknownTools(n.Tools); len(bad) > 0 {
		errs = append(errs, fmt.Errorf("unknown tools %q", bad))
	}
	return errors.Join(errs...)
}

// ParseNarrowing reads X-MCP-Toolsets, X-MCP-Tools (comma-separated) and
// X-MCP-Readonly (a bool) from h. Unknown names are an error, so a client
// learns of a typo instead of silently getting fewer tools.
func ParseNarrowing(h http.Header) (Narrowing, error) {
	n := Narrowing{
		Toolsets: splitList(h.Values(HeaderToolsets)),
		Tools:    splitList(h.Values(HeaderTools)),
	}
	if v := strings.TrimSpace(h.Get(HeaderReadOnly)); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return Narrowing{}, fmt.Errorf("header %s: %q is not a boolean", HeaderReadOnly, v)
		}
		n.ReadOnly = b
	}
	if err := n.Validate(); err != nil {
		return Narrowing{}, err
	}
	return n, nil
}

// Effective returns the sorted names of the tools that policy p, narrowed by
// n, exposes. It is pure: the result is always a subset of Effective(p, {}).
func Effective(p Policy, n Narrowing) []string {
	sets := expandToolsets(p.Toolsets, podcontract.DefaultToolsets)
	var narrowSets map[string]bool
	if len(n.Toolsets) > 0 {
		narrowSets = expandToolsets(n.Toolsets, nil)
	}
	var out []string
	for _, t := range registry {
		name := t.info.Name
		switch {
		case !sets[t.info.Toolset]:
		case narrowSets != nil && !narrowSets[t.info.Toolset]:
		case len(p.Allow) > 0 && !slices.Contains(p.Allow, name):
		case len(n.Tools) > 0 && !slices.Contains(n.Tools, name):
		case slices.Contains(p.Deny, name):
		case (p.ReadOnly || n.ReadOnly) && !t.info.ReadOnly:
		default:
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func expandToolsets(names, dflt []string) map[string]bool {
	if len(names) == 0 {
		names = dflt
	}
	m := map[string]bool{}
	for _, s := range names {
		if s == ToolsetAll {
			for _, t := range ToolsetNames() {
				m[t] = true
			}
			continue
		}
		m[s] = true
	}
	return m
}

func unknownToolsets(names []string, allowAll bool) []string {
	known := ToolsetNames()
	var bad []string
	for _, n := range names {
		if (allowAll && n == ToolsetAll) || slices.Contains(known, n) {
			continue
		}
		bad = append(bad, n)
	}
	return bad
}

func unknownTools(names []string) []string {
	var bad []string
	for _, n := range names {
		if _, ok := byName[n]; !ok {
			bad = append(bad, n)
		}
	}
	return bad
}

func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}
