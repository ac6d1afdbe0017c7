// Package templates holds Déclic's HTML pages and static files, embedded in
// the binary and parsed once at start-up.
package templates

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
	"sync"
	"time"

	"declic/surveys"
	"declic/surveys/fr"
)

//go:embed pupil/*.html pupil/items/*.html staff/*.html layout_*.html
var pages embed.FS

//go:embed static
var static embed.FS

// Static is the folder of CSS, JavaScript and icons, served under /static/.
func Static() fs.FS {
	sub, _ := fs.Sub(static, "static")
	return sub
}

// AssetHash is the version of a static file's content: the first 12 hex
// digits of its SHA-256.
func AssetHash(content []byte) string {
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:6])
}

// assetHashes maps each static file name to its AssetHash, computed once.
var assetHashes = sync.OnceValue(func() map[string]string {
	hashes := map[string]string{}
	fsys := Static()
	fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := fs.ReadFile(fsys, name); err == nil {
				hashes[name] = AssetHash(data)
			}
		}
		return nil
	})
	return hashes
})

// StaticURL is the address of a static file, versioned by its content so
// that browsers may keep it for a year and never use a stale one.
func StaticURL(name string) string {
	if h, ok := assetHashes()[name]; ok {
		return "/static/" + name + "?v=" + h
	}
	return "/static/" + name
}

// Templates is every page, each parsed with its layout.
type Templates struct {
	pages map[string]*template.Template
}

// New parses every page once.
func New() (*Templates, error) {
	t := &Templates{pages: map[string]*template.Template{}}
	for _, dir := range []string{"pupil", "staff"} {
		layout, err := template.New("layout").Funcs(Funcs).Funcs(wordFuncs).Funcs(template.FuncMap{"item": noItem}).ParseFS(pages, "layout_"+dir+".html")
		if err != nil {
			return nil, fmt.Errorf("templates: layout %s: %w", dir, err)
		}
		if dir == "pupil" {
			// Each item type draws itself: pupil/items/<type>.html.
			if _, err := layout.ParseFS(pages, "pupil/items/*.html"); err != nil {
				return nil, fmt.Errorf("templates: pupil items: %w", err)
			}
		}
		names, _ := fs.Glob(pages, dir+"/*.html")
		for _, name := range names {
			clone := template.Must(layout.Clone())
			if _, err := clone.ParseFS(pages, name); err != nil {
				return nil, fmt.Errorf("templates: %s: %w", name, err)
			}
			clone.Funcs(template.FuncMap{"item": itemFunc(clone)})
			t.pages[dir+"/"+strings.TrimSuffix(path.Base(name), ".html")] = clone
		}
	}
	if err := t.checkItemTemplates(); err != nil {
		return nil, err
	}
	return t, nil
}

// itemFunc draws one question with its type's template: html/template has
// no dynamic {{template}}, so the page calls {{item .}}.
func itemFunc(page *template.Template) func(ItemView) (template.HTML, error) {
	return func(v ItemView) (template.HTML, error) {
		var b bytes.Buffer
		if err := page.ExecuteTemplate(&b, v.Template(), v); err != nil {
			return "", err
		}
		return template.HTML(b.String()), nil // escaped by its own template
	}
}

func noItem(ItemView) (template.HTML, error) {
	return "", fmt.Errorf("templates: item outside a pupil page")
}

// checkItemTemplates makes sure every item type has its template.
func (t *Templates) checkItemTemplates() error {
	form := t.pages["pupil/form"]
	if form == nil {
		return nil
	}
	for _, typ := range surveys.ItemTypes() {
		if form.Lookup("item-"+string(typ)) == nil {
			return fmt.Errorf("templates: item type %q has no template pupil/items/%s.html", typ, typ)
		}
	}
	return nil
}

// Names lists the pages, for tests that render every one.
func (t *Templates) Names() []string {
	out := make([]string, 0, len(t.pages))
	for n := range t.pages {
		out = append(out, n)
	}
	return out
}

