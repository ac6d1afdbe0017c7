package httpx

import (
	"net/http"

	"github.com/klauspost/compress/gzhttp"
)

// compressible lists the media types gzip shrinks; PNG, ZIP and XLSX are
// compressed already.
var compressible = []string{
	"text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
	"application/json", "application/problem+json", "image/svg+xml", "application/xml", "text/xml",
	"text/event-stream",
}

// Compress gzips text answers of 1 KB or more for clients that accept it,
// with github.com/klauspost/compress/gzhttp. Below 1 KB the gzip header and
// the CPU cost more than they save (an answer's {"id": …}).
func Compress(h http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.ContentTypes(compressible), gzhttp.EnableZstd(false))
	if err != nil {
		panic(err) // the options above are constants
	}
	return wrap(h)
}
