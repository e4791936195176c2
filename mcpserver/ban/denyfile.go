package ban

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"strings"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/clientip"
)

// ParseDenyFile parses a deny list: one CIDR or address a line, '#' starts
// a comment, blank lines are ignored. Errors name the line.
func ParseDenyFile(content []byte) ([]netip.Prefix, error) {
	var out []netip.Prefix
	sc := bufio.NewScanner(bytes.NewReader(content))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		p, err := clientip.ParseCIDRs([]string{line})
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, p...)
	}
	return out, sc.Err()
}
