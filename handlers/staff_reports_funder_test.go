package handlers_test

import (
	"bytes"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"declic/surveys"
)

func (e *funderEnv) page(token, path string) (int, http.Header, string) {
	e.t.Helper()
	st, h, body := e.get(e.t, token, path)
	return st, h, html.UnescapeString(string(body))
}

// Rapports opens on the questionnaire most workshops used, by title,
// never on an error box of internal IDs; the API, asked without one,
// names the questionnaires by their titles.
func TestPageReportOpensOnTheMostUsedQuestionnaire(t *testing.T) {
	e := newFunderEnv(t)
	other, err := surveys.ParseDefinition([]byte(strings.Replace(funderDefinition, "Regards sur le monde", "Autre questionnaire", 1)))
	if err != nil {
		t.Fatal(err)
	}
	other.ID = "autre-v1"
	if err := e.Store.EnsureQuestionnaire(e.ctx, other); err != nil {
		t.Fatal(err)
	}
	e.workshop("A", "2026-02-10", nil, mixed())
	e.workshop("B", "2026-02-11", nil, mixed())
	w := &surveys.Workshop{QuestionnaireID: "autre-v1", Title: "C", Date: "2026-03-01", Phase: surveys.PhaseClosed}
	if err := e.Store.CreateWorkshop(e.ctx, w); err != nil {
		t.Fatal(err)
	}
	st, h, _ := e.page(e.admin, "/app/reports?tag=&partner=")
	if st != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "questionnaire_id=regards-v1") {
		t.Errorf("/app/reports = %d to %q, want a redirect to the most used questionnaire", st, h.Get("Location"))
	}
	st, _, page := e.page(e.admin, h.Get("Location"))
	if st != http.StatusOK || !strings.Contains(page, "Rapport d'impact : Regards sur le monde") || strings.Contains(page, `role="alert"`) {
		t.Errorf("report page = %d, title or alert wrong", st)
	}
	st, body := e.send(t, e.admin, "GET", "/api/v1/reports", nil, nil)
	if fields := mustDecodeError(t, body).Error.Fields; st != http.StatusBadRequest || !strings.Contains(fields["questionnaire_id"], "« Regards sur le monde »") ||
		strings.Contains(fields["questionnaire_id"], "regards-v1") {
		t.Errorf("API report without a questionnaire = %d %s; want titles, not IDs", st, body)
	}
}

// A period without workshops says « aucun atelier » instead of zeros and
// empty charts.
func TestPageReportWithoutWorkshops(t *testing.T) {
	e := newFunderEnv(t)
	e.workshop("A", "2026-02-10", nil, mixed())
	st, _, page := e.page(e.admin, "/app/reports?questionnaire_id=regards-v1&from=2027-01-01&to=2027-06-30")
	if st != http.StatusOK || !strings.Contains(page, "Aucun atelier") || !strings.Contains(page, "du 1er janvier 2027 au 30 juin 2027") {
		t.Errorf("empty report = %d, does not say « aucun atelier » for the period", st)
	}
	for _, absent := range []string{"Synthèse", "/api/v1/reports/charts/", "k-workshops"} {
		if strings.Contains(page, absent) {
			t.Errorf("empty report shows %q", absent)
		}
	}
}

