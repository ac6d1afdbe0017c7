package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var classroomLine = regexp.MustCompile(`^classroom: answers=(\d+) requests=(\d+) in (\d+\.\d)s throughput=(\d+\.\d)/s p50=(\d+\.\d)ms p99=(\d+\.\d)ms lost=(\d+) pairs_ok=(\d+)/(\d+)$`)

// TestClassroomSmall runs a small classroom: 80 pupils in 4 workshops,
// PRE then POST, a third of the answers sent twice, and reads the figures.
func TestClassroomSmall(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	var out bytes.Buffer
	args := []string{"-scenario", "classroom", "-pupils", "80", "-workshops", "4", "-window", "2s", "-double", "0.35"}
	if err := run(ctx, args, &out, io.Discard); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	t.Log("\n" + out.String())
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	m := classroomLine.FindStringSubmatch(lines[len(lines)-1])
	if m == nil {
		t.Fatalf("last line = %q, want classroom: answers=… lost=L pairs_ok=N/W", lines[len(lines)-1])
	}
	num := func(i int) float64 {
		v, _ := strconv.ParseFloat(m[i], 64)
		return v
	}
	answers, requests, throughput, p50, p99, lost, pairsOK, workshops := num(1), num(2), num(4), num(5), num(6), num(7), num(8), num(9)
	if answers != 160 {
		t.Errorf("answers = %v, want 160 (80 pupils, PRE and POST)", answers)
	}
	if requests <= answers {
		t.Errorf("%v requests for %v answers: want some sent twice", requests, answers)
	}
	if lost != 0 || pairsOK != 4 || workshops != 4 {
		t.Errorf("lost = %v, pairs_ok = %v/%v; want 0 and 4/4", lost, pairsOK, workshops)
	}
	if throughput <= 0 || p50 <= 0 || p50 > p99 {
		t.Errorf("throughput %v/s, p50 %v ms, p99 %v ms", throughput, p50, p99)
	}
}

// TestClassroomVerifyCountsLost shows the check can fail: an answer
// acknowledged but not stored, or under another id, is lost.
func TestClassroomVerifyCountsLost(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cfg, err := parseFlags([]string{"-scenario", "classroom", "-pupils", "4", "-workshops", "2", "-window", "0"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := openTarget(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.close()
	if err := runClassroom(ctx, cfg, tg, io.Discard); err != nil {
		t.Fatalf("a clean run: %v", err)
	}

	c := &classroom{bench: &bench{cfg: cfg, t: tg}, cc: cfg.Class, acked: map[string]string{}, statuses: map[int]int{}}
	c.http = &http.Client{Timeout: 10 * time.Second}
	if err := c.setup(ctx); err != nil {
		t.Fatal(err)
	}
	c.send(ctx, tg.baseURL+"/api/v1/forms/"+c.workshops[0].Code+"/responses", "s1",
		[]byte(`{"submission_id":"s1","participant":"p1","phase":"pre","answers":{"q1":1,"q2":1,"q3":1,"q4":1,"q5":1,"q6":1,"q7":1,"q8":1,"q9":1,"q10":1}}`))
	if lost, extra, err := c.verify(ctx); err != nil || lost != 0 || extra != 0 {
		t.Errorf("verify with PRE closed = %d lost, %d extra, %v; want 0, 0, nil (a 409 is not an acknowledgement)", lost, extra, err)
	}
	c.acked["never-sent"] = "0123456789abcdef01234567"
	if lost, _, err := c.verify(ctx); err != nil || lost != 1 {
		t.Errorf("verify with an acknowledgement never stored = %d, %v; want 1 lost", lost, err)
	}
}

func TestClassroomFlags(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		wantErr string
	}{
		{args: []string{"-scenario", "classroom"}},
		{args: []string{"-scenario", "nope"}, wantErr: `-scenario "nope"`},
		{args: []string{"-scenario", "classroom", "-pupils", "3", "-workshops", "4"}, wantErr: "-pupils at least -workshops"},
		{args: []string{"-scenario", "classroom", "-double", "1.5"}, wantErr: "-double must be between 0 and 1"},
		{args: []string{"-scenario", "classroom", "-window", "-1s"}, wantErr: "-window must not be negative"},
	} {
		cfg, err := parseFlags(tc.args, io.Discard)
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("parseFlags(%q) error = %v, want %q", tc.args, err, tc.wantErr)
		case tc.wantErr == "" && err != nil:
			t.Errorf("parseFlags(%q) error = %v", tc.args, err)
		case tc.wantErr == "" && (cfg.Class.Pupils != 500 || cfg.Class.Workshops != 20 || cfg.Class.Window != 30*time.Second):
			t.Errorf("parseFlags(%q) = %+v, want the defaults 500 pupils, 20 workshops, 30 s", tc.args, cfg.Class)
		}
	}
}
