package app

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// listen opens the ports: DECLIC_ADDR for plain HTTP, or, with
// DECLIC_DOMAIN, HTTPS (certificates from ACME, kept in
// DECLIC_DATA/certs) and the plain-HTTP port that answers ACME http-01
// challenges and sends everything else to HTTPS.
func (m *Main) listen() error {
	cfg := m.Config
	if cfg.Domain == "" {
		l, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		m.listener = l
		return nil
	}
	if strings.ContainsAny(cfg.Domain, "/:@ ") || !strings.Contains(cfg.Domain, ".") {
		return fmt.Errorf("DECLIC_DOMAIN %q: want a domain name such as declic.example.org", cfg.Domain)
	}
	m.certs = &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		HostPolicy: autocert.HostWhitelist(cfg.Domain),
		Cache:      autocert.DirCache(filepath.Join(cfg.DataDir, "certs")),
		Client:     &acme.Client{DirectoryURL: cfg.ACMEDirectory, HTTPClient: cfg.ACMEClient},
	}
	if cfg.ACMEDirectory == "" {
		m.certs.Client.DirectoryURL = acme.LetsEncryptURL
	}
	httpsAddr, httpAddr := cmpOr(cfg.HTTPSAddr, ":443"), cmpOr(cfg.HTTPAddr, ":80")
	l, err := net.Listen("tcp", httpsAddr)
	if err != nil {
		return fmt.Errorf("listen for HTTPS on %s: %w", httpsAddr, err)
	}
	tlsConfig := m.certs.TLSConfig()
	tlsConfig.MinVersion = tls.VersionTLS12
	m.listener = tls.NewListener(l, tlsConfig)
	m.httpListener, err = net.Listen("tcp", httpAddr)
	if err != nil {
		m.listener.Close()
		return fmt.Errorf("listen for HTTP on %s (ACME challenges and the redirect to HTTPS): %w", httpAddr, err)
	}
	return nil
}

// HTTPAddr is the plain-HTTP port of automatic HTTPS, "" without it.
func (m *Main) HTTPAddr() string {
	if m.httpListener == nil {
		return ""
	}
	return m.httpListener.Addr().String()
}

// plainHTTP answers the plain-HTTP port: ACME http-01 challenges (the
// Host's port dropped, so that the host policy matches behind a port
// mapping), else redirectToHTTPS.
func (m *Main) plainHTTP() http.Handler {
	acme := m.certs.HTTPHandler(m.redirectToHTTPS())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, _, err := net.SplitHostPort(r.Host); err == nil {
			r.Host = h
		}
		acme.ServeHTTP(w, r)
	})
}

// redirectToHTTPS answers the plain-HTTP port: /healthz for the container
// health check, anything else sent to the same path on the HTTPS site.
// The target is DECLIC_DOMAIN, never the request's Host header.
func (m *Main) redirectToHTTPS() http.Handler {
	base := "https://" + m.Config.Domain
	if _, port, err := net.SplitHostPort(m.Addr()); err == nil && port != "443" {
		base += ":" + port
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			m.Handler.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Connection", "close")
		http.Redirect(w, r, base+r.URL.RequestURI(), http.StatusPermanentRedirect)
	})
}

// ReachableURLs are the addresses Déclic answers at on this machine: the
// HTTPS domain, or one per network interface address for a wildcard
// listen address, loopback last.
func ReachableURLs(listenAddr, domain string) []string {
	if domain != "" {
		return []string{"https://" + domain + "/"}
	}
	host, port, err := net.SplitHostPort(listenAddr)
	if err != nil {
		return nil
	}
	url := func(a netip.Addr) string {
		return "http://" + net.JoinHostPort(a.String(), port) + "/"
	}
	if a, err := netip.ParseAddr(host); err == nil && !a.IsUnspecified() {
		return []string{url(a)}
	}
	if host != "" && host != "0.0.0.0" && host != "::" {
		return []string{"http://" + net.JoinHostPort(host, port) + "/"}
	}
	var lan, loop []string
	ifaces, _ := net.Interfaces()
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 {
			continue
		}
		addrs, _ := ifc.Addrs()
		for _, a := range addrs {
			pre, err := netip.ParsePrefix(a.String())
			if err != nil {
				continue
			}
			ip := pre.Addr().Unmap()
			switch {
			case ip.IsLoopback():
				if ip.Is4() {
					loop = append(loop, url(ip))
				}
			case ip.Is4() && !ip.IsLinkLocalUnicast():
				lan = append(lan, url(ip))
			}
		}
	}
	if len(loop) == 0 {
		loop = []string{url(netip.MustParseAddr("127.0.0.1"))}
	}
	slices.Sort(lan)
	return append(slices.Compact(lan), loop...)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
