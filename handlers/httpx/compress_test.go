package httpx

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gin-gonic/gin"
)

func serve(h http.Handler, method, path string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestCompress(t *testing.T) {
	page := strings.Repeat("<p>Bonjour à tous</p>\n", 200)
	h := Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/page":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, page)
		case "/small":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"id":"x"}`)
		case "/png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(make([]byte, 5000))
		}
	}))
	gz := http.Header{"Accept-Encoding": {"gzip, deflate, br"}}

	rec := serve(h, "GET", "/page", gz)
	if rec.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
		t.Fatalf("HTML page: encoding %q, vary %q; want gzip and Vary: Accept-Encoding", rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); string(got) != page || rec.Body.Len() > len(page)/5 {
		t.Errorf("gunzipped page differs, or %d bytes on the wire for %d", rec.Body.Len(), len(page))
	}
	for _, tt := range []struct {
		path   string
		header http.Header
	}{{"/page", nil}, {"/small", gz}, {"/png", gz}} {
		if rec := serve(h, "GET", tt.path, tt.header); rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("GET %s with Accept-Encoding %q: compressed, want it as it is", tt.path, tt.header.Get("Accept-Encoding"))
		}
	}
}

// Static files: an ETag from their content, cached a year at a versioned
// URL, an hour otherwise, and 304 when the browser has them, gzipped or not.
func TestStaticFiles(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	css := strings.Repeat("body{color:#123}\n", 100)
	hash := func(b []byte) string { return "v" + string(rune('0'+len(b)%10)) }
	r := gin.New()
	r.GET("/static/*file", StaticFiles(fstest.MapFS{"pupil.css": {Data: []byte(css)}}, hash))
	h := Compress(r)
	v := hash([]byte(css))

	rec := serve(h, "GET", "/static/pupil.css?v="+v, http.Header{"Accept-Encoding": {"gzip"}})
	etag := rec.Header().Get("ETag")
	if rec.Code != 200 || etag != `"`+v+`"` || rec.Header().Get("Cache-Control") != cacheVersioned {
		t.Fatalf("versioned: %d, ETag %q, Cache-Control %q", rec.Code, etag, rec.Header().Get("Cache-Control"))
	}
	if rec := serve(h, "GET", "/static/pupil.css", nil); rec.Header().Get("Cache-Control") != cacheUnversioned {
		t.Errorf("unversioned Cache-Control = %q, want %q", rec.Header().Get("Cache-Control"), cacheUnversioned)
	}
	for _, enc := range []string{"", "gzip"} {
		rec := serve(h, "GET", "/static/pupil.css", http.Header{"If-None-Match": {etag}, "Accept-Encoding": {enc}})
		if rec.Code != http.StatusNotModified {
			t.Errorf("If-None-Match %s (Accept-Encoding %q) = %d, want 304", etag, enc, rec.Code)
		}
	}
}
