package github

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// maxTokenFileBytes bounds what we read from the token file.
const maxTokenFileBytes = 16 << 10

// fileStamp identifies one version of a file cheaply, without reading it.
type fileStamp struct {
	mod  time.Time
	size int64
	ino  uint64
}

// patCreds serves a personal access token from a file. A Kubernetes Secret
// volume updates by swapping the "..data" symlink, so the token path keeps
// its name while pointing at a new file: each use compares a stat of the
// path with the one last read (one syscall), and an fsnotify watch on the
// directory reloads proactively so readiness and logs follow a rotation even
// when no call comes in.
type patCreds struct {
	path string
	log  *slog.Logger

	mu       sync.Mutex
	token    string
	stamp    fileStamp
	lastWarn string

	watcher *fsnotify.Watcher
	done    chan struct{}
}

func newPATCreds(path string, log *slog.Logger) (*patCreds, error) {
	p := &patCreds{path: path, log: log, done: make(chan struct{})}
	if err := p.reload(); err != nil {
		return nil, err
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		log.Warn("cannot watch token file; rotation is still picked up on use", "error", err)
		return p, nil
	}
	if err := w.Add(filepath.Dir(path)); err != nil {
		_ = w.Close()
		log.Warn("cannot watch token directory; rotation is still picked up on use", "error", err)
		return p, nil
	}
	p.watcher = w
	go p.watch()
	return p, nil
}

func (p *patCreds) watch() {
	for {
		select {
		case <-p.done:
			return
		case _, ok := <-p.watcher.Events:
			if !ok {
				return
			}
			p.mu.Lock()
			err := p.reloadIfChangedLocked()
			p.mu.Unlock()
			if err != nil {
				p.log.Warn("token file changed but could not be read; keeping the previous token", "error", err)
			}
		case err, ok := <-p.watcher.Errors:
			if !ok {
				return
			}
			p.log.Warn("token file watch error", "error", err)
		}
	}
}

func statFile(path string) (fileStamp, error) {
	fi, err := os.Stat(path) // follows the ..data symlink
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{mod: fi.ModTime(), size: fi.Size(), ino: inode(fi)}, nil
}

// reload reads the token unconditionally.
func (p *patCreds) reload() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	st, err := statFile(p.path)
	if err != nil {
		return fmt.Errorf("token file: %w", err)
	}
	return p.readLocked(st)
}

func (p *patCreds) reloadIfChangedLocked() error {
	st, err := statFile(p.path)
	if err != nil {
		return fmt.Errorf("token file: %w", err)
	}
	if st == p.stamp {
		return nil
	}
	return p.readLocked(st)
}

func (p *patCreds) readLocked(st fileStamp) error {
	f, err := os.Open(p.path)
	if err != nil {
		return fmt.Errorf("token file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTokenFileBytes+1))
	if err != nil {
		return fmt.Errorf("token file: %w", err)
	}
	if len(b) > maxTokenFileBytes {
		return fmt.Errorf("token file %s is larger than %d bytes", p.path, maxTokenFileBytes)
	}
	tok := string(bytes.TrimSpace(b))
	if tok == "" {
		return fmt.Errorf("token file %s is empty", p.path)
	}
	if bytes.ContainsAny([]byte(tok), " \t\r\n") {
		return fmt.Errorf("token file %s holds more than one word", p.path)
	}
	changed := p.token != "" && tok != p.token
	p.token, p.stamp, p.lastWarn = tok, st, ""
	if changed {
		p.log.Info("GitHub token reloaded from file", "path", p.path) // never the token
	}
	return nil
}

func (p *patCreds) authorization(context.Context) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.reloadIfChangedLocked(); err != nil {
		if p.token == "" {
			return "", err
		}
		// Mid-rotation the path may briefly not resolve: keep the last token.
		// Log each distinct problem once, not once per call.
		if msg := err.Error(); msg != p.lastWarn {
			p.lastWarn = msg
			p.log.Warn("token file unreadable; using the previous token", "error", err)
		}
	}
	if p.token == "" {
		return "", errors.New("no GitHub token loaded")
	}
	return "Bearer " + p.token, nil
}

func (p *patCreds) loaded() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.token != ""
}

func (p *patCreds) close() error {
	close(p.done)
	if p.watcher != nil {
		return p.watcher.Close()
	}
	return nil
}
