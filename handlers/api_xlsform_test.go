package handlers_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"declic/surveys"
	"declic/surveys/export"

	"github.com/xuri/excelize/v2"
)

// GET …/xlsform then POST it back: the same questions, no warning.
func TestAPIXLSFormRoundTrip(t *testing.T) {
	ts := newTestServer(t)
	tok, _ := ts.roles(t)
	rec := ts.call(tok[surveys.RoleFacilitator], "GET", "/api/v1/questionnaires/odd-v1/xlsform", "", nil)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != export.XLSFormContentType {
		t.Fatalf("GET xlsform = %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".xlsx") {
		t.Errorf("Content-Disposition = %q", cd)
	}
	up := ts.call(tok[surveys.RoleFacilitator], "POST", "/api/v1/questionnaires", export.XLSFormContentType, rec.Body.Bytes())
	if up.Code != http.StatusCreated {
		t.Fatalf("POST xlsform = %d %s", up.Code, up.Body.String())
	}
	var created struct {
		ID       string   `json:"id"`
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal(up.Body.Bytes(), &created); err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.Warnings == nil || len(created.Warnings) != 0 {
		t.Errorf("created = %+v, want an id and an empty warnings list", created)
	}
	var got, want surveys.Questionnaire
	ts.json(t, tok[surveys.RoleFacilitator], "GET", "/api/v1/questionnaires/"+created.ID, nil, 200, &got)
	ts.json(t, tok[surveys.RoleFacilitator], "GET", "/api/v1/questionnaires/odd-v1", nil, 200, &want)
	if len(got.Items) != len(want.Items) || got.Title.String() != want.Title.String() {
		t.Errorf("imported %d items %q, want %d %q", len(got.Items), got.Title, len(want.Items), want.Title)
	}
	if rec := ts.call("", "GET", "/api/v1/questionnaires/odd-v1/xlsform", "", nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("without a token: %d, want 401", rec.Code)
	}
	if rec := ts.call(tok[surveys.RoleAdmin], "GET", "/api/v1/questionnaires/nope/xlsform", "", nil); rec.Code != http.StatusNotFound {
		t.Errorf("unknown questionnaire: %d, want 404", rec.Code)
	}
}

func TestAPIXLSFormPublicFormWarnings(t *testing.T) {
	ts := newTestServer(t)
	tok, _ := ts.roles(t)
	data, err := os.ReadFile("../testdata/xlsform/xlsform_spec_test.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	rec := ts.call(tok[surveys.RoleManager], "POST", "/api/v1/questionnaires", export.XLSFormContentType+"; charset=binary", data)
	if rec.Code != http.StatusCreated {
		t.Fatalf("POST = %d %s", rec.Code, rec.Body.String())
	}
	var created struct {
		ID       string   `json:"id"`
		Warnings []string `json:"warnings"`
	}
	json.Unmarshal(rec.Body.Bytes(), &created)
	joined := strings.Join(created.Warnings, "\n")
	for _, want := range []string{"ligne 15 : répétition « repeat_test »", "ligne 34 : type « geopoint » non pris en charge"} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings lack %q:\n%s", want, joined)
		}
	}
}

// Bad uploads: a 400 in French, nothing stored.
func TestAPIXLSFormBadUploads(t *testing.T) {
	ts := newTestServer(t)
	tok, _ := ts.roles(t)
	before, _ := ts.Store.Questionnaires(t.Context())
	for _, tc := range []struct {
		name string
		body []byte
		want string
	}{
		{"not a spreadsheet", []byte("type,name,label\ntext,q1,Bonjour\n"), "n'est pas un classeur Excel"},
		{"over 5 MB", append([]byte("PK\x03\x04"), make([]byte, 6<<20)...), "dépasse 5 Mo"},
		{"no survey sheet", mustXLSX(t, "feuille"), "pas de feuille « survey »"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := ts.call(tok[surveys.RoleAdmin], "POST", "/api/v1/questionnaires", export.XLSFormContentType, tc.body)
			var e apiErrorBody
			json.Unmarshal(rec.Body.Bytes(), &e)
			if rec.Code != http.StatusBadRequest || e.Error.Code != "invalid" || !strings.Contains(e.Error.Message, tc.want) {
				t.Errorf("POST = %d %s, want 400 saying %q", rec.Code, rec.Body.String(), tc.want)
			}
		})
	}
	// A JSON definition still has its 1 MB limit.
	big := `{"title": "` + strings.Repeat("x", 2<<20) + `"}`
	if rec := ts.call(tok[surveys.RoleAdmin], "POST", "/api/v1/questionnaires", "application/json", []byte(big)); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB JSON definition = %d, want 413", rec.Code)
	}
	after, _ := ts.Store.Questionnaires(t.Context())
	if len(after) != len(before) {
		t.Errorf("%d questionnaires stored by bad uploads", len(after)-len(before))
	}
}

// mustXLSX is a workbook with one sheet of the given name.
func mustXLSX(t *testing.T, sheet string) []byte {
	t.Helper()
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	f.SetSheetRow(sheet, "A1", &[]any{"type", "name", "label"})
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
