package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestAPIWorkshopCreate(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	w := ts.newWorkshop(t, token, map[string]any{
		"questionnaire_id": "odd-v1", "title": "  Les ODD au quotidien  ", "date": "2026-03-12",
		"partner": "Collège Jean Macé", "group": "4e B", "tags": []string{"ODD", "programme-2026", "odd", " "},
	})
	if got, want := w.FormURL, ts.URL+"/f/"+w.Code; got != want {
		t.Errorf("form_url = %q, want %q", got, want)
	}
	if got, want := w.QRPNGURL, ts.URL+"/api/v1/workshops/"+w.ID+"/qr.png"; got != want {
		t.Errorf("qr_png_url = %q, want %q", got, want)
	}
	if got, want := w.QRSVGURL, ts.URL+"/api/v1/workshops/"+w.ID+"/qr.svg"; got != want {
		t.Errorf("qr_svg_url = %q, want %q", got, want)
	}
	if w.Title != "Les ODD au quotidien" {
		t.Errorf("title = %q, want it trimmed", w.Title)
	}
	if !slices.Equal(w.Tags, []string{"odd", "programme-2026"}) {
		t.Errorf("tags = %v, want [odd programme-2026]", w.Tags)
	}
	if w.Phase != "closed" {
		t.Errorf("phase = %q, want closed at creation", w.Phase)
	}
	for _, r := range w.Code {
		if !strings.ContainsRune("ABCDEFGHJKMNPQRSTUVWXYZ23456789", r) {
			t.Errorf("code %q has a character pupils may misread", w.Code)
		}
	}

	var got workshopOut
	if status := ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID, nil, &got); status != http.StatusOK {
		t.Fatalf("GET workshop = %d, want 200", status)
	}
	if got.ID != w.ID || got.Code != w.Code || got.FormURL != w.FormURL || got.Title != w.Title || got.Partner != "Collège Jean Macé" || got.Group != "4e B" || got.Date != "2026-03-12" || got.QuestionnaireID != "odd-v1" {
		t.Errorf("GET workshop = %+v, want %+v", got, w)
	}

	var e apiErrorBody
	if status := ts.do(t, token, "GET", "/api/v1/workshops/000000000000000000000000", nil, &e); status != http.StatusNotFound || e.Error.Code != "not_found" {
		t.Errorf("GET unknown workshop = %d %q, want 404 not_found", status, e.Error.Code)
	}
}

func TestAPIWorkshopCreateInvalid(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	valid := func(edit func(m map[string]any)) map[string]any {
		m := map[string]any{"questionnaire_id": "odd-v1", "title": "Atelier", "date": "2026-03-12"}
		edit(m)
		return m
	}
	tests := []struct {
		name       string
		body       any
		wantFields []string
	}{
		{"missing title", valid(func(m map[string]any) { delete(m, "title") }), []string{"title"}},
		{"blank title", valid(func(m map[string]any) { m["title"] = "   " }), []string{"title"}},
		{"bad date", valid(func(m map[string]any) { m["date"] = "12/03/2026" }), []string{"date"}},
		{"impossible date", valid(func(m map[string]any) { m["date"] = "2026-02-30" }), []string{"date"}},
		{"missing date", valid(func(m map[string]any) { delete(m, "date") }), []string{"date"}},
		{"unknown questionnaire", valid(func(m map[string]any) { m["questionnaire_id"] = "nope-v9" }), []string{"questionnaire_id"}},
		{"missing questionnaire", valid(func(m map[string]any) { delete(m, "questionnaire_id") }), []string{"questionnaire_id"}},
		{"title too long", valid(func(m map[string]any) { m["title"] = strings.Repeat("é", 201) }), []string{"title"}},
		{"everything wrong", map[string]any{"date": "demain"}, []string{"title", "date", "questionnaire_id"}},
		{"unknown field", `{"questionnaire_id": "odd-v1", "title": "A", "date": "2026-03-12", "owner_id": "x"}`, nil},
		{"tags not a list", `{"questionnaire_id": "odd-v1", "title": "A", "date": "2026-03-12", "tags": "odd"}`, nil},
		{"malformed", `{"title": `, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw json.RawMessage
			status := ts.do(t, token, "POST", "/api/v1/workshops", tt.body, &raw)
			if status != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400 (%s)", status, raw)
			}
			e := mustDecodeError(t, raw)
			for _, f := range tt.wantFields {
				if e.Error.Fields[f] == "" {
					t.Errorf("fields = %v, want %q named", e.Error.Fields, f)
				}
			}
		})
	}
	var list struct{ Workshops []workshopOut }
	ts.do(t, token, "GET", "/api/v1/workshops", nil, &list)
	if len(list.Workshops) != 0 {
		t.Errorf("%d workshops stored after invalid requests, want 0", len(list.Workshops))
	}
}

