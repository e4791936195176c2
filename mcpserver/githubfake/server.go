package githubfake

import (
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// APIPrefix is the path prefix of the REST API on GitHub Enterprise Server.
const APIPrefix = "/api/v3"

// Options configure a fake.
type Options struct {
	// Tokens are the valid PATs at start.
	Tokens []string
	// AppID, InstallationID and AppPublicKey enable App token minting.
	AppID, InstallationID int64
	AppPublicKey          *rsa.PublicKey
	// AppTokenTTL is the lifetime of minted tokens (default 1h).
	AppTokenTTL time.Duration
}

// Request is one logged request.
type Request struct {
	Method        string
	Path          string // without the GHES prefix
	RawQuery      string
	Authorization string
	IfNoneMatch   string
	Status        int
	Accept        string
	// GHES is true when the request came under APIPrefix.
	GHES bool
}

// RateLimitMode selects how SetRateLimit answers.
type RateLimitMode int

const (
	// RateLimitPrimary answers 403 with X-RateLimit-Remaining: 0 and a reset.
	RateLimitPrimary RateLimitMode = iota + 1
	// RateLimitSecondary answers 429 with Retry-After.
	RateLimitSecondary
)

// Server is a running fake.
type Server struct {
	*httptest.Server

	opts   Options
	reqSeq atomic.Int64

	mu         sync.Mutex
	tokens     map[string]bool
	log        []Request
	minted     []string
	rlMode     RateLimitMode
	rlCount    int // remaining limited responses
	rlWait     time.Duration
	nextNumber int
	created    map[string]int // writes counted by kind
}

// New starts a TLS fake. Close it when done. Requests are served both at the
// root (api.github.com style) and under APIPrefix (GHES style).
func New(opts Options) *Server {
	if opts.AppTokenTTL == 0 {
		opts.AppTokenTTL = time.Hour
	}
	s := &Server{opts: opts, tokens: map[string]bool{}, nextNumber: 100, created: map[string]int{}}
	for _, t := range opts.Tokens {
		s.tokens[t] = true
	}
	mux := http.NewServeMux()
	s.routes(mux)
	outer := http.NewServeMux()
	outer.Handle(APIPrefix+"/", http.StripPrefix(APIPrefix, mux))
	outer.Handle("/", mux)
	s.Server = httptest.NewTLSServer(s.middleware(outer))
	return s
}

// Host returns the base URL to give as --gh-host (GHES mode).
func (s *Server) Host() string { return s.URL }

// SetTokens replaces the valid PATs (minted App tokens stay valid).
func (s *Server) SetTokens(tokens ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.tokens {
		if !strings.HasPrefix(t, "ghs_") {
			delete(s.tokens, t)
		}
	}
	for _, t := range tokens {
		s.tokens[t] = true
	}
}

// SetRateLimit makes the next n API requests answer with a rate limit that
// asks the client to wait for wait.
func (s *Server) SetRateLimit(mode RateLimitMode, n int, wait time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rlMode, s.rlCount, s.rlWait = mode, n, wait
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// ResetLog clears the request log.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// SetAppPublicKey replaces the key app JWTs are verified with (a key
// rotation: JWTs signed with the old key are refused from now on).
func (s *Server) SetAppPublicKey(pub *rsa.PublicKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.AppPublicKey = pub
}

// MintedTokens returns the App installation tokens minted so far.
func (s *Server) MintedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.minted...)
}

