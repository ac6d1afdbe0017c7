package surveys_test

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"declic/surveys"
)

func pngLogo(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A logo is shown on every report: a PNG, or an SVG that runs nothing and
// fetches nothing, of 1 MB at most. Anything else is refused with a French
// message that says what is wrong.
func TestCheckLogo(t *testing.T) {
	const svgOpen = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 40">`
	for _, tt := range []struct {
		name     string
		data     []byte
		wantType string
		says     string
	}{
		{"png", pngLogo(t, 200, 80), surveys.LogoPNG, ""},
		{"svg", []byte(`<?xml version="1.0"?>` + "\n" + svgOpen + `<style>.a{fill:#0B5C99}</style><g><rect class="a" width="10" height="10"/><text x="12" y="20">Solidarités</text><use href="#r"/></g></svg>`), surveys.LogoSVG, ""},
		{"svg with an embedded PNG", []byte(svgOpen + `<image href="data:image/png;base64,iVBORw0KGgo=" width="10" height="10"/></svg>`), surveys.LogoSVG, ""},
		{"empty", nil, "", "vide"},
		{"too big", append(pngLogo(t, 10, 10), make([]byte, surveys.MaxLogoBytes)...), "", "1 Mo"},
		{"huge picture", pngLogo(t, 5000, 10), "", "4000 pixels"},
		{"broken png", []byte("\x89PNG\r\n\x1a\nrubbish"), "", "illisible"},
		{"jpeg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "", "ni un PNG ni un SVG"},
		{"html", []byte("<html><body>logo</body></html>"), "", "ni un PNG ni un SVG"},
		{"script", []byte(svgOpen + `<script>alert(1)</script></svg>`), "", "<script>"},
		{"script in a namespace", []byte(svgOpen + `<svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(1)</svg:script></svg>`), "", "<script>"},
		{"onload", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>`), "", "« onload »"},
		{"javascript link", []byte(svgOpen + `<a xlink:href=" java script:alert(1)"><rect width="1" height="1"/></a></svg>`), "", "javascript:"},
		{"javascript link, tabs", []byte(svgOpen + `<a href="java&#9;script:alert(1)"><rect width="1" height="1"/></a></svg>`), "", "javascript:"},
		{"foreignObject", []byte(svgOpen + `<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>`), "", "<foreignObject>"},
		{"animated link", []byte(svgOpen + `<a><set attributeName="href" to="javascript:alert(1)"/></a></svg>`), "", "<set>"},
		{"external image", []byte(svgOpen + `<image href="https://example.org/x.png"/></svg>`), "", "fichier extérieur"},
		{"external style", []byte(svgOpen + `<style>@import url(https://example.org/x.css);</style></svg>`), "", "extérieur"},
		{"entities", []byte(`<!DOCTYPE svg [<!ENTITY x "y">]>` + svgOpen + `</svg>`), "", "entités"},
		{"broken xml", []byte(svgOpen + `<rect>`), "", "mal formé"},
	} {
		typ, err := surveys.CheckLogo(tt.data)
		if tt.says == "" {
			if err != nil || typ != tt.wantType {
				t.Errorf("%s: CheckLogo = %q, %v; want %q", tt.name, typ, err, tt.wantType)
			}
			continue
		}
		msg := surveys.ErrorFields(err)["logo"]
		if surveys.ErrorCode(err) != surveys.EINVALID || !strings.Contains(msg, tt.says) {
			t.Errorf("%s: CheckLogo = %q, %v (%q); want a refusal saying %q", tt.name, typ, err, msg, tt.says)
		}
	}
}
