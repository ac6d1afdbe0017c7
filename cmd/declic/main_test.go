package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"testing"
	"time"

	"declic/cmd/internal/app"
	"declic/surveys/mongodb/mongotest"
	"declic/surveys/surveystest"
)

const (
	testAdminEmail    = "admin@example.org"
	testAdminPassword = "motdepasse-de-test"
)

// testServer is a running Déclic on a loopback port with a fresh store.
type testServer struct {
	*app.Main
	URL string
}

// mustOpenMain starts Déclic on 127.0.0.1:0 with a temporary store and the
// bootstrap admin, and stops it when the test ends.
func mustOpenMain(t testing.TB) *testServer {
	t.Helper()
	ts, _ := openMainAt(t, testConfig(t))
	return ts
}

// testConfig is a fresh store for a test, with the bootstrap admin: the
// embedded store in a temporary folder, or a new database on
// TEST_MONGODB_URI, dropped when the test ends.
func testConfig(t testing.TB) app.Config {
	t.Helper()
	cfg := app.Config{
		Addr: "127.0.0.1:0", DataDir: t.TempDir(),
		AdminEmail: testAdminEmail, AdminPassword: testAdminPassword,
	}
	if uri := os.Getenv("TEST_MONGODB_URI"); uri != "" {
		cfg.MongoURI, cfg.Database = uri, mongotest.Database()
		mongotest.Drop(t, cfg.MongoURI, cfg.Database)
	}
	return cfg
}

// token logs the admin in through the API.
func (ts *testServer) token(t testing.TB) string {
	t.Helper()
	var out struct{ Token string }
	status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": testAdminEmail, "password": testAdminPassword}, &out)
	if status != http.StatusOK || out.Token == "" {
		t.Fatalf("login: status %d, token %q", status, out.Token)
	}
	return out.Token
}

// do sends a JSON request and decodes a JSON answer into out (if not nil).
func (ts *testServer) do(t testing.TB, token, method, path string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		if raw, ok := body.(string); ok {
			rd = bytes.NewBufferString(raw)
		} else {
			b, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			rd = bytes.NewReader(b)
		}
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: status %d, decode %q: %v", method, path, res.StatusCode, data, err)
		}
	}
	return res.StatusCode
}

// browserClient is an HTTP client with cookies that does not follow redirects.
func browserClient(t testing.TB) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestHealthz(t *testing.T) {
	ts := mustOpenMain(t)
	res, err := http.Get(ts.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz = %d, want 200", res.StatusCode)
	}
}

// openMainAt starts Déclic on cfg (a fixed data folder or database name)
// and returns it with a function that stops it as SIGTERM would.
func openMainAt(t testing.TB, cfg app.Config) (*testServer, func()) {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	m, err := app.Open(ctx, cfg, logger)
	if err != nil {
		cancel()
		t.Fatalf("open: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	}
	t.Cleanup(stop)
	return &testServer{Main: m, URL: "http://" + m.Addr()}, stop
}

// restartableConfig is a store a test opens, stops and opens again: the
// same folder and database each time, dropped at the end on MongoDB.
func restartableConfig(t *testing.T) app.Config {
	t.Helper()
	return testConfig(t)
}

// A DECLIC_BASE_URL phones cannot open is refused at start, naming it:
// every QR code is made from it (the acceptance sweep started with
// 'ht!tp:/x y').
func TestBaseURLChecked(t *testing.T) {
	for base, ok := range map[string]bool{
		"https://declic.example.org": true, "http://192.168.1.20:8080": true, "https://example.org/declic/": true,
		"ht!tp:/x y": false, "declic.example.org": false, "ftp://example.org": false, "https://": false, "https://exa mple.org": false,
	} {
		cfg := testConfig(t)
		cfg.BaseURL = strings.TrimRight(base, "/")
		m, err := app.Open(context.Background(), cfg, slog.New(slog.DiscardHandler))
		if m != nil {
			m.Close()
		}
		if ok && err != nil || !ok && (err == nil || !strings.Contains(err.Error(), "DECLIC_BASE_URL")) {
			t.Errorf("DECLIC_BASE_URL=%q: Open error %v, want ok=%v", base, err, ok)
		}
	}
}

// testClock is a clock a test moves (surveystest.Clock).
type testClock = surveystest.Clock
