package handlers

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"declic/templates"
)

// text is a body long enough to be compressed.
var text = strings.Repeat("Je me sens capable d'agir pour le climat. ", 100)

func gzipRouter() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.CustomRecoveryWithWriter(io.Discard, func(c *gin.Context, _ any) {
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("erreur interne"))
	}), gzipResponses())
	body := func(ctype, b string) gin.HandlerFunc {
		return func(c *gin.Context) { c.Data(http.StatusOK, ctype, []byte(b)) }
	}
	r.GET("/html", body("text/html; charset=utf-8", text))
	r.GET("/css", body("text/css; charset=utf-8", text))
	r.GET("/js", body("text/javascript; charset=utf-8", text))
	r.GET("/json", body("application/json; charset=utf-8", `{"t":"`+text+`"}`))
	r.GET("/svg", body("image/svg+xml", "<svg>"+text+"</svg>"))
	r.GET("/csv", body("text/csv; charset=utf-8", text))
	r.GET("/png", body("image/png", text))
	r.GET("/zip", body("application/zip", text))
	r.GET("/xlsx", body("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", text))
	r.GET("/small", func(c *gin.Context) { c.JSON(http.StatusCreated, gin.H{"id": "abc"}) })
	r.GET("/already", func(c *gin.Context) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(text))
		zw.Close()
		c.Header("Content-Encoding", "gzip")
		c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
	})
	etagged := func(c *gin.Context) {
		c.Header("ETag", `"v1"`)
		if c.GetHeader("If-None-Match") == `"v1"` {
			c.Status(http.StatusNotModified)
			return
		}
		c.Data(http.StatusOK, "image/svg+xml", []byte("<svg>"+text+"</svg>"))
	}
	r.GET("/etag", etagged)
	r.HEAD("/etag", etagged)
	r.GET("/stream", func(c *gin.Context) {
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Writer.WriteString("a;b\n")
		c.Writer.Flush()
		c.Writer.WriteString(text)
	})
	r.GET("/panic", func(c *gin.Context) { panic("boom") })
	r.GET("/empty", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	return r
}

func get(t *testing.T, h http.Handler, method, path string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return string(out)
}

func varies(h http.Header) bool {
	return strings.Contains(strings.Join(h.Values("Vary"), ","), "Accept-Encoding")
}

func TestGzipCompressesText(t *testing.T) {
	r := gzipRouter()
	for _, path := range []string{"/html", "/css", "/js", "/json", "/svg", "/csv"} {
		plain := get(t, r, "GET", path, nil)
		rec := get(t, r, "GET", path, map[string]string{"Accept-Encoding": "gzip, deflate, br"})
		if got := rec.Header().Get("Content-Encoding"); got != "gzip" {
			t.Errorf("%s: Content-Encoding = %q, want gzip", path, got)
			continue
		}
		if !varies(rec.Header()) || !varies(plain.Header()) {
			t.Errorf("%s: Vary = %q (gzip) and %q (plain), want Accept-Encoding in both", path, rec.Header().Values("Vary"), plain.Header().Values("Vary"))
		}
		if cl := rec.Header().Get("Content-Length"); cl != "" {
			t.Errorf("%s: Content-Length %s on a compressed answer", path, cl)
		}
		if got, want := gunzip(t, rec.Body.Bytes()), plain.Body.String(); got != want {
			t.Errorf("%s: decompressed body differs from the plain one (%d vs %d bytes)", path, len(got), len(want))
		}
		if rec.Body.Len()*4 > plain.Body.Len() {
			t.Errorf("%s: compressed %d bytes from %d, want at least 4× smaller for repetitive text", path, rec.Body.Len(), plain.Body.Len())
		}
		if plain.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s: compressed for a client that did not ask", path)
		}
	}
}

func TestGzipLeavesOthersAlone(t *testing.T) {
	r := gzipRouter()
	for _, tc := range []struct {
		path, accept string
		wantVary     bool
	}{
		{"/png", "gzip", false},
		{"/zip", "gzip", false},
		{"/xlsx", "gzip", false},
		{"/small", "gzip", true},    // too small to be worth it
		{"/html", "gzip;q=0", true}, // refused by the client
		{"/html", "br", true},       // gzip not offered
		{"/already", "gzip", true},  // no double compression
		{"/empty", "gzip", false},   // no body
	} {
		rec := get(t, r, "GET", tc.path, map[string]string{"Accept-Encoding": tc.accept})
		plain := get(t, r, "GET", tc.path, nil)
		if tc.path == "/already" {
			if got := gunzip(t, rec.Body.Bytes()); got != text {
				t.Errorf("/already: body is not the handler's single gzip stream")
			}
			continue
		}
		if got := rec.Header().Get("Content-Encoding"); got != "" {
			t.Errorf("%s (Accept-Encoding %q): Content-Encoding = %q, want none", tc.path, tc.accept, got)
		}
		if rec.Body.String() != plain.Body.String() || rec.Code != plain.Code {
			t.Errorf("%s: answer changed: %d %d bytes, want %d %d bytes", tc.path, rec.Code, rec.Body.Len(), plain.Code, plain.Body.Len())
		}
		if varies(rec.Header()) != tc.wantVary {
			t.Errorf("%s: Vary = %q, want Accept-Encoding: %v", tc.path, rec.Header().Values("Vary"), tc.wantVary)
		}
	}
	if rec := get(t, r, "GET", "/small", map[string]string{"Accept-Encoding": "gzip"}); rec.Code != http.StatusCreated || rec.Body.String() != `{"id":"abc"}` {
		t.Errorf("/small = %d %q, want 201 {\"id\":\"abc\"}", rec.Code, rec.Body.String())
	}
}

