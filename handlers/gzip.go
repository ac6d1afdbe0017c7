package handlers

import (
	"bufio"
	"compress/gzip"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// gzipMinSize is the smallest body worth compressing: below it the gzip
// header and the CPU cost more than they save (an answer's {"id": …}).
const gzipMinSize = 1024

// compressible lists the media types gzip shrinks; PNG, ZIP and XLSX are
// compressed already.
var compressible = map[string]bool{
	"text/html": true, "text/css": true, "text/plain": true, "text/csv": true,
	"text/javascript": true, "application/javascript": true,
	"application/json": true, "application/problem+json": true,
	"image/svg+xml": true, "application/xml": true, "text/xml": true,
}

// gzipper compresses text responses for clients that accept gzip. It
// decides once it has seen the headers and gzipMinSize bytes (or the whole
// body), so small answers go out as they are.
type gzipper struct {
	pool sync.Pool
}

func newGzipper() *gzipper {
	g := &gzipper{}
	g.pool.New = func() any {
		w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
		return w
	}
	return g
}

// gzipResponses is the middleware.
func gzipResponses() gin.HandlerFunc {
	g := newGzipper()
	return g.handle
}

func (g *gzipper) handle(c *gin.Context) {
	// Even for a client without gzip the answer depends on Accept-Encoding
	// (Vary), so the writer is always there; it then holds nothing back.
	w := &gzipWriter{ResponseWriter: c.Writer, g: g, status: c.Writer.Status(),
		off: !acceptsGzip(c.GetHeader("Accept-Encoding")), head: c.Request.Method == http.MethodHead}
	// Entity tags of compressed answers are weak (W/"…"); handlers compare
	// If-None-Match with the tag they set, so they see it without W/.
	if inm := c.Request.Header.Get("If-None-Match"); !w.off && strings.Contains(inm, `W/"`) {
		c.Request.Header.Set("If-None-Match", strings.ReplaceAll(inm, `W/"`, `"`))
		w.weakened = true
	}
	c.Writer = w
	done := false
	defer func() {
		// After a panic the recovery middleware answers on the real writer.
		if done {
			w.finish()
		}
		c.Writer = w.ResponseWriter
	}()
	c.Next()
	done = true
}

// acceptsGzip reads Accept-Encoding: gzip (or x-gzip, or *) with q > 0.
func acceptsGzip(header string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		switch name {
		case "gzip", "x-gzip":
			return q > 0
		case "*":
			star = q > 0
		}
	}
	return star
}

// gzipWriter holds the status and the first bytes until it knows whether
// to compress, then writes through a pooled gzip.Writer or as is.
type gzipWriter struct {
	gin.ResponseWriter
	g         *gzipper
	status    int
	statusSet bool
	buf       []byte
	decided   bool
	wrote     bool
	off       bool // the client does not accept gzip
	head      bool
	weakened  bool // If-None-Match had weak tags
	gz        *gzip.Writer
	discard   bool // a compressed answer to HEAD: headers only
}

func (w *gzipWriter) WriteHeader(code int) {
	if !w.decided {
		w.status, w.statusSet = code, true
		return
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *gzipWriter) Write(p []byte) (int, error) {
	w.wrote = true
	if !w.decided {
		if w.off {
			w.decide(false)
			return w.ResponseWriter.Write(p)
		}
		w.buf = append(w.buf, p...)
		if len(w.buf) < gzipMinSize {
			return len(p), nil
		}
		w.decide(false)
		return len(p), w.flushBuffer()
	}
	switch {
	case w.gz != nil:
		return w.gz.Write(p)
	case w.discard:
		return len(p), nil
	}
	return w.ResponseWriter.Write(p)
}

func (w *gzipWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

func (w *gzipWriter) Status() int {
	if w.decided {
		return w.ResponseWriter.Status()
	}
	return w.status
}

func (w *gzipWriter) Written() bool { return w.wrote || w.decided }

// WriteHeaderNow sends the headers: whatever comes after is not compressed.
func (w *gzipWriter) WriteHeaderNow() {
	if !w.decided {
		w.decide(true)
		w.flushBuffer()
	}
	w.ResponseWriter.WriteHeaderNow()
}

// Flush sends what is held: a streamed answer is compressed as it goes.
func (w *gzipWriter) Flush() {
	if !w.decided {
		w.decide(false)
		w.flushBuffer()
	}
	if w.gz != nil {
		w.gz.Flush()
	}
	w.ResponseWriter.Flush()
}

func (w *gzipWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.ResponseWriter.Hijack()
}

// decide sets the headers of the answer; final means the whole body is in
// buf, so a short one can go out uncompressed.
func (w *gzipWriter) decide(final bool) {
	w.decided = true
	h := w.Header()
	if w.status == http.StatusNotModified && w.weakened {
		// The client revalidated the compressed answer it holds.
		weakenETag(h)
		addVary(h, "Accept-Encoding")
	}
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if !compressible[mt] {
		w.ResponseWriter.WriteHeader(w.status)
		return
	}
	addVary(h, "Accept-Encoding")
	switch {
	case w.off, w.status == http.StatusNotModified:
	case w.status < 200 || w.status == http.StatusNoContent || w.status == http.StatusPartialContent,
		h.Get("Content-Encoding") != "", h.Get("Content-Range") != "",
		final && len(w.buf) < gzipMinSize:
	default:
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		h.Del("Accept-Ranges") // ranges would count compressed bytes
		weakenETag(h)
		if w.head {
			w.discard = true
		} else {
			w.gz = w.g.pool.Get().(*gzip.Writer)
			w.gz.Reset(w.ResponseWriter)
		}
	}
	w.ResponseWriter.WriteHeader(w.status)
}

func (w *gzipWriter) flushBuffer() error {
	if len(w.buf) == 0 {
		return nil
	}
	buf := w.buf
	w.buf = nil
	_, err := w.Write(buf)
	return err
}

// finish sends what is still held and closes the gzip stream.
func (w *gzipWriter) finish() {
	if !w.decided {
		if !w.wrote && !w.statusSet {
			return // nothing answered: gin sends its own status
		}
		w.decide(true)
		w.flushBuffer()
	}
	if w.gz != nil {
		w.gz.Close()
		w.gz.Reset(io.Discard)
		w.g.pool.Put(w.gz)
		w.gz = nil
	}
}

func addVary(h http.Header, v string) {
	for _, have := range h.Values("Vary") {
		for f := range strings.SplitSeq(have, ",") {
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, v) {
				return
			}
		}
	}
	h.Add("Vary", v)
}

// weakenETag marks an entity tag weak: the compressed bytes differ from
// the ones a strong tag would promise.
func weakenETag(h http.Header) {
	if e := h.Get("ETag"); strings.HasPrefix(e, `"`) {
		h.Set("ETag", "W/"+e)
	}
}
