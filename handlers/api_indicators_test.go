package handlers_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"declic/surveys"
	"declic/surveys/stats"
)

type indicatorValue struct {
	Value     *float64
	CI95      *[2]float64 `json:"ci95"`
	N         int
	X         *int
	Baseline  *float64
	Target    *float64
	TargetMet *bool `json:"target_met"`
	Workshops int
	From, To  string
}

func (e *funderEnv) newIndicator(body map[string]any) string {
	e.t.Helper()
	var out struct{ ID string }
	if st, b := e.send(e.t, e.admin, "POST", "/api/v1/indicators", body, &out); st != http.StatusCreated || out.ID == "" {
		e.t.Fatalf("POST /indicators = %d %s", st, b)
	}
	return out.ID
}

func (e *funderEnv) value(id, query string) indicatorValue {
	e.t.Helper()
	var v indicatorValue
	if st, b := e.send(e.t, e.admin, "GET", "/api/v1/indicators/"+id+"/value"+query, nil, &v); st != http.StatusOK {
		e.t.Fatalf("GET value%s = %d %s", query, st, b)
	}
	return v
}

// The contract's indicator routes: create, list, value for any filter
// (Wilson for shares, t for the mean change, target_met null under 5).
func TestAPIIndicatorValues(t *testing.T) {
	e := newFunderEnv(t)
	e.workshop("ODD 2026 T1", "2026-02-10", []string{"odd", "afd"}, mixed())
	e.workshop("ODD petit groupe", "2026-03-05", []string{"odd"}, []pupil{{2, 4}, {2, 4}, {3, 3}})

	shares := e.newIndicator(map[string]any{"name": "Part des jeunes qui progressent", "questionnaire_id": "regards-v1",
		"item": "q1", "measure": "share_improved", "baseline": 0.3, "target": 0.5})
	atLeast := e.newIndicator(map[string]any{"name": "Part d'accord après", "questionnaire_id": "regards-v1",
		"item": "q1", "measure": "share_at_least", "threshold": 4, "baseline": 0.2, "target": 0.9})
	change := e.newIndicator(map[string]any{"name": "Évolution", "questionnaire_id": "regards-v1",
		"scale": "agir", "measure": "mean_change", "target": 0.5})

	var list struct{ Indicators []surveys.Indicator }
	if st, _ := e.send(t, e.anim, "GET", "/api/v1/indicators", nil, &list); st != http.StatusOK || len(list.Indicators) != 3 {
		t.Fatalf("GET /indicators = %d, %d indicators", st, len(list.Indicators))
	}

	// 8 of the 13 pairs progress, over both workshops.
	v := e.value(shares, "")
	p, ci := stats.Wilson(8, 13)
	if v.N != 13 || v.X == nil || *v.X != 8 || v.Value == nil || *v.Value != p || v.CI95 == nil || *v.CI95 != *ci {
		t.Errorf("share_improved = %+v, want 8/13 with Wilson's %v", v, *ci)
	}
	if v.TargetMet == nil || !*v.TargetMet || v.Workshops != 2 || *v.Baseline != 0.3 {
		t.Errorf("share_improved target_met %v, workshops %d", v.TargetMet, v.Workshops)
	}
	// The label « afd » keeps the first workshop only: 6 of 10.
	v = e.value(shares, "?tag=AFD")
	if v.N != 10 || *v.X != 6 || v.Workshops != 1 {
		t.Errorf("share_improved for the tag afd = n %d, x %d, %d workshops; want 6/10 in 1", v.N, *v.X, v.Workshops)
	}
	// Under 5 pairs, no verdict on the target.
	v = e.value(shares, "?from=2026-03-01")
	if v.N != 3 || v.TargetMet != nil || v.Value == nil {
		t.Errorf("3 pairs: n %d, target_met %v; want a value and a null target_met", v.N, v.TargetMet)
	}
	// No workshop in the period: n = 0, no value, no verdict.
	v = e.value(shares, "?from=2027-01-01")
	if v.N != 0 || v.Value != nil || v.CI95 != nil || v.TargetMet != nil || v.Workshops != 0 {
		t.Errorf("empty period = %+v", v)
	}
	// At least 4 after, among every POST answer: 8 of 13.
	v = e.value(atLeast, "")
	if v.N != 13 || *v.X != 8 || v.TargetMet == nil || *v.TargetMet {
		t.Errorf("share_at_least = %+v, want 8/13, target 0,9 missed", v)
	}
	// Mean change of the scale: q2 stays, so half of q1's change.
	v = e.value(change, "")
	var pre, post []float64
	for _, pp := range append(mixed(), pupil{2, 4}, pupil{2, 4}, pupil{3, 3}) {
		pre, post = append(pre, (float64(pp.pre)+3)/2), append(post, (float64(pp.post)+3)/2)
	}
	want := stats.ComparePaired(pre, post)
	if v.N != 13 || math.Abs(*v.Value-want.MeanDiff) > 1e-12 || v.CI95 == nil ||
		math.Abs(v.CI95[0]-want.CI95[0]) > 1e-12 || math.Abs(v.CI95[1]-want.CI95[1]) > 1e-12 {
		t.Errorf("mean_change = %v %v (n %d), want %v %v", *v.Value, v.CI95, v.N, want.MeanDiff, *want.CI95)
	}

	// Edit, then delete.
	var got surveys.Indicator
	if st, b := e.send(t, e.admin, "PUT", "/api/v1/indicators/"+shares, map[string]any{"name": "Renommé", "questionnaire_id": "regards-v1",
		"item": "q1", "measure": "share_improved", "target": 0.7}, &got); st != http.StatusOK || got.Name != "Renommé" {
		t.Errorf("PUT = %d %s", st, b)
	}
	if v := e.value(shares, ""); v.TargetMet == nil || *v.TargetMet {
		t.Errorf("after the target moved to 70 %%: target_met %v, want false", v.TargetMet)
	}
	if st, _ := e.send(t, e.admin, "DELETE", "/api/v1/indicators/"+shares, nil, nil); st != http.StatusNoContent {
		t.Errorf("DELETE = %d", st)
	}
	if st, _ := e.send(t, e.admin, "GET", "/api/v1/indicators/"+shares+"/value", nil, nil); st != http.StatusNotFound {
		t.Errorf("value of a deleted indicator = %d, want 404", st)
	}
}