func TestGzipETagAndHead(t *testing.T) {
	r := gzipRouter()
	gz := map[string]string{"Accept-Encoding": "gzip"}
	first := get(t, r, "GET", "/etag", gz)
	if got := first.Header().Get("ETag"); got != `W/"v1"` {
		t.Fatalf("compressed ETag = %q, want W/\"v1\" (the gzip bytes are not the identity bytes)", got)
	}
	if got := get(t, r, "GET", "/etag", nil).Header().Get("ETag"); got != `"v1"` {
		t.Errorf("plain ETag = %q, want \"v1\"", got)
	}
	again := get(t, r, "GET", "/etag", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": `W/"v1"`})
	if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
		t.Errorf("revalidation with W/\"v1\" = %d with %d bytes, want 304 empty", again.Code, again.Body.Len())
	}
	if got := again.Header().Get("ETag"); got != `W/"v1"` {
		t.Errorf("304 ETag = %q, want W/\"v1\"", got)
	}
	if again.Header().Get("Content-Encoding") != "" {
		t.Errorf("304 has Content-Encoding %q", again.Header().Get("Content-Encoding"))
	}
	plain304 := get(t, r, "GET", "/etag", map[string]string{"If-None-Match": `"v1"`})
	if plain304.Code != http.StatusNotModified || plain304.Header().Get("ETag") != `"v1"` {
		t.Errorf("plain revalidation = %d ETag %q, want 304 \"v1\"", plain304.Code, plain304.Header().Get("ETag"))
	}

	head := get(t, r, "HEAD", "/etag", gz)
	if head.Code != http.StatusOK || head.Header().Get("Content-Encoding") != "gzip" || head.Header().Get("ETag") != first.Header().Get("ETag") {
		t.Errorf("HEAD = %d, Content-Encoding %q, ETag %q; want the headers of GET: 200, gzip, %q",
			head.Code, head.Header().Get("Content-Encoding"), head.Header().Get("ETag"), first.Header().Get("ETag"))
	}
	if head.Body.Len() != 0 {
		t.Errorf("HEAD wrote %d body bytes", head.Body.Len())
	}
}

func TestGzipStreamPanicAndAccept(t *testing.T) {
	r := gzipRouter()
	rec := get(t, r, "GET", "/stream", map[string]string{"Accept-Encoding": "gzip"})
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("flushed CSV not compressed")
	}
	if got := gunzip(t, rec.Body.Bytes()); got != "a;b\n"+text {
		t.Errorf("flushed CSV decompresses to %d bytes, want %d", len(got), len(text)+4)
	}
	if rec := get(t, r, "GET", "/panic", map[string]string{"Accept-Encoding": "gzip"}); rec.Code != http.StatusInternalServerError || rec.Body.String() != "erreur interne" {
		t.Errorf("panic = %d %q, want the recovery's 500", rec.Code, rec.Body.String())
	}
	if rec := get(t, r, "GET", "/nowhere", map[string]string{"Accept-Encoding": "gzip"}); rec.Code != http.StatusNotFound {
		t.Errorf("unknown route = %d, want 404", rec.Code)
	}
	for header, want := range map[string]bool{
		"gzip": true, "GZIP;q=0.5": true, "deflate, x-gzip": true, "*": true, "br, *;q=0.1": true,
		"": false, "gzip;q=0": false, "*;q=0": false, "identity": false, "gzip;q=0, *": false, "br": false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestStaticCaching(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gzipResponses())
	r.GET("/static/*file", staticFiles(templates.Static()))
	css, err := fs.ReadFile(templates.Static(), "pupil.css")
	if err != nil {
		t.Fatal(err)
	}
	hash := templates.AssetHash(css)

	bare := get(t, r, "GET", "/static/pupil.css", nil)
	if bare.Code != http.StatusOK || bare.Body.String() != string(css) {
		t.Fatalf("/static/pupil.css = %d, %d bytes; want 200, %d bytes", bare.Code, bare.Body.Len(), len(css))
	}
	if got := bare.Header().Get("Cache-Control"); got != cacheUnversioned {
		t.Errorf("unversioned Cache-Control = %q, want %q", got, cacheUnversioned)
	}
	if got := bare.Header().Get("ETag"); got != `"`+hash+`"` {
		t.Errorf("ETag = %q, want %q", got, `"`+hash+`"`)
	}
	if got := get(t, r, "GET", "/static/pupil.css?v="+hash, nil).Header().Get("Cache-Control"); got != cacheVersioned {
		t.Errorf("versioned Cache-Control = %q, want %q", got, cacheVersioned)
	}
	if got := get(t, r, "GET", "/static/pupil.css?v=0123456789ab", nil).Header().Get("Cache-Control"); got != cacheUnversioned {
		t.Errorf("Cache-Control for another version = %q, want %q: those bytes are not that version", got, cacheUnversioned)
	}
	if rec := get(t, r, "GET", "/static/pupil.css", map[string]string{"If-None-Match": `"` + hash + `"`}); rec.Code != http.StatusNotModified {
		t.Errorf("revalidation = %d, want 304", rec.Code)
	}
	zipped := get(t, r, "GET", "/static/pupil.css?v="+hash, map[string]string{"Accept-Encoding": "gzip"})
	if zipped.Header().Get("Content-Encoding") != "gzip" || gunzip(t, zipped.Body.Bytes()) != string(css) {
		t.Errorf("pupil.css not served compressed to a gzip client")
	}
	etag := zipped.Header().Get("ETag")
	if rec := get(t, r, "GET", "/static/pupil.css", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etag}); rec.Code != http.StatusNotModified {
		t.Errorf("revalidation of the compressed file with %s = %d, want 304", etag, rec.Code)
	}
	t.Logf("pupil.css: %d bytes, %d gzipped", len(css), zipped.Body.Len())
}
