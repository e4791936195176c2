package filewatch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoadAppliesOnlyChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	write(t, path, "one")
	var got atomic.Value
	applies := 0
	w := &Watcher{Path: path, Apply: func(b []byte) error {
		if strings.Contains(string(b), "bad") {
			return errors.New("bad content")
		}
		applies++
		got.Store(string(b))
		return nil
	}}
	mustLoad(t, w, true)
	mustLoad(t, w, false)
	write(t, path, "two")
	mustLoad(t, w, true)
	if got.Load() != "two" || applies != 2 {
		t.Fatalf("got %v after %d applies", got.Load(), applies)
	}
	write(t, path, "bad")
	if _, err := w.Load(); err == nil {
		t.Fatal("bad content accepted")
	}
	if got.Load() != "two" {
		t.Fatal("bad content replaced good content")
	}
	// Going back to the last good content after a failed apply is not a change.
	write(t, path, "two")
	mustLoad(t, w, false)
}

func TestRunPicksUpSymlinkSwap(t *testing.T) {
	// Kubernetes-style update: path -> ..data/f, ..data swapped atomically.
	dir := t.TempDir()
	for _, v := range []string{"v1", "v2"} {
		if err := os.MkdirAll(filepath.Join(dir, v), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(dir, v, "f"), v)
	}
	if err := os.Symlink("v1", filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join("..data", "f"), filepath.Join(dir, "f")); err != nil {
		t.Fatal(err)
	}
	var got atomic.Value
	w := &Watcher{Path: filepath.Join(dir, "f"), Apply: func(b []byte) error { got.Store(string(b)); return nil }}
	mustLoad(t, w, true)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.Run(ctx, time.Millisecond)

	tmp := filepath.Join(dir, "..data_tmp")
	if err := os.Symlink("v2", tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5000 && got.Load() != "v2"; i++ {
		time.Sleep(time.Millisecond)
	}
	if got.Load() != "v2" {
		t.Fatalf("watcher did not pick up the swap: %v", got.Load())
	}
}

func TestReadBoundedRejectsHugeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big")
	write(t, path, strings.Repeat("x", MaxFileBytes+1))
	if _, err := ReadBounded(path); err == nil {
		t.Fatal("oversized file accepted")
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

func mustLoad(t *testing.T, w *Watcher, wantChanged bool) {
	t.Helper()
	changed, err := w.Load()
	if err != nil {
		t.Fatal(err)
	}
	if changed != wantChanged {
		t.Fatalf("Load changed=%v, want %v", changed, wantChanged)
	}
}
