package handlers_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"declic/surveys"
)

// postRow sends one typed sheet as the entry page's script does.
func (cl *classroom) postRow(c *http.Client, row url.Values) (int, map[string]any) {
	cl.t.Helper()
	req, _ := http.NewRequest("POST", cl.URL+"/app/workshops/"+cl.w.ID+"/saisie", strings.NewReader(row.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res, err := c.Do(req)
	if err != nil {
		cl.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.Unmarshal(data, &out); err != nil {
		cl.t.Fatalf("POST saisie: status %d, not JSON: %.300s", res.StatusCode, data)
	}
	return res.StatusCode, out
}

// sheetRow is a typed PRE sheet of the ODD questionnaire: the sheet
// number, the code, and for every question the digit typed.
func sheetRow(sheet, mere, jour, mois, lettre2 string, digits string) url.Values {
	keys := []string{"odd_expliquer", "agir_quotidien", "lien_conso", "agir_trop_grand", "agir_jeunes", "agir_concret", "quiz_odd_nombre", "quiz_odd_echeance", "quiz_odd_pays", "age", "genre"}
	row := url.Values{"phase": {"pre"}, "sheet": {sheet}, "code_mere": {mere}, "code_jour": {jour}, "code_mois": {mois}, "code_lettre2": {lettre2}}
	for i, k := range keys {
		if i < len(digits) && digits[i] != ' ' {
			row.Set("s_"+k, string(digits[i]))
		}
	}
	return row
}

func cellErrors(out map[string]any) map[string]any {
	errs, _ := out["errors"].(map[string]any)
	return errs
}

// Paper: sheets printed from the definition, typed back one row a sheet,
// each cell checked with its rule, a sheet typed twice refused, answers
// stored like any other with no device and the paper source.
func TestPaperSheetsAndEntry(t *testing.T) {
	cl := newClassroom(t)
	staff := cl.staff(cl.owner)
	base := "/app/workshops/" + cl.w.ID

	t.Run("printed sheets", func(t *testing.T) {
		res, body := cl.pageGet(t, staff, base+"/paper.html?phase=pre&feuilles=3&debut=7")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("paper.html: status %d", res.StatusCode)
		}
		if n := strings.Count(body, `<article class="sheet"`); n != 3 {
			t.Errorf("%d sheets, want 3", n)
		}
		mustContain(t, "paper sheets", body, `class="sheet-no">7<`, `class="sheet-no">9<`, `class="sheet-code">`+cl.w.Code+`<`,
			"Ton code secret", "La première lettre du prénom de ta mère", "Ton mois de naissance, en chiffres",
			"Je pourrais expliquer à quelqu", `<b class="code-no">5</b>`, "Début de l'atelier", "paper.css")
		if strings.Contains(body, `class="sheet-no">10<`) {
			t.Errorf("a 4th sheet was printed")
		}
		// One sheet left before the last number: said in the singular.
		_, body = cl.pageGet(t, staff, base+"/paper.html?phase=pre&feuilles=200&debut=9999")
		mustContain(t, "the last sheet number", body, "1 feuille A4 numérotée 9999", "Imprimer la feuille")
		// POST has its own questions: the retrospective pair and free text.
		_, body = cl.pageGet(t, staff, base+"/paper.html?phase=post&feuilles=1")
		mustContain(t, "POST sheet", body, "Fin de l'atelier", `<th scope="row">Avant l&#39;atelier</th>`, `class="line"`)
	})

	t.Run("a sheet typed", func(t *testing.T) {
		status, out := cl.postRow(staff, sheetRow("1", "m", "12", "3", "l", "45342421213"))
		if status != http.StatusCreated {
			t.Fatalf("row: status %d (%v), want 201", status, out)
		}
		if out["count"] != 1.0 || out["next"] != 2.0 {
			t.Errorf("after sheet 1: count %v next %v, want 1 and 2", out["count"], out["next"])
		}
		rs := cl.responses(t, cl.w.ID)
		if len(rs) != 1 {
			t.Fatalf("%d responses stored, want 1", len(rs))
		}
		r := rs[0]
		want := cl.Pseudo.OfCode(cl.w.ID, surveys.Code{Mere: "M", Jour: 12, Mois: 3, Lettre2: "L"}, "")
		if r.Source != surveys.SourcePaper || r.Device != "" || r.Phase != surveys.PhasePre || r.Day != cl.w.Date || r.Participant != want.Participant {
			t.Errorf("stored %+v, want source paper, no device, PRE, day %s, the code's participant", r, cl.w.Date)
		}
		if a := r.Answers["odd_expliquer"]; a.Number != 4 {
			t.Errorf("odd_expliquer = %+v, want 4", a)
		}
		if a := r.Answers["quiz_odd_nombre"]; a.Text != cl.q.Items[6].Options[1].Value {
			t.Errorf("quiz typed 2 = %+v, want the second option %q", a, cl.q.Items[6].Options[1].Value)
		}
	})

	t.Run("the same sheet again", func(t *testing.T) {
		status, out := cl.postRow(staff, sheetRow("1", "A", "1", "1", "B", "11111111111"))
		if msg, _ := cellErrors(out)["sheet"].(string); status != http.StatusUnprocessableEntity || !strings.Contains(msg, "déjà saisie") {
			t.Errorf("sheet 1 again: status %d, sheet error %q, want 422 and « déjà saisie »", status, msg)
		}
		if n := len(cl.responses(t, cl.w.ID)); n != 1 {
			t.Errorf("%d responses after a duplicate, want 1", n)
		}
	})

	t.Run("an unknown phase", func(t *testing.T) {
		row := sheetRow("5", "M", "12", "3", "L", "11111")
		row.Set("phase", "bogus")
		if status, _ := cl.postRow(staff, row); status != http.StatusBadRequest {
			t.Errorf("phase=bogus: status %d, want 400", status)
		}
		// In the query string too, which paperPhase also reads.
		row = sheetRow("6", "M", "12", "3", "L", "11111")
		row.Del("phase")
		req, _ := http.NewRequest("POST", cl.URL+base+"/saisie?phase=bogus", strings.NewReader(row.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		res, err := staff.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("?phase=bogus: status %d, want 400", res.StatusCode)
		}
		if n := len(cl.responses(t, cl.w.ID)); n != 1 {
			t.Errorf("%d responses after an unknown phase, want 1", n)
		}
	})

	t.Run("cells out of range", func(t *testing.T) {
		for _, tc := range []struct {
			name, cell, want string
			row              url.Values
		}{
			{"likert 7", "s_odd_expliquer", "1 à 5", sheetRow("2", "M", "12", "3", "L", "7")},
			{"quiz 5 of 4", "s_quiz_odd_nombre", "1 à 4", sheetRow("2", "M", "12", "3", "L", "111111511")},
			{"day 45", "code_jour", "un jour de 1 à 31", sheetRow("2", "M", "45", "3", "L", "11111")},
			{"month missing", "code_mois", "un mois de 1 à 12", sheetRow("2", "M", "4", "", "L", "11111")},
			{"letter a digit", "code_mere", "une lettre", sheetRow("2", "7", "4", "3", "L", "11111")},
			{"no sheet number", "sheet", "numéro", sheetRow("", "M", "4", "3", "L", "11111")},
			{"nothing typed", "sheet", "aucune réponse", sheetRow("2", "M", "4", "3", "L", "")},
		} {
			status, out := cl.postRow(staff, tc.row)
			msg, _ := cellErrors(out)[tc.cell].(string)
			if status != http.StatusUnprocessableEntity || !strings.Contains(msg, tc.want) {
				t.Errorf("%s: status %d, %s error %q (all: %v), want 422 and %q", tc.name, status, tc.cell, msg, cellErrors(out), tc.want)
			}
		}
		if n := len(cl.responses(t, cl.w.ID)); n != 1 {
			t.Errorf("%d responses after refused rows, want 1", n)
		}
	})

	t.Run("a sheet without a code, with blanks", func(t *testing.T) {
		status, out := cl.postRow(staff, sheetRow("2", "", "", "", "", "3 3 3"))
		if status != http.StatusCreated {
			t.Fatalf("sheet without a code: status %d (%v), want 201", status, out)
		}
		for _, r := range cl.responses(t, cl.w.ID) {
			if r.CodeParts == nil && (len(r.Answers) != 3 || r.Source != surveys.SourcePaper) {
				t.Errorf("sheet without a code stored as %+v, want 3 answers from paper", r)
			}
		}
	})

	t.Run("without JavaScript", func(t *testing.T) {
		res, body := cl.pagePost(t, staff, base+"/saisie", sheetRow("3", "M", "12", "3", "L", "9"), nil)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad row without JS: status %d, want 422", res.StatusCode)
		}
		mustContain(t, "bad row without JS", body, "1 case à corriger", `href="#cell-s_odd_expliquer"`, `id="cell-s_odd_expliquer"`,
			`value="9" aria-invalid="true"`, "« 9 » : 1 à 5", `name="sheet" `, `value="3"`)
		res, _ = cl.pagePost(t, staff, base+"/saisie", sheetRow("3", "M", "12", "3", "L", "1"), nil)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "enregistree=3") {
			t.Fatalf("good row without JS: %d to %q, want 303 back with enregistree=3", res.StatusCode, loc)
		}
		_, body = cl.pageGet(t, staff, res.Header.Get("Location"))
		mustContain(t, "entry page after a row", body, "Feuille n° 3 enregistrée", `id="n-sheets">3<`, `name="sheet" `, `value="4"`)
	})

	t.Run("in the export", func(t *testing.T) {
		req, _ := http.NewRequest("GET", cl.URL+"/api/v1/workshops/"+cl.w.ID+"/responses.csv", nil)
		res, err := staff.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if n := strings.Count(string(data), ";papier;"); n != 3 {
			t.Errorf("the CSV export has %d rows from paper, want 3:\n%s", n, data)
		}
	})

	t.Run("only for those who run the workshop", func(t *testing.T) {
		other := cl.staff(cl.user(t, "autre@example.org", surveys.RoleFacilitator))
		if res, _ := cl.pageGet(t, other, base+"/paper.html"); res.StatusCode != http.StatusNotFound {
			t.Errorf("another facilitator's paper.html: status %d, want 404", res.StatusCode)
		}
		if status, _ := cl.postRow(other, sheetRow("9", "M", "12", "3", "L", "1")); status != http.StatusNotFound {
			t.Errorf("another facilitator's row: status %d, want 404", status)
		}
	})
}
