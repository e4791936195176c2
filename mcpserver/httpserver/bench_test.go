package httpserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

// Benchmarks of the front chain, served in-process (no network), so they
// measure our checks rather than the loopback stack.

func benchRequest(b *testing.B, f *fixture, body string, mutate func(*http.Request)) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/mcp", strings.NewReader(body))
	req.RemoteAddr = "192.0.2.50:1234"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if mutate != nil {
		mutate(req)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec
}

func BenchmarkFrontBanned(b *testing.B) {
	f := newFixture(b, fixtureOpts{})
	f.h.cfg.Audit = nil // measure the check, not the audit writer
	ip := netip.MustParseAddr("192.0.2.50")
	for i := 0; i < 20; i++ {
		f.banner.Failure(ip)
	}
	b.ReportAllocs()
	for b.Loop() {
		if rec := benchRequest(b, f, initBody, nil); rec.Code != http.StatusForbidden {
			b.Fatal(rec.Code)
		}
	}
}

func BenchmarkFrontBadOrigin(b *testing.B) {
	f := newFixture(b, fixtureOpts{})
	f.h.cfg.Audit = nil
	b.ReportAllocs()
	for b.Loop() {
		rec := benchRequest(b, f, initBody, func(r *http.Request) { r.Header.Set("Origin", "https://evil.example.test") })
		if rec.Code != http.StatusForbidden {
			b.Fatal(rec.Code)
		}
	}
}

func BenchmarkFrontUnauthenticated(b *testing.B) {
	f := newFixture(b, fixtureOpts{})
	f.h.cfg.Audit = nil
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		ip := fmt.Sprintf("10.%d.%d.%d:1", byte(i>>16), byte(i>>8), byte(i)) // spread over IPs: no ban
		rec := benchRequest(b, f, initBody, func(r *http.Request) { r.RemoteAddr = ip })
		if rec.Code != http.StatusUnauthorized {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkFrontAuthenticatedAPIKey runs the whole chain up to the MCP
// handler (the narrowing step answers 400), with a valid API key and an
// allowed Origin.
func BenchmarkFrontAuthenticatedAPIKey(b *testing.B) {
	f := newFixture(b, fixtureOpts{})
	f.h.cfg.Audit = nil
	b.ReportAllocs()
	for b.Loop() {
		rec := benchRequest(b, f, initBody, func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+goodKey)
			r.Header.Set("Origin", allowedOrigin)
			r.Header.Set("X-MCP-Toolsets", "bogus")
		})
		if rec.Code != http.StatusBadRequest {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkFrontToolCall is a full stateless tools/call through the SDK.
func BenchmarkFrontToolCall(b *testing.B) {
	f := newFixture(b, fixtureOpts{})
	f.h.cfg.Audit = nil
	body := `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}`
	b.ReportAllocs()
	for b.Loop() {
		rec := benchRequest(b, f, body, func(r *http.Request) {
			r.Header.Set("Authorization", "Bearer "+goodKey)
			r.Header.Set("Mcp-Protocol-Version", "2025-11-25")
		})
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "hi|apikey:ci-bot") {
			b.Fatal(rec.Code, rec.Body.String())
		}
	}
}
