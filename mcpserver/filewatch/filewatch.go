package filewatch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"
)

// MaxFileBytes bounds what Watcher reads: the files it watches (API keys,
// deny lists) are small, and a runaway file must not exhaust memory.
const MaxFileBytes = 1 << 20

// Watcher calls Apply with the content of Path whenever it changes.
type Watcher struct {
	Path string
	// Apply parses and installs new content. If it fails the previous
	// content stays in force and the error is logged.
	Apply  func(content []byte) error
	Logger *slog.Logger

	mu   sync.Mutex
	last [sha256.Size]byte
	seen bool
}

// Load reads the file once and applies it if it changed since the last
// successful Load. It reports whether new content was applied.
func (w *Watcher) Load() (bool, error) {
	content, err := ReadBounded(w.Path)
	if err != nil {
		return false, err
	}
	sum := sha256.Sum256(content)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.seen && bytes.Equal(sum[:], w.last[:]) {
		return false, nil
	}
	if err := w.Apply(content); err != nil {
		return false, fmt.Errorf("%s: %w", w.Path, err)
	}
	w.last, w.seen = sum, true
	return true, nil
}

// Run polls the file every interval until ctx ends. Errors are logged, never
// fatal: a half-written update is retried on the next tick.
func (w *Watcher) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			changed, err := w.Load()
			switch {
			case err != nil && w.Logger != nil:
				w.Logger.Error("Reloading file failed; keeping the previous content", "path", w.Path, "error", err)
			case changed && w.Logger != nil:
				w.Logger.Info("Reloaded file", "path", w.Path)
			}
		}
	}
}

// ReadBounded reads a file of at most MaxFileBytes.
func ReadBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, MaxFileBytes)
	}
	return b, nil
}
