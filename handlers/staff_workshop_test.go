package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"declic/surveys"
)

// Going back from POST to PRE asks first: a mis-tap would file the next
// answers as "before".
func TestPagePhaseBackToPREAsksFirst(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	w := ts.openWorkshop(t, token, "odd-v1", "post")
	client := ts.pageLogin(t)
	phaseURL := ts.URL + "/app/workshops/" + w.ID + "/phase"
	phase := func() surveys.Phase {
		got, err := ts.Store.Workshop(context.Background(), w.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Phase
	}

	res, body := ts.pagePost(t, client, phaseURL, url.Values{"phase": {"pre"}}, nil)
	checkPage(t, "back to PRE", res, body, http.StatusOK, "Rouvrir le questionnaire « avant » ?", `name="confirm" value="oui"`)
	if p := phase(); p != surveys.PhasePost {
		t.Fatalf("phase = %s after an unconfirmed switch, want post", p)
	}
	res, _ = ts.pagePost(t, client, phaseURL, url.Values{"phase": {"pre"}, "confirm": {"oui"}}, nil)
	if res.StatusCode != http.StatusSeeOther || phase() != surveys.PhasePre {
		t.Errorf("confirmed: status %d, phase %s; want 303 and pre", res.StatusCode, phase())
	}
	// Other switches need no confirmation.
	res, _ = ts.pagePost(t, client, phaseURL, url.Values{"phase": {"post"}}, nil)
	if res.StatusCode != http.StatusSeeOther || phase() != surveys.PhasePost {
		t.Errorf("to POST: status %d, phase %s; want 303 and post", res.StatusCode, phase())
	}
}

func TestPageStaffPages(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	client := ts.pageLogin(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)
	const evil = `<script>alert("x")</script> & Cie`
	w := ts.newWorkshop(t, token, map[string]any{"questionnaire_id": qid, "title": evil, "date": "2026-03-12",
		"partner": `Collège "Jean Macé"`, "group": "<b>4e B</b>", "tags": []string{"<i>odd</i>"}})
	empty := ts.newWorkshop(t, token, map[string]any{"questionnaire_id": "odd-v1", "title": "Atelier vide", "date": "2026-03-13"})
	ts.setPhase(t, token, w.ID, "pre")
	ts.answer(t, w.Code, submission{"s-pre", "P1", "pre", validPre()})
	ts.setPhase(t, token, w.ID, "post")
	post := validPre()
	post["t1"] = "<img src=x onerror=alert(1)> génial"
	ts.answer(t, w.Code, submission{"s-post", "P1", "post", post})

	base := ts.URL + "/app/workshops/" + w.ID
	pages := []struct {
		name string
		url  string
		want []string
	}{
		{"dashboard", ts.URL + "/app", []string{"Ateliers", "Nouvel atelier", "Atelier vide", "12 mars 2026"}},
		{"new workshop", ts.URL + "/app/workshops/new", []string{"Nouvel atelier", "Titre de l'atelier", "Les Objectifs de développement durable", "Regards sur le monde", "importer un questionnaire"}},
		{"workshop", base, []string{"Phase", "Après (POST)", "Code QR", w.Code, w.FormURL, "Affiche A4"}},
		{"empty workshop", ts.URL + "/app/workshops/" + empty.ID, []string{"Atelier vide", "Fermé", empty.Code}},
		{"poster", base + "/poster", []string{"Donne ton avis", w.Code, w.FormURL, "/qr.svg"}},
		{"results", base + "/results", []string{"Résultats", "réponses avant", "jeunes appariés", "Je peux agir à mon échelle.", "Échelle : Ouverture aux autres", "Les mots des jeunes", "charts/prepost.svg"}},
		{"empty results", ts.URL + "/app/workshops/" + empty.ID + "/results", []string{"Résultats", "Atelier vide"}},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			res, body := ts.pageGet(t, client, p.url)
			checkPage(t, p.name, res, body, http.StatusOK, p.want...)
			if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>4e B</b>") || strings.Contains(body, "<i>odd</i>") || strings.Contains(body, "<img src=x") {
				t.Errorf("user text is not escaped:\n%s", body)
			}
			if strings.Contains(body, w.ID) && p.name != "dashboard" && !strings.Contains(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Cie") {
				t.Errorf("escaped title missing")
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store on a staff page", cc)
			}
		})
	}

	t.Run("results texts escaped", func(t *testing.T) {
		_, body := ts.pageGet(t, client, base+"/results")
		if !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt; génial") {
			t.Errorf("the free text is missing or not escaped")
		}
	})

	t.Run("counts", func(t *testing.T) {
		res, body := ts.pageGet(t, client, base+"/counts")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("counts = %d %q, want 200 JSON", res.StatusCode, res.Header.Get("Content-Type"))
		}
		var c struct {
			Phase     string
			Pre, Post int
		}
		if err := json.Unmarshal([]byte(body), &c); err != nil || c.Phase != "post" || c.Pre != 1 || c.Post != 1 {
			t.Errorf("counts = %s (%v), want phase post, 1 pre, 1 post", body, err)
		}
	})

	t.Run("unknown workshop", func(t *testing.T) {
		for _, p := range []string{"/app/workshops/nope", "/app/workshops/nope/results", "/app/workshops/nope/poster"} {
			res, body := ts.pageGet(t, client, ts.URL+p)
			checkPage(t, p, res, body, http.StatusNotFound, "introuvable")
		}
	})

	t.Run("create through the form", func(t *testing.T) {
		res, body := ts.pagePost(t, client, ts.URL+"/app/workshops", url.Values{
			"questionnaire_id": {"odd-v1"}, "title": {"Atelier du formulaire"}, "date": {"2026-04-02"},
			"partner": {"Mission locale"}, "group": {"Jeunes"}, "tags": {"ODD, programme-2026,,"},
		}, nil)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/app/workshops/") {
			t.Fatalf("POST /app/workshops = %d to %q, want 303 to the workshop\n%.500s", res.StatusCode, res.Header.Get("Location"), body)
		}
		id := strings.TrimPrefix(res.Header.Get("Location"), "/app/workshops/")
		var got workshopOut
		if status := ts.do(t, token, "GET", "/api/v1/workshops/"+id, nil, &got); status != http.StatusOK || got.Title != "Atelier du formulaire" || strings.Join(got.Tags, ",") != "odd,programme-2026" {
			t.Errorf("created workshop = %d %+v", status, got)
		}
		res, _ = ts.pagePost(t, client, ts.URL+"/app/workshops/"+id+"/phase", url.Values{"phase": {"pre"}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("POST phase = %d, want 303", res.StatusCode)
		}
		ts.do(t, token, "GET", "/api/v1/workshops/"+id, nil, &got)
		if got.Phase != "pre" {
			t.Errorf("phase after the page button = %q, want pre", got.Phase)
		}
		res, body = ts.pagePost(t, client, ts.URL+"/app/workshops/"+id+"/phase", url.Values{"phase": {"bientôt"}}, nil)
		checkPage(t, "bad phase", res, body, http.StatusBadRequest)

		// Invalid: the form comes back with the problems and what was typed.
		res, body = ts.pagePost(t, client, ts.URL+"/app/workshops", url.Values{
			"questionnaire_id": {"odd-v1"}, "title": {""}, "date": {"demain"}, "partner": {"<b>Partenaire</b>"},
		}, nil)
		checkPage(t, "invalid workshop form", res, body, http.StatusBadRequest, "Nouvel atelier", "title", "date", "&lt;b&gt;Partenaire&lt;/b&gt;")
	})
}
