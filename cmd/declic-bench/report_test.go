package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var reportLine = regexp.MustCompile(`^report: responses=(\d+) workshops=(\d+) seconds=(\d+\.\d+) rss_mb=(\d+)$`)

// TestReportSmall loads 600 responses (three workshops, the last one
// short) and reads the figures of the report scenario.
func TestReportSmall(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, []string{"-scenario", "report", "-responses", "600"}, &out, io.Discard); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	m := reportLine.FindStringSubmatch(lines[len(lines)-1])
	if m == nil {
		t.Fatalf("last line = %q, want report: responses=N workshops=W seconds=S rss_mb=M\n%s", lines[len(lines)-1], out.String())
	}
	seconds, _ := strconv.ParseFloat(m[3], 64)
	rss, _ := strconv.Atoi(m[4])
	if m[1] != "600" || m[2] != "3" || seconds <= 0 || rss <= 0 {
		t.Errorf("responses=%s workshops=%s seconds=%v rss_mb=%d; want 600, 3 and figures above 0\n%s", m[1], m[2], seconds, rss, out.String())
	}
	if !strings.Contains(out.String(), "n_paired 300") {
		t.Errorf("want every one of the 300 pupils paired in the report\n%s", out.String())
	}
}

// TestColdStart builds the binary and starts it once.
func TestColdStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/declic")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out bytes.Buffer
	// The test runs in cmd/declic-bench: the module's folder is two up.
	if err := runColdStartIn(ctx, "../..", config{Runs: 1}, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if !regexp.MustCompile(`(?m)^coldstart: runs=1 median_ms=\d+ max_ms=\d+$`).MatchString(out.String()) {
		t.Errorf("no coldstart line in\n%s", out.String())
	}
}
