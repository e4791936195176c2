package httpserver

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
	"github.com/github-mcp-operator/github-mcp-operator/mcpserver/metrics"
)

// DefaultCheckInterval is how often Readiness probes GitHub. Probes by the
// kubelet only read the remembered result, so a probe storm costs GitHub
// nothing and cannot eat the rate limit.
const DefaultCheckInterval = 30 * time.Second

// Readiness runs the GitHub check in the background and answers /readyz
// from its last result.
type Readiness struct {
	// Check probes upstream (github.Client.Check).
	Check func(ctx context.Context) error
	// Ready reports credential loaded AND last check OK (github.Client.Ready).
	Ready    func() bool
	Interval time.Duration
	Timeout  time.Duration
	Logger   *slog.Logger
	Metrics  *metrics.Metrics

	ready    atomic.Bool
	draining atomic.Bool
}

// Run checks once immediately, then every Interval, until ctx ends.
func (r *Readiness) Run(ctx context.Context) {
	interval := r.Interval
	if interval <= 0 {
		interval = DefaultCheckInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		r.CheckNow(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// CheckNow runs one check and records the result; it logs transitions only.
func (r *Readiness) CheckNow(ctx context.Context) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	err := r.Check(cctx)
	cancel()
	ok := err == nil && (r.Ready == nil || r.Ready())
	if prev := r.ready.Swap(ok); prev != ok && r.Logger != nil {
		if ok {
			r.Logger.Info("GitHub check succeeded; ready")
		} else {
			r.Logger.Warn("GitHub check failed; not ready", "error", err)
		}
	}
	r.Metrics.SetReady(ok)
}

// IsReady is the /readyz answer: last check good and not shutting down.
func (r *Readiness) IsReady() bool { return r.ready.Load() && !r.draining.Load() }

// Drain makes /readyz fail so that endpoints stop routing here while
// in-flight calls finish.
func (r *Readiness) Drain() { r.draining.Store(true) }

// OpsHandler serves /healthz, /readyz and /metrics on the metrics port.
func OpsHandler(m *metrics.Metrics, r *Readiness) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+podcontract.HealthzPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET "+podcontract.ReadyzPath, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if r == nil || !r.IsReady() {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("not ready\n"))
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	if m != nil {
		mux.Handle("GET "+podcontract.MetricsPath, m.Handler())
	}
	return mux
}
