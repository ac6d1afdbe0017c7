package handlers_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"declic/surveys"
)

type workshopJSON struct {
	ID, Title, Date, Partner, Group, Place, Code string
	Tags                                         []string
	Version                                      int64
}

func TestAPIUpdateWorkshop(t *testing.T) {
	ts := newTestServer(t)
	tok, _ := ts.roles(t)
	var a, b workshopJSON
	ts.json(t, tok[surveys.RoleFacilitator], "POST", "/api/v1/workshops", map[string]any{"questionnaire_id": "odd-v1", "title": "ODD", "date": "2026-03-10",
		"partner": "Collège Jean Macé", "group": "4e B", "tags": []string{"Égalité", "odd"}}, 201, &a)
	// A new workshop takes the partner and tags as already written.
	ts.json(t, tok[surveys.RoleFacilitator], "POST", "/api/v1/workshops", map[string]any{"questionnaire_id": "odd-v1", "title": "ODD 2", "date": "2026-03-11",
		"partner": "  college JEAN mace ", "tags": []string{"EGALITE"}}, 201, &b)
	if b.Partner != "Collège Jean Macé" || !slices.Equal(b.Tags, []string{"égalité"}) {
		t.Errorf("new workshop partner %q tags %v, want the usual spellings", b.Partner, b.Tags)
	}

	var got workshopJSON
	ts.json(t, tok[surveys.RoleFacilitator], "PUT", "/api/v1/workshops/"+a.ID, map[string]any{"title": "ODD corrigé", "date": "2026-03-12",
		"partner": "Lycée Pasteur", "group": "2nde", "tags": []string{"climat"}}, 200, &got)
	if got.Title != "ODD corrigé" || got.Date != "2026-03-12" || got.Partner != "Lycée Pasteur" || got.Group != "2nde" ||
		!slices.Equal(got.Tags, []string{"climat"}) || got.Code != a.Code || got.Version != a.Version+1 {
		t.Errorf("PUT = %+v, want the corrected fields, same code, version %d", got, a.Version+1)
	}
	// Fields left out are kept.
	ts.json(t, tok[surveys.RoleFacilitator], "PUT", "/api/v1/workshops/"+a.ID, map[string]any{"group": "2nde A"}, 200, &got)
	if got.Title != "ODD corrigé" || got.Group != "2nde A" || !slices.Equal(got.Tags, []string{"climat"}) {
		t.Errorf("partial PUT = %+v", got)
	}
	// Filters then find it ignoring case, accents and spaces.
	var list struct{ Workshops []workshopJSON }
	ts.json(t, tok[surveys.RoleAdmin], "GET", "/api/v1/workshops?partner="+url.QueryEscape(" LYCEE pasteur"), nil, 200, &list)
	if len(list.Workshops) != 1 || list.Workshops[0].ID != a.ID {
		t.Errorf("partner filter after the correction: %+v", list.Workshops)
	}

	for _, tc := range []struct {
		name string
		role surveys.Role
		body string
		want int
		code string
	}{
		{"bad date", surveys.RoleFacilitator, `{"date": "12/03/2026"}`, 400, "invalid"},
		{"empty title", surveys.RoleFacilitator, `{"title": "  "}`, 400, "invalid"},
		{"unknown field", surveys.RoleFacilitator, `{"questionnaire_id": "other"}`, 400, "invalid"},
		{"not JSON", surveys.RoleFacilitator, `title=x`, 400, "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := ts.call(tok[tc.role], "PUT", "/api/v1/workshops/"+a.ID, "application/json", []byte(tc.body))
			if rec.Code != tc.want || !strings.Contains(rec.Body.String(), `"code":"`+tc.code+`"`) {
				t.Errorf("PUT %s = %d %s, want %d %s", tc.body, rec.Code, rec.Body.String(), tc.want, tc.code)
			}
		})
	}
	// Someone else's workshop is not found for a facilitator.
	var other workshopJSON
	ts.json(t, tok[surveys.RoleManager], "POST", "/api/v1/workshops", map[string]any{"questionnaire_id": "odd-v1", "title": "Autre", "date": "2026-03-10"}, 201, &other)
	if rec := ts.call(tok[surveys.RoleFacilitator], "PUT", "/api/v1/workshops/"+other.ID, "application/json", []byte(`{"title": "x"}`)); rec.Code != http.StatusNotFound {
		t.Errorf("PUT someone else's workshop = %d, want 404", rec.Code)
	}
	if rec := ts.call("", "PUT", "/api/v1/workshops/"+a.ID, "application/json", []byte(`{"title": "x"}`)); rec.Code != http.StatusUnauthorized {
		t.Errorf("PUT without a token = %d, want 401", rec.Code)
	}
}

