package handlers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// results reads a workshop's results through the API.
func (ts *testServer) results(t testing.TB, token, id string) resultsOut {
	t.Helper()
	res, data := ts.raw(t, nil, "GET", ts.URL+"/api/v1/workshops/"+id+"/results", token, nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET results = %d, want 200 (%s)", res.StatusCode, data)
	}
	var out resultsOut
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("results are not valid JSON (a NaN would break them): %v\n%s", err, data)
	}
	return out
}

// meanSD is the mean and sample standard deviation, by the book.
func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(x)-1))
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func checkNum(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = null, want %.6g", name, want)
		return
	}
	if !near(*got, want) {
		t.Errorf("%s = %.12g, want %.12g", name, *got, want)
	}
}

func checkNull(t *testing.T, name string, got *float64) {
	t.Helper()
	if got != nil {
		t.Errorf("%s = %v, want null", name, *got)
	}
}

func TestAPIResults(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)
	w := ts.openWorkshop(t, token, qid, "pre")

	// Three pupils. q2 is reversed (score 6 − answer); k1's right answer is b.
	pre := map[string]map[string]any{
		"P1": {"q1": 2, "q2": 4, "q3": 3, "k1": "a", "y1": 0},
		"P2": {"q1": 3, "q2": 2, "q3": 3, "k1": "b", "y1": 1},
		"P3": {"q1": 1, "q2": 5, "q3": 2, "k1": "c", "y1": 0},
	}
	post := map[string]map[string]any{
		"P1": {"q1": 4, "q2": 1, "q3": 4, "k1": "b", "y1": 1, "t1": "J'ai appris que les ODD sont 17."},
		"P2": {"q1": 3, "q2": 2, "q3": 4, "k1": "c", "y1": 1, "t1": "  Le commerce équitable  "},
		"P3": {"q1": 1, "q2": 5, "q3": 3, "k1": "a", "y1": 0},
	}
	participants := []string{"P1", "P2", "P3"}
	for _, p := range participants {
		ts.answer(t, w.Code, submission{"pre-" + p, p, "pre", pre[p]})
	}

	// With PRE only, what needs POST is undefined: null, never NaN, never an error.
	t.Run("PRE only", func(t *testing.T) {
		res := ts.results(t, token, w.ID)
		if res.NPre != 3 || res.NPost != 0 || res.NPaired != 0 {
			t.Errorf("n_pre %d n_post %d n_paired %d; want 3 0 0", res.NPre, res.NPost, res.NPaired)
		}
		for _, it := range res.Items {
			checkNull(t, it.Key+" post.mean", it.Post.Mean)
			checkNull(t, it.Key+" post.sd", it.Post.SD)
			checkNull(t, it.Key+" paired.mean_diff", it.Paired.MeanDiff)
			checkNull(t, it.Key+" paired.effect_size_dz", it.Paired.EffectSizeDz)
			if it.Paired.N != 0 || it.Paired.T != nil || it.Paired.CI95 != nil || it.Paired.Wilcoxon != nil || it.Unpaired.Welch != nil {
				t.Errorf("%s: paired %+v, welch %v; want n 0 and null tests", it.Key, it.Paired, it.Unpaired.Welch)
			}
		}
	})

	ts.setPhase(t, token, w.ID, "post")
	for _, p := range participants {
		ts.answer(t, w.Code, submission{"post-" + p, p, "post", post[p]})
	}
	ts.setPhase(t, token, w.ID, "closed")
	res := ts.results(t, token, w.ID)

	if res.NPre != 3 || res.NPost != 3 || res.NPaired != 3 || res.NDuplicates != 0 {
		t.Errorf("n_pre %d n_post %d n_paired %d n_duplicates %d; want 3 3 3 0", res.NPre, res.NPost, res.NPaired, res.NDuplicates)
	}
	var keys []string
	for _, it := range res.Items {
		keys = append(keys, it.Key)
	}
	// Scored items asked in both phases, in order: no choice, no text.
	if want := []string{"q1", "q2", "q3", "k1", "y1", "r1"}; !slices.Equal(keys, want) {
		t.Fatalf("items = %v, want %v", keys, want)
	}

	score := func(key string, v any) float64 {
		switch key {
		case "q2":
			return float64(1 + 5 - v.(int))
		case "k1":
			if v == "b" {
				return 1
			}
			return 0
		}
		return float64(v.(int))
	}
	column := func(data map[string]map[string]any, key string) []float64 {
		var out []float64
		for _, p := range participants {
			out = append(out, score(key, data[p][key]))
		}
		return out
	}
	byKey := map[string]itemOut{}
	for _, it := range res.Items {
		byKey[it.Key] = it
	}

	// A few values worked out on paper, to check the helpers themselves.
	checkNum(t, "q1 pre.mean", byKey["q1"].Pre.Mean, 2)
	checkNum(t, "q1 pre.sd", byKey["q1"].Pre.SD, 1)
	checkNum(t, "q2 pre.mean (reversed: 2, 4, 1)", byKey["q2"].Pre.Mean, 7.0/3)
	checkNum(t, "q2 post.mean (reversed: 5, 4, 1)", byKey["q2"].Post.Mean, 10.0/3)
	checkNum(t, "k1 pre.mean (0, 1, 0)", byKey["k1"].Pre.Mean, 1.0/3)
	checkNum(t, "k1 post.mean (1, 0, 0)", byKey["k1"].Post.Mean, 1.0/3)

	for _, key := range []string{"q1", "q2", "q3", "k1", "y1"} {
		t.Run(key, func(t *testing.T) {
			it := byKey[key]
			a, b := column(pre, key), column(post, key)
			for name, s := range map[string]struct {
				got  summaryOut
				data []float64
			}{"pre": {it.Pre, a}, "post": {it.Post, b}} {
				if s.got.N != 3 {
					t.Errorf("%s.n = %d, want 3", name, s.got.N)
				}
				m, sd := meanSD(s.data)
				checkNum(t, name+".mean", s.got.Mean, m)
				checkNum(t, name+".sd", s.got.SD, sd)
			}
			p := it.Paired
			if p.N != 3 {
				t.Errorf("paired.n = %d, want 3", p.N)
			}
			mPre, _ := meanSD(a)
			mPost, _ := meanSD(b)
			checkNum(t, "paired.mean_pre", p.MeanPre, mPre)
			checkNum(t, "paired.mean_post", p.MeanPost, mPost)
			checkNum(t, "paired.mean_diff", p.MeanDiff, mPost-mPre)
			d := make([]float64, 3)
			improved, unchanged, declined := 0, 0, 0
			for i := range d {
				d[i] = b[i] - a[i]
				switch {
				case d[i] > 0:
					improved++
				case d[i] < 0:
					declined++
				default:
					unchanged++
				}
			}
			if p.Improved != improved || p.Unchanged != unchanged || p.Declined != declined {
				t.Errorf("improved/unchanged/declined = %d/%d/%d, want %d/%d/%d", p.Improved, p.Unchanged, p.Declined, improved, unchanged, declined)
			}
			md, sdd := meanSD(d)
			if sdd == 0 {
				// Every pupil moved by the same amount: the t-test is undefined.
				checkNum(t, "paired.sd_diff", p.SDDiff, 0)
				checkNull(t, "paired.effect_size_dz", p.EffectSizeDz)
				if p.T != nil || p.CI95 != nil {
					t.Errorf("paired t %+v, ci95 %v; want null with no variance", p.T, p.CI95)
				}
			} else {
				checkNum(t, "paired.sd_diff", p.SDDiff, sdd)
				checkNum(t, "paired.effect_size_dz", p.EffectSizeDz, md/sdd)
				if p.T == nil {
					t.Fatalf("paired.t = null, want a t-test")
				}
				se := sdd / math.Sqrt(3)
				if !near(p.T.T, md/se) || p.T.DF != 2 {
					t.Errorf("paired.t = %+v, want t %.6g df 2", *p.T, md/se)
				}
				// Two-sided p of Student's t with 2 df: 1 − |t|/√(t²+2).
				if wantP := 1 - math.Abs(md/se)/math.Sqrt(md*md/(se*se)+2); math.Abs(p.T.P-wantP) > 1e-6 {
					t.Errorf("paired.t.p = %.8g, want %.8g", p.T.P, wantP)
				}
				// qt(0.975, 2) = 0.95/√(2·0.975·0.025), as R gives it.
				const q = 4.302652729749464
				if p.CI95 == nil || math.Abs(p.CI95[0]-(md-q*se)) > 1e-6 || math.Abs(p.CI95[1]-(md+q*se)) > 1e-6 {
					t.Errorf("paired.ci95 = %v, want [%.6g, %.6g]", p.CI95, md-q*se, md+q*se)
				}
			}
		})
	}

	// q3 moved by exactly +1 for everyone; q1 is the textbook case t = 1.
	if p := byKey["q1"].Paired; p.T == nil || !near(p.T.T, 1) {
		t.Errorf("q1 paired t = %+v, want t = 1 (differences 2, 0, 0)", p.T)
	}
	if p := byKey["q1"].Paired; p.Wilcoxon == nil || p.Wilcoxon.V != 1 {
		t.Errorf("q1 wilcoxon = %+v, want V = 1 (one positive difference)", p.Wilcoxon)
	}
	checkNum(t, "q3 paired.mean_diff", byKey["q3"].Paired.MeanDiff, 1)

	// Counts are of the answers given, every possible answer listed.
	wantCounts := map[string]map[string]int{
		"q2 pre":  {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1},
		"q2 post": {"1": 1, "2": 1, "3": 0, "4": 0, "5": 1},
		"k1 pre":  {"a": 1, "b": 1, "c": 1},
		"k1 post": {"a": 1, "b": 1, "c": 1},
		"y1 pre":  {"0": 2, "1": 1},
		"y1 post": {"0": 1, "1": 2},
	}
	for name, want := range wantCounts {
		key, phase, _ := strings.Cut(name, " ")
		got := byKey[key].Pre.Counts
		if phase == "post" {
			got = byKey[key].Post.Counts
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s counts = %v, want %v", name, got, want)
		}
	}

	// McNemar only for 0/1 items: b counts 0 → 1, c counts 1 → 0.
	for key, want := range map[string][2]int{"k1": {1, 1}, "y1": {1, 0}} {
		mc := byKey[key].McNemar
		if mc == nil || mc.B != want[0] || mc.C != want[1] {
			t.Errorf("%s mcnemar = %+v, want b %d c %d", key, mc, want[0], want[1])
		}
	}
	for _, key := range []string{"q1", "q2", "q3", "r1"} {
		if byKey[key].McNemar != nil {
			t.Errorf("%s has mcnemar, want it only for yesno and quiz", key)
		}
	}

	// r1 is optional and nobody answered it: everything undefined is null.
	r1 := byKey["r1"]
	if r1.Pre.N != 0 || r1.Post.N != 0 || r1.Paired.N != 0 {
		t.Errorf("r1 n = %d/%d/%d, want 0", r1.Pre.N, r1.Post.N, r1.Paired.N)
	}
	for name, v := range map[string]*float64{"pre.mean": r1.Pre.Mean, "pre.sd": r1.Pre.SD, "post.mean": r1.Post.Mean,
		"mean_pre": r1.Paired.MeanPre, "mean_diff": r1.Paired.MeanDiff, "sd_diff": r1.Paired.SDDiff, "dz": r1.Paired.EffectSizeDz} {
		checkNull(t, "r1 "+name, v)
	}

	// The scale: mean of q1, reversed q2 and q3, per pupil and phase.
	if len(res.Scales) != 1 || res.Scales[0].Key != "ouverture" {
		t.Fatalf("scales = %+v, want ouverture", res.Scales)
	}
	sc := res.Scales[0]
	scaleScores := func(data map[string]map[string]any) []float64 {
		var out []float64
		for _, p := range participants {
			out = append(out, (score("q1", data[p]["q1"])+score("q2", data[p]["q2"])+score("q3", data[p]["q3"]))/3)
		}
		return out
	}
	sPre, sPost := scaleScores(pre), scaleScores(post)
	checkNum(t, "scale pre.mean (7/3, 10/3, 4/3)", sc.Pre.Mean, 7.0/3)
	m, sd := meanSD(sPre)
	checkNum(t, "scale pre.sd", sc.Pre.SD, sd)
	m2, sd2 := meanSD(sPost)
	checkNum(t, "scale post.mean", sc.Post.Mean, m2)
	checkNum(t, "scale post.sd", sc.Post.SD, sd2)
	if sc.Pre.N != 3 || sc.Post.N != 3 || sc.Paired.N != 3 {
		t.Errorf("scale n = %d/%d/%d, want 3", sc.Pre.N, sc.Post.N, sc.Paired.N)
	}
	checkNum(t, "scale paired.mean_diff", sc.Paired.MeanDiff, m2-m)
	// Cronbach's alpha on PRE: item variances 1, 7/3, 1/3; total variance 9.
	checkNum(t, "scale alpha_pre", sc.AlphaPre, 1.5*(1-(1+7.0/3+1.0/3)/9))

	// Free texts, trimmed; P3 wrote nothing.
	if len(res.Texts) != 1 || res.Texts[0].Key != "t1" {
		t.Fatalf("texts = %+v, want t1", res.Texts)
	}
	var texts []string
	for _, a := range res.Texts[0].Answers {
		texts = append(texts, a.Text)
		if a.Phase != "post" {
			t.Errorf("text %q phase = %q, want post", a.Text, a.Phase)
		}
	}
	slices.Sort(texts)
	if want := []string{"J'ai appris que les ODD sont 17.", "Le commerce équitable"}; !slices.Equal(texts, want) {
		t.Errorf("texts = %q, want %q", texts, want)
	}
}

