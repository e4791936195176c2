package traefik

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"time"
)

// Client returns an HTTP client that reaches Traefik the way a real client
// reaches the public host: it asks for https://host/... or http://host/...,
// sends that host as SNI and Host header, and only the TCP dial is pointed at
// the loopback entry point (what curl --resolve does). A wrong SNI makes
// Traefik's sniStrict TLSOption answer 421, so this matters.
//
// roots verifies the server certificate; tlsMax caps the client's TLS
// version (0 for no cap), to check that Traefik refuses TLS 1.2. Redirects
// are returned, not followed.
func (p *Proxy) Client(roots *x509.CertPool, tlsMax uint16) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			switch port {
			case "443":
				return dialer.DialContext(ctx, network, p.WebSecureAddr)
			case "80":
				return dialer.DialContext(ctx, network, p.WebAddr)
			}
			return nil, fmt.Errorf("test client dials only ports 80 and 443, not %s", addr)
		},
		TLSClientConfig:   &tls.Config{RootCAs: roots, MaxVersion: tlsMax},
		DisableKeepAlives: true,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// HandshakeVersion opens a raw TLS connection to the websecure entry point
// with SNI host, limited to [minV, maxV], and returns the negotiated version
// or the handshake error.
func (p *Proxy) HandshakeVersion(host string, roots *x509.CertPool, minV, maxV uint16) (uint16, error) {
	d := &net.Dialer{Timeout: 5 * time.Second}
	conn, err := tls.DialWithDialer(d, "tcp", p.WebSecureAddr, &tls.Config{
		ServerName: host, RootCAs: roots, MinVersion: minV, MaxVersion: maxV,
	})
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	return conn.ConnectionState().Version, nil
}

// SelfSigned makes a self-signed ECDSA certificate for host, valid one day,
// returning the PEM cert and key (the tls.crt and tls.key of a kubernetes.io/tls
// Secret) and a pool that trusts it. No ACME server is reachable in tests, so
// the IngressRoute runs in tls.secretName mode on this certificate.
func SelfSigned(host string) (certPEM, keyPEM []byte, pool *x509.CertPool, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: host},
		DNSNames:              []string{host},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, nil, err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, nil, err
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), pool, nil
}