// The report a manager sends: the organisation, the filter, the period,
// the production day, a summary with the indicators and three sentences,
// the limits, the caption on the charts and their download names, and the
// quotes a manager ticked, none by default.
func TestPageReportForFunders(t *testing.T) {
	e := newFunderEnv(t)
	w := e.workshop("ODD 2026 T1", "2026-02-10", []string{"afd"}, mixed())
	other := e.workshop("Autre", "2026-02-11", []string{"autre"}, mixed())
	e.send(t, e.admin, "PUT", "/api/v1/organisation", map[string]string{"name": "Solidarités Lille"}, nil)
	e.newIndicator(map[string]any{"name": "Part des jeunes qui progressent", "questionnaire_id": "regards-v1",
		"item": "q1", "measure": "share_improved", "baseline": 0.3, "target": 0.5})
	query := "questionnaire_id=regards-v1&tag=afd&from=2026-01-01&to=2026-03-31"
	st, _, page := e.page(e.admin, "/app/reports?"+query)
	if st != http.StatusOK {
		t.Fatalf("report = %d", st)
	}
	for _, want := range []string{
		"Solidarités Lille", "Programme (étiquette) : afd", "Période : du 1er janvier 2026 au 31 mars 2026", "Produit le 20 mars 2026",
		"Synthèse", "Part des jeunes qui progressent", "atteinte",
		"Du 1er janvier 2026 au 31 mars 2026, 1 atelier avec 1 partenaire a touché 10 jeunes\u00a0; 10 ont répondu avant et après (100\u00a0%).",
		"1 indicateur sur 1 atteint sa cible.", "Limites", "pas de groupe de comparaison",
		"Source : questionnaires avant/après Déclic, n = 10 jeunes appariés (10 avant, 10 après), 1 atelier, période du 1er janvier 2026 au 31 mars 2026, étiquette « afd ». Solidarités Lille, produit le 20 mars 2026.",
		`download="afd-2026-t1-avant-apres.png"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if n := len(regexp.MustCompile(`<div class="sentences" id="summary-sentences">(<p>[^<]*</p>){3}</div>`).FindAllString(page, -1)); n != 1 {
		t.Errorf("the summary does not have three sentences")
	}
	if strings.Contains(page, "<blockquote>") {
		t.Errorf("quotes shown before any was ticked")
	}

	// The chart downloads: named after the report and the chart, with the
	// caption line inside the picture.
	st, h, svg := e.get(t, e.admin, "/api/v1/reports/charts/prepost.svg?"+query)
	if st != http.StatusOK || !strings.Contains(h.Get("Content-Disposition"), `filename="afd-2026-t1-avant-apres.svg"`) {
		t.Errorf("report chart = %d %q", st, h.Get("Content-Disposition"))
	}
	if !strings.Contains(html.UnescapeString(string(svg)), "Source : questionnaires avant/après Déclic, n = 10 jeunes appariés") {
		t.Errorf("the chart has no caption line")
	}
	if _, h, _ := e.get(t, e.admin, "/api/v1/workshops/"+w.ID+"/charts/likert.png"); !strings.Contains(h.Get("Content-Disposition"), `filename="odd-2026-t1-reponses.png"`) {
		t.Errorf("workshop chart named %q", h.Get("Content-Disposition"))
	}

	// Tick one quote: it is shown, and only it.
	var ref, text string
	for _, m := range regexp.MustCompile(`name="quote" value="([^"]+)"><span>« ([^»]+) »`).FindAllStringSubmatch(page, -1) {
		ref, text = m[1], m[2]
		break
	}
	if ref == "" {
		t.Fatalf("the report offers no quote to tick")
	}
	form := url.Values{"query": {query}, "quote": {ref}}
	if st, _ := e.send(t, e.admin, "POST", "/app/reports/quotes", form, nil); st != http.StatusSeeOther {
		t.Fatalf("select quotes = %d, want 303", st)
	}
	_, _, page = e.page(e.admin, "/app/reports?"+query)
	if n := strings.Count(page, "<blockquote>"); n != 1 || !strings.Contains(page, "<blockquote><p>« "+text+" »</p>") {
		t.Errorf("after ticking one quote the report shows %d, want %q", n, text)
	}
	// A quote of a workshop outside the report is refused; nothing changes.
	quotes, _ := e.Store.Quotes(e.ctx, []string{other.ID})
	bad := url.Values{"query": {query}, "quote": {other.ID + "|r|t1"}}
	if st, _ := e.send(t, e.admin, "POST", "/app/reports/quotes", bad, nil); st != http.StatusBadRequest {
		t.Errorf("a quote from another workshop = %d, want 400", st)
	}
	if after, _ := e.Store.Quotes(e.ctx, []string{w.ID, other.ID}); len(after) != 1 || len(quotes) != 0 {
		t.Errorf("quotes after a refused choice: %+v", after)
	}
	// Facilitators read reports but do not choose the quotes.
	if st, _ := e.send(t, e.anim, "POST", "/app/reports/quotes", form, nil); st != http.StatusForbidden {
		t.Errorf("facilitator choosing quotes = %d, want 403", st)
	}
}

