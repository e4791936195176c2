package github

import (
	"context"
	"fmt"
	"net/http"
	"os"

	"github.com/bradleyfalzon/ghinstallation/v2"
)

// maxKeyFileBytes bounds what we read from the private-key file.
const maxKeyFileBytes = 64 << 10

// appCreds serves GitHub App installation tokens. ghinstallation signs the
// app JWT with the private key, mints an installation token and refreshes it
// a minute before it expires; we only ask it for the current token.
type appCreds struct {
	itr *ghinstallation.Transport
}

func newAppCreds(base http.RoundTripper, appBase string, appID, installationID int64, keyFile string) (*appCreds, error) {
	fi, err := os.Stat(keyFile)
	if err != nil {
		return nil, fmt.Errorf("app private key: %w", err)
	}
	if fi.Size() > maxKeyFileBytes {
		return nil, fmt.Errorf("app private key %s is larger than %d bytes", keyFile, maxKeyFileBytes)
	}
	key, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("app private key: %w", err)
	}
	itr, err := ghinstallation.New(base, appID, installationID, key)
	if err != nil {
		// ghinstallation's parse errors do not contain key material.
		return nil, fmt.Errorf("app private key %s: %v", keyFile, err)
	}
	itr.BaseURL = appBase
	return &appCreds{itr: itr}, nil
}

func (a *appCreds) authorization(ctx context.Context) (string, error) {
	tok, err := a.itr.Token(ctx)
	if err != nil {
		return "", fmt.Errorf("minting GitHub App installation token: %w", err)
	}
	return "token " + tok, nil
}

// loaded is true once the key parsed; whether tokens can be minted shows in
// Check.
func (a *appCreds) loaded() bool { return a.itr != nil }

func (a *appCreds) close() error { return nil }
