package github

import (
	"fmt"
	"time"
)

// RateLimitError is returned (wrapped in go-github's error, or directly from
// the transport) when GitHub rate-limited a call and the bounded wait ran
// out. Tools turn it into a readable tool error.
type RateLimitError struct {
	// Reset is when GitHub says the limit resets (zero if unknown).
	Reset time.Time
	// RetryAfter is GitHub's Retry-After (zero if absent).
	RetryAfter time.Duration
	// Status is the HTTP status GitHub answered (403 or 429).
	Status int
}

func (e *RateLimitError) Error() string {
	switch {
	case !e.Reset.IsZero():
		return fmt.Sprintf("GitHub rate limit exceeded; resets at %s", e.Reset.UTC().Format(time.RFC3339))
	case e.RetryAfter > 0:
		return fmt.Sprintf("GitHub rate limit exceeded; retry after %s", e.RetryAfter)
	default:
		return "GitHub rate limit exceeded"
	}
}
