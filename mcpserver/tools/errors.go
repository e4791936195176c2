package tools

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	gogithub "github.com/google/go-github/v62/github"

	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/github"
)

// argError names the argument that failed validation.
type argError struct {
	arg string
	msg string
}

func (e *argError) Error() string { return fmt.Sprintf("invalid argument %q: %s", e.arg, e.msg) }

func badArg(arg, format string, a ...any) error {
	return &argError{arg: arg, msg: fmt.Sprintf(format, a...)}
}

// toolError turns a handler error into the message the client sees. Upstream
// errors are summarised (status and GitHub's message), never dumped whole.
func toolError(err error) error {
	var ae *argError
	var rl *github.RateLimitError
	var ghErr *gogithub.ErrorResponse
	var abuse *gogithub.AbuseRateLimitError
	var ghRL *gogithub.RateLimitError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &rl):
		return rl
	case errors.As(err, &abuse):
		return errors.New("GitHub secondary rate limit exceeded; retry later")
	case errors.As(err, &ghRL):
		return fmt.Errorf("GitHub rate limit exceeded; resets at %s", ghRL.Rate.Reset.UTC().Format("2006-01-02T15:04:05Z"))
	case errors.As(err, &ghErr):
		status := 0
		if ghErr.Response != nil {
			status = ghErr.Response.StatusCode
		}
		msg := Sanitize(ghErr.Message)
		if status == http.StatusNotFound {
			return fmt.Errorf("GitHub: not found (404): %s", msg)
		}
		return fmt.Errorf("GitHub API error %d: %s", status, msg)
	case errors.Is(err, context.DeadlineExceeded):
		return errors.New("GitHub request timed out")
	case errors.Is(err, context.Canceled):
		return errors.New("request cancelled")
	}
	return fmt.Errorf("GitHub request failed: %s", Sanitize(err.Error()))
}
