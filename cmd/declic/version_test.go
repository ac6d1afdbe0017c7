package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	defer func(v string) { version = v }(version)
	version = "1.4.0"
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.HasPrefix(got, "declic 1.4.0 (go") {
		t.Errorf("declic version printed %q, want the stamped version and the Go version", got)
	}
}
