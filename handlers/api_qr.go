package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"
)

// qrFor encodes the form address of the workshop in the path.
func (s *server) qrFor(c *gin.Context) (*qrcode.QRCode, string, bool) {
	w, err := s.workshopFor(c)
	if err != nil {
		s.apiFail(c, err)
		return nil, "", false
	}
	target := s.linksOf(c, w).FormURL
	if c.FullPath() == "/app/workshops/:id/kiosque.svg" {
		// A tablet that scans it logs in, then becomes a kiosk.
		target = s.baseURL(c) + "/login?next=" + url.QueryEscape("/f/"+w.Code+"?kiosk=1")
	}
	q, err := qrcode.New(target, qrcode.Medium)
	if err != nil {
		s.apiFail(c, fmt.Errorf("qr: %w", err))
		return nil, "", false
	}
	return q, w.Code, true
}

func (s *server) qrPNG(c *gin.Context) {
	q, code, ok := s.qrFor(c)
	if !ok {
		return
	}
	png, err := q.PNG(1024)
	if err != nil {
		s.apiFail(c, fmt.Errorf("qr: %w", err))
		return
	}
	c.Header("Content-Disposition", `inline; filename="qr-`+code+`.png"`)
	c.Data(http.StatusOK, "image/png", png)
}

// qrSVG draws the QR modules (quiet zone included) as one path: small, and
// sharp at any size. Its width and height, 6 cm, are the size Word or a
// browser gives it when it is pasted or opened on its own: large enough to
// scan from a classroom row.
func (s *server) qrSVG(c *gin.Context) {
	q, code, ok := s.qrFor(c)
	if !ok {
		return
	}
	c.Header("Content-Disposition", `inline; filename="qr-`+code+`.svg"`)
	c.Data(http.StatusOK, "image/svg+xml", qrSVG(q.Bitmap()))
}

func qrSVG(bits [][]bool) []byte {
	n := len(bits)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="60mm" height="60mm" viewBox="0 0 %d %d" shape-rendering="crispEdges">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bits {
		for x, on := range row {
			if on {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String())
}
