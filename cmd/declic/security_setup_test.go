package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"declic/cmd/internal/app"
)

// startWithConsole runs Déclic with its terminal lines in console and its
// structured log in logs, and returns once it serves.
func startWithConsole(t *testing.T, cfg app.Config) (*testServer, *lockedBuffer, *lockedBuffer) {
	t.Helper()
	console, logs := &lockedBuffer{}, &lockedBuffer{}
	m, err := app.Open(context.Background(), cfg, slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	m.Console = console
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		m.Close()
	})
	ts := &testServer{Main: m, URL: "http://" + m.Addr()}
	// The port is open since Open: this waits until Serve answers, and
	// Serve writes to the console before it answers.
	res, err := http.Get(ts.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return ts, console, logs
}

var setupLinkRe = regexp.MustCompile(`http://\S+/setup\?token=[A-Za-z0-9_-]{40,}`)

// First run without reading the README: the terminal shows where Déclic
// answers and a one-time link that creates the first admin.
func TestFirstRunSetupLink(t *testing.T) {
	cfg := testConfig(t)
	cfg.AdminEmail, cfg.AdminPassword = "", ""
	ts, console, logs := startWithConsole(t, cfg)
	out := console.String()
	if !strings.Contains(out, ts.URL+"/") {
		t.Errorf("the terminal does not show the address %s: %s", ts.URL, out)
	}
	link := setupLinkRe.FindString(out)
	if link == "" || !strings.HasPrefix(link, ts.URL+"/setup?token=") {
		t.Fatalf("no setup link in the terminal: %s", out)
	}
	token := link[strings.Index(link, "token=")+len("token="):]
	if strings.Contains(logs.String(), token) {
		t.Errorf("the setup token is in the structured log")
	}
	client := browserClient(t)
	res, body := pageGet(t, client, ts.URL+"/login")
	checkPage(t, "login of an empty store", res, body, http.StatusOK, "Aucun compte", "terminal")
	res, body = pageGet(t, client, link)
	checkPage(t, "setup page", res, body, http.StatusOK, "Créer le compte administrateur")
	res, _ = pagePost(t, client, ts.URL+"/setup", url.Values{"token": {token}, "email": {"moi@example.org"},
		"password": {"une phrase assez longue"}, "confirm": {"une phrase assez longue"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app" {
		t.Fatalf("setup = %d to %q, want 303 to /app", res.StatusCode, res.Header.Get("Location"))
	}
	res, body = pageGet(t, client, ts.URL+"/app")
	checkPage(t, "dashboard after setup", res, body, http.StatusOK, "moi@example.org")
	res, _ = pageGet(t, browserClient(t), link)
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("the setup link after use = %d, want 404", res.StatusCode)
	}
}

// Scripted installs keep DECLIC_ADMIN_EMAIL/PASSWORD, and get no link.
func TestScriptedInstallHasNoSetupLink(t *testing.T) {
	ts, console, _ := startWithConsole(t, testConfig(t))
	if strings.Contains(console.String(), "/setup?token=") || ts.SetupURL() != "" {
		t.Errorf("a store with an admin printed a setup link: %s", console)
	}
	ts.token(t)
	res, _ := pageGet(t, browserClient(t), ts.URL+"/setup")
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /setup = %d, want 404", res.StatusCode)
	}
}

func TestReachableURLs(t *testing.T) {
	urls := app.ReachableURLs(":8080", "")
	if len(urls) == 0 || urls[len(urls)-1] != "http://127.0.0.1:8080/" {
		t.Errorf("ReachableURLs(:8080) = %v, want the interfaces' addresses, loopback last", urls)
	}
	for _, u := range urls[:len(urls)-1] {
		if strings.Contains(u, "127.0.0.1") {
			t.Errorf("loopback before a network address: %v", urls)
		}
	}
	if got := app.ReachableURLs("127.0.0.1:9000", ""); len(got) != 1 || got[0] != "http://127.0.0.1:9000/" {
		t.Errorf("ReachableURLs(127.0.0.1:9000) = %v", got)
	}
	if got := app.ReachableURLs(":443", "declic.example.org"); len(got) != 1 || got[0] != "https://declic.example.org/" {
		t.Errorf("ReachableURLs with a domain = %v", got)
	}
}

// `declic demo` on an empty store makes the demo admin before Déclic
// serves: the terminal then gives that login, not the setup link as if no
// account existed (the acceptance sweep saw both, contradicting).
func TestDemoOnEmptyStoreGivesOneWayIn(t *testing.T) {
	cfg := testConfig(t)
	cfg.AdminEmail, cfg.AdminPassword = "", ""
	console := &lockedBuffer{}
	m, err := app.Open(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	m.Console = console
	if err := fillDemo(context.Background(), m, time.Now(), console); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	defer func() {
		cancel()
		<-done
		m.Close()
	}()
	res, err := http.Get("http://" + m.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	out := console.String()
	if !strings.Contains(out, demoEmail) || strings.Contains(out, "Aucun compte") || strings.Contains(out, "/setup?token=") {
		t.Errorf("terminal after demo on an empty store:\n%s\nwant the demo login only", out)
	}
}