// Writes returns how many writes of a kind ("ref", "file", "issue",
// "issue_update", "comment", "pull", "merge") were made.
func (s *Server) Writes(kind string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.created[kind]
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// middleware logs, checks credentials and applies rate limits. Blob
// downloads (/_blob/) carry no credential, like GitHub's signed URLs.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(r.URL.Path, APIPrefix)
		if path == "" {
			path = "/"
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			s.mu.Lock()
			s.log = append(s.log, Request{
				Method: r.Method, Path: path, RawQuery: r.URL.RawQuery,
				Authorization: r.Header.Get("Authorization"), IfNoneMatch: r.Header.Get("If-None-Match"),
				Status: rec.status, Accept: r.Header.Get("Accept"),
				GHES: strings.HasPrefix(r.URL.Path, APIPrefix+"/"),
			})
			s.mu.Unlock()
		}()
		w.Header().Set("X-GitHub-Request-Id", fmt.Sprintf("FAKE:%04d", s.reqSeq.Add(1)))
		if strings.HasPrefix(path, "/_blob/") {
			next.ServeHTTP(rec, r)
			return
		}
		if strings.HasPrefix(path, "/app/installations/") {
			s.mintToken(rec, r)
			return
		}
		if !s.authorized(r.Header.Get("Authorization")) {
			writeJSON(rec, http.StatusUnauthorized, map[string]string{
				"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest",
			})
			return
		}
		if s.rateLimited(rec) {
			return
		}
		rec.Header().Set("X-RateLimit-Limit", "5000")
		rec.Header().Set("X-RateLimit-Remaining", "4999")
		rec.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
		rec.Header().Set("X-RateLimit-Resource", "core")
		next.ServeHTTP(rec, r)
	})
}

func (s *Server) authorized(h string) bool {
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		tok, ok = strings.CutPrefix(h, "token ")
	}
	if !ok || tok == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens[tok]
}

func (s *Server) rateLimited(w http.ResponseWriter) bool {
	s.mu.Lock()
	mode, wait := s.rlMode, s.rlWait
	if s.rlCount <= 0 {
		s.mu.Unlock()
		return false
	}
	s.rlCount--
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", "5000")
	switch mode {
	case RateLimitSecondary:
		h.Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
		writeJSON(w, http.StatusTooManyRequests, map[string]string{
			"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
		})
	default:
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Used", "5000")
		h.Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(wait).Unix(), 10))
		writeJSON(w, http.StatusForbidden, map[string]string{
			"message":           "API rate limit exceeded for user ID 1.",
			"documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
		})
	}
	return true
}

// mintToken implements POST /app/installations/{id}/access_tokens.
func (s *Server) mintToken(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, APIPrefix), "/app/installations/")
	idStr, ok := strings.CutSuffix(rest, "/access_tokens")
	id, err := strconv.ParseInt(idStr, 10, 64)
	if r.Method != http.MethodPost || !ok || err != nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	s.mu.Lock()
	pub := s.opts.AppPublicKey
	s.mu.Unlock()
	if pub == nil || id != s.opts.InstallationID {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "A JSON web token could not be decoded"})
		return
	}
	claims := &jwt.RegisteredClaims{}
	_, err = jwt.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuedAt(), jwt.WithExpirationRequired(), jwt.WithLeeway(time.Minute))
	if err != nil || claims.Issuer != strconv.FormatInt(s.opts.AppID, 10) {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "'Issuer' claim ('iss') must be an Integer"})
		return
	}
	s.mu.Lock()
	tok := fmt.Sprintf("ghs_fake%03d", len(s.minted)+1)
	s.minted = append(s.minted, tok)
	s.tokens[tok] = true
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{
		"token":      tok,
		"expires_at": time.Now().Add(s.opts.AppTokenTTL).UTC().Format(time.RFC3339),
		"permissions": map[string]string{
			"contents": "write", "issues": "write", "pull_requests": "write", "metadata": "read",
		},
		"repository_selection": "all",
	})
}

// writeJSON writes v with an ETag, answering 304 when the client has it.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// serveJSON answers a GET with an ETag over the body, and 304 on a match.
func serveJSON(w http.ResponseWriter, r *http.Request, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	serveBytes(w, r, "application/json; charset=utf-8", b)
}

func serveBytes(w http.ResponseWriter, r *http.Request, ctype string, b []byte) {
	sum := sha256.Sum256(b)
	tag := `W/"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", tag)
	if inm := r.Header.Get("If-None-Match"); inm != "" && inm == tag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, map[string]string{
		"message": "Not Found", "documentation_url": "https://docs.github.com/rest",
	})
}

func unprocessable(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]string{
		"message": msg, "documentation_url": "https://docs.github.com/rest",
	})
}

func (s *Server) countWrite(kind string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.created[kind]++
	s.nextNumber++
	return s.nextNumber
}
