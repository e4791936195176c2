package github

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"

	"github.com/bradleyfalzon/ghinstallation/v2"
)

// maxKeyFileBytes bounds what we read from the private-key file.
const maxKeyFileBytes = 64 << 10

// appCreds serves GitHub App installation tokens. ghinstallation signs the
// app JWT with the private key, mints an installation token and refreshes it
// a minute before it expires; we only ask it for the current token. When the
// key file changes (a Secret rotation), the next use builds a new
// ghinstallation transport from the new key, without a restart.
type appCreds struct {
	base                  http.RoundTripper
	appBase, keyFile      string
	appID, installationID int64
	log                   *slog.Logger

	mu       sync.Mutex
	itr      *ghinstallation.Transport
	stamp    fileStamp
	lastWarn string
}

func newAppCreds(base http.RoundTripper, appBase string, appID, installationID int64, keyFile string, log *slog.Logger) (*appCreds, error) {
	a := &appCreds{base: base, appBase: appBase, keyFile: keyFile, appID: appID, installationID: installationID, log: log}
	st, err := statFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("app private key: %w", err)
	}
	if err := a.loadLocked(st); err != nil {
		return nil, err
	}
	return a, nil
}

// loadLocked parses the key file into a fresh transport.
func (a *appCreds) loadLocked(st fileStamp) error {
	if st.size > maxKeyFileBytes {
		return fmt.Errorf("app private key %s is larger than %d bytes", a.keyFile, maxKeyFileBytes)
	}
	key, err := os.ReadFile(a.keyFile)
	if err != nil {
		return fmt.Errorf("app private key: %w", err)
	}
	itr, err := ghinstallation.New(a.base, a.appID, a.installationID, key)
	if err != nil {
		// ghinstallation's parse errors do not contain key material.
		return fmt.Errorf("app private key %s: %w", a.keyFile, err)
	}
	itr.BaseURL = a.appBase
	if a.itr != nil {
		a.log.Info("GitHub App private key reloaded from file", "path", a.keyFile)
	}
	a.itr, a.stamp, a.lastWarn = itr, st, ""
	return nil
}

// current returns the transport for the current key file.
func (a *appCreds) current() *ghinstallation.Transport {
	a.mu.Lock()
	defer a.mu.Unlock()
	st, err := statFile(a.keyFile)
	if err == nil && st != a.stamp {
		err = a.loadLocked(st)
	}
	if err != nil && err.Error() != a.lastWarn {
		// Mid-rotation the file may be briefly unreadable: keep the old key.
		a.lastWarn = err.Error()
		a.log.Warn("app private key unreadable; using the previous key", "error", err)
	}
	return a.itr
}

func (a *appCreds) authorization(ctx context.Context) (string, error) {
	tok, err := a.current().Token(ctx)
	if err != nil {
		return "", fmt.Errorf("minting GitHub App installation token: %w", err)
	}
	return "token " + tok, nil
}

// loaded is true once a key parsed; whether tokens can be minted shows in
// Check.
func (a *appCreds) loaded() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.itr != nil
}

func (a *appCreds) close() error { return nil }
