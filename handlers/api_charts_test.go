package handlers_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"html"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestAPIChartsAndQR(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)
	w := ts.openWorkshop(t, token, qid, "pre")
	empty := ts.openWorkshop(t, token, qid, "pre")
	ts.answer(t, w.Code, submission{"c-pre", "P", "pre", validPre()})
	ts.setPhase(t, token, w.ID, "post")
	ts.answer(t, w.Code, submission{"c-post", "P", "post", map[string]any{"q1": 5, "q2": 1, "q3": 5, "k1": "b", "y1": 1}})

	for _, ws := range []workshopOut{w, empty} {
		base := ts.URL + "/api/v1/workshops/" + ws.ID
		for _, tt := range []struct{ path, ctype string }{
			{"/charts/prepost.png", "image/png"},
			{"/charts/prepost.svg", "image/svg+xml"},
			{"/charts/prepost.png?taille=print", "image/png"},
			{"/qr.png", "image/png"},
			{"/qr.svg", "image/svg+xml"},
		} {
			t.Run(ws.ID+tt.path, func(t *testing.T) {
				res, data := ts.raw(t, nil, "GET", base+tt.path, token, nil, nil)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("status = %d, want 200 (%.300s)", res.StatusCode, data)
				}
				if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, tt.ctype) {
					t.Errorf("Content-Type = %q, want %q", got, tt.ctype)
				}
				if tt.ctype == "image/png" {
					img, err := png.Decode(bytes.NewReader(data))
					if err != nil {
						t.Fatalf("PNG does not decode: %v", err)
					}
					if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
						t.Errorf("PNG is %v, want a usable size", b)
					}
				} else if !bytes.Contains(data[:min(len(data), 512)], []byte("<svg")) || !bytes.HasSuffix(bytes.TrimSpace(data), []byte("</svg>")) {
					t.Errorf("not an SVG document: %.200s", data)
				}
			})
		}
	}

	t.Run("ETag", func(t *testing.T) {
		for _, ext := range []string{"png", "svg"} {
			u := ts.URL + "/api/v1/workshops/" + w.ID + "/charts/prepost." + ext
			res, _ := ts.raw(t, nil, "GET", u, token, nil, nil)
			etag := res.Header.Get("ETag")
			if etag == "" {
				t.Fatalf("%s: no ETag", ext)
			}
			res, data := ts.raw(t, nil, "GET", u, token, http.Header{"If-None-Match": {etag}}, nil)
			if res.StatusCode != http.StatusNotModified || len(data) != 0 {
				t.Errorf("%s with If-None-Match = %d, %d bytes; want 304 and no body", ext, res.StatusCode, len(data))
			}
			res, _ = ts.raw(t, nil, "GET", u, token, http.Header{"If-None-Match": {`"autre"`}}, nil)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s with another ETag = %d, want 200", ext, res.StatusCode)
			}
		}
		// A new answer changes the chart, so the old ETag no longer matches.
		u := ts.URL + "/api/v1/workshops/" + w.ID + "/charts/prepost.svg"
		res, _ := ts.raw(t, nil, "GET", u, token, nil, nil)
		etag := res.Header.Get("ETag")
		ts.answer(t, w.Code, submission{"c-post-2", "Q", "post", map[string]any{"q1": 1, "q2": 5, "q3": 1, "k1": "a", "y1": 0}})
		res, _ = ts.raw(t, nil, "GET", u, token, http.Header{"If-None-Match": {etag}}, nil)
		if res.StatusCode != http.StatusOK {
			t.Errorf("after a new answer, If-None-Match old ETag = %d, want 200", res.StatusCode)
		}
	})

	for _, name := range []string{"inconnu.png", "prepost.gif", "prepost", "prepost.png.svg", "..%2F..%2Fetc.png"} {
		t.Run("unknown chart "+name, func(t *testing.T) {
			res, data := ts.raw(t, nil, "GET", ts.URL+"/api/v1/workshops/"+w.ID+"/charts/"+name, token, nil, nil)
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("status = %d, want 404", res.StatusCode)
			}
			mustDecodeError(t, data)
		})
	}
	for _, path := range []string{"/charts/prepost.png", "/qr.png", "/qr.svg", "/results"} {
		res, _ := ts.raw(t, nil, "GET", ts.URL+"/api/v1/workshops/000000000000000000000000"+path, token, nil, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown workshop %s = %d, want 404", path, res.StatusCode)
		}
	}
}