// Render executes page name into a buffer first, so a template error never
// sends half a page.
func (t *Templates) Render(w io.Writer, name string, data any) error {
	tmpl, ok := t.pages[name]
	if !ok {
		return fmt.Errorf("templates: no page %q", name)
	}
	var buf bytes.Buffer
	layout, _, _ := strings.Cut(name, "/")
	if err := tmpl.ExecuteTemplate(&buf, layout+"_layout", data); err != nil {
		return fmt.Errorf("templates: %s: %w", name, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// RenderPart executes one template a page defines (the live page's
// questions, sent again as they change) into w, buffered like Render.
func (t *Templates) RenderPart(w io.Writer, name, part string, data any) error {
	tmpl, ok := t.pages[name]
	if !ok {
		return fmt.Errorf("templates: no page %q", name)
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, part, data); err != nil {
		return fmt.Errorf("templates: %s %s: %w", name, part, err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// Funcs are the helpers pages use: French numbers and dates above all,
// all written by package fr.
var Funcs = template.FuncMap{
	"fr":         fr.Number,
	"frp":        fr.NumberPtr,
	"signed":     signedFR,
	"pct":        fr.PercentOf,
	"frdate":     fr.Date,
	"period":     fr.Period,
	"add":        func(a, b int) int { return a + b },
	"seq":        seq,
	"list":       func(s ...string) []string { return s },
	"monthNames": fr.Months,
	"howto":      func() string { return surveys.HowToRead },
	"static":     StaticURL,
	"pval":       pValueFR,
	"share":      fr.PercentPtr,
	"effect":     effectFR,
	"deref":      derefInt,
	"minGroup":   func() int { return surveys.MinGroupSize },
	// Measurement quality (results and report pages).
	"sub":         func(a, b int) int { return a - b },
	"args":        func(v ...any) []any { return v },
	"pairedBy":    pairedByFR,
	"frtime":      frenchTime,
	"pairsNeeded": surveys.PairsForTypicalEffect,
	"hasKey":      func(m map[string]string, k string) bool { _, ok := m[k]; return ok },
	"field":       func(m map[string]string, k string) string { return m[k] },
	"contains": func(list []string, s string) bool {
		for _, v := range list {
			if v == s {
				return true
			}
		}
		return false
	},
}

// signedFR writes a change with its sign, « — » when there is none.
func signedFR(v *float64, decimals int) string {
	if v == nil {
		return fr.None
	}
	return fr.Signed(*v, decimals)
}

// effectFR names an effect size in words, with its value: "0,62 (un effet moyen)".
func effectFR(dz *float64) string {
	if dz == nil {
		return fr.None
	}
	return fr.Number(*dz, 2) + " (" + surveys.EffectWords(*dz) + ")"
}

// pValueFR writes a p-value as readers expect: "< 0,001", "0,03",
// "> 0,99", "—" (surveys.FormatPValue, as sentences do).
func pValueFR(p any) string {
	switch x := p.(type) {
	case float64:
		return fr.P(x)
	case *float64:
		if x != nil {
			return fr.P(*x)
		}
	}
	return fr.None
}

// pairedByFR says how a response was paired, in words.
func pairedByFR(v any) string {
	var by surveys.PairedBy
	switch x := v.(type) {
	case surveys.PairedBy:
		by = x
	case *surveys.PairedBy:
		if x == nil {
			return "non"
		}
		by = *x
	}
	switch by {
	case surveys.PairedByDevice:
		return "oui, par le téléphone"
	case surveys.PairedByCode:
		return "oui, par le code"
	case surveys.PairedByFuzzyCode:
		return "oui, par un code presque identique"
	}
	return "non"
}

// frenchTime writes a staff action's time: "10 mars 2026 à 14 h 05", in
// the server's time zone.
func frenchTime(t time.Time) string {
	t = t.Local()
	return fmt.Sprintf("%d %s %d à %d h %02d", t.Day(), fr.Month(int(t.Month())), t.Year(), t.Hour(), t.Minute())
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// MonthName is the French name of month m (1-12), "" otherwise.
func MonthName(m int) string { return fr.Month(m) }

func seq(lo, hi int) []int {
	if hi < lo || hi-lo > 100 {
		return nil
	}
	out := make([]int, 0, hi-lo+1)
	for i := lo; i <= hi; i++ {
		out = append(out, i)
	}
	return out
}
