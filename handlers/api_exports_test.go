package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"declic/surveys"
	"declic/surveys/export"
)

// exportHeader is the column order of impactDefinition's exports.
var exportHeader = []string{"atelier", "date", "partenaire", "groupe", "lieu", "étiquettes", "code", "phase", "jour", "participant", "exclue", "signalements", "saisie", "q1", "q2", "q3", "k1", "y1", "r1", "c1", "t1"}

// storedRows is what the exports must hold, built from the store itself.
func storedRows(t *testing.T, ts *testServer, w workshopOut) [][]string {
	t.Helper()
	var rows [][]string
	err := ts.Store.EachResponse(context.Background(), []string{w.ID}, func(r *surveys.Response) error {
		phase := map[surveys.Phase]string{surveys.PhasePre: "avant", surveys.PhasePost: "après"}[r.Phase]
		row := []string{"Atelier « ODD » : 4e B", "2026-03-12", "Collège Jean Macé", "4e B", "Salle 12", "odd, programme-2026", w.Code,
			phase, r.Day, "p-" + r.Participant[:10], "", "", "en ligne"} // not excluded, no flag, from a phone
		for _, k := range exportHeader[13:] {
			a := r.Answers[k]
			switch a.Kind {
			case surveys.NoAnswer:
				row = append(row, "")
			case surveys.AnswerNumber:
				row = append(row, fmt.Sprint(a.Number))
			default:
				row = append(row, export.Neutralize(a.Label()))
			}
		}
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func sortedRows(rows [][]string) [][]string {
	out := slices.Clone(rows)
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(strings.Join(a, "\x00"), strings.Join(b, "\x00")) })
	return out
}

func TestAPIExports(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)
	w := ts.newWorkshop(t, token, map[string]any{"questionnaire_id": qid, "title": "Atelier « ODD » : 4e B", "date": "2026-03-12",
		"partner": "Collège Jean Macé", "group": "4e B", "place": "Salle 12", "tags": []string{"odd", "programme-2026"}})
	empty := ts.openWorkshop(t, token, qid, "pre")
	ts.setPhase(t, token, w.ID, "pre")
	ts.answer(t, w.Code, submission{"x-pre-1", "P1", "pre", map[string]any{"q1": 2, "q2": 4, "q3": 3, "k1": "a", "y1": 0, "c1": []string{"climat", "droits"}}})
	ts.answer(t, w.Code, submission{"x-pre-2", "P2", "pre", map[string]any{"q1": 3, "q2": 2, "q3": 3, "k1": "b", "y1": 1, "r1": 7}})
	ts.answer(t, w.Code, submission{"x-pre-3", "P3", "pre", validPre()})
	ts.setPhase(t, token, w.ID, "post")
	ts.answer(t, w.Code, submission{"x-post-1", "P1", "post", map[string]any{"q1": 4, "q2": 1, "q3": 4, "k1": "b", "y1": 1, "t1": `=HYPERLINK("http://example.org","clic")`}})
	ts.answer(t, w.Code, submission{"x-post-2", "P2", "post", map[string]any{"q1": 5, "q2": 1, "q3": 5, "k1": "b", "y1": 1, "r1": 9, "c1": []string{"droits"}, "t1": "ligne 1\nligne 2; « ça » \"cité\""}})
	want := sortedRows(storedRows(t, ts, w))
	if len(want) != 5 {
		t.Fatalf("%d stored responses, want 5", len(want))
	}
	base := ts.URL + "/api/v1/workshops/"

	t.Run("csv", func(t *testing.T) {
		res, data := ts.raw(t, nil, "GET", base+w.ID+"/responses.csv", token, nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status = %d, want 200 (%.300s)", res.StatusCode, data)
		}
		if got := res.Header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type = %q", got)
		}
		if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="declic-2026-03-12-atelier-odd-4e-b.csv"`; got != want {
			t.Errorf("Content-Disposition = %q, want %q", got, want)
		}
		if !bytes.HasPrefix(data, []byte("\uFEFF")) {
			t.Fatalf("no UTF-8 byte-order mark: %q", data[:min(len(data), 10)])
		}
		r := csv.NewReader(bytes.NewReader(data[3:]))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("CSV does not parse: %v", err)
		}
		if !slices.Equal(recs[0], exportHeader) {
			t.Errorf("header = %q, want %q", recs[0], exportHeader)
		}
		if got := sortedRows(recs[1:]); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("rows:\n got %q\nwant %q", got, want)
		}
		checkExportRows(t, recs[1:])
	})

	t.Run("xlsx", func(t *testing.T) {
		res, data := ts.raw(t, nil, "GET", base+w.ID+"/responses.xlsx", token, nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status = %d, want 200 (%.300s)", res.StatusCode, data)
		}
		if got := res.Header.Get("Content-Type"); got != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("Content-Type = %q", got)
		}
		if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="declic-2026-03-12-atelier-odd-4e-b.xlsx"`; got != want {
			t.Errorf("Content-Disposition = %q, want %q", got, want)
		}
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("XLSX does not open: %v", err)
		}
		defer f.Close()
		rows, err := f.GetRows("Réponses")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows[0], exportHeader) {
			t.Errorf("header = %q, want %q", rows[0], exportHeader)
		}
		body := make([][]string, len(rows)-1)
		for i, row := range rows[1:] {
			for len(row) < len(exportHeader) {
				row = append(row, "")
			}
			body[i] = row
		}
		if got := sortedRows(body); !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("rows:\n got %q\nwant %q", got, want)
		}
		checkExportRows(t, body)

		// The results sheet holds the API's numbers.
		api := ts.results(t, token, w.ID)
		stats, err := f.GetRows("Résultats", excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(stats)-1, len(api.Items)+len(api.Scales); got != want {
			t.Fatalf("Résultats has %d rows, want %d", got, want)
		}
		for i, it := range api.Items {
			row := stats[i+1]
			if row[0] != it.Key || row[3] != strconv.Itoa(it.Pre.N) || row[6] != strconv.Itoa(it.Post.N) || row[9] != strconv.Itoa(it.Paired.N) {
				t.Errorf("Résultats row %d = %q, want key %s, n %d/%d/%d", i+1, row[:10], it.Key, it.Pre.N, it.Post.N, it.Paired.N)
			}
			if got, err := strconv.ParseFloat(row[4], 64); it.Pre.Mean == nil || err != nil || !near(got, *it.Pre.Mean) {
				t.Errorf("%s mean pre = %q, want %v", it.Key, row[4], it.Pre.Mean)
			}
		}
		dict, err := f.GetRows("Dictionnaire")
		if err != nil {
			t.Fatal(err)
		}
		if len(dict) != 1+8+1 {
			t.Errorf("Dictionnaire has %d rows, want the header, 8 items and 1 scale", len(dict))
		}
	})

	t.Run("empty workshop", func(t *testing.T) {
		res, data := ts.raw(t, nil, "GET", base+empty.ID+"/responses.csv", token, nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status = %d, want 200", res.StatusCode)
		}
		if got, want := string(data), "\uFEFF"+strings.Join(exportHeader, ";")+"\r\n"; got != want {
			t.Errorf("body = %q, want %q", got, want)
		}
		res, data = ts.raw(t, nil, "GET", base+empty.ID+"/responses.xlsx", token, nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("xlsx status = %d, want 200", res.StatusCode)
		}
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if rows, _ := f.GetRows("Réponses"); len(rows) != 1 {
			t.Errorf("empty workshop: %d rows, want the header only", len(rows))
		}
	})

	t.Run("refused", func(t *testing.T) {
		fac := ts.facilitatorToken(t, "animateur@example.org")
		for _, ext := range []string{"csv", "xlsx"} {
			for _, tt := range []struct {
				name, id, token string
				want            int
			}{
				{"no token", w.ID, "", http.StatusUnauthorized},
				{"bad token", w.ID, "pas-un-jeton", http.StatusUnauthorized},
				{"unknown workshop", "000000000000000000000000", token, http.StatusNotFound},
				{"malformed id", "%3Cscript%3E", token, http.StatusNotFound},
				{"another facilitator's workshop", w.ID, fac, http.StatusNotFound},
			} {
				res, data := ts.raw(t, nil, "GET", base+tt.id+"/responses."+ext, tt.token, nil, nil)
				if res.StatusCode != tt.want {
					t.Errorf("%s %s = %d, want %d", ext, tt.name, res.StatusCode, tt.want)
					continue
				}
				mustDecodeError(t, data)
				if cd := res.Header.Get("Content-Disposition"); cd != "" {
					t.Errorf("%s %s: an error carries Content-Disposition %q", ext, tt.name, cd)
				}
			}
		}
	})
}

