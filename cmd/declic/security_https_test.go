package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/letsencrypt/pebble/v2/ca"
	"github.com/letsencrypt/pebble/v2/db"
	"github.com/letsencrypt/pebble/v2/va"
	"github.com/letsencrypt/pebble/v2/wfe"
	"github.com/miekg/dns"

	"declic/cmd/internal/app"
)

const testDomain = "declic.test"

// startDNS answers A queries for testDomain with 127.0.0.1, so that the
// ACME server's validation comes back to this machine: Pebble asks it
// instead of the system resolver. Nothing leaves the loopback.
func startDNS(t *testing.T) string {
	t.Helper()
	handler := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		for _, q := range r.Question {
			if q.Qtype == dns.TypeA && strings.EqualFold(q.Name, testDomain+".") {
				m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET}, A: net.IPv4(127, 0, 0, 1)})
			}
		}
		w.WriteMsg(m)
	})
	// Pebble asks over TCP; UDP on the same port for good measure.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tcp := &dns.Server{Listener: l, Handler: handler}
	go tcp.ActivateAndServe()
	t.Cleanup(func() { tcp.Shutdown() })
	if pc, err := net.ListenPacket("udp", l.Addr().String()); err == nil {
		udp := &dns.Server{PacketConn: pc, Handler: handler}
		go udp.ActivateAndServe()
		t.Cleanup(func() { udp.Shutdown() })
	}
	return l.Addr().String()
}

// lateHandler is a handler set after its server has an address.
type lateHandler struct{ h atomic.Pointer[http.Handler] }

func (l *lateHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	(*l.h.Load()).ServeHTTP(w, r)
}

// TestAutomaticHTTPS gets a real certificate from Pebble, Let's Encrypt's
// ACME test server, run inside the test: once through the http-01
// challenge on Déclic's plain-HTTP port (the TLS port is hidden from
// Pebble), once through tls-alpn-01 on the HTTPS port.
func TestAutomaticHTTPS(t *testing.T) {
	t.Setenv("PEBBLE_VA_NOSLEEP", "1")
	for _, challenge := range []string{"http-01", "tls-alpn-01"} {
		t.Run(challenge, func(t *testing.T) { testAutomaticHTTPS(t, challenge) })
	}
}

func testAutomaticHTTPS(t *testing.T, challenge string) {
	resolver := startDNS(t)
	pebbleLog, logs := &lockedBuffer{}, &lockedBuffer{}
	logger := log.New(pebbleLog, "pebble ", 0)
	var pebbleStore *db.MemoryStore
	acmeAPI := &lateHandler{}
	acmeServer := httptest.NewTLSServer(acmeAPI)
	t.Cleanup(acmeServer.Close)
	defer func() {
		if t.Failed() {
			t.Logf("pebble:\n%s\ndeclic:\n%s", pebbleLog, logs)
			for _, m := range regexp.MustCompile(`completed challenge (\S+)`).FindAllStringSubmatch(pebbleLog.String(), -1) {
				if ch := pebbleStore.GetChallengeByID(m[1]); ch != nil && ch.Error != nil {
					t.Logf("%s challenge: %s", ch.Type, ch.Error.Detail)
				}
			}
		}
	}()

	cfg := testConfig(t)
	cfg.Domain, cfg.HTTPSAddr, cfg.HTTPAddr = testDomain, "127.0.0.1:0", "127.0.0.1:0"
	cfg.ACMEDirectory, cfg.ACMEClient = acmeServer.URL+wfe.DirectoryPath, acmeServer.Client()
	m, err := app.Open(context.Background(), cfg, slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	port := func(addr string) int {
		_, p, _ := net.SplitHostPort(addr)
		n, _ := strconv.Atoi(p)
		return n
	}
	httpsPort, httpPort := port(m.Addr()), port(m.HTTPAddr())
	tlsPort := httpsPort
	if challenge == "http-01" {
		// A closed port: tls-alpn-01 fails, and autocert falls back to http-01.
		l, _ := net.Listen("tcp", "127.0.0.1:0")
		tlsPort = port(l.Addr().String())
		l.Close()
	}
	store := db.NewMemoryStore()
	pebbleStore = store
	authority := ca.New(logger, store, "", "ecdsa", 0, 1, map[string]ca.Profile{"default": {Description: "default"}})
	validator := va.New(logger, httpPort, tlsPort, false, resolver, store)
	front := wfe.New(logger, store, validator, authority, []string{"pebble.letsencrypt.org"}, false, false, 0, 0)
	h := front.Handler()
	acmeAPI.h.Store(&h)

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

	// A browser that trusts Pebble's root and finds testDomain here.
	roots := x509.NewCertPool()
	roots.AddCert(authority.GetRootCert(0).Cert)
	dialer := &net.Dialer{}
	browser := &http.Client{
		Timeout:       2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: roots},
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				_, p, _ := net.SplitHostPort(addr)
				return dialer.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", p))
			},
		},
	}
	site := "https://" + testDomain + ":" + strconv.Itoa(httpsPort)
	res, err := browser.Get(site + "/login")
	if err != nil {
		t.Fatalf("GET %s/login: %v (the certificate was not obtained, or not trusted)", site, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /login over HTTPS = %d", res.StatusCode)
	}
	leaf := res.TLS.PeerCertificates[0]
	if err := leaf.VerifyHostname(testDomain); err != nil {
		t.Errorf("certificate: %v", err)
	}
	// Pebble logs each http-01 fetch; tls-alpn-01 is tried first.
	if viaHTTP := strings.Contains(pebbleLog.String(), "validate w/ HTTP"); viaHTTP != (challenge == "http-01") {
		t.Errorf("validated through the HTTP port: %v, want %v for %s", viaHTTP, challenge == "http-01", challenge)
	}
	if got := res.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
		t.Errorf("HTTPS answer without HSTS (%q)", got)
	}
	// Secure cookies over HTTPS.
	res, err = browser.PostForm(site+"/login", url.Values{"email": {testAdminEmail}, "password": {testAdminPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if c := cookieNamed(res, "declic_session"); c == nil || !c.Secure {
		t.Errorf("session cookie over HTTPS = %+v, want Secure", c)
	}
	// The certificate is kept in the data folder for the next start.
	if entries, err := os.ReadDir(filepath.Join(cfg.DataDir, "certs")); err != nil || len(entries) == 0 {
		t.Errorf("certificate cache in DECLIC_DATA/certs: %v, %d files", err, len(entries))
	}

	// The plain-HTTP port sends to HTTPS, on DECLIC_DOMAIN whatever the Host.
	plain := "http://127.0.0.1:" + strconv.Itoa(httpPort)
	req, _ := http.NewRequest("GET", plain+"/app/reports?from=2026-01-01", nil)
	req.Host = "evil.example"
	res, err = browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if want := site + "/app/reports?from=2026-01-01"; res.StatusCode != http.StatusPermanentRedirect || res.Header.Get("Location") != want {
		t.Errorf("plain HTTP = %d to %q, want 308 to %q", res.StatusCode, res.Header.Get("Location"), want)
	}
	res, err = browser.Get(plain + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("plain HTTP /healthz = %d, want 200 (the container health check)", res.StatusCode)
	}
	// Links and QR codes use the domain.
	if m.Config.BaseURL != "https://"+testDomain {
		t.Errorf("BaseURL = %q, want https://%s", m.Config.BaseURL, testDomain)
	}
}
