package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// options configure one run of the demo.
type options struct {
	// Once exits after printing instead of waiting for Ctrl-C.
	Once bool
	// ReadyTimeout bounds the wait for the GitHubMCPServer to become Ready.
	ReadyTimeout time.Duration
	// Out receives what a user reads; Log receives progress and tool logs.
	Out, Log io.Writer
	// AfterReady, when set, runs against the live cluster after the report
	// and before teardown (the test uses it to check more than Ready).
	AfterReady func(ctx context.Context, d *demo) error
	// UpFailed, when set, runs against the live cluster when setting up
	// or waiting failed, before teardown (the tests inspect the failure).
	UpFailed func(ctx context.Context, d *demo)
	// EditManifest, when set, rewrites the sample before it is applied (the
	// tests use it to break the sample on purpose).
	EditManifest func([]byte) []byte
}

func main() {
	once := flag.Bool("once", os.Getenv("DEMO_ONCE") == "1", "exit after printing instead of keeping the cluster up until Ctrl-C (also DEMO_ONCE=1)")
	timeout := flag.Duration("timeout", 3*time.Minute, "how long to wait for the GitHubMCPServer to become Ready")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "demo: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}

	// Ctrl-C and SIGTERM cancel the context; run then tears everything down
	// before returning, so the process never exits with children behind.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, options{Once: *once, ReadyTimeout: *timeout, Out: os.Stdout, Log: os.Stderr})
	switch {
	case err == nil:
	case ctx.Err() != nil:
		// Interrupted mid-way: whatever failed failed because of the
		// interrupt, and teardown has run.
		fmt.Fprintln(os.Stderr, "demo: interrupted; everything it started is stopped")
		stop()
		os.Exit(130)
	default:
		fmt.Fprintf(os.Stderr, "demo: %v\n", err)
		stop()
		os.Exit(1)
	}
}

// run is the whole demo: set up, report, wait, tear down. Teardown happens
// on every path out, including errors and cancellation.
func run(ctx context.Context, opts options) (err error) {
	if opts.ReadyTimeout <= 0 {
		opts.ReadyTimeout = 3 * time.Minute
	}
	d, err := newDemo(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, d.close())
	}()
	if err := d.up(ctx); err != nil {
		if opts.UpFailed != nil && ctx.Err() == nil {
			opts.UpFailed(ctx, d)
		}
		return err
	}
	if err := d.report(ctx); err != nil {
		return err
	}
	if opts.AfterReady != nil {
		if err := opts.AfterReady(ctx, d); err != nil {
			return err
		}
	}
	if opts.Once {
		return nil
	}
	fmt.Fprintf(opts.Out, "\nThe cluster stays up until Ctrl-C. Explore it with:\n\n  export KUBECONFIG=%s\n  %s get ghmcp -A\n\n", d.cluster.Kubeconfig, d.kubectlHint())
	<-ctx.Done()
	fmt.Fprintln(opts.Log, "Stopping the operator and the cluster...")
	return nil
}
