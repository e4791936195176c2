package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// A stdio session that the client or we ended is not a failure; any other
// error is.
func TestStdioSessionEnded(t *testing.T) {
	stopped, cancel := context.WithCancel(context.Background())
	cancel()
	live := context.Background()
	for name, tc := range map[string]struct {
		ctx  context.Context
		err  error
		want bool
	}{
		"no error":          {live, nil, false},
		"client EOF":        {live, fmt.Errorf("reading: %w", io.EOF), true},
		"connection closed": {live, mcp.ErrConnectionClosed, true},
		"told to stop":      {stopped, errors.New("read interrupted"), true},
		"real failure":      {live, errors.New("broken pipe"), false},
	} {
		if got := stdioSessionEnded(tc.ctx, tc.err); got != tc.want {
			t.Errorf("%s: got %v, want %v", name, got, tc.want)
		}
	}
}
