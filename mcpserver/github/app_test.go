package github

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/githubfake"
)

func writeAppKey(t *testing.T) (string, *rsa.PublicKey) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "app.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, &key.PublicKey
}

func TestAppTokenMintedAndRefreshed(t *testing.T) {
	keyFile, pub := writeAppKey(t)
	// Tokens that live 30s are inside ghinstallation's one-minute refresh
	// window, so every use must mint a fresh one.
	c, fake := newAppClient(t, keyFile, pub, 30*time.Second)
	ctx := context.Background()
	for range 2 {
		if err := c.Check(ctx); err != nil {
			t.Fatal(err)
		}
	}
	minted := fake.MintedTokens()
	if len(minted) != 2 {
		t.Fatalf("minted %d tokens, want 2 (refresh before expiry)", len(minted))
	}
	var used []string
	for _, r := range fake.Requests() {
		if r.Path == "/rate_limit" {
			used = append(used, r.Authorization)
		}
	}
	if len(used) != 2 || used[0] != "token "+minted[0] || used[1] != "token "+minted[1] {
		t.Fatalf("used %v, minted %v", used, minted)
	}
	if !c.Ready() {
		t.Fatal("not ready")
	}
}

func TestAppTokenNotRefreshedWhileValid(t *testing.T) {
	keyFile, pub := writeAppKey(t)
	c, fake := newAppClient(t, keyFile, pub, 0)
	for range 3 {
		if err := c.Check(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(fake.MintedTokens()); n != 1 {
		t.Fatalf("minted %d tokens, want 1", n)
	}
}

func TestAppWrongKeyIsRejected(t *testing.T) {
	keyFile, _ := writeAppKey(t)
	_, otherPub := writeAppKey(t)
	c, _ := newAppClient(t, keyFile, otherPub, 0)
	if err := c.Check(context.Background()); err == nil || c.Ready() {
		t.Fatalf("Check = %v, Ready = %v; want failure", err, c.Ready())
	}
}

func TestAppBadKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.pem")
	_ = os.WriteFile(path, []byte("not a key"), 0o600)
	if _, err := New(context.Background(), Config{Host: "https://ghe.example.com", AppID: 1, InstallationID: 2, AppPrivateKeyFile: path}); err == nil {
		t.Fatal("accepted a bad key")
	}
}

func TestAppKeyRotationWithoutRestart(t *testing.T) {
	keyFile, pub := writeAppKey(t)
	// Short-lived tokens: every use mints, so every use needs a valid key.
	c, fake := newAppClient(t, keyFile, pub, 30*time.Second)
	if err := c.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The app's key is rotated: GitHub now accepts only the new one.
	newFile, newPub := writeAppKey(t)
	fake.SetAppPublicKey(newPub)
	if err := c.Check(context.Background()); err == nil {
		t.Fatal("old key still accepted; the test proves nothing")
	}
	b, err := os.ReadFile(newFile)
	if err != nil {
		t.Fatal(err)
	}
	tmp := keyFile + ".new"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, keyFile); err != nil { // atomic, like a Secret volume update
		t.Fatal(err)
	}
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("after key rotation: %v", err)
	}
}

// newAppClient starts a fake GitHub that trusts pub for App 42's installation
// 7 (tokens living ttl; 0 is the fake's default) and a client signing with
// keyFile. Both are closed when the test ends.
func newAppClient(t *testing.T, keyFile string, pub *rsa.PublicKey, ttl time.Duration) (*Client, *githubfake.Server) {
	t.Helper()
	fake := githubfake.New(githubfake.Options{AppID: 42, InstallationID: 7, AppPublicKey: pub, AppTokenTTL: ttl})
	t.Cleanup(fake.Close)
	c, err := New(context.Background(), Config{Host: fake.Host(), AppID: 42, InstallationID: 7,
		AppPrivateKeyFile: keyFile, HTTPClient: fake.Client()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, fake
}