// chartsDefinition has every kind of row the charts draw: labelled and
// unlabelled likert items (one reverse-coded, whose text looks like a
// spreadsheet formula), a 0-10 scale, a quiz, a yes/no and a scale.
const chartsDefinition = `{
  "title": "Graphiques",
  "language": "fr",
  "items": [
    {"key": "l1", "type": "likert", "text": "Je peux agir à mon échelle.", "scale": {"min": 1, "max": 5, "labels": ["Pas du tout d'accord", "Plutôt pas d'accord", "Ni l'un ni l'autre", "Plutôt d'accord", "Tout à fait d'accord"]}},
    {"key": "l2", "type": "likert", "text": "=1+1 : les problèmes du monde sont trop grands pour moi.", "scale": {"min": 1, "max": 5}, "reverse": true},
    {"key": "s1", "type": "scale", "text": "De 0 à 10, à quel point te sens-tu concerné·e ?", "scale": {"min": 0, "max": 10}},
    {"key": "k1", "type": "quiz", "text": "Combien y a-t-il d'ODD ?", "options": [{"value": "a", "label": "8"}, {"value": "b", "label": "17"}, {"value": "c", "label": "30"}], "correct": "b"},
    {"key": "y1", "type": "yesno", "text": "Connais-tu une association de solidarité ?"}
  ],
  "scales": [{"key": "agir", "title": "Pouvoir agir", "items": ["l1", "l2"]}]
}`

// chartsWorkshop: A, B and C answer both phases, D only PRE.
func chartsWorkshop(t *testing.T, ts *testServer, token string) workshopOut {
	t.Helper()
	qid := ts.newQuestionnaire(t, token, chartsDefinition)
	w := ts.newWorkshop(t, token, map[string]any{"questionnaire_id": qid, "title": "Atelier « Été » / ODD", "date": "2026-03-12", "partner": "Collège", "group": "4e B"})
	ts.setPhase(t, token, w.ID, "pre")
	for _, s := range []submission{
		{"a-pre", "A", "pre", map[string]any{"l1": 2, "l2": 4, "s1": 3, "k1": "a", "y1": 0}},
		{"b-pre", "B", "pre", map[string]any{"l1": 3, "l2": 3, "s1": 5, "k1": "b", "y1": 1}},
		{"c-pre", "C", "pre", map[string]any{"l1": 4, "l2": 2, "s1": 8, "k1": "a", "y1": 0}},
		{"d-pre", "D", "pre", map[string]any{"l1": 1, "l2": 5, "s1": 0, "k1": "c", "y1": 0}},
	} {
		ts.answer(t, w.Code, s)
	}
	ts.setPhase(t, token, w.ID, "post")
	for _, s := range []submission{
		{"a-post", "A", "post", map[string]any{"l1": 4, "l2": 2, "s1": 7, "k1": "b", "y1": 1}},
		{"b-post", "B", "post", map[string]any{"l1": 3, "l2": 3, "s1": 5, "k1": "b", "y1": 1}},
		{"c-post", "C", "post", map[string]any{"l1": 2, "l2": 5, "s1": 6, "k1": "b", "y1": 0}},
	} {
		ts.answer(t, w.Code, s)
	}
	return w
}

var chartNamesWant = []string{"prepost", "change", "likert", "knowledge"}

// chartFilesWant are the charts' download names after the workshop's title.
var chartFilesWant = map[string]string{"prepost": "avant-apres", "change": "evolution", "likert": "reponses", "knowledge": "connaissances"}

