package github

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the client's Prometheus collectors.
type metrics struct {
	rateRemaining *prometheus.GaugeVec
	cacheHits     prometheus.Counter
	cacheMisses   prometheus.Counter
	requests      *prometheus.CounterVec
	rateLimited   prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		rateRemaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "github_mcp_github_rate_limit_remaining",
			Help: "Requests left in the current GitHub rate-limit window, by resource (core, search, ...), as last reported by GitHub.",
		}, []string{"resource"}),
		cacheHits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "github_mcp_github_cache_hits_total",
			Help: "GET requests answered 304 Not Modified and served from the ETag cache.",
		}),
		cacheMisses: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "github_mcp_github_cache_misses_total",
			Help: "Cacheable GET requests that needed a full response from GitHub.",
		}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "github_mcp_github_requests_total",
			Help: "Upstream GitHub API requests by status class (2xx, 3xx, 4xx, 5xx, error).",
		}, []string{"code"}),
		rateLimited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "github_mcp_github_rate_limited_total",
			Help: "Upstream responses that were rate limits (403 with no remaining quota, or 429).",
		}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.rateRemaining, m.cacheHits, m.cacheMisses, m.requests, m.rateLimited} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func statusClass(code int) string {
	if code < 100 || code > 599 {
		return "error"
	}
	return strconv.Itoa(code/100) + "xx"
}
