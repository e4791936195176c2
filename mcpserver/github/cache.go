package github

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"sync"
)

// maxCachedBody bounds one cached response; larger ones are not cached.
const maxCachedBody = 1 << 20

// DefaultCacheBytes bounds the memory the ETag cache holds. The entry count
// alone does not: DefaultCacheEntries responses of up to maxCachedBody each
// would be a gigabyte, far beyond the pod's memory limit.
const DefaultCacheBytes = 32 << 20

// etagCache is a bounded LRU of GET responses keyed by credential, URL and
// Accept header. GitHub does not count a 304 against the rate limit, so
// revalidating with If-None-Match spares quota while always serving fresh
// data. It is bounded both in entries and in bytes.
type etagCache struct {
	max      int
	maxBytes int64

	mu    sync.Mutex
	ll    *list.List // front = most recent
	items map[string]*list.Element
	bytes int64 // sum of size() over the entries
}

type cacheEntry struct {
	key    string
	etag   string
	header http.Header
	body   []byte
}

func newETagCache(max int) *etagCache {
	return &etagCache{max: max, maxBytes: DefaultCacheBytes, ll: list.New(), items: map[string]*list.Element{}}
}

// size approximates an entry's memory: body, header and key.
func (e *cacheEntry) size() int64 {
	n := len(e.key) + len(e.etag) + len(e.body)
	for k, vs := range e.header {
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	return int64(n)
}

// cacheKey hashes the credential so that no token sits in memory as a map
// key, and so two credentials never share an entry (they may see different
// data).
func cacheKey(req *http.Request) string {
	h := sha256.New()
	// A hash.Hash's Write never returns an error (see its documentation).
	_, _ = io.WriteString(h, req.Header.Get("Authorization"))
	_, _ = io.WriteString(h, "\x00")
	_, _ = io.WriteString(h, req.Header.Get("Accept"))
	_, _ = io.WriteString(h, "\x00")
	_, _ = io.WriteString(h, req.URL.String())
	return hex.EncodeToString(h.Sum(nil))
}

func (c *etagCache) get(key string) *cacheEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		return el.Value.(*cacheEntry)
	}
	return nil
}

func (c *etagCache) put(e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e.size() > c.maxBytes {
		return
	}
	if el, ok := c.items[e.key]; ok {
		c.bytes -= el.Value.(*cacheEntry).size()
		el.Value = e
		c.ll.MoveToFront(el)
	} else {
		c.items[e.key] = c.ll.PushFront(e)
	}
	c.bytes += e.size()
	for c.ll.Len() > c.max || c.bytes > c.maxBytes {
		c.removeLocked(c.ll.Back())
	}
}

func (c *etagCache) remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.removeLocked(el)
	}
}

func (c *etagCache) removeLocked(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.ll.Remove(el)
	delete(c.items, e.key)
	c.bytes -= e.size()
}

// Bytes returns the approximate memory the entries hold.
func (c *etagCache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// Len returns the number of cached entries.
func (c *etagCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}

// etag serves conditional GETs from the cache. Requests that already carry
// their own conditional headers, and non-GETs, pass through.
func etag(next http.RoundTripper, c *etagCache, m *metrics) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if req.Method != http.MethodGet || req.Header.Get("If-None-Match") != "" || req.Header.Get("Range") != "" {
			return next.RoundTrip(req)
		}
		key := cacheKey(req)
		ent := c.get(key)
		if ent != nil {
			req = req.Clone(req.Context())
			req.Header.Set("If-None-Match", ent.etag)
		}
		resp, err := next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode == http.StatusNotModified && ent != nil {
			m.cacheHits.Inc()
			drain(resp)
			return cachedResponse(req, resp, ent), nil
		}
		m.cacheMisses.Inc()
		tag := resp.Header.Get("ETag")
		if resp.StatusCode != http.StatusOK || tag == "" {
			if ent != nil {
				c.remove(key)
			}
			return resp, nil
		}
		if resp.ContentLength > maxCachedBody {
			return resp, nil
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxCachedBody+1))
		if err != nil {
			_ = resp.Body.Close()
			return nil, err
		}
		if len(body) > maxCachedBody {
			// Too big to cache: hand back what we read plus the rest.
			resp.Body = struct {
				io.Reader
				io.Closer
			}{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
			return resp, nil
		}
		_ = resp.Body.Close()
		c.put(&cacheEntry{key: key, etag: tag, header: resp.Header.Clone(), body: body})
		resp.Body = io.NopCloser(bytes.NewReader(body))
		return resp, nil
	})
}

// cachedResponse rebuilds a 200 from the cache, with the fresh rate-limit
// and request-ID headers of the 304.
func cachedResponse(req *http.Request, notModified *http.Response, ent *cacheEntry) *http.Response {
	h := ent.header.Clone()
	for _, k := range []string{"X-Ratelimit-Remaining", "X-Ratelimit-Reset", "X-Ratelimit-Limit", "X-Ratelimit-Used", "X-Ratelimit-Resource", "X-Github-Request-Id", "Date"} {
		if v := notModified.Header.Values(k); len(v) > 0 {
			h[k] = v
		}
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         notModified.Proto,
		ProtoMajor:    notModified.ProtoMajor,
		ProtoMinor:    notModified.ProtoMinor,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(ent.body)),
		ContentLength: int64(len(ent.body)),
		Request:       req,
	}
}
