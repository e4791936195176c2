package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes every metric of the server.
const Namespace = "github_mcp"

// Metrics is the set of collectors of the HTTP front. All methods are safe
// for concurrent use, and a nil *Metrics is a valid no-op (so packages can be
// used in tests without a registry).
type Metrics struct {
	Registry *prometheus.Registry

	httpRequests   *prometheus.CounterVec
	httpDuration   *prometheus.HistogramVec
	toolCalls      *prometheus.CounterVec
	toolDuration   *prometheus.HistogramVec
	authFailures   *prometheus.CounterVec
	bans           prometheus.Counter
	rejected       *prometheus.CounterVec
	clientAuthNone prometheus.Gauge
	ready          prometheus.Gauge
}

// New builds a fresh registry with the Go and process collectors and the
// server's own collectors registered on it.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Buckets from 5ms to ~40s: GitHub calls dominate tool latency, and the
	// bounded rate-limit wait can stretch a call to several seconds.
	buckets := prometheus.ExponentialBuckets(0.005, 2.5, 11)
	m := &Metrics{
		Registry: reg,
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "http_requests_total",
			Help: "HTTP requests to the MCP port, by response status code.",
		}, []string{"code"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "http_request_duration_seconds",
			Help: "Latency of HTTP requests to the MCP port, by response status code.", Buckets: buckets,
		}, []string{"code"}),
		toolCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "tool_calls_total",
			Help: "MCP tool calls by tool and outcome (ok, tool_error, error).",
		}, []string{"tool", "outcome"}),
		toolDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Name: "tool_call_duration_seconds",
			Help: "Latency of MCP tool calls, by tool.", Buckets: buckets,
		}, []string{"tool"}),
		authFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "auth_failures_total",
			Help: "Client authentication failures, by reason (missing, invalid).",
		}, []string{"reason"}),
		bans: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: Namespace, Name: "bans_total",
			Help: "Client IPs banned for repeated authentication failures.",
		}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Name: "rejected_requests_total",
			Help: "Requests refused before authentication, by reason (banned, deny_cidr, host, origin, body_too_large).",
		}, []string{"reason"}),
		clientAuthNone: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "client_auth_none",
			Help: "1 when client authentication is disabled (--client-auth=none), else 0.",
		}),
		ready: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: Namespace, Name: "ready",
			Help: "1 when the GitHub credential is loaded and the last GitHub check succeeded.",
		}),
	}
	reg.MustRegister(m.httpRequests, m.httpDuration, m.toolCalls, m.toolDuration, m.authFailures,
		m.bans, m.rejected, m.clientAuthNone, m.ready)
	return m
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// ObserveHTTP records one finished HTTP request.
func (m *Metrics) ObserveHTTP(code int, d time.Duration) {
	if m == nil {
		return
	}
	c := strconv.Itoa(code)
	m.httpRequests.WithLabelValues(c).Inc()
	m.httpDuration.WithLabelValues(c).Observe(d.Seconds())
}

// ObserveToolCall records one finished tool call. The caller bounds the
// cardinality of tool (unknown names must be folded into one label).
func (m *Metrics) ObserveToolCall(tool, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.toolCalls.WithLabelValues(tool, outcome).Inc()
	m.toolDuration.WithLabelValues(tool).Observe(d.Seconds())
}

// AuthFailure counts one failed client authentication.
func (m *Metrics) AuthFailure(reason string) {
	if m == nil {
		return
	}
	m.authFailures.WithLabelValues(reason).Inc()
}

// Banned counts a new ban.
func (m *Metrics) Banned() {
	if m == nil {
		return
	}
	m.bans.Inc()
}

// RegisterActiveBans exposes the number of bans in force, computed by f at
// scrape time (bans expire without an event that could update a gauge).
// Call it at most once per registry.
func (m *Metrics) RegisterActiveBans(f func() int) {
	if m == nil {
		return
	}
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: Namespace, Name: "active_bans",
		Help: "Client IPs (IPv6: /64 prefixes) banned right now.",
	}, func() float64 { return float64(f()) }))
}

// Rejected counts a request refused before authentication.
func (m *Metrics) Rejected(reason string) {
	if m == nil {
		return
	}
	m.rejected.WithLabelValues(reason).Inc()
}

// SetClientAuthNone records whether client authentication is disabled.
func (m *Metrics) SetClientAuthNone(none bool) {
	if m == nil {
		return
	}
	m.clientAuthNone.Set(b2f(none))
}

// SetReady mirrors the readiness state.
func (m *Metrics) SetReady(ready bool) {
	if m == nil {
		return
	}
	m.ready.Set(b2f(ready))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
