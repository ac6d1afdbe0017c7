package surveys

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Settings are what an admin sets for the whole organisation: its name
// and logo, on every report and chart caption.
type Settings struct {
	OrganisationName string
	// Logo is a PNG or SVG image, checked by CheckLogo; nil when none.
	Logo      []byte
	LogoType  string // LogoPNG or LogoSVG
	UpdatedAt time.Time
	UpdatedBy string // user ID
}

// Logo types.
const (
	LogoPNG = "image/png"
	LogoSVG = "image/svg+xml"
)

// Limits on the organisation's settings.
const (
	MaxLogoBytes        = 1 << 20
	maxLogoPixels       = 4000
	maxOrganisationName = 120
)

// Validate trims and checks what an admin typed.
func (s *Settings) Validate() error {
	s.OrganisationName = strings.Join(strings.Fields(s.OrganisationName), " ")
	if utf8.RuneCountInString(s.OrganisationName) > maxOrganisationName {
		return &Error{Code: EINVALID, Message: "Nom trop long.",
			Fields: map[string]string{"organisation_name": fmt.Sprintf("%d caractères au plus", maxOrganisationName)}}
	}
	return nil
}

// CheckLogo says whether data is a logo Déclic may show on its pages and
// reports: a PNG, or an SVG without anything that runs or fetches
// (scripts, event attributes, javascript: links, embedded HTML, external
// files), of at most MaxLogoBytes. It returns the logo's type, or
// EINVALID with a French message naming what is wrong.
func CheckLogo(data []byte) (string, error) {
	bad := func(format string, args ...any) (string, error) {
		return "", &Error{Code: EINVALID, Message: "Logo refusé.", Fields: map[string]string{"logo": fmt.Sprintf(format, args...)}}
	}
	switch {
	case len(data) == 0:
		return bad("le fichier est vide")
	case len(data) > MaxLogoBytes:
		return bad("le fichier fait %s Ko : 1 Mo (1 024 Ko) au plus", kilobytes(len(data)))
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return bad("ce PNG est illisible (fichier abîmé ?)")
		}
		if cfg.Width > maxLogoPixels || cfg.Height > maxLogoPixels || cfg.Width == 0 || cfg.Height == 0 {
			return bad("image de %d × %d pixels : %d pixels de côté au plus", cfg.Width, cfg.Height, maxLogoPixels)
		}
		return LogoPNG, nil
	}
	if msg := svgProblem(data); msg != "" {
		return bad("%s", msg)
	}
	return LogoSVG, nil
}

func kilobytes(n int) string { return fmt.Sprint((n + 1023) / 1024) }

// svgElementsRefused run code, embed other documents or animate links.
var svgElementsRefused = map[string]bool{
	"script": true, "foreignobject": true, "iframe": true, "embed": true, "object": true,
	"handler": true, "listener": true, "set": true, "animate": true, "animatemotion": true, "animatetransform": true,
}

// svgProblem says, in French, why data is not a safe SVG logo; "" when it is.
func svgProblem(data []byte) string {
	if !utf8.Valid(data) {
		return "ce n'est ni un PNG ni un SVG"
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	root := true
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if root {
				return "ce n'est ni un PNG ni un SVG"
			}
			return "ce SVG est illisible (XML mal formé)"
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.Contains(bytes.ToUpper(t), []byte("ENTITY")) {
				return "ce SVG déclare des entités XML, refusées"
			}
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if root {
				if name != "svg" {
					return "ce n'est ni un PNG ni un SVG"
				}
				root = false
			}
			if svgElementsRefused[name] {
				return fmt.Sprintf("ce SVG contient un élément <%s>, qui peut exécuter du code ou charger autre chose : enregistrez-le sans (par exemple « SVG simple » dans Inkscape)", t.Name.Local)
			}
			for _, a := range t.Attr {
				if msg := svgAttrProblem(a); msg != "" {
					return msg
				}
			}
		case xml.CharData:
			if s := strings.ToLower(string(t)); strings.Contains(s, "@import") || strings.Contains(s, "url(http") || strings.Contains(s, "url(//") {
				return "ce SVG charge un fichier extérieur dans son style"
			}
		}
	}
	if root {
		return "ce n'est ni un PNG ni un SVG"
	}
	return ""
}

func svgAttrProblem(a xml.Attr) string {
	name := strings.ToLower(a.Name.Local)
	value := strings.ToLower(strings.Join(strings.Fields(a.Value), ""))
	switch {
	case strings.HasPrefix(name, "on"):
		return fmt.Sprintf("ce SVG contient un attribut « %s », qui exécute du code", a.Name.Local)
	case strings.Contains(value, "javascript:") || strings.Contains(value, "vbscript:") || strings.Contains(value, "data:text/html"):
		return "ce SVG contient un lien javascript:, refusé"
	case name == "href" && !strings.HasPrefix(value, "#") && !strings.HasPrefix(value, "data:image/png") && !strings.HasPrefix(value, "data:image/jpeg"):
		return "ce SVG fait référence à un fichier extérieur (« " + a.Value + " ») : intégrez l'image dans le SVG"
	case strings.Contains(value, "url(http") || strings.Contains(value, "url(//"):
		return "ce SVG charge un fichier extérieur dans son style"
	}
	return ""
}