func TestAPIWorkshopListFilters(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	add := func(title, date, partner string, tags ...string) {
		ts.newWorkshop(t, token, map[string]any{"questionnaire_id": "odd-v1", "title": title, "date": date, "partner": partner, "tags": tags})
	}
	add("A", "2026-01-10", "Collège Jean Macé", "odd", "programme-2026")
	add("B", "2026-02-01", "Centre social Faubourg", "interculturalite")
	add("C", "2026-02-28", "Collège Jean Macé", "odd")
	add("D", "2025-12-31", "Mission locale", "droits", "programme-2026")
	add("E", "2026-03-01", "Université de Lille")

	tests := []struct {
		query string
		want  []string // titles, latest date first
	}{
		{"", []string{"E", "C", "B", "A", "D"}},
		{"from=2026-01-01", []string{"E", "C", "B", "A"}},
		{"to=2026-01-31", []string{"A", "D"}},
		{"from=2026-02-01&to=2026-02-28", []string{"C", "B"}},
		{"from=2026-02-28&to=2026-02-28", []string{"C"}},
		{"tag=odd", []string{"C", "A"}},
		{"tag=ODD", []string{"C", "A"}},
		{"tag=programme-2026", []string{"A", "D"}},
		{"tag=inconnu", []string{}},
		{"partner=" + url.QueryEscape("Collège Jean Macé"), []string{"C", "A"}},
		{"partner=" + url.QueryEscape("Collège Jean Macé") + "&from=2026-02-01", []string{"C"}},
		{"tag=odd&partner=" + url.QueryEscape("Mission locale"), []string{}},
		{"tag=programme-2026&to=2025-12-31", []string{"D"}},
		{"from=2026-04-01", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var out struct {
				Workshops []workshopOut `json:"workshops"`
			}
			if status := ts.do(t, token, "GET", "/api/v1/workshops?"+tt.query, nil, &out); status != http.StatusOK {
				t.Fatalf("status = %d, want 200", status)
			}
			if out.Workshops == nil {
				t.Fatalf("workshops is null or missing, want a list")
			}
			got := []string{}
			for _, w := range out.Workshops {
				got = append(got, w.Title)
				if w.FormURL != ts.URL+"/f/"+w.Code {
					t.Errorf("%s: form_url = %q", w.Title, w.FormURL)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("titles = %v, want %v", got, tt.want)
			}
		})
	}
	for _, q := range []string{"from=2026-13-01", "to=hier", "from=01/02/2026", "from=2026-01-01&to=x"} {
		t.Run("bad "+q, func(t *testing.T) {
			var raw json.RawMessage
			if status := ts.do(t, token, "GET", "/api/v1/workshops?"+q, nil, &raw); status != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400", status)
			}
			e := mustDecodeError(t, raw)
			if len(e.Error.Fields) == 0 {
				t.Errorf("fields empty, want the bad filter named")
			}
		})
	}
}

func TestAPIWorkshopPhase(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	w := ts.newWorkshop(t, token, map[string]any{"questionnaire_id": "odd-v1", "title": "A", "date": "2026-03-12"})
	for _, p := range []string{"pre", "post", "closed", "pre"} {
		ts.setPhase(t, token, w.ID, p)
		var got workshopOut
		ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID, nil, &got)
		if got.Phase != p {
			t.Errorf("after PUT %s, GET phase = %q", p, got.Phase)
		}
	}
	tests := []struct {
		name, id string
		body     any
		want     int
		field    string
	}{
		{"bad phase", w.ID, map[string]string{"phase": "during"}, http.StatusBadRequest, "phase"},
		{"upper case phase", w.ID, map[string]string{"phase": "PRE"}, http.StatusBadRequest, "phase"},
		{"empty phase", w.ID, map[string]string{}, http.StatusBadRequest, "phase"},
		{"phase not a string", w.ID, `{"phase": 1}`, http.StatusBadRequest, ""},
		{"malformed", w.ID, `{"phase": `, http.StatusBadRequest, ""},
		{"unknown id", "000000000000000000000000", map[string]string{"phase": "pre"}, http.StatusNotFound, ""},
		{"unknown id, other shape", "nope", map[string]string{"phase": "post"}, http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw json.RawMessage
			status := ts.do(t, token, "PUT", "/api/v1/workshops/"+tt.id+"/phase", tt.body, &raw)
			if status != tt.want {
				t.Fatalf("status = %d, want %d (%s)", status, tt.want, raw)
			}
			e := mustDecodeError(t, raw)
			if tt.field != "" && e.Error.Fields[tt.field] == "" {
				t.Errorf("fields = %v, want %q named", e.Error.Fields, tt.field)
			}
		})
	}
	var got workshopOut
	ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID, nil, &got)
	if got.Phase != "pre" {
		t.Errorf("phase after refused changes = %q, want pre", got.Phase)
	}
}
