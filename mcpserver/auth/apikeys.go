package auth

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync/atomic"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/filewatch"
)

var keyNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// apiKey is one stored key: only the SHA-256 of the secret is kept. Keys are
// long random strings, so a fast hash is enough (no dictionary to defend).
type apiKey struct {
	name string
	hash [sha256.Size]byte
}

// APIKeys verifies API keys against a reloadable file.
type APIKeys struct {
	keys    atomic.Pointer[[]apiKey]
	Watcher *filewatch.Watcher
}

// LoadAPIKeys reads path once. Call Watcher.Run to follow changes.
func LoadAPIKeys(path string, logger *slog.Logger) (*APIKeys, error) {
	if path == "" {
		return nil, fmt.Errorf("client authentication %q needs an API keys file", "apikeys")
	}
	a := &APIKeys{}
	a.Watcher = &filewatch.Watcher{Path: path, Logger: logger, Apply: func(b []byte) error {
		keys, err := parseKeyLines(b)
		if err != nil {
			return err
		}
		if len(keys) == 0 {
			// At start this is a configuration mistake. Later, a file that
			// parses but holds no key is a deliberate revocation of every
			// key (a Secret emptied to cut access): honour it, unlike a
			// malformed file, which keeps the previous keys.
			if a.keys.Load() == nil {
				return errNoKeys
			}
			if logger != nil {
				logger.Warn("API keys file holds no keys: every API key is now refused", "path", path)
			}
		}
		a.keys.Store(&keys)
		return nil
	}}
	if _, err := a.Watcher.Load(); err != nil {
		return nil, fmt.Errorf("loading API keys: %w", err)
	}
	return a, nil
}

var errNoKeys = fmt.Errorf("no API keys in file")

// ParseAPIKeys parses "name:sha256:<64 hex>" lines. Blank lines and lines
// starting with '#' are skipped. Errors name the line, never its content
// past the name (the hash is not secret, but keep logs boring).
func ParseAPIKeys(content []byte) ([]apiKey, error) {
	keys, err := parseKeyLines(content)
	if err == nil && len(keys) == 0 {
		err = errNoKeys
	}
	return keys, err
}

// parseKeyLines is ParseAPIKeys without the at-least-one-key rule.
func parseKeyLines(content []byte) ([]apiKey, error) {
	var keys []apiKey
	names := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(content))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, ":")
		if len(parts) != 3 {
			return nil, fmt.Errorf("line %d: want name:sha256:<hex>", n)
		}
		name, algo, digest := parts[0], parts[1], parts[2]
		switch {
		case !keyNameRE.MatchString(name):
			return nil, fmt.Errorf("line %d: key name must match %s", n, keyNameRE)
		case algo != "sha256":
			return nil, fmt.Errorf("line %d: unsupported hash %q (only sha256)", n, algo)
		case names[name]:
			return nil, fmt.Errorf("line %d: duplicate key name %q", n, name)
		}
		var k apiKey
		if b, err := hex.DecodeString(digest); err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("line %d: digest must be 64 hex characters", n)
		} else {
			copy(k.hash[:], b)
		}
		k.name = name
		names[name] = true
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return keys, nil
}

// Verify returns the name of the key whose hash matches token. Every stored
// key is compared, in constant time, so timing reveals neither which key
// nor how much of it matched.
func (a *APIKeys) Verify(token string) (string, bool) {
	sum := sha256.Sum256([]byte(token))
	match := -1
	keys := *a.keys.Load()
	for i := range keys {
		if subtle.ConstantTimeCompare(sum[:], keys[i].hash[:]) == 1 {
			match = i
		}
	}
	if match < 0 {
		return "", false
	}
	return keys[match].name, true
}

// HashKey returns the file line for a key, for docs and tests.
func HashKey(name, secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return name + ":sha256:" + hex.EncodeToString(sum[:])
}