func TestAPIChartsEveryChart(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	w := chartsWorkshop(t, ts, token)
	qid := ts.newQuestionnaire(t, token, chartsDefinition)
	empty := ts.newWorkshop(t, token, map[string]any{"questionnaire_id": qid, "title": "Vide", "date": "2026-03-13"})

	// What each chart must say about chartsWorkshop.
	says := map[string][]string{
		"prepost":   {"|n = 4 avant, 3 après|", "|Intervalle de confiance à 95 % de la moyenne|", "|2,5|"},
		"likert":    {"|n = 4 avant, 3 après|", "1 · Pas du tout d'accord", "(score inversé : question formulée à l'envers", "|10|"},
		"change":    {"|n = 3 jeunes appariés (ont répondu avant et après)|", "|En progrès|", "|n = 3|"},
		"knowledge": {"|n = 4 avant, 3 après|", "|25\u00a0%|", "|100\u00a0%|", "Connais-tu une association de solidarité ?", "«\u00a0oui\u00a0»)"},
	}
	for _, ws := range []workshopOut{w, empty} {
		for _, name := range chartNamesWant {
			base := ts.URL + "/api/v1/workshops/" + ws.ID + "/charts/" + name
			t.Run(ws.Title+"/"+name, func(t *testing.T) {
				res, screen := ts.raw(t, nil, "GET", base+".png", token, nil, nil)
				if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
					t.Fatalf("%s.png = %d %q, want 200 image/png (%.200s)", name, res.StatusCode, res.Header.Get("Content-Type"), screen)
				}
				res, print := ts.raw(t, nil, "GET", base+".png?taille=print", token, nil, nil)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s.png?taille=print = %d, want 200", name, res.StatusCode)
				}
				a, errA := png.Decode(bytes.NewReader(screen))
				b, errB := png.Decode(bytes.NewReader(print))
				if errA != nil || errB != nil {
					t.Fatalf("PNG does not decode: %v, %v", errA, errB)
				}
				if a.Bounds().Dx() != 900 || b.Bounds().Dx() != 1800 {
					t.Errorf("widths screen %d, print %d; want 900 and 1800", a.Bounds().Dx(), b.Bounds().Dx())
				}
				res, svg := ts.raw(t, nil, "GET", base+".svg", token, nil, nil)
				if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/svg+xml" {
					t.Fatalf("%s.svg = %d %q, want 200 image/svg+xml", name, res.StatusCode, res.Header.Get("Content-Type"))
				}
				if !bytes.HasSuffix(bytes.TrimSpace(svg), []byte("</svg>")) {
					t.Errorf("not an SVG document: %.200s", svg)
				}
				if ws.ID == empty.ID {
					if !bytes.Contains(svg, []byte(">Pas encore de réponses<")) {
						t.Errorf("%s of a workshop without answers does not say so", name)
					}
					return
				}
				texts := svgTexts(svg)
				for _, want := range says[name] {
					if !strings.Contains(texts, want) {
						t.Errorf("%s.svg does not say %q; it says %q", name, want, texts)
					}
				}
			})
		}
	}
}

func TestAPIChartsUnknownAndETag(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	w := chartsWorkshop(t, ts, token)
	base := ts.URL + "/api/v1/workshops/" + w.ID

	for _, file := range []string{"inconnu.png", "likert.gif", "likert", "change.png.svg", ".svg", "knowledge.", "..%2Fprepost.png"} {
		res, data := ts.raw(t, nil, "GET", base+"/charts/"+file, token, nil, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s = %d, want 404", file, res.StatusCode)
			continue
		}
		e := mustDecodeError(t, data)
		if e.Error.Code != "not_found" {
			t.Errorf("%s: code %q, want not_found", file, e.Error.Code)
		}
		for _, name := range chartNamesWant {
			if strings.Contains(file, "%2F") {
				break // not a chart route at all: the router's own 404
			}
			if !strings.Contains(e.Error.Message, name) {
				t.Errorf("%s: message %q does not list %q", file, e.Error.Message, name)
			}
		}
	}

	for _, name := range chartNamesWant {
		for _, ext := range []string{"png", "svg"} {
			u := base + "/charts/" + name + "." + ext
			res, _ := ts.raw(t, nil, "GET", u, token, nil, nil)
			etag := res.Header.Get("ETag")
			if etag == "" {
				t.Fatalf("%s.%s: no ETag", name, ext)
			}
			res, data := ts.raw(t, nil, "GET", u, token, http.Header{"If-None-Match": {etag}}, nil)
			if res.StatusCode != http.StatusNotModified || len(data) != 0 {
				t.Errorf("%s.%s with its ETag = %d, %d bytes; want 304 and no body", name, ext, res.StatusCode, len(data))
			}
			res, _ = ts.raw(t, nil, "GET", u+"?taille=print", token, http.Header{"If-None-Match": {etag}}, nil)
			if ext == "png" && res.StatusCode != http.StatusOK {
				t.Errorf("%s.png print size with the screen ETag = %d, want 200", name, res.StatusCode)
			}
		}
	}
	res, _ := ts.raw(t, nil, "GET", base+"/charts.zip", "", nil, nil)
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("charts.zip without a token = %d, want 401", res.StatusCode)
	}
	res, _ = ts.raw(t, nil, "GET", ts.URL+"/api/v1/workshops/000000000000000000000000/charts.zip", token, nil, nil)
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("charts.zip of an unknown workshop = %d, want 404", res.StatusCode)
	}
}