// checkExportRows checks what the stored rows cannot show: pairs share a
// short pseudonym, hostile text is neutralized, free text is kept whole.
func checkExportRows(t *testing.T, rows [][]string) {
	t.Helper()
	col := func(name string) int { return slices.Index(exportHeader, name) }
	byPseudo := map[string][]string{}
	for _, r := range rows {
		p := r[col("participant")]
		if len(p) != 12 || !strings.HasPrefix(p, "p-") || strings.Contains(p, "P1") {
			t.Errorf("participant %q: want p- and 10 characters of the hash", p)
		}
		byPseudo[p] = append(byPseudo[p], r[col("phase")]+":"+r[col("q1")])
		if d := r[col("jour")]; len(d) != len("2026-03-12") {
			t.Errorf("jour = %q, want a day only", d)
		}
	}
	// P1 answered q1 2 then 4, P2 3 then 5, P3 only PRE.
	pairs := map[string]bool{}
	for _, answers := range byPseudo {
		slices.Sort(answers)
		pairs[strings.Join(answers, " ")] = true
	}
	for _, p := range []string{"après:4 avant:2", "après:5 avant:3", "avant:3"} {
		if !pairs[p] {
			t.Errorf("pseudonyms group answers as %v, want a participant with %q", pairs, p)
		}
	}
	texts := map[string]bool{}
	for _, r := range rows {
		texts[r[col("t1")]] = true
	}
	for _, s := range []string{`'=HYPERLINK("http://example.org","clic")`, "ligne 1\nligne 2; « ça » \"cité\""} {
		if !texts[s] {
			t.Errorf("t1 answers %q, want %q", slices.Collect(maps.Keys(texts)), s)
		}
	}
}