// The edit page: suggestions, errors beside their field, the correction.
func TestWorkshopEditPage(t *testing.T) {
	ts := newTestServer(t)
	tok, _ := ts.roles(t)
	var a workshopJSON
	ts.json(t, tok[surveys.RoleFacilitator], "POST", "/api/v1/workshops", map[string]any{"questionnaire_id": "odd-v1", "title": "ODD", "date": "2026-03-10",
		"partner": "Collège Jean Macé", "tags": []string{"odd"}}, 201, &a)
	rec := ts.call(tok[surveys.RoleFacilitator], "GET", "/app/workshops/"+a.ID+"/edit", "", nil)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `<datalist id="partners"><option value="Collège Jean Macé">`) || !strings.Contains(body, `name="tags" value="odd" checked`) {
		t.Fatalf("edit page = %d, want the partner suggested and the tag ticked:\n%s", rec.Code, body)
	}
	form := url.Values{"title": {""}, "date": {"2026-13-01"}, "partner": {"x"}, "tags": {"odd"}, "tags_more": {"climat"}}
	rec = ts.call(tok[surveys.RoleFacilitator], "POST", "/app/workshops/"+a.ID+"/edit", "application/x-www-form-urlencoded", []byte(form.Encode()))
	body = rec.Body.String()
	if rec.Code != 400 || !strings.Contains(body, `id="title-err">le titre est obligatoire`) || !strings.Contains(body, `id="date-err">date attendue`) || !strings.Contains(body, `value="climat"`) {
		t.Errorf("invalid correction = %d, want 400 with errors beside fields and the typed values kept:\n%s", rec.Code, body)
	}
	form = url.Values{"title": {"ODD bis"}, "date": {"2026-03-11"}, "partner": {"college jean mace"}, "group": {"5e"}, "tags_more": {"climat, ODD"}}
	rec = ts.call(tok[surveys.RoleFacilitator], "POST", "/app/workshops/"+a.ID+"/edit", "application/x-www-form-urlencoded", []byte(form.Encode()))
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("correction = %d %s", rec.Code, rec.Body.String())
	}
	w, _ := ts.Store.Workshop(t.Context(), a.ID)
	if w.Title != "ODD bis" || w.Partner != "Collège Jean Macé" || !slices.Equal(w.Tags, []string{"climat", "odd"}) {
		t.Errorf("after the page: %+v", w)
	}
}

func TestCoFacilitatorsOnWorkshopPage(t *testing.T) {
	ts := newTestServer(t)
	tok, users := ts.roles(t)
	var a workshopJSON
	ts.json(t, tok[surveys.RoleManager], "POST", "/api/v1/workshops", map[string]any{"questionnaire_id": "odd-v1", "title": "ODD", "date": "2026-03-10"}, 201, &a)
	fac := users[surveys.RoleFacilitator]
	if rec := ts.call(tok[surveys.RoleFacilitator], "GET", "/app/workshops/"+a.ID, "", nil); rec.Code != http.StatusNotFound {
		t.Fatalf("facilitator before being added: %d, want 404", rec.Code)
	}
	rec := ts.call(tok[surveys.RoleManager], "GET", "/app/workshops/"+a.ID, "", nil)
	if !strings.Contains(rec.Body.String(), `<option value="`+fac.ID+`">`+fac.Email) {
		t.Fatalf("workshop page offers no account to add:\n%s", rec.Body.String())
	}
	add := url.Values{"add": {fac.ID}}.Encode()
	if rec := ts.call(tok[surveys.RoleManager], "POST", "/app/workshops/"+a.ID+"/facilitators", "application/x-www-form-urlencoded", []byte(add)); rec.Code != http.StatusSeeOther {
		t.Fatalf("add = %d %s", rec.Code, rec.Body.String())
	}
	rec = ts.call(tok[surveys.RoleFacilitator], "GET", "/app/workshops/"+a.ID, "", nil)
	if rec.Code != 200 || strings.Contains(rec.Body.String(), `name="remove"`) {
		t.Errorf("added facilitator sees the page %d; remove buttons are for managers only", rec.Code)
	}
	if rec := ts.call(tok[surveys.RoleFacilitator], "POST", "/app/workshops/"+a.ID+"/facilitators", "application/x-www-form-urlencoded", []byte(add)); rec.Code != http.StatusForbidden {
		t.Errorf("a facilitator adding = %d, want 403", rec.Code)
	}
	rm := url.Values{"remove": {fac.ID}}.Encode()
	ts.call(tok[surveys.RoleManager], "POST", "/app/workshops/"+a.ID+"/facilitators", "application/x-www-form-urlencoded", []byte(rm))
	if w, _ := ts.Store.Workshop(t.Context(), a.ID); len(w.Facilitators) != 0 {
		t.Errorf("after removing: %v", w.Facilitators)
	}
}

