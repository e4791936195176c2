package github

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// BenchmarkETagCacheHit measures serving a 304 from the cache: key hashing,
// LRU lookup and rebuilding the response.
func BenchmarkETagCacheHit(b *testing.B) {
	body := bytes.Repeat([]byte(`{"name":"x"},`), 1000)
	upstream := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			return &http.Response{StatusCode: http.StatusNotModified, Header: http.Header{}, Body: http.NoBody}, nil
		}
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Etag": {`"v1"`}},
			Body: io.NopCloser(bytes.NewReader(body))}, nil
	})
	m, _ := newMetrics(prometheus.NewRegistry())
	rt := etag(upstream, newETagCache(1000), m)
	req, _ := http.NewRequest(http.MethodGet, "https://api.github.com/repos/o/r/branches", nil)
	req.Header.Set("Authorization", "Bearer ghp_bench")
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		resp, err := rt.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkETagCachePutEvict measures inserting into a full cache.
func BenchmarkETagCachePutEvict(b *testing.B) {
	c := newETagCache(1000)
	i := 0
	for b.Loop() {
		c.put(&cacheEntry{key: strconv.Itoa(i), etag: `"x"`})
		i++
	}
}
