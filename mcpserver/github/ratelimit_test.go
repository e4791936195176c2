package github

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/githubfake"
)

// recordSleeps replaces the rate-limit sleep for one test.
func recordSleeps(t *testing.T) *[]time.Duration {
	var mu sync.Mutex
	var waits []time.Duration
	old := sleep
	sleep = func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d)
		return nil
	}
	t.Cleanup(func() { sleep = old })
	return &waits
}

func TestRateLimitWaitsThenSucceeds(t *testing.T) {
	waits := recordSleeps(t)
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_x"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_x")
	c, reg := newPATClient(t, fake, sd.path(), func(c *Config) { c.MaxRateLimitWait = 10 * time.Second })
	fake.SetRateLimit(githubfake.RateLimitSecondary, 1, 2*time.Second)
	if _, _, err := c.REST().Users.Get(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if len(*waits) != 1 || (*waits)[0] != 2*time.Second {
		t.Fatalf("waits = %v, want [2s]", *waits)
	}
	if n := testutil.ToFloat64(c.metrics.rateLimited); n != 1 {
		t.Fatalf("rate limited counter = %v", n)
	}
	_ = reg
}

func TestRateLimitBeyondBudgetFailsClearly(t *testing.T) {
	waits := recordSleeps(t)
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_x"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_x")
	c, _ := newPATClient(t, fake, sd.path(), func(c *Config) { c.MaxRateLimitWait = 5 * time.Second })

	fake.SetRateLimit(githubfake.RateLimitPrimary, 100, time.Hour)
	_, _, err := c.REST().Users.Get(context.Background(), "")
	var rl *RateLimitError
	if !errors.As(err, &rl) || rl.Status != 403 || rl.Reset.IsZero() {
		t.Fatalf("err = %v, want *RateLimitError with reset", err)
	}
	if !strings.Contains(rl.Error(), "GitHub rate limit exceeded; resets at ") {
		t.Fatalf("message = %q", rl.Error())
	}
	if len(*waits) != 0 {
		t.Fatalf("waited %v although the reset is beyond the budget", *waits)
	}

	// Retries are bounded too: 429 with a short Retry-After, forever.
	fake.SetRateLimit(githubfake.RateLimitSecondary, 100, time.Second)
	fake.ResetLog()
	_, _, err = c.REST().Users.Get(context.Background(), "")
	if !errors.As(err, &rl) || rl.Status != 429 {
		t.Fatalf("err = %v, want 429 *RateLimitError", err)
	}
	if got := len(fake.Requests()); got != DefaultMaxRetries+1 {
		t.Fatalf("attempts = %d, want %d", got, DefaultMaxRetries+1)
	}
}

func TestPermission403IsNotARateLimit(t *testing.T) {
	p := &rateLimitPolicy{now: time.Now}
	resp := &httpResponse403
	if limited, _ := p.rateLimited(resp); limited {
		t.Fatal("plain 403 treated as rate limit")
	}
}

var httpResponse403 = http.Response{StatusCode: 403, Header: http.Header{"X-Ratelimit-Remaining": {"12"}}}

func TestRateLimitWaitNeverOutlivesTheDeadline(t *testing.T) {
	waits := recordSleeps(t)
	fake := githubfake.New(githubfake.Options{Tokens: []string{"ghp_x"}})
	defer fake.Close()
	sd := newSecretDir(t, "ghp_x")
	c, _ := newPATClient(t, fake, sd.path(), func(c *Config) { c.MaxRateLimitWait = time.Minute })
	fake.SetRateLimit(githubfake.RateLimitSecondary, 1, 30*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err := c.REST().Users.Get(ctx, "")
	var rl *RateLimitError
	if !errors.As(err, &rl) || len(*waits) != 0 {
		t.Fatalf("err = %v, waits = %v; want an immediate *RateLimitError", err, *waits)
	}
}

func TestSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepCtx(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("sleepCtx on a cancelled context = %v", err)
	}
	if err := sleepCtx(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

func TestRetryAfterAsHTTPDate(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p := &rateLimitPolicy{now: func() time.Time { return now }}
	resp := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {now.Add(3 * time.Second).Format(http.TimeFormat)}}}
	limited, e := p.rateLimited(resp)
	if !limited || e.RetryAfter != 3*time.Second || e.wait(now) != 3*time.Second {
		t.Fatalf("limited=%v err=%+v", limited, e)
	}
	reset := &http.Response{StatusCode: 403, Header: http.Header{
		"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconvI(now.Add(10 * time.Second).Unix())}}}
	limited, e = p.rateLimited(reset)
	if !limited || e.Reset.Unix() != now.Add(10*time.Second).Unix() || e.wait(now) != 11*time.Second {
		t.Fatalf("limited=%v err=%+v wait=%v", limited, e, e.wait(now))
	}
}

func strconvI(n int64) string { return strconv.FormatInt(n, 10) }
