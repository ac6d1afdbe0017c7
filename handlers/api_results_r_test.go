package handlers_test

import (
	"encoding/csv"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestResultsMatchRThroughAPI answers a whole workshop through the public
// answering API (PRE, then POST, a pupil who answered twice, pre-only and
// post-only pupils, a retrospective item repeating a PRE item), excludes a
// response through PUT …/excluded, and compares every figure of
// GET /results with what GNU R computed for the same answers
// (testdata/workshop/make_workshop.R): tests, p_holm, mde_dz, n_excluded,
// the attrition check and the response shift.
func TestResultsMatchRThroughAPI(t *testing.T) {
	dir := filepath.Join("..", "testdata", "workshop")
	definition, err := os.ReadFile(filepath.Join(dir, "questionnaire.json"))
	if err != nil {
		t.Fatal(err)
	}
	answers := readCSV(t, filepath.Join(dir, "answers.csv"))
	expected := readCSV(t, filepath.Join(dir, "expected.csv"))

	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, string(definition))
	w := ts.openWorkshop(t, token, qid, "pre")
	var excluded []string
	for _, phase := range []string{"pre", "post"} {
		if phase == "post" {
			ts.setPhase(t, token, w.ID, "post")
		}
		for _, row := range answers {
			if row["phase"] == phase {
				id := ts.answer(t, w.Code, submission{SubmissionID: row["submission"], Participant: row["participant"], Phase: phase, Answers: answersOf(t, row)})
				if row["excluded"] == "TRUE" {
					excluded = append(excluded, id)
				}
			}
		}
	}
	if len(excluded) == 0 {
		t.Fatal("answers.csv excludes no response: is it the current one?")
	}
	for _, id := range excluded {
		body := map[string]any{"excluded": true, "reason": "Réponse test exclue"}
		if status := ts.do(t, token, "PUT", "/api/v1/workshops/"+w.ID+"/responses/"+id+"/excluded", body, nil); status != http.StatusOK {
			t.Fatalf("PUT excluded %s = %d", id, status)
		}
	}

	var raw map[string]any
	if status := ts.do(t, token, "GET", "/api/v1/workshops/"+w.ID+"/results", nil, &raw); status != http.StatusOK {
		t.Fatalf("GET results = %d", status)
	}
	for _, e := range expected {
		measure, stat, want := e["measure"], e["stat"], e["value"]
		got, found := lookup(raw, measure, stat)
		name := measure + "." + stat
		switch {
		case !found:
			t.Errorf("%s: missing from the results, R gives %s", name, want)
		case want == "NA":
			if got != nil {
				t.Errorf("%s = %v, R gives NA: want null", name, got)
			}
		case strings.HasSuffix(stat, ".method"):
			if got != want {
				t.Errorf("%s = %v, R uses %s", name, got, want)
			}
		default:
			w, _ := strconv.ParseFloat(want, 64)
			g, ok := got.(float64)
			if !ok || !closeRel(g, w, 1e-6) {
				t.Errorf("%s = %v, R gives %.17g", name, got, w)
			}
		}
	}
	if len(expected) < 300 {
		t.Fatalf("only %d expected figures: is expected.csv complete?", len(expected))
	}
}

func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("%s: %v (%d rows)", path, err, len(recs))
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// answersOf turns an answers.csv row into the answers a client sends.
func answersOf(t *testing.T, row map[string]string) map[string]any {
	t.Helper()
	a := map[string]any{}
	num := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("row %v: %q is not a number", row, s)
		}
		return n
	}
	for _, k := range []string{"l1", "l2", "l3", "y1"} {
		a[k] = num(row[k])
	}
	a["k1"] = row["k1"]
	if row["r1_before"] != "" {
		a["r1"] = map[string]int{"before": num(row["r1_before"]), "now": num(row["r1_now"])}
	}
	if row["t1"] != "" {
		a["t1"] = row["t1"]
	}
	return a
}

// lookup follows a path such as "paired.ci95.0" inside the item or scale
// named measure ("_" for the top level).
func lookup(res map[string]any, measure, path string) (any, bool) {
	var node any = res
	if measure != "_" {
		node = nil
		for _, list := range []string{"items", "scales"} {
			entries, _ := res[list].([]any)
			for _, e := range entries {
				if m, _ := e.(map[string]any); m["key"] == measure {
					node = m
				}
			}
		}
		if node == nil {
			return nil, false
		}
	}
	for _, part := range strings.Split(path, ".") {
		switch n := node.(type) {
		case map[string]any:
			v, ok := n[part]
			if !ok {
				return nil, false
			}
			node = v
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i >= len(n) {
				return nil, false
			}
			node = n[i]
		default:
			// A null object (e.g. "t": null) makes its fields null too.
			if n == nil {
				return nil, true
			}
			return nil, false
		}
	}
	return node, true
}

func closeRel(got, want, tol float64) bool {
	if want == 0 {
		return math.Abs(got) <= tol
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}
