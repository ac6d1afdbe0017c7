package handlers_test

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"declic/surveys"
)

// editorForm reads the hidden and filled fields of the editor page as the
// browser would send them (checked boxes, selected options, typed values).
func editorForm(t *testing.T, page string) url.Values {
	t.Helper()
	form := url.Values{}
	form2 := page[strings.Index(page, `id="editor"`):]
	input := regexp.MustCompile(`<input ([^>]*)>`)
	attr := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(`\b` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return "", false
		}
		return htmlUnescape(m[1]), true
	}
	for _, m := range input.FindAllStringSubmatch(form2, -1) {
		name, ok := attr(m[1], "name")
		if !ok {
			continue
		}
		typ, _ := attr(m[1], "type")
		if (typ == "checkbox" || typ == "radio") && !strings.Contains(m[1], " checked") {
			continue
		}
		if strings.Contains(m[1], " disabled") {
			continue
		}
		v, _ := attr(m[1], "value")
		form.Add(name, v)
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]*)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(form2, -1) {
		form.Add(m[1], htmlUnescape(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select [^>]*name="([^"]*)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(form2, -1) {
		sel := regexp.MustCompile(`<option value="([^"]*)" selected`).FindStringSubmatch(m[2])
		if sel == nil {
			sel = regexp.MustCompile(`<option value="([^"]*)"`).FindStringSubmatch(m[2])
		}
		if sel != nil {
			form.Add(m[1], htmlUnescape(sel[1]))
		}
	}
	return form
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&quot;", `"`).Replace(s)
}

func (ts *testServer) postForm(t testing.TB, token, path string, form url.Values) *responseText {
	t.Helper()
	rec := ts.call(token, "POST", path, "application/x-www-form-urlencoded", []byte(form.Encode()))
	return &responseText{rec.Code, rec.Body.String(), rec.Header().Get("Location")}
}

type responseText struct {
	Code     int
	Body     string
	Location string
}

// A questionnaire built from nothing with the editor's buttons alone.
func TestEditorBuildsAQuestionnaire(t *testing.T) {
	ts := newTestServer(t)
	tok, _ := ts.roles(t)
	const who = surveys.RoleFacilitator
	rec := ts.call(tok[who], "GET", "/app/questionnaires/new", "", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Nouveau questionnaire") {
		t.Fatalf("new = %d", rec.Code)
	}
	page := rec.Body.String()
	step := func(do string, edit func(url.Values)) string {
		t.Helper()
		form := editorForm(t, page)
		if edit != nil {
			edit(form)
		}
		form.Set("do", do)
		r := ts.postForm(t, tok[who], "/app/questionnaires/new", form)
		if r.Code != 200 {
			t.Fatalf("%s = %d %s", do, r.Code, r.Body)
		}
		page = r.Body
		return page
	}
	for _, typ := range []string{"likert", "scale", "yesno", "quiz", "choice", "text", "retro", "likert"} {
		step("add:"+typ, nil)
	}
	if n := strings.Count(page, `class="card item`); n != 8 {
		t.Fatalf("%d items after adding 8", n)
	}
	step("addopt:3", nil)
	step("addscale", nil)
	step("refresh", func(f url.Values) {
		f.Set("title", "Mon questionnaire")
		f["languages"] = []string{"pt"}
	})
	if !strings.Contains(page, `name="title.pt"`) || !strings.Contains(page, "à traduire") {
		t.Fatalf("Portuguese boxes missing after ticking pt")
	}
	step("up:7", func(f url.Values) {
		for i, text := range []string{"Je peux agir.", "Note ta journée.", "As-tu voyagé ?", "Combien d'ODD ?", "Ton âge", "Qu'as-tu retenu ?", "Je me sens capable", "Les autres m'intéressent."} {
			f.Set("i"+string(rune('0'+i))+".text", text)
		}
		f.Set("i0.text.pt", "Posso agir.")
		f.Set("i3.opt0.label", "8")
		f.Set("i3.opt1.label", "17")
		f.Set("i3.opt2.label", "200")
		f.Set("i3.correct", "1")
		f.Set("i4.opt0.label", "Moins de 15 ans")
		f.Set("i4.opt1.label", "15 ans et plus")
		f.Set("i4.profile", "1")
		f.Set("s0.title", "Ouverture")
		f["s0.items"] = []string{"q1", "q8"}
	})
	if !regexp.MustCompile(`(?s)id="i6-text"[^>]*>Les autres m&#39;intéressent\.`).MatchString(page) {
		t.Errorf("moving question 8 up did not put it 7th")
	}
	if !strings.Contains(page, `id="i6-up"`) || !strings.Contains(page, `autofocus`) {
		t.Errorf("no focus kept after a move")
	}
	// An invalid save: errors beside their item, nothing lost, 400.
	form := editorForm(t, page)
	form.Set("i1.max", "99")
	form.Set("do", "save")
	r := ts.postForm(t, tok[who], "/app/questionnaires/new", form)
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `id="i1-err"`) || !strings.Contains(r.Body, "l&#39;échelle doit aller de min à max") || !strings.Contains(r.Body, "Posso agir.") {
		t.Fatalf("invalid save = %d, want 400 with the error at question 2 and the draft kept", r.Code)
	}
	form.Set("i1.max", "10")
	r = ts.postForm(t, tok[who], "/app/questionnaires/new", form)
	if r.Code != http.StatusSeeOther || !strings.HasSuffix(r.Location, "/edit?enregistre=1") {
		t.Fatalf("save = %d %s %s", r.Code, r.Location, r.Body)
	}
	id := strings.TrimSuffix(strings.TrimPrefix(r.Location, "/app/questionnaires/"), "/edit?enregistre=1")
	q, err := ts.Store.Questionnaire(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, it := range q.Items {
		types = append(types, string(it.Type))
	}
	if strings.Join(types, " ") != "likert scale yesno quiz choice text likert retro" || q.Items[3].Correct != "b" || !q.Items[4].Profile ||
		q.Items[0].Text.In("pt") != "Posso agir." || len(q.Scales) != 1 || !q.Offers("pt") {
		t.Errorf("saved = %s types %v correct %q", q.Title, types, q.Items[3].Correct)
	}
	// Editing it: in place while unused.
	rec = ts.call(tok[who], "GET", "/app/questionnaires/"+id+"/edit?enregistre=1", "", nil)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Enregistré.") || !strings.Contains(rec.Body.String(), `srcdoc="`) {
		t.Fatalf("edit page = %d", rec.Code)
	}
	page = rec.Body.String()
	form = editorForm(t, page)
	form.Set("i2.text", "As-tu déjà voyagé ?")
	form.Set("do", "save")
	if r := ts.postForm(t, tok[who], "/app/questionnaires/"+id+"/edit", form); r.Code != http.StatusSeeOther || !strings.Contains(r.Location, "/"+id+"/edit") {
		t.Fatalf("save unused = %d %s", r.Code, r.Location)
	}
	// Used by a workshop: a new version.
	var w struct{ ID string }
	ts.json(t, tok[who], "POST", "/api/v1/workshops", map[string]any{"questionnaire_id": id, "title": "Atelier", "date": "2026-05-01"}, 201, &w)
	form.Set("i2.text", "As-tu déjà pris l'avion ?")
	r = ts.postForm(t, tok[who], "/app/questionnaires/"+id+"/edit", form)
	if r.Code != http.StatusSeeOther || !strings.Contains(r.Location, "/"+id+"-v2/edit?enregistre=nouvelle") {
		t.Fatalf("save used = %d %s", r.Code, r.Location)
	}
	rec = ts.call(tok[who], "GET", r.Location, "", nil)
	if !strings.Contains(rec.Body.String(), "nouvelle version (v2)") {
		t.Errorf("no notice of the new version")
	}
	// The list shows both versions; only the unused one can be deleted.
	rec = ts.call(tok[who], "GET", "/app/questionnaires", "", nil)
	body := rec.Body.String()
	if !strings.Contains(body, "/app/questionnaires/"+id+"-v2/delete") || strings.Contains(body, "/app/questionnaires/"+id+"/delete") {
		t.Errorf("delete offered wrongly in the list")
	}
	// Deleting asks first.
	r = ts.postForm(t, tok[who], "/app/questionnaires/"+id+"-v2/delete", nil)
	if r.Code != 200 || !strings.Contains(r.Body, "Oui, supprimer cette version") {
		t.Fatalf("delete without confirmation = %d", r.Code)
	}
	r = ts.postForm(t, tok[who], "/app/questionnaires/"+id+"-v2/delete", url.Values{"confirm": {"oui"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("confirmed delete = %d %s", r.Code, r.Body)
	}
	if _, err := ts.Store.Questionnaire(t.Context(), id+"-v2"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("v2 still there: %v", err)
	}
}

func TestEditorStartsFromLibraryAndBank(t *testing.T) {
	ts := newTestServer(t)
	tok, _ := ts.roles(t)
	rec := ts.call(tok[surveys.RoleFacilitator], "GET", "/app/questionnaires/new?from=odd-v1", "", nil)
	page := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(page, "(copie)") || strings.Count(page, `class="card item`) != 14 {
		t.Fatalf("copy of odd-v1 = %d, %d items", rec.Code, strings.Count(page, `class="card item`))
	}
	form := editorForm(t, page)
	form.Set("bank_item", "droits-enfant-v1/droits_cide")
	form.Set("do", "bank")
	r := ts.postForm(t, tok[surveys.RoleFacilitator], "/app/questionnaires/new", form)
	if strings.Count(r.Body, `class="card item`) != 15 || !strings.Contains(r.Body, `value="droits_cide"`) {
		t.Errorf("bank item not added")
	}
	// The preview draws the pupil form for the phase asked.
	form = editorForm(t, r.Body)
	form.Set("pv_phase", "post")
	pv := ts.postForm(t, tok[surveys.RoleFacilitator], "/app/questionnaires/preview", form)
	if pv.Code != 200 || !strings.Contains(pv.Body, "Fin de l'atelier") || !strings.Contains(pv.Body, `class="q t-likert`) {
		t.Errorf("preview = %d", pv.Code)
	}
	// A library questionnaire saved from the editor becomes its next version
	// (the library has odd-v1 and odd-v2: odd-v3).
	rec = ts.call(tok[surveys.RoleFacilitator], "GET", "/app/questionnaires/odd-v1/edit", "", nil)
	if !strings.Contains(rec.Body.String(), "vient de la bibliothèque") {
		t.Errorf("no library notice")
	}
	form = editorForm(t, rec.Body.String())
	form.Set("do", "save")
	if r := ts.postForm(t, tok[surveys.RoleFacilitator], "/app/questionnaires/odd-v1/edit", form); r.Code != http.StatusSeeOther || !strings.Contains(r.Location, "odd-v3") {
		t.Errorf("save library = %d %s %s", r.Code, r.Location, r.Body)
	}
}