func TestAPIChartPack(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	w := chartsWorkshop(t, ts, token)
	res, data := ts.raw(t, nil, "GET", ts.URL+"/api/v1/workshops/"+w.ID+"/charts.zip", token, nil, nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("charts.zip = %d %q, want 200 application/zip (%.200s)", res.StatusCode, res.Header.Get("Content-Type"), data)
	}
	if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="declic-graphiques-2026-03-12-atelier-ete-odd.zip"`; got != want {
		t.Errorf("Content-Disposition = %q, want %q", got, want)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	files := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name] = b
		names = append(names, f.Name)
	}
	var want []string
	for _, n := range chartNamesWant {
		f := "atelier-ete-odd-" + chartFilesWant[n]
		want = append(want, f+".png", f+".svg")
	}
	want = append(want, "donnees.csv")
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("ZIP holds %q, want %q", names, want)
	}
	for _, n := range chartNamesWant {
		n = "atelier-ete-odd-" + chartFilesWant[n]
		img, err := png.Decode(bytes.NewReader(files[n+".png"]))
		if err != nil {
			t.Errorf("%s.png: %v", n, err)
		} else if img.Bounds().Dx() != 1800 {
			t.Errorf("%s.png is %d wide, want 1800 (print size)", n, img.Bounds().Dx())
		}
		if !bytes.Contains(files[n+".svg"], []byte("<svg")) {
			t.Errorf("%s.svg is not an SVG", n)
		}
	}

	raw := files["donnees.csv"]
	if !bytes.HasPrefix(raw, []byte("\ufeff")) {
		t.Fatalf("donnees.csv does not start with a UTF-8 BOM: %q", raw[:min(len(raw), 20)])
	}
	r := csv.NewReader(bytes.NewReader(raw[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("donnees.csv does not parse: %v", err)
	}
	// Five items and one scale, each with avant, après and évolution.
	if len(rows) != 1+6*3 {
		t.Fatalf("donnees.csv has %d rows, want %d", len(rows), 1+6*3)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	find := func(key, phase string) map[string]string {
		t.Helper()
		for _, row := range rows[1:] {
			if row[col["clé"]] == key && row[col["phase"]] == phase {
				m := map[string]string{}
				for h, i := range col {
					m[h] = row[i]
				}
				return m
			}
		}
		t.Fatalf("no row for %s %s", key, phase)
		return nil
	}
	for _, tt := range []struct{ key, phase, column, want string }{
		{"l1", "avant", "n", "4"},
		{"l1", "avant", "moyenne", "2,5"},        // (2+3+4+1)/4
		{"l1", "avant", "écart-type", "1,291"},   // sqrt(5/3)
		{"l1", "avant", "IC 95 % bas", "0,4457"}, // 2,5 − qt(0,975; 3)·sd/2
		{"l1", "avant", "IC 95 % haut", "4,5543"},
		{"l1", "avant", "répartition des réponses", "1 : 1 | 2 : 1 | 3 : 1 | 4 : 1 | 5 : 0"},
		{"l1", "après", "moyenne", "3"},
		{"l1", "évolution", "n", "3"},
		{"l1", "évolution", "en progrès", "1"},
		{"l1", "évolution", "sans changement", "1"},
		{"l1", "évolution", "en recul", "1"},
		{"l2", "avant", "score inversé", "oui"},
		{"l2", "avant", "libellé", "'=1+1 : les problèmes du monde sont trop grands pour moi."},
		{"l2", "après", "moyenne", "2,6667"},      // scores 6 − answer: 4, 3, 1
		{"l2", "évolution", "moyenne", "-0,3333"}, // POST − PRE of A, B, C: 2, 0, −3
		{"k1", "avant", "% bonnes réponses", "25"},
		{"k1", "après", "% bonnes réponses", "100"},
		{"k1", "avant", "répartition des réponses", "a : 2 | b : 1 | c : 1"},
		{"y1", "après", "% bonnes réponses", "66,6667"},
		{"agir", "avant", "question ou échelle", "échelle"},
		{"agir", "avant", "n", "4"},
	} {
		if got := find(tt.key, tt.phase)[tt.column]; got != tt.want {
			t.Errorf("donnees.csv %s %s %q = %q, want %q", tt.key, tt.phase, tt.column, got, tt.want)
		}
	}
}

// svgTexts joins an SVG's texts: "|" between elements, a space where a
// text was wrapped onto the next line.
func svgTexts(svg []byte) string {
	var b strings.Builder
	b.WriteString("|")
	for _, part := range strings.Split(string(svg), "<text ")[1:] {
		start, end := strings.Index(part, ">"), strings.Index(part, "</text>")
		if start < 0 || end < start {
			continue
		}
		b.WriteString(html.UnescapeString(part[start+1 : end]))
		b.WriteString("|")
	}
	return b.String()
}
