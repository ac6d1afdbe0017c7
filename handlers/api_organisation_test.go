package handlers_test

import (
	"bytes"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func smallPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 60, 20))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type organisationOut struct {
	Name     string
	LogoURL  string `json:"logo_url"`
	LogoType string `json:"logo_type"`
}

// An admin names the organisation and uploads its logo; the logo is served
// from Déclic's own origin, an SVG so that nothing in it could run; what is
// not a safe PNG or SVG of 1 MB at most is refused in French.
func TestAPIOrganisation(t *testing.T) {
	e := newFunderEnv(t)
	var o organisationOut
	if st, b := e.send(t, e.admin, "PUT", "/api/v1/organisation", map[string]string{"name": "  Solidarités   Lille "}, &o); st != http.StatusOK || o.Name != "Solidarités Lille" {
		t.Fatalf("PUT name = %d %s", st, b)
	}
	if st, b := e.send(t, e.admin, "PUT", "/api/v1/organisation/logo", smallPNG(t), &o); st != http.StatusOK || o.LogoType != "image/png" || !strings.HasPrefix(o.LogoURL, "/app/organisation/logo?v=") {
		t.Fatalf("PUT logo = %d %s", st, b)
	}
	st, h, body := e.get(t, e.anim, o.LogoURL)
	if st != http.StatusOK || h.Get("Content-Type") != "image/png" || !bytes.Equal(body, smallPNG(t)) || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("GET logo = %d %q csp %q", st, h.Get("Content-Type"), h.Get("Content-Security-Policy"))
	}
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4" cx="5" cy="5"/></svg>`)
	if st, b := e.send(t, e.admin, "PUT", "/api/v1/organisation/logo", svg, &o); st != http.StatusOK || o.LogoType != "image/svg+xml" {
		t.Errorf("PUT SVG logo = %d %s", st, b)
	}
	if _, h, _ := e.get(t, e.admin, o.LogoURL); h.Get("Content-Type") != "image/svg+xml" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("SVG logo served as %q", h.Get("Content-Type"))
	}

	for _, tt := range []struct {
		name string
		body []byte
		says string
	}{
		{"script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>fetch('/api/v1/users')</script></svg>`), "<script>"},
		{"onload", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "onload"},
		{"not an image", []byte("GIF89a....."), "ni un PNG ni un SVG"},
		{"over 1 MB", append(smallPNG(t), make([]byte, 1<<20)...), "1 Mo"},
		{"empty", []byte{}, "vide"},
	} {
		st, body := e.send(t, e.admin, "PUT", "/api/v1/organisation/logo", tt.body, nil)
		apiErr := mustDecodeError(t, body)
		code, fields := apiErr.Error.Code, apiErr.Error.Fields
		if st != http.StatusBadRequest || code != "invalid" || !strings.Contains(fields["logo"], tt.says) {
			t.Errorf("%s: %d %s; want 400 saying %q", tt.name, st, body, tt.says)
		}
	}
	var now organisationOut
	e.send(t, e.admin, "GET", "/api/v1/organisation", nil, &now)
	if now.LogoType != "image/svg+xml" {
		t.Errorf("a refused logo replaced the saved one: %+v", now)
	}
	// Only admins change it.
	if st, _ := e.send(t, e.anim, "PUT", "/api/v1/organisation/logo", smallPNG(t), nil); st != http.StatusForbidden {
		t.Errorf("facilitator PUT logo = %d, want 403", st)
	}
	if st, _ := e.send(t, e.anim, "PUT", "/api/v1/organisation", map[string]string{"name": "x"}, nil); st != http.StatusForbidden {
		t.Errorf("facilitator PUT name = %d, want 403", st)
	}
	if st, _ := e.send(t, e.admin, "PUT", "/api/v1/organisation", map[string]string{"name": strings.Repeat("x", 121)}, nil); st != http.StatusBadRequest {
		t.Errorf("a name of 121 characters = %d, want 400", st)
	}
	o = organisationOut{}
	if st, b := e.send(t, e.admin, "DELETE", "/api/v1/organisation/logo", nil, &o); st != http.StatusOK || o.LogoURL != "" || o.Name != "Solidarités Lille" {
		t.Errorf("DELETE logo = %d %s", st, b)
	}
	if st, _, _ := e.get(t, e.admin, "/app/organisation/logo"); st != http.StatusNotFound {
		t.Errorf("GET logo without one = %d, want 404", st)
	}
}

// The admin's page: a logo over 1 MB or with a script re-shows the form
// with the reason beside the field, and nothing changes.
func TestPageOrganisationLogo(t *testing.T) {
	e := newFunderEnv(t)
	post := func(name string, file []byte, token string) (int, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		w.WriteField("name", name)
		if file != nil {
			fw, _ := w.CreateFormFile("logo", "logo.svg")
			fw.Write(file)
		}
		w.Close()
		req := httptest.NewRequest("POST", "/app/organisation", &b)
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		e.Handler.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	if st, _ := post("Solidarités Lille", smallPNG(t), e.admin); st != http.StatusSeeOther {
		t.Fatalf("page save = %d, want 303", st)
	}
	for _, tt := range []struct {
		name string
		file []byte
		says string
	}{
		{"script", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "&lt;script&gt;"},
		{"3 MB", bytes.Repeat([]byte("x"), 3<<20), "1 Mo"},
		{"5 MB", bytes.Repeat([]byte("x"), 5<<20), "1 Mo"},
	} {
		st, page := post("Autre nom", tt.file, e.admin)
		if st != http.StatusBadRequest || !strings.Contains(page, `id="logo-err"`) || !strings.Contains(page, tt.says) {
			t.Errorf("%s: page %d, want 400 with the reason beside the logo field (%q)", tt.name, st, tt.says)
		}
	}
	st, _ := e.Store.Settings(e.ctx)
	if st.OrganisationName != "Solidarités Lille" || st.LogoType != "image/png" {
		t.Errorf("refused uploads changed the settings: %+v", st.OrganisationName)
	}
	if st, _ := post("x", nil, e.anim); st != http.StatusForbidden {
		t.Errorf("facilitator on the page = %d, want 403", st)
	}
}
