package main

import (
	"bytes"
	"context"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var finalLine = regexp.MustCompile(`^ratio=(\d+\.\d\d) http=(\d+)/s store=(\d+)/s p50=(\d+\.\d)ms p99=(\d+\.\d)ms lost=(\d+)$`)

// TestRunTiny runs the whole command for one short round on its own
// embedded store and reads its last line.
func TestRunTiny(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var out bytes.Buffer
	args := []string{"-d", "1s", "-c", "2", "-rounds", "1", "-warmup", "0", "-retry", "0.3"}
	if err := run(ctx, args, &out, io.Discard); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := lines[len(lines)-1]
	m := finalLine.FindStringSubmatch(last)
	if m == nil {
		t.Fatalf("last line = %q, want ratio=R http=N/s store=M/s p50=Xms p99=Yms lost=L\n%s", last, out.String())
	}
	num := func(i int) float64 {
		v, _ := strconv.ParseFloat(m[i], 64)
		return v
	}
	ratio, httpRate, storeRate, p50, p99, lost := num(1), num(2), num(3), num(4), num(5), num(6)
	if lost != 0 {
		t.Errorf("lost = %v, want 0\n%s", lost, out.String())
	}
	if httpRate <= 0 || storeRate <= 0 {
		t.Fatalf("http = %v/s, store = %v/s, want both above 0", httpRate, storeRate)
	}
	// The ratio is computed before rounding the rates.
	if want := httpRate / storeRate; math.Abs(ratio-want) > 0.01+1/storeRate {
		t.Errorf("ratio = %v, want about http/store = %.3f", ratio, want)
	}
	if p50 > p99 {
		t.Errorf("p50 %v ms > p99 %v ms", p50, p99)
	}
	check := regexp.MustCompile(`check: (\d+) acknowledgements \((\d+) distinct submissions`).FindStringSubmatch(out.String())
	if check == nil {
		t.Fatalf("no check line in\n%s", out.String())
	}
	acks, _ := strconv.Atoi(check[1])
	distinct, _ := strconv.Atoi(check[2])
	if acks <= distinct {
		t.Errorf("%d acknowledgements for %d distinct submissions: want some answers resent with the same submission_id", acks, distinct)
	}
}

// TestVerifyCountsLost shows the check can fail: an acknowledgement that is
// not in the store, or that names another ID, counts as lost.
func TestVerifyCountsLost(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cfg, err := parseFlags([]string{"-c", "1"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := openTarget(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.close()
	b, err := newBench(ctx, cfg, tg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.cleanup()
	if _, err := b.runPhase(ctx, "b", 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if lost, err := b.verify(ctx, io.Discard); err != nil || lost != 0 {
		t.Fatalf("verify after a clean phase = %d, %v; want 0, nil", lost, err)
	}
	stored := b.acked[0]
	b.acked = append(b.acked, ack{submission: "never-sent", id: "0123456789abcdef01234567"}, ack{submission: stored.submission, id: "not-" + stored.id})
	lost, err := b.verify(ctx, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if lost != 2 {
		t.Errorf("lost = %d, want 2 (one never stored, one acknowledged under another id)", lost)
	}
}

func TestParseFlags(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantErr string
		check   func(config) bool
	}{
		{args: []string{"-quick"}, check: func(c config) bool { return c.Phase == 1500*time.Millisecond && c.Rounds == 8 && c.Concurrency == 16 }},
		{args: []string{"-scenario", "report"}, check: func(c config) bool { return c.Responses == 100000 }},
		{args: []string{"-scenario", "report", "-responses", "0"}, wantErr: "-responses must be at least 1"},
		{args: []string{"-scenario", "coldstart", "-runs", "0"}, wantErr: "-runs must be at least 1"},
		{args: []string{"-quick", "-d", "5s"}, check: func(c config) bool { return c.Phase == 5*time.Second }},
		{args: []string{"-url", "http://localhost:8080"}, wantErr: "-url needs -mongodb"},
		{args: []string{"-mongodb", "mongodb://localhost"}, wantErr: "-mongodb needs -url"},
		{args: []string{"-c", "0"}, wantErr: "-c must be at least 1"},
		{args: []string{"-retry", "2"}, wantErr: "-retry must be between 0 and 1"},
		{args: []string{"extra"}, wantErr: `unexpected argument "extra"`},
	} {
		cfg, err := parseFlags(tc.args, io.Discard)
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("parseFlags(%q) error = %v, want %q", tc.args, err, tc.wantErr)
		case tc.wantErr == "" && err != nil:
			t.Errorf("parseFlags(%q) error = %v", tc.args, err)
		case tc.check != nil && !tc.check(cfg):
			t.Errorf("parseFlags(%q) = %+v", tc.args, cfg)
		}
	}
}

func TestPercentileAndMedian(t *testing.T) {
	d := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{0.5, 5}, {0.9, 9}, {0.99, 10}, {1, 10}, {0.01, 1}} {
		if got := percentile(d, tc.p); got != tc.want {
			t.Errorf("percentile(1..10, %v) = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := median([]float64{3, 1, 2}); got != 2 {
		t.Errorf("median(3,1,2) = %v, want 2", got)
	}
	if got := median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Errorf("median(4,1,3,2) = %v, want 2.5", got)
	}
	if got := redact("mongodb://user:secret@db.example.org/declic"); got != "mongodb://user:***@db.example.org/declic" {
		t.Errorf("redact = %q", got)
	}
}
