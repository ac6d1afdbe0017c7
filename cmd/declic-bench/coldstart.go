package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"
)

// runColdStart starts the declic binary on an empty data folder, several
// times, and times each from the exec to the first 200 of /healthz: what a
// restart costs the pupils answering at that moment.
func runColdStart(ctx context.Context, cfg config, stdout io.Writer) error {
	return runColdStartIn(ctx, ".", cfg, stdout)
}

// runColdStartIn is runColdStart with the module's folder, where a binary
// is built when cfg.Binary is empty.
func runColdStartIn(ctx context.Context, moduleDir string, cfg config, stdout io.Writer) error {
	bin := cfg.Binary
	if bin == "" {
		dir, err := os.MkdirTemp("", "declic-bench-bin-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "declic")
		build := exec.CommandContext(ctx, "go", "build", "-tags", "nomsgpack", "-trimpath", "-ldflags=-s -w", "-o", bin, "./cmd/declic")
		build.Dir, build.Stdout, build.Stderr = moduleDir, io.Discard, os.Stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build ./cmd/declic (run from the module's folder, or give -binary): %w", err)
		}
	}
	info, err := os.Stat(bin)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "coldstart: %s (%.1f MB), %d starts, each on a new empty data folder, timed from exec to the first 200 of /healthz (polled every millisecond)\n",
		bin, float64(info.Size())/(1<<20), cfg.Runs)
	var times []time.Duration
	for i := range cfg.Runs {
		d, err := coldStart(ctx, bin)
		if err != nil {
			return fmt.Errorf("start %d: %w", i+1, err)
		}
		fmt.Fprintf(stdout, "start %d: healthy after %.0f ms\n", i+1, ms(d))
		times = append(times, d)
	}
	slices.Sort(times)
	fmt.Fprintf(stdout, "coldstart: runs=%d median_ms=%.0f max_ms=%.0f\n", len(times), ms(times[len(times)/2]), ms(times[len(times)-1]))
	return nil
}

func coldStart(ctx context.Context, bin string) (time.Duration, error) {
	dir, err := os.MkdirTemp("", "declic-bench-cold-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	port, err := freePort()
	if err != nil {
		return 0, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Env = append(os.Environ(), "DECLIC_ADDR="+addr, "DECLIC_DATA="+filepath.Join(dir, "data"), "MONGODB_URI=",
		"DECLIC_ADMIN_EMAIL=admin@example.org", "DECLIC_ADMIN_PASSWORD=bench-"+randHex(12))
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}()
	for {
		res, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		select {
		case err := <-exited:
			exited <- err
			return 0, fmt.Errorf("declic exited before it was healthy: %v", err)
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(time.Millisecond):
		}
		if time.Since(start) > 30*time.Second {
			return 0, errors.New("not healthy after 30 s")
		}
	}
}

// freePort asks the system for a port nobody listens on.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
