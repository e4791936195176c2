package githubfake

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// reply is an HTTP response read in full, so that no test leaves a body open.
type reply struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// get sends a GET to the fake and reads the whole reply.
func get(t *testing.T, s *Server, path, token string, hdr map[string]string) reply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{StatusCode: resp.StatusCode, Header: resp.Header, Body: b}
}

func TestFakeChecksTokens(t *testing.T) {
	s := New(Options{Tokens: []string{"good"}})
	defer s.Close()
	if r := get(t, s, "/user", "", nil); r.StatusCode != 401 {
		t.Fatalf("no token: %d", r.StatusCode)
	}
	if r := get(t, s, "/user", "bad", nil); r.StatusCode != 401 {
		t.Fatalf("bad token: %d", r.StatusCode)
	}
	r := get(t, s, "/user", "good", nil)
	var u struct{ Login string }
	_ = json.Unmarshal(r.Body, &u)
	if r.StatusCode != 200 || u.Login != Login || r.Header.Get("X-GitHub-Request-Id") == "" {
		t.Fatalf("good token: %d %q", r.StatusCode, u.Login)
	}
	s.SetTokens("rotated")
	if r := get(t, s, "/user", "good", nil); r.StatusCode != 401 {
		t.Fatalf("revoked token: %d", r.StatusCode)
	}
}

func TestFakeServesGHESPrefixAndETags(t *testing.T) {
	s := New(Options{Tokens: []string{"t"}})
	defer s.Close()
	r := get(t, s, APIPrefix+"/repos/octo-org/hello-world", "t", nil)
	tag := r.Header.Get("ETag")
	if r.StatusCode != 200 || tag == "" {
		t.Fatalf("status %d etag %q", r.StatusCode, tag)
	}
	if r := get(t, s, "/repos/octo-org/hello-world", "t", map[string]string{"If-None-Match": tag}); r.StatusCode != 304 {
		t.Fatalf("conditional GET: %d", r.StatusCode)
	}
	if r := get(t, s, APIPrefix+"/repos/someone/else", "t", nil); r.StatusCode != 404 {
		t.Fatalf("other repo: %d", r.StatusCode)
	}
	log := s.Requests()
	if len(log) != 3 || log[0].Path != "/repos/octo-org/hello-world" || log[1].IfNoneMatch != tag || log[1].Status != 304 {
		t.Fatalf("log = %+v", log)
	}
}

func TestFakeRateLimits(t *testing.T) {
	s := New(Options{Tokens: []string{"t"}})
	defer s.Close()
	s.SetRateLimit(RateLimitPrimary, 1, time.Minute)
	r := get(t, s, "/user", "t", nil)
	if r.StatusCode != 403 || r.Header.Get("X-RateLimit-Remaining") != "0" || r.Header.Get("X-RateLimit-Reset") == "" {
		t.Fatalf("primary: %d %v", r.StatusCode, r.Header)
	}
	s.SetRateLimit(RateLimitSecondary, 1, 7*time.Second)
	r = get(t, s, "/user", "t", nil)
	if r.StatusCode != 429 || r.Header.Get("Retry-After") != "7" {
		t.Fatalf("secondary: %d %v", r.StatusCode, r.Header)
	}
	if r := get(t, s, "/user", "t", nil); r.StatusCode != 200 {
		t.Fatalf("after limits: %d", r.StatusCode)
	}
}

func TestFakeLogBlobRefusesCredential(t *testing.T) {
	s := New(Options{Tokens: []string{"t"}})
	defer s.Close()
	client := s.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/repos/octo-org/hello-world/actions/jobs/399444496/logs", nil)
	req.Header.Set("Authorization", "Bearer t")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 302 || !strings.Contains(loc, "/_blob/logs/") {
		t.Fatalf("%d %q", resp.StatusCode, loc)
	}
	withCred, _ := http.NewRequest(http.MethodGet, loc, nil)
	withCred.Header.Set("Authorization", "Bearer t")
	r, err := s.Client().Do(withCred)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 400 {
		t.Fatalf("blob accepted a credential: %d", r.StatusCode)
	}
	r, err = s.Client().Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	if r.StatusCode != 200 || strings.Count(string(b), "\n") != LogLines {
		t.Fatalf("%d, %d lines", r.StatusCode, strings.Count(string(b), "\n"))
	}
}
