package handlers

import (
	"net/netip"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// strictTransport tells browsers that reached Déclic over HTTPS to use
// nothing else for a year (HSTS). Over plain HTTP the header would mean
// nothing, and a laptop on a classroom network has no certificate.
func (s *server) strictTransport(c *gin.Context) {
	if s.Proxies.HTTPS(c.Request) {
		c.Header("Strict-Transport-Security", "max-age=31536000")
	}
	c.Next()
}

// localOnlyHost tells whether a URL's host is one the pupils' phones
// cannot reach: loopback, localhost, or a .local name (mDNS, which many
// Android phones do not resolve).
func localOnlyHost(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if a, err := netip.ParseAddr(host); err == nil {
		return a.IsLoopback() || a.IsUnspecified()
	}
	return host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".local")
}

// qrWarning is what the workshop page and poster say when the QR code
// points where phones cannot go, with the addresses that would work.
type qrWarning struct {
	Host string
	// ThisComputerOnly is a loopback address, as opposed to a .local name.
	ThisComputerOnly bool
	// Alternatives are this page's address on the other addresses
	// Déclic answers at.
	Alternatives []string
}

func (s *server) qrWarningFor(c *gin.Context, formURL string) *qrWarning {
	if !localOnlyHost(formURL) {
		return nil
	}
	u, _ := url.Parse(formURL)
	w := &qrWarning{Host: u.Hostname(), ThisComputerOnly: !strings.HasSuffix(strings.ToLower(u.Hostname()), ".local")}
	for _, base := range s.ReachableAt {
		if b, err := url.Parse(base); err == nil && !localOnlyHost(base) && b.Host != "" {
			w.Alternatives = append(w.Alternatives, strings.TrimRight(base, "/")+c.Request.URL.Path)
		}
	}
	return w
}

// noStore keeps API answers out of every cache: they carry tokens, pupils'
// free text and results. A handler may set a laxer policy for what it
// serves (charts revalidate with an ETag).
func noStore(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Next()
}