// Exports: labels instead of codes on request, and the XLSX's properties
// and version line; the dashboard's counts; the QR code's size.
func TestExportsLabelsAndStamp(t *testing.T) {
	e := newFunderEnv(t)
	w := e.workshop("ODD", "2026-02-10", nil, []pupil{{1, 5}, {2, 4}})
	_, _, codes := e.get(t, e.admin, "/api/v1/workshops/"+w.ID+"/responses.csv")
	st, h, labels := e.get(t, e.admin, "/api/v1/workshops/"+w.ID+"/responses.csv?libelles=1")
	if st != http.StatusOK || !strings.Contains(h.Get("Content-Disposition"), "-libelles.csv") {
		t.Fatalf("labelled CSV = %d %q", st, h.Get("Content-Disposition"))
	}
	if !bytes.Contains(codes, []byte(";climat|paix;")) || !bytes.Contains(labels, []byte(";Le climat | La paix;")) {
		t.Errorf("multiple choices: codes %v, labels %v", bytes.Contains(codes, []byte("climat|paix")), bytes.Contains(labels, []byte("Le climat | La paix")))
	}
	if !bytes.Contains(labels, []byte(";Pas du tout d'accord;")) || !bytes.Contains(labels, []byte(";Tout à fait d'accord;")) || !bytes.Contains(labels, []byte(";17;")) {
		t.Errorf("labelled CSV lacks the scale's or the quiz's labels:\n%s", labels)
	}

	st, _, data := e.get(t, e.admin, "/api/v1/workshops/"+w.ID+"/responses.xlsx?libelles=1")
	if st != http.StatusOK {
		t.Fatalf("XLSX = %d", st)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	props, _ := f.GetDocProps()
	if props.Creator != "Déclic" || !strings.HasPrefix(props.Created, "2026-03-20") || props.Title != "Réponses — ODD" {
		t.Errorf("XLSX properties %+v", props)
	}
	about, _ := f.GetRows("À propos")
	found := false
	for _, r := range about {
		if len(r) > 1 && strings.HasPrefix(r[1], "Exporté par Déclic (version ") {
			found = true
		}
	}
	if !found {
		t.Errorf("no version line in « À propos »: %q", about)
	}
	res, _ := f.GetRows("Résultats")
	for _, r := range res[1:] {
		for _, c := range r {
			if c == "normal" || c == "exact" {
				t.Errorf("the results sheet says %q where the page says « normale » / « exacte »", c)
			}
		}
	}

	_, _, dash := e.page(e.admin, "/app")
	if !strings.Contains(dash, `<td class="nowrap">2 · 2</td>`) {
		t.Errorf("the dashboard does not count the workshop's answers")
	}
	_, _, qr := e.get(t, e.admin, "/api/v1/workshops/"+w.ID+"/qr.svg")
	if !bytes.Contains(qr, []byte(`width="60mm" height="60mm"`)) {
		t.Errorf("QR SVG without a size: %.120s", qr)
	}
}

// The short version for a funding file: the summary, the workshops, the
// limits and the method; no per-question table, chart or breakdown.
func TestPageReportShort(t *testing.T) {
	e := newFunderEnv(t)
	e.workshop("ODD 2026 T1", "2026-02-10", []string{"afd"}, mixed())
	st, _, page := e.page(e.admin, "/app/reports?questionnaire_id=regards-v1&synthese=1")
	if st != http.StatusOK {
		t.Fatalf("short report = %d", st)
	}
	for _, want := range []string{"Version courte", "Synthèse", "h-workshops", "Limites", "Méthode", "Rapport complet"} {
		if !strings.Contains(page, want) {
			t.Errorf("short report lacks %q", want)
		}
	}
	for _, absent := range []string{"h-changes", "/api/v1/reports/charts/", "h-reading", "quote-picker", "Version courte (synthèse)"} {
		if strings.Contains(page, absent) {
			t.Errorf("short report shows %q", absent)
		}
	}
	_, _, full := e.page(e.admin, "/app/reports?questionnaire_id=regards-v1")
	if !strings.Contains(full, "synthese=1") || !strings.Contains(full, "h-changes") {
		t.Errorf("the full report does not link to its short version")
	}
}