// Bad input: named in French, nothing stored, never a 500.
func TestAPIIndicatorBadInput(t *testing.T) {
	e := newFunderEnv(t)
	base := func(change map[string]any) map[string]any {
		b := map[string]any{"name": "Indicateur", "questionnaire_id": "regards-v1", "item": "q1", "measure": "share_improved"}
		for k, v := range change {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return b
	}
	for _, tt := range []struct {
		name        string
		body        any
		field, says string
	}{
		{"unknown item", base(map[string]any{"item": "zz"}), "item", "« zz » n'existe pas"},
		{"free text", base(map[string]any{"item": "t1"}), "item", "n'est pas notée"},
		{"multiple choice", base(map[string]any{"item": "c1"}), "item", "n'est pas notée"},
		{"asked before only", base(map[string]any{"item": "p1"}), "item", "avant et après"},
		{"unknown scale", base(map[string]any{"item": nil, "scale": "zz"}), "scale", "« zz » n'existe pas"},
		{"unknown questionnaire", base(map[string]any{"questionnaire_id": "nope"}), "questionnaire_id", "introuvable"},
		{"unknown measure", base(map[string]any{"measure": "median"}), "measure", "share_improved"},
		{"threshold missing", base(map[string]any{"measure": "share_at_least"}), "threshold", "obligatoire"},
		{"share given in percent", base(map[string]any{"target": 60}), "target", "entre 0 et 1"},
		{"no name", base(map[string]any{"name": "  "}), "name", "obligatoire"},
		{"period upside down", base(map[string]any{"from": "2026-09-01", "to": "2026-01-01"}), "to", "avant son début"},
	} {
		st, body := e.send(t, e.admin, "POST", "/api/v1/indicators", tt.body, nil)
		apiErr := mustDecodeError(t, body)
		code, fields := apiErr.Error.Code, apiErr.Error.Fields
		if st != http.StatusBadRequest || code != "invalid" || !strings.Contains(fields[tt.field], tt.says) {
			t.Errorf("%s: %d %s; want 400 with %s saying %q", tt.name, st, body, tt.field, tt.says)
		}
	}
	for _, raw := range []string{`{"name": "x", "unknown": 1}`, `[`, `{"name": 3}`} {
		if st, _ := e.send(t, e.admin, "POST", "/api/v1/indicators", []byte(raw), nil); st != http.StatusBadRequest {
			t.Errorf("body %s = %d, want 400", raw, st)
		}
	}
	if list, _ := e.Store.Indicators(e.ctx); len(list) != 0 {
		t.Errorf("%d indicators stored by refused requests", len(list))
	}
	// Facilitators read values but define no indicator.
	if st, _ := e.send(t, e.anim, "POST", "/api/v1/indicators", base(nil), nil); st != http.StatusForbidden {
		t.Errorf("facilitator POST = %d, want 403", st)
	}
	if st, _ := e.send(t, "", "GET", "/api/v1/indicators", nil, nil); st != http.StatusUnauthorized {
		t.Errorf("GET without a token = %d, want 401", st)
	}
	id := e.newIndicator(base(nil))
	if st, body := e.send(t, e.admin, "GET", "/api/v1/indicators/"+id+"/value?from=1er+mars", nil, nil); st != http.StatusBadRequest || !strings.Contains(string(body), "AAAA-MM-JJ") {
		t.Errorf("value with a bad date = %d %s", st, body)
	}
	if st, _ := e.send(t, e.admin, "PUT", "/api/v1/indicators/"+id, base(map[string]any{"item": "t1"}), nil); st != http.StatusBadRequest {
		t.Errorf("PUT onto a free-text item = %d, want 400", st)
	}
	if st, _ := e.send(t, e.admin, "PUT", "/api/v1/indicators/000000000000000000000000", base(nil), nil); st != http.StatusNotFound {
		t.Errorf("PUT of an unknown indicator = %d, want 404", st)
	}
}

// Year on year: the same indicator over two periods, the difference and
// whether it is beyond chance (stats.CompareShares, checked against R).
func TestAPIIndicatorCompare(t *testing.T) {
	e := newFunderEnv(t)
	e.workshop("2025", "2025-10-10", nil, []pupil{{2, 4}, {2, 4}, {3, 3}, {3, 3}, {3, 3}, {3, 3}, {3, 3}, {3, 3}, {3, 3}, {3, 3}})
	e.workshop("2026", "2026-10-10", nil, []pupil{{2, 4}, {2, 4}, {2, 4}, {2, 4}, {2, 4}, {2, 4}, {2, 4}, {2, 4}, {3, 3}, {3, 3}})
	id := e.newIndicator(map[string]any{"name": "Progrès", "questionnaire_id": "regards-v1", "item": "q1", "measure": "share_improved"})
	var cmp surveys.IndicatorComparison
	q := "?from1=2025-09-01&to1=2026-08-31&from2=2026-09-01&to2=2027-08-31"
	if st, b := e.send(t, e.admin, "GET", "/api/v1/indicators/"+id+"/compare"+q, nil, &cmp); st != http.StatusOK {
		t.Fatalf("compare = %d %s", st, b)
	}
	want := stats.CompareShares(2, 10, 8, 10)
	if cmp.First.N != 10 || cmp.Second.N != 10 || cmp.Diff == nil || math.Abs(*cmp.Diff-want.Diff) > 1e-12 ||
		*cmp.P != *want.P || cmp.BeyondChance == nil || !*cmp.BeyondChance || cmp.First.From != "2025-09-01" {
		t.Errorf("compare = %+v, want a difference of %v, p %v", cmp, want.Diff, *want.P)
	}
	// Without dates, the last two school years (the clock is 20 March 2026).
	if st, _ := e.send(t, e.admin, "GET", "/api/v1/indicators/"+id+"/compare", nil, &cmp); st != http.StatusOK ||
		cmp.First.From != "2024-09-01" || cmp.Second.To != "2026-08-31" {
		t.Errorf("default periods %s..%s and %s..%s", cmp.First.From, cmp.First.To, cmp.Second.From, cmp.Second.To)
	}
	if st, _ := e.send(t, e.admin, "GET", "/api/v1/indicators/"+id+"/compare?from1=2026-01-01&to1=2025-01-01", nil, nil); st != http.StatusBadRequest {
		t.Errorf("a period upside down = %d, want 400", st)
	}
}

// The « Cadre logique » in CSV and XLSX (sheet « Indicateurs »), with
// Déclic and the date in the workbook's properties.
func TestAPILogframeExports(t *testing.T) {
	e := newFunderEnv(t)
	e.workshop("ODD", "2026-02-10", nil, mixed())
	e.newIndicator(map[string]any{"name": "=Part qui progresse", "questionnaire_id": "regards-v1", "item": "q1",
		"measure": "share_improved", "baseline": 0.3, "target": 0.5, "verification": "Rapport annuel"})
	e.newIndicator(map[string]any{"name": "Trop peu", "questionnaire_id": "regards-v1", "item": "q1",
		"measure": "mean_change", "from": "2027-01-01"})

	st, h, body := e.get(t, e.admin, "/api/v1/logframe.csv")
	if st != http.StatusOK || !strings.Contains(h.Get("Content-Disposition"), "cadre-logique") || !bytes.HasPrefix(body, []byte("\ufeff")) {
		t.Fatalf("logframe.csv = %d %q", st, h.Get("Content-Disposition"))
	}
	r := csv.NewReader(bytes.NewReader(body[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("logframe.csv: %v, %d rows", err, len(rows))
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	first := rows[1]
	if rows[2][col["indicateur"]] == "'=Part qui progresse" {
		first = rows[2]
	}
	for name, want := range map[string]string{"indicateur": "'=Part qui progresse", "valeur": "60", "unité": "%", "référence": "30",
		"cible": "50", "cible atteinte": "oui", "n": "10", "moyen de vérification": "Rapport annuel"} {
		if got := first[col[name]]; got != want {
			t.Errorf("logframe.csv %s = %q, want %q", name, got, want)
		}
	}

	st, h, body = e.get(t, e.admin, "/api/v1/logframe.xlsx")
	if st != http.StatusOK || h.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("logframe.xlsx = %d %s", st, h.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); got[0] != "Indicateurs" {
		t.Errorf("sheets %q, want « Indicateurs » first", got)
	}
	props, err := f.GetDocProps()
	if err != nil || props.Creator != "Déclic" || !strings.HasPrefix(props.Created, "2026-03-20") {
		t.Errorf("document properties %+v, %v; want Déclic and the day", props, err)
	}
	about, _ := f.GetRows("À propos")
	if len(about) < 5 || !strings.HasPrefix(about[4][1], "Exporté par Déclic (version ") || !strings.Contains(about[4][1], "20 mars 2026") {
		t.Errorf("« À propos » sheet = %q, want a version line", about)
	}
	rowsX, _ := f.GetRows("Indicateurs")
	for _, row := range rowsX[1:] {
		if row[0] == "Trop peu" && (row[7] != "" || !strings.Contains(row[12], "trop peu")) {
			t.Errorf("an indicator without answers shows a value: %q", row)
		}
	}
	if st, _, _ := e.get(t, e.admin, "/api/v1/logframe.xlsx?from=demain"); st != http.StatusBadRequest {
		t.Errorf("logframe with a bad date = %d, want 400", st)
	}
	_ = surveys.MinIndicatorN
}
