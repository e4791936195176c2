package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// maxDownloadBytes bounds how much of a redirected download is streamed
// (and discarded except for the tail) before giving up.
const maxDownloadBytes = 256 << 20

// DownloadTail fetches a short-lived signed URL that GitHub redirected to
// (job logs, archives) and returns at most the last maxBytes of it, and
// whether earlier bytes were dropped. The request carries no GitHub
// credential: the URL is already signed, and the host is blob storage, not
// GitHub, so the token must not travel there. Only https URLs are fetched.
func (c *Client) DownloadTail(ctx context.Context, rawURL string, maxBytes int) ([]byte, bool, error) {
	if maxBytes <= 0 {
		return nil, false, errors.New("github: DownloadTail needs a positive maxBytes")
	}
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, false, errors.New("github: refusing to download from a non-https URL")
	}
	ctx, cancel := context.WithTimeout(ctx, DefaultRequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, false, err
	}
	resp, err := c.download.RoundTrip(req)
	if err != nil {
		return nil, false, fmt.Errorf("github: download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, false, fmt.Errorf("github: download answered %s", resp.Status)
	}
	return tail(io.LimitReader(resp.Body, maxDownloadBytes), maxBytes)
}

// tail keeps the last n bytes of r in a buffer of at most 2n.
func tail(r io.Reader, n int) ([]byte, bool, error) {
	buf := make([]byte, 0, 2*n)
	chunk := make([]byte, 32<<10)
	dropped := false
	for {
		k, err := r.Read(chunk)
		buf = append(buf, chunk[:k]...)
		if len(buf) > 2*n {
			copy(buf, buf[len(buf)-n:])
			buf = buf[:n]
			dropped = true
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false, err
		}
	}
	if len(buf) > n {
		buf = buf[len(buf)-n:]
		dropped = true
	}
	return buf, dropped, nil
}
