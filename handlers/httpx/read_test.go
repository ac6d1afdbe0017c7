package httpx

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestReadAtMost(t *testing.T) {
	for _, tt := range []struct {
		body    string
		n       int64
		tooMuch bool
	}{{"", 3, false}, {"abc", 3, false}, {"abcd", 3, true}} {
		got, err := ReadAtMost(strings.NewReader(tt.body), tt.n)
		if tt.tooMuch {
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("ReadAtMost(%q, %d) = %q, %v; want ErrTooLarge", tt.body, tt.n, got, err)
			}
			continue
		}
		if err != nil || string(got) != tt.body {
			t.Errorf("ReadAtMost(%q, %d) = %q, %v; want the body", tt.body, tt.n, got, err)
		}
	}
	// LimitBody's cap, below ReadAtMost's own, is too large as well.
	capped := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader("abcdef")), 2)
	if _, err := ReadAtMost(capped, 10); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over LimitBody's cap: err = %v, want ErrTooLarge", err)
	}
}
