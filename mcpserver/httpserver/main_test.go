package httpserver

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
)

// capture collects every log and audit line written by this package's
// tests, and secrets lists every credential the tests used. TestMain greps
// the one for the other: a credential in any log fails the suite.
var (
	capture = &syncBuffer{}
	secrets = &secretList{}
)

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type secretList struct {
	mu   sync.Mutex
	list []string
}

func (s *secretList) add(v string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, v)
	return v
}

func (s *secretList) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.list...)
}

// logSink returns a writer that feeds the capture (and, with -v, stderr).
func logSink() io.Writer {
	if testing.Verbose() {
		return io.MultiWriter(capture, os.Stderr)
	}
	return capture
}

func TestMain(m *testing.M) {
	code := m.Run()
	// A -fuzz run's coordinator serves no requests itself; its workers are
	// separate processes. Everything else must have produced logs to grep.
	if fz := flag.Lookup("test.fuzz"); code == 0 && (fz == nil || fz.Value.String() == "") {
		if err := leakCheck(capture.String(), secrets.all()); err != nil {
			fmt.Fprintln(os.Stderr, "LEAK CHECK FAILED:", err)
			code = 1
		}
	}
	os.Exit(code)
}

func leakCheck(logs string, secrets []string) error {
	if len(secrets) == 0 {
		return fmt.Errorf("no secrets registered: the leak check would prove nothing")
	}
	if len(logs) == 0 {
		return fmt.Errorf("no logs captured: the leak check would prove nothing")
	}
	for _, s := range secrets {
		if len(s) < 8 {
			return fmt.Errorf("secret %q too short to grep for reliably", s)
		}
		if strings.Contains(logs, s) {
			return fmt.Errorf("a credential (%d bytes, starting %q) appears in the captured logs", len(s), s[:4])
		}
	}
	return nil
}

func TestLeakCheckCanFail(t *testing.T) {
	if leakCheck("line with sekret-value-123 inside", []string{"sekret-value-123"}) == nil {
		t.Fatal("leak check missed a secret")
	}
	if leakCheck("clean", []string{"sekret-value-123"}) != nil {
		t.Fatal("leak check flagged clean logs")
	}
	if leakCheck("clean", nil) == nil {
		t.Fatal("leak check with no secrets passed")
	}
}
