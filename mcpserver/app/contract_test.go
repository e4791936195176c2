package app_test

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/app"
)

// operatorGoldens are the operator's golden Deployments: the arguments it
// really writes into the server's pod. Reading them as files (never
// importing controllers/) checks the contract from this side.
const operatorGoldens = "../../controllers/builders/testdata"

func TestServerAcceptsOperatorArgs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(operatorGoldens, "*", "deployment.golden.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no operator golden Deployments under %s: the contract check would prove nothing", operatorGoldens)
	}
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f))
		t.Run(name, func(t *testing.T) {
			args := containerArgs(t, f)
			if len(args) == 0 {
				t.Fatal("no args found in the golden Deployment")
			}
			if _, err := app.ParseFlags(args, io.Discard); err != nil {
				t.Fatalf("the server rejects the operator's args %q:\n%v", args, err)
			}
		})
	}
}

// containerArgs extracts the "- --flag=value" items of the first args list.
func containerArgs(t *testing.T, path string) []string {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var args []string
	in := false
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasSuffix(line, "args:") && !in && args == nil:
			in = true
		case in && strings.HasPrefix(line, "- --"):
			args = append(args, strings.Trim(strings.TrimPrefix(line, "- "), `"'`))
		case in:
			return args
		}
	}
	return args
}
