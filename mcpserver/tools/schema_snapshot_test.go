package tools

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/schemas from the current tool definitions")

const schemaDir = "testdata/schemas"

// TestToolSchemaSnapshot pins every tool's name, description, annotations
// and input schema. A change fails until it is regenerated with
// `go test ./mcpserver/tools -run TestToolSchemaSnapshot -update` and the
// diff is reviewed: clients and prompts depend on these.
func TestToolSchemaSnapshot(t *testing.T) {
	if *update {
		if err := os.RemoveAll(schemaDir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(schemaDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	for _, tl := range Tools() {
		info := byName[tl.Name].info
		doc := map[string]any{
			"name": tl.Name, "title": tl.Title, "description": tl.Description,
			"annotations": tl.Annotations, "inputSchema": tl.InputSchema,
			"toolset": info.Toolset, "readOnly": info.ReadOnly,
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(schemaDir, tl.Name+".json")
		want[filepath.Base(file)] = true
		if *update {
			if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("%s: no snapshot (%v); run with -update and review", tl.Name, err)
			continue
		}
		if !bytes.Equal(got, buf.Bytes()) {
			t.Errorf("%s: schema changed; run with -update and review the diff:\n%s", tl.Name, firstDiff(string(got), buf.String()))
		}
	}
	entries, err := os.ReadDir(schemaDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("%s: snapshot of a tool that no longer exists", e.Name())
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y)
		}
	}
	return ""
}
