package main

import (
	"bytes"
	"context"
	"net"
	"testing"
)

// declic healthcheck exits 0 against a running Déclic and fails when
// nothing answers: the Docker image's HEALTHCHECK relies on it.
func TestHealthcheckCommand(t *testing.T) {
	ts := mustOpenMain(t)
	_, port, _ := net.SplitHostPort(ts.Addr())
	var out bytes.Buffer
	env := func(addr string) func(string) string {
		return func(k string) string {
			if k == "DECLIC_ADDR" {
				return addr
			}
			return ""
		}
	}
	if err := run(context.Background(), []string{"healthcheck"}, env(":"+port), nil, &out, &out); err != nil {
		t.Errorf("healthcheck against a running server: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	free := l.Addr().String()
	l.Close()
	if err := run(context.Background(), []string{"healthcheck"}, env(free), nil, &out, &out); err == nil {
		t.Errorf("healthcheck with nothing listening on %s: no error", free)
	}
}