// TestAPIResultsNoNaN checks edge cases where statistics are undefined: one
// pupil, identical answers, an empty workshop.
func TestAPIResultsNoNaN(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, impactDefinition)

	empty := ts.openWorkshop(t, token, qid, "pre")
	one := ts.openWorkshop(t, token, qid, "pre")
	ts.answer(t, one.Code, submission{"one-pre", "P", "pre", validPre()})
	ts.setPhase(t, token, one.ID, "post")
	ts.answer(t, one.Code, submission{"one-post", "P", "post", validPre()})
	same := ts.openWorkshop(t, token, qid, "pre")
	for i := range 4 {
		ts.answer(t, same.Code, submission{fmt.Sprint("same-pre-", i), fmt.Sprint("P", i), "pre", validPre()})
	}
	ts.setPhase(t, token, same.ID, "post")
	for i := range 4 {
		ts.answer(t, same.Code, submission{fmt.Sprint("same-post-", i), fmt.Sprint("P", i), "post", validPre()})
	}

	for name, w := range map[string]workshopOut{"empty": empty, "one pupil": one, "no change": same} {
		t.Run(name, func(t *testing.T) {
			res, data := ts.raw(t, nil, "GET", ts.URL+"/api/v1/workshops/"+w.ID+"/results", token, nil, nil)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status = %d (%s)", res.StatusCode, data)
			}
			if bytes.Contains(data, []byte("NaN")) || bytes.Contains(data, []byte("Inf")) {
				t.Errorf("results contain NaN or Inf: %s", data)
			}
			var out resultsOut
			if err := json.Unmarshal(data, &out); err != nil {
				t.Fatalf("results are not JSON: %v", err)
			}
			if len(out.Items) != 6 || len(out.Scales) != 1 {
				t.Errorf("%d items, %d scales; want 6 and 1 even without data", len(out.Items), len(out.Scales))
			}
			for _, it := range out.Items {
				if it.Pre.N < 2 {
					checkNull(t, it.Key+" pre.sd", it.Pre.SD)
				}
				if it.Paired.N < 2 && (it.Paired.T != nil || it.Paired.SDDiff != nil) {
					t.Errorf("%s: paired with n %d has t %+v, sd_diff %v; want null", it.Key, it.Paired.N, it.Paired.T, it.Paired.SDDiff)
				}
				if it.Paired.N >= 2 && it.Paired.SDDiff != nil && *it.Paired.SDDiff == 0 && (it.Paired.T != nil || it.Paired.EffectSizeDz != nil) {
					t.Errorf("%s: zero variance gives t %+v, dz %v; want null", it.Key, it.Paired.T, it.Paired.EffectSizeDz)
				}
			}
		})
	}
}
