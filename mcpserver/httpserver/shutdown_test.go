package httpserver

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/github-mcp-operator/github-mcp-operator/api/podcontract"
)

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func TestGracefulShutdownDrainsInFlightCall(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	mcpLn, opsLn := listen(t), listen(t)
	ready := &Readiness{Check: func(context.Context) error { return nil }, Ready: func() bool { return true }, Metrics: f.metrics}
	ready.CheckNow(context.Background())
	timeouts := Timeouts{ReadHeader: time.Second, Read: 5 * time.Second, Write: time.Minute, Idle: time.Minute, Shutdown: time.Minute}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, mcpLn, opsLn, NewHTTPServer(f.h, timeouts, testLogger()),
			NewHTTPServer(OpsHandler(f.metrics, ready), timeouts, testLogger()), ready, timeouts, testLogger())
	}()
	base := "http://" + mcpLn.Addr().String()

	cs, err := mcp.NewClient(&mcp.Implementation{Name: "c", Version: "v"}, nil).Connect(context.Background(),
		&mcp.StreamableClientTransport{Endpoint: base + "/mcp", MaxRetries: -1,
			HTTPClient: &http.Client{Transport: &headerTransport{base: &http.Transport{}, hdr: bearer(goodKey)}}},
		&mcp.ClientSessionOptions{ProtocolVersion: "2026-07-28"})
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	type result struct {
		res *mcp.CallToolResult
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "block", Arguments: map[string]any{}})
		done <- result{res, err}
	}()
	<-f.blockStart // the call is in flight

	stop() // SIGTERM
	// Readiness turns false while the call is still running.
	for i := 0; ready.IsReady() && i < 1000; i++ {
		time.Sleep(time.Millisecond)
	}
	if ready.IsReady() {
		t.Fatal("still ready while shutting down")
	}
	// New connections are refused once the listener is closed.
	for i := 0; i < 1000; i++ {
		c, err := net.Dial("tcp", mcpLn.Addr().String())
		if err != nil {
			break
		}
		c.Close()
		time.Sleep(time.Millisecond)
	}
	if c, err := net.Dial("tcp", mcpLn.Addr().String()); err == nil {
		c.Close()
		t.Fatal("listener still accepting during shutdown")
	}
	select {
	case <-served:
		t.Fatal("Serve returned before the in-flight call finished")
	default:
	}

	close(f.blockFree)
	r := <-done
	if r.err != nil {
		t.Fatalf("in-flight call failed during shutdown: %v", r.err)
	}
	if got := r.res.Content[0].(*mcp.TextContent).Text; got != "released" {
		t.Fatalf("result %q", got)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

func TestOpsEndpoints(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	checkErr := errors.New("GitHub unreachable")
	credLoaded := true
	ready := &Readiness{Check: func(context.Context) error { return checkErr }, Ready: func() bool { return credLoaded }, Metrics: f.metrics, Logger: testLogger()}
	h := OpsHandler(f.metrics, ready)
	get := func(path string) (int, string) {
		rec := &recorderT{header: http.Header{}, code: 200}
		h.ServeHTTP(rec, mustReq(t, "GET", path))
		return rec.code, rec.body.String()
	}
	if c, _ := get(podcontract.HealthzPath); c != 200 {
		t.Fatalf("healthz %d", c)
	}
	if c, _ := get(podcontract.ReadyzPath); c != 503 {
		t.Fatalf("readyz before any check: %d", c)
	}
	ready.CheckNow(context.Background())
	if c, _ := get(podcontract.ReadyzPath); c != 503 {
		t.Fatalf("readyz after failed check: %d", c)
	}
	checkErr = nil
	ready.CheckNow(context.Background())
	if c, _ := get(podcontract.ReadyzPath); c != 200 {
		t.Fatalf("readyz after good check: %d", c)
	}
	if _, body := get(podcontract.MetricsPath); !strings.Contains(body, "github_mcp_ready 1") {
		t.Fatal("ready gauge not 1")
	}
	credLoaded = false // e.g. the token file vanished
	ready.CheckNow(context.Background())
	if c, _ := get(podcontract.ReadyzPath); c != 503 {
		t.Fatalf("readyz without credential: %d", c)
	}
	credLoaded = true
	ready.CheckNow(context.Background())
	ready.Drain()
	if c, _ := get(podcontract.ReadyzPath); c != 503 {
		t.Fatalf("readyz while draining: %d", c)
	}
}

func TestReadinessRunsInBackground(t *testing.T) {
	calls := make(chan struct{}, 10)
	ready := &Readiness{Check: func(context.Context) error { calls <- struct{}{}; return nil }, Interval: time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	go ready.Run(ctx)
	<-calls
	<-calls // periodic, not once
	cancel()
	if !ready.IsReady() {
		t.Fatal("not ready after good checks")
	}
}

func TestSlowlorisHeaderTimeout(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	ln := listen(t)
	timeouts := Timeouts{ReadHeader: 50 * time.Millisecond, Read: time.Second, Write: time.Second, Idle: time.Second}
	srv := NewHTTPServer(f.h, timeouts, testLogger())
	go srv.Serve(ln)
	defer srv.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Trickle an incomplete header; the server must hang up on us.
	if _, err := c.Write([]byte("POST /mcp HTTP/1.1\r\nHost: x\r\n")); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("connection not closed by the server: %v", err)
	}
	_ = b // net/http may answer 408 or just close; either ends the connection
	if srv.MaxHeaderBytes != MaxHeaderBytes || srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.IdleTimeout == 0 {
		t.Fatalf("hardening settings missing: %+v", srv)
	}
}

// TestClientHangUpCancelsToolCall: with 2026-07-28 a POST is the whole call,
// so a client that goes away cancels the tool and its GitHub requests.
func TestClientHangUpCancelsToolCall(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	cs, err := f.connect("2026-07-28", bearer(goodKey))
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "block", Arguments: map[string]any{}})
		errc <- err
	}()
	<-f.blockStart
	cancel()
	select {
	case <-f.blockGone:
	case <-time.After(time.Minute):
		close(f.blockFree) // let the server's cleanup finish
		t.Fatal("the tool call kept running after the client hung up")
	}
	if err := <-errc; err == nil {
		t.Fatal("cancelled call reported success")
	}
}
