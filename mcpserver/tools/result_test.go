package tools

import (
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// textResult reports a value it cannot encode as an error for the caller to
// log, and an oversized one as a tool error the client reads.
func TestTextResult(t *testing.T) {
	if _, err := textResult(map[string]any{"c": make(chan int)}); err == nil {
		t.Error("an unencodable value gave no error")
	}
	res, err := textResult(map[string]string{"a": "b"})
	if err != nil || res.IsError || res.Content[0].(*mcp.TextContent).Text != `{"a":"b"}` {
		t.Errorf("plain value: %+v %v", res, err)
	}
	res, err = textResult([]string{strings.Repeat("x", maxResultBytes)})
	if err != nil || !res.IsError || !strings.Contains(res.Content[0].(*mcp.TextContent).Text, "result too large") {
		t.Errorf("oversized value: %+v %v", res, err)
	}
}