func TestXLSFormUploadPage(t *testing.T) {
	ts := newTestServer(t)
	tok, _ := ts.roles(t)
	rec := ts.call(tok[surveys.RoleManager], "GET", "/api/v1/questionnaires/interculturalite-v1/xlsform", "", nil)
	body, ctype := multipartFile(t, "definition", "form.xlsx", rec.Body.Bytes())
	up := ts.call(tok[surveys.RoleManager], "POST", "/app/questionnaires", ctype, body)
	if up.Code != http.StatusCreated || !strings.Contains(up.Body.String(), "importé") {
		t.Fatalf("upload = %d %s", up.Code, up.Body.String())
	}
	body, ctype = multipartFile(t, "definition", "form.xlsx", []byte("PK\x03\x04 not really"))
	if up := ts.call(tok[surveys.RoleManager], "POST", "/app/questionnaires", ctype, body); up.Code != http.StatusBadRequest || !strings.Contains(up.Body.String(), "abîmé") {
		t.Errorf("bad upload = %d", up.Code)
	}
	// A file over the limit says the limit, as the API does (the sweep saw
	// « La requête est trop volumineuse. »).
	body, ctype = multipartFile(t, "definition", "gros.xlsx", bytes.Repeat([]byte("PK\x03\x04"), 6<<20/4))
	if up := ts.call(tok[surveys.RoleManager], "POST", "/app/questionnaires", ctype, body); up.Code != http.StatusBadRequest || !strings.Contains(up.Body.String(), "dépasse 5 Mo") {
		t.Errorf("upload of 6 MB = %d, want 400 saying « dépasse 5 Mo »", up.Code)
	}
}

