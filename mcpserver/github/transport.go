package github

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/reqctx"
)

// The transport chain, outermost first:
//
//	observe   → X-GitHub-Request-Id into reqctx, metrics
//	rateLimit → bounded wait and retry on 403/429 rate limits, then *RateLimitError
//	auth      → the server's credential in Authorization (any caller value is replaced)
//	etag      → If-None-Match from the cache; a 304 is served from it
//	limit     → semaphore capping in-flight upstream calls
//	base      → the network
//
// The cache sits inside auth so its key includes the credential, and the
// semaphore is held only while a request is on the wire, never while
// sleeping on a rate limit.

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// observe records the request ID and counts responses.
func observe(next http.RoundTripper, m *metrics) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(req)
		if err != nil {
			m.requests.WithLabelValues("error").Inc()
			return nil, err
		}
		m.requests.WithLabelValues(statusClass(resp.StatusCode)).Inc()
		reqctx.From(req.Context()).AddGitHubRequestID(resp.Header.Get("X-GitHub-Request-Id"))
		if rem := resp.Header.Get("X-RateLimit-Remaining"); rem != "" {
			if n, perr := strconv.ParseFloat(rem, 64); perr == nil {
				res := resp.Header.Get("X-RateLimit-Resource")
				if res == "" {
					res = "core"
				}
				m.rateRemaining.WithLabelValues(res).Set(n)
			}
		}
		return resp, nil
	})
}

// auth sets the credential on a clone of the request, but only for https
// requests to the GitHub API and upload hosts: a redirect elsewhere (blob
// storage, a renamed host) or a downgrade to plain http must never carry the
// token, and any Authorization a request brought along is dropped.
func auth(next http.RoundTripper, creds credentials, hosts map[string]bool) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if req.URL.Scheme != "https" || !hosts[strings.ToLower(req.URL.Host)] {
			r := req.Clone(req.Context())
			r.Header.Del("Authorization")
			return next.RoundTrip(r)
		}
		h, err := creds.authorization(req.Context())
		if err != nil {
			return nil, err
		}
		r := req.Clone(req.Context())
		r.Header.Set("Authorization", h)
		return next.RoundTrip(r)
	})
}

// limit caps concurrent upstream calls; waiting honours the context.
func limit(next http.RoundTripper, n int) http.RoundTripper {
	sem := make(chan struct{}, n)
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		select {
		case sem <- struct{}{}:
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
		resp, err := next.RoundTrip(req)
		if err != nil || resp.Body == nil {
			<-sem
			return resp, err
		}
		// Hold the slot until the body is consumed: the connection is busy.
		resp.Body = &releaseBody{ReadCloser: resp.Body, release: func() { <-sem }}
		return resp, nil
	})
}

// releaseBody frees the slot on Close or at the end of the body, whichever
// comes first. The end matters: go-github's CheckResponse reads an error
// body to EOF and then swaps it for a copy, so the original is never closed.
type releaseBody struct {
	io.ReadCloser
	release func()
	once    sync.Once
}

func (b *releaseBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.once.Do(b.release)
	}
	return n, err
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// rateLimitPolicy bounds how long and how often a call waits on GitHub.
type rateLimitPolicy struct {
	maxWait    time.Duration // total sleep budget per call
	maxRetries int
	now        func() time.Time
	sleep      func(ctx context.Context, d time.Duration) error
}

// sleep waits on rate limits; tests replace it to observe waits without
// spending them.
var sleep = sleepCtx

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// rateLimited reports whether resp is a rate limit and how long GitHub asks
// us to wait (zero when unknown).
func (p *rateLimitPolicy) rateLimited(resp *http.Response) (bool, *RateLimitError) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return false, nil
	}
	e := &RateLimitError{Status: resp.StatusCode}
	if ra := resp.Header.Get("Retry-After"); ra != "" {
		if secs, err := strconv.Atoi(ra); err == nil && secs >= 0 {
			e.RetryAfter = time.Duration(secs) * time.Second
		} else if t, err := http.ParseTime(ra); err == nil {
			e.RetryAfter = max(t.Sub(p.now()), 0)
		}
	}
	exhausted := resp.Header.Get("X-RateLimit-Remaining") == "0"
	if reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil && exhausted {
		e.Reset = time.Unix(reset, 0)
	}
	// A 403 is a rate limit only with exhausted quota or a Retry-After
	// (secondary limits); otherwise it is a permission error.
	if resp.StatusCode == http.StatusForbidden && !exhausted && resp.Header.Get("Retry-After") == "" {
		return false, nil
	}
	return true, e
}

func (e *RateLimitError) wait(now time.Time) time.Duration {
	if e.RetryAfter > 0 {
		return e.RetryAfter
	}
	if !e.Reset.IsZero() {
		return max(e.Reset.Sub(now), 0) + time.Second // reset is whole seconds
	}
	return time.Second
}

// rateLimit retries rate-limited calls while the wait fits the budget.
func rateLimit(next http.RoundTripper, p *rateLimitPolicy, m *metrics) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		budget := p.maxWait
		for attempt := 0; ; attempt++ {
			resp, err := next.RoundTrip(req)
			if err != nil {
				return nil, err
			}
			limited, rlErr := p.rateLimited(resp)
			if !limited {
				return resp, nil
			}
			m.rateLimited.Inc()
			wait := rlErr.wait(p.now())
			dl, hasDeadline := req.Context().Deadline()
			pastDeadline := hasDeadline && p.now().Add(wait).After(dl)
			canReplay := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
			if attempt >= p.maxRetries || wait > budget || pastDeadline || !canReplay {
				drain(resp)
				return nil, rlErr
			}
			drain(resp)
			if err := p.sleep(req.Context(), wait); err != nil {
				return nil, err
			}
			budget -= wait
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, fmt.Errorf("replaying request body: %w", err)
				}
				req = req.Clone(req.Context())
				req.Body = body
			}
		}
	})
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}
