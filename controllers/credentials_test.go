package controllers

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
)

// TestCheckAppPrivateKey: what the schema cannot see about a GitHub App key
// stalls with a sentence, instead of pods that crash-loop on it until the
// rollout deadline. The sentence never quotes the key.
func TestCheckAppPrivateKey(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalECPrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	enc := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	for _, tc := range []struct {
		name string
		data []byte
		ok   bool
	}{
		{"PKCS#1 RSA, as GitHub issues it", enc("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(rsaKey)), true},
		{"PKCS#8 RSA", enc("PRIVATE KEY", pkcs8), true},
		{"not PEM", []byte("ghp_this-is-a-token-not-a-key"), false},
		{"a certificate, not a key", enc("CERTIFICATE", []byte{1, 2, 3}), false},
		{"corrupt RSA key", enc("RSA PRIVATE KEY", []byte("garbage")), false},
		{"EC key: GitHub Apps sign with RSA", enc("EC PRIVATE KEY", ecDER), false},
	} {
		msg := checkAppPrivateKey(tc.data)
		if (msg == "") != tc.ok {
			t.Errorf("%s: message %q, want ok=%v", tc.name, msg, tc.ok)
		}
		if strings.Contains(msg, "ghp_") || strings.Contains(msg, "garbage") {
			t.Errorf("%s: the message quotes the Secret's data: %q", tc.name, msg)
		}
	}
}