// Found in the acceptance sweep: bounds that were not numbers were put
// back to their defaults and saved without a word; an item showed one
// error at a time; the preview of a scale with min > max failed.
func TestEditorSaysEveryProblemOfAnItem(t *testing.T) {
	ts := newTestServer(t)
	tok, _ := ts.roles(t)
	who := tok[surveys.RoleFacilitator]
	form := url.Values{"title": {""}, "items": {"1"}, "i0.type": {"scale"}, "i0.key": {"BAD"}, "i0.text": {""},
		"i0.min": {"5"}, "i0.max": {"1"}, "do": {"save"}}
	r := ts.postForm(t, who, "/app/questionnaires/new", form)
	if r.Code != http.StatusBadRequest {
		t.Fatalf("save = %d, want 400", r.Code)
	}
	body := html.UnescapeString(r.Body)
	for _, want := range []string{"le titre est obligatoire", "la clé doit faire 1 à 40 caractères", "le texte de la question est obligatoire", "min < max"} {
		if !strings.Contains(body, want) {
			t.Errorf("the editor does not say %q", want)
		}
	}
	form.Set("i0.key", "note")
	form.Set("i0.text", "Ta note")
	form.Set("title", "T")
	form.Set("i0.min", "abc")
	form.Set("i0.max", "xyz")
	r = ts.postForm(t, who, "/app/questionnaires/new", form)
	body = html.UnescapeString(r.Body)
	if r.Code != http.StatusBadRequest || !strings.Contains(body, "« abc », n'est pas un nombre entier") || !strings.Contains(body, "« xyz »") {
		t.Errorf("bounds that are not numbers: %d, want 400 quoting them", r.Code)
	}
	qs, _ := ts.Store.Questionnaires(context.Background())
	for _, q := range qs {
		if q.Title.String() == "T" {
			t.Errorf("a draft with unreadable bounds was saved")
		}
	}
	// The preview of a scale with min > max shows the other questions,
	// whether its key is valid or not.
	form = url.Values{"title": {"T"}, "items": {"2"}, "i0.type": {"scale"}, "i0.key": {"note"}, "i0.text": {"x"}, "i0.min": {"5"}, "i0.max": {"1"},
		"i1.type": {"yesno"}, "i1.key": {"ok"}, "i1.text": {"Ça va ?"}, "pv_phase": {"pre"}}
	pv0 := ts.postForm(t, who, "/app/questionnaires/preview", form)
	if pv0.Code != http.StatusOK || strings.Contains(pv0.Body, "Aperçu indisponible") || !strings.Contains(html.UnescapeString(pv0.Body), "Ça va ?") {
		t.Errorf("preview of a draft with a valid key and min > max = %d, want the other question shown", pv0.Code)
	}
	form = url.Values{"title": {"T"}, "items": {"2"}, "i0.type": {"scale"}, "i0.key": {"BAD"}, "i0.text": {"x"}, "i0.min": {"5"}, "i0.max": {"1"},
		"i1.type": {"yesno"}, "i1.key": {"ok"}, "i1.text": {"Ça va ?"}, "pv_phase": {"pre"}}
	pv := ts.postForm(t, who, "/app/questionnaires/preview", form)
	if pv.Code != http.StatusOK || strings.Contains(pv.Body, "Aperçu indisponible") || !strings.Contains(html.UnescapeString(pv.Body), "Ça va ?") {
		t.Errorf("preview of a draft with min > max = %d, want the other question shown", pv.Code)
	}
}
