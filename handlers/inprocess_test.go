package handlers_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// inProcess is an http.RoundTripper that hands each request to a handler
// in the same process, as a server would: the handler runs on its own
// goroutine and the answer's body streams as it is written, so event
// streams work too. Closing the body cancels the request's context.
type inProcess struct {
	h    http.Handler
	peer string // the client address the handler sees
}

func (tr *inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancel(req.Context())
	in := req.Clone(ctx)
	in.RequestURI = req.URL.RequestURI()
	in.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	in.RemoteAddr = tr.peer + ":40000"
	in.Proto, in.ProtoMajor, in.ProtoMinor = "HTTP/1.1", 1, 1
	if in.Body == nil {
		in.Body = http.NoBody
	}
	if req.URL.Scheme == "https" {
		in.TLS = &tls.ConnectionState{HandshakeComplete: true, ServerName: req.URL.Hostname()}
	}
	w := &streamWriter{header: http.Header{}, ready: make(chan struct{}), cancel: cancel}
	w.cond = sync.NewCond(&w.mu)
	go func() {
		defer w.finish()
		tr.h.ServeHTTP(w, in)
	}()
	<-w.ready
	res := &http.Response{
		Status: strconv.Itoa(w.status) + " " + http.StatusText(w.status), StatusCode: w.status,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: w.sent, Body: &streamBody{w}, ContentLength: -1, Request: req,
	}
	if n, err := strconv.ParseInt(w.sent.Get("Content-Length"), 10, 64); err == nil {
		res.ContentLength = n
	}
	return res, nil
}

// streamWriter is the http.ResponseWriter of an inProcess request: what
// the handler writes is buffered until the client reads it.
type streamWriter struct {
	header http.Header
	sent   http.Header // the header as it was when the status was written
	status int
	ready  chan struct{} // closed once the status is written
	cancel context.CancelFunc

	mu     sync.Mutex
	cond   *sync.Cond
	buf    bytes.Buffer
	done   bool // the handler returned
	closed bool // the client closed the body
}

func (w *streamWriter) Header() http.Header { return w.header }

func (w *streamWriter) WriteHeader(code int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.sent != nil {
		return
	}
	w.status, w.sent = code, w.header.Clone()
	close(w.ready)
}

func (w *streamWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return 0, errClientGone
	}
	w.buf.Write(p)
	w.cond.Broadcast()
	return len(p), nil
}

// Flush sends the header; the body is always readable as soon as written.
func (w *streamWriter) Flush() { w.WriteHeader(http.StatusOK) }

func (w *streamWriter) finish() {
	w.WriteHeader(http.StatusOK)
	w.mu.Lock()
	w.done = true
	w.cond.Broadcast()
	w.mu.Unlock()
	w.cancel()
}

var errClientGone = errors.New("the client closed the answer")

// streamBody is what the client reads of a streamWriter.
type streamBody struct{ w *streamWriter }

func (b *streamBody) Read(p []byte) (int, error) {
	w := b.w
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.buf.Len() == 0 && !w.done && !w.closed {
		w.cond.Wait()
	}
	switch {
	case w.buf.Len() > 0:
		return w.buf.Read(p)
	case w.closed:
		return 0, errClientGone
	default:
		return 0, io.EOF
	}
}

func (b *streamBody) Close() error {
	w := b.w
	w.mu.Lock()
	w.closed = true
	w.cond.Broadcast()
	w.mu.Unlock()
	w.cancel()
	return nil
}
