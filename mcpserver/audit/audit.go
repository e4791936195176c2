package audit

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"sync"
	"time"
)

// Kinds of audit line.
const (
	KindHTTP = "http"
	KindTool = "tool"
)

// Record is one audit line. Fields that do not apply are omitted.
type Record struct {
	Time      time.Time `json:"time"`
	Kind      string    `json:"kind"`
	RequestID string    `json:"request_id,omitempty"`
	ClientID  string    `json:"client_id"`
	ClientIP  string    `json:"client_ip,omitempty"`
	// HTTP lines. RPCMethod is the client's Mcp-Method header (2026-07-28;
	// the SDK rejects a request whose header and body disagree).
	Method    string `json:"method,omitempty"`
	Path      string `json:"path,omitempty"`
	RPCMethod string `json:"rpc_method,omitempty"`
	Status    int    `json:"status,omitempty"`
	// Tool lines.
	Tool       string `json:"tool,omitempty"`
	ArgsSHA256 string `json:"args_sha256,omitempty"`
	// Outcome: for HTTP, ok, denied_host, denied_origin, banned, unauthenticated,
	// too_large, bad_request, error; for tools, ok, tool_error, error.
	Outcome          string   `json:"outcome"`
	LatencyMS        float64  `json:"latency_ms"`
	GitHubRequestIDs []string `json:"github_request_ids,omitempty"`
}

// Logger writes Records as JSON lines. It is safe for concurrent use; each
// line is written with a single Write so lines never interleave.
type Logger struct {
	mu  sync.Mutex
	w   io.Writer
	Now func() time.Time
}

// New returns a Logger writing to w.
func New(w io.Writer) *Logger { return &Logger{w: w, Now: time.Now} }

// Log writes one line. A failing writer cannot fail the request it
// describes; the error is returned for the caller to count or ignore.
func (l *Logger) Log(r Record) error {
	if l == nil {
		return nil
	}
	if r.Time.IsZero() {
		r.Time = l.Now()
	}
	r.Time = r.Time.UTC()
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err = l.w.Write(b)
	return err
}

// ArgsDigest returns the hex SHA-256 of the canonical form of a JSON value:
// objects with sorted keys, no insignificant whitespace, numbers as written.
// Two calls with the same arguments in a different key order or spacing get
// the same digest. Input that is not JSON is hashed as raw bytes, with a
// "raw:" prefix so the two can never collide. Empty input hashes as {}.
func ArgsDigest(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		raw = []byte("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err == nil && !dec.More() {
		// encoding/json sorts map keys and keeps json.Number verbatim.
		if canon, err := json.Marshal(v); err == nil {
			sum := sha256.Sum256(canon)
			return hex.EncodeToString(sum[:])
		}
	}
	sum := sha256.Sum256(raw)
	return "raw:" + hex.EncodeToString(sum[:])
}

type requestIDKey struct{}

// NewRequestID returns a random 128-bit ID for correlating the HTTP line
// with its tool lines.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// WithRequestID stores id in ctx.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the request ID in ctx, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