// A control character is refused where staff type it, and only there: a
// workshop stored before the rule (with a NUL in its title) keeps being
// correctable on its other fields (the code review found it refused).
func TestWorkshopControlCharacters(t *testing.T) {
	ts := newTestServer(t)
	tok, users := ts.roles(t)
	who := tok[surveys.RoleFacilitator]
	for _, body := range []map[string]any{
		{"questionnaire_id": "odd-v1", "title": "ODD\u0000", "date": "2026-03-10"},
		{"questionnaire_id": "odd-v1", "title": "ODD", "date": "2026-03-10", "partner": "\u202eécole"},
	} {
		if rec := ts.call(who, "POST", "/api/v1/workshops", "application/json", []byte(mustJSON(t, body))); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "contrôle") {
			t.Errorf("POST %v = %d %s, want 400 naming the control character", body, rec.Code, rec.Body.String())
		}
	}
	old := &surveys.Workshop{QuestionnaireID: "odd-v1", Title: "Ancien\u0000titre", Date: "2026-03-10", Tags: []string{}, OwnerID: users[surveys.RoleFacilitator].ID}
	if err := ts.Store.CreateWorkshop(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	var got workshopJSON
	ts.json(t, who, "PUT", "/api/v1/workshops/"+old.ID, map[string]any{"date": "2026-03-11", "title": "Ancien\u0000titre"}, 200, &got)
	if got.Date != "2026-03-11" {
		t.Errorf("PUT on a workshop stored with a control character = %+v, want the date corrected", got)
	}
	if rec := ts.call(who, "PUT", "/api/v1/workshops/"+old.ID, "application/json", []byte(mustJSON(t, map[string]any{"group": "4e\u0007B"}))); rec.Code != http.StatusBadRequest {
		t.Errorf("PUT of a group with a control character = %d, want 400", rec.Code)
	}
}

// A tag stored before the rule does not stop a correction that keeps it
// (the page sends every tag back); a tag added now is checked.
func TestWorkshopOldTagStillCorrectable(t *testing.T) {
	ts := newTestServer(t)
	tok, users := ts.roles(t)
	who := tok[surveys.RoleFacilitator]
	old := &surveys.Workshop{QuestionnaireID: "odd-v1", Title: "Ancien", Date: "2026-03-10", Tags: []string{"odd\u0000"}, OwnerID: users[surveys.RoleFacilitator].ID}
	if err := ts.Store.CreateWorkshop(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	var got workshopJSON
	ts.json(t, who, "PUT", "/api/v1/workshops/"+old.ID, map[string]any{"date": "2026-03-11", "tags": []string{"odd\u0000", "climat"}}, 200, &got)
	if got.Date != "2026-03-11" || len(got.Tags) != 2 {
		t.Errorf("PUT keeping an old tag = %+v, want the date corrected and both tags", got)
	}
	if rec := ts.call(who, "PUT", "/api/v1/workshops/"+old.ID, "application/json", []byte(mustJSON(t, map[string]any{"tags": []string{"odd\u0000", "neuf\u0007"}}))); rec.Code != http.StatusBadRequest {
		t.Errorf("PUT adding a tag with a control character = %d, want 400", rec.Code)
	}
}
