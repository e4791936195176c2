package httpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Timeouts of both listeners. ReadHeaderTimeout and ReadTimeout end
// slowloris-style connections that trickle headers or a body;
// WriteTimeout bounds a tool call (GitHub calls and rate-limit waits are
// bounded well below it); IdleTimeout reaps idle keep-alives.
type Timeouts struct {
	ReadHeader time.Duration
	Read       time.Duration
	Write      time.Duration
	Idle       time.Duration
	// DrainDelay keeps serving after readiness turned false, so endpoints
	// and Traefik stop routing here before the listener closes.
	DrainDelay time.Duration
	// Shutdown bounds the drain of in-flight requests on SIGTERM; keep
	// DrainDelay + Shutdown below the pod's terminationGracePeriodSeconds.
	Shutdown time.Duration
}

// DefaultTimeouts are the production values.
var DefaultTimeouts = Timeouts{
	ReadHeader: 5 * time.Second,
	Read:       30 * time.Second,
	Write:      5 * time.Minute,
	Idle:       2 * time.Minute,
	DrainDelay: 3 * time.Second,
	Shutdown:   20 * time.Second,
}

// MaxHeaderBytes bounds request headers (tokens and narrowing headers fit
// easily).
const MaxHeaderBytes = 64 << 10

// NewHTTPServer returns an http.Server with the hardening settings.
func NewHTTPServer(h http.Handler, t Timeouts, logger *slog.Logger) *http.Server {
	s := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
	if logger != nil {
		s.ErrorLog = slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	}
	return s
}

// Serve runs the MCP server and the ops server on the given listeners until
// ctx ends, then shuts down gracefully: readiness turns false first, the
// MCP listener stops accepting, in-flight calls get up to t.Shutdown to
// finish, and the ops server (probes, last scrape) stops last.
func Serve(ctx context.Context, mcpLn, opsLn net.Listener, mcpSrv, opsSrv *http.Server, ready *Readiness, t Timeouts, logger *slog.Logger) error {
	errc := make(chan error, 2)
	go func() { errc <- serveOne(mcpSrv, mcpLn, "mcp") }()
	go func() { errc <- serveOne(opsSrv, opsLn, "metrics") }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
		// A listener died: shut the other down too and report why.
	}
	if ready != nil {
		ready.Drain()
	}
	if logger != nil {
		logger.Info("Shutting down; draining in-flight requests", "timeout", t.Shutdown.String())
	}
	if t.DrainDelay > 0 && err == nil {
		time.Sleep(t.DrainDelay)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), t.Shutdown)
	defer cancel()
	if serr := mcpSrv.Shutdown(sctx); serr != nil {
		err = errors.Join(err, fmt.Errorf("draining MCP requests: %w", serr))
	}
	if serr := opsSrv.Shutdown(sctx); serr != nil {
		err = errors.Join(err, fmt.Errorf("stopping metrics server: %w", serr))
	}
	return err
}

func serveOne(s *http.Server, ln net.Listener, name string) error {
	if err := s.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("%s listener: %w", name, err)
	}
	return nil
}
