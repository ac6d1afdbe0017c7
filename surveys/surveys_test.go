package surveys

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// testQuestionnaire has every item type, a reverse item, a post-only text and a scale.
func testQuestionnaire(t *testing.T) *Questionnaire {
	t.Helper()
	q, err := ParseDefinition([]byte(`{
	  "title": "Test", "language": "fr",
	  "items": [
	    {"key": "l1", "type": "likert", "text": "Likert", "scale": {"min": 1, "max": 5}},
	    {"key": "l2", "type": "likert", "text": "Inversée", "scale": {"min": 1, "max": 5}, "reverse": true},
	    {"key": "n1", "type": "scale", "text": "Note", "scale": {"min": 0, "max": 10}},
	    {"key": "k1", "type": "quiz", "text": "Quiz", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}], "correct": "b"},
	    {"key": "y1", "type": "yesno", "text": "Oui ou non"},
	    {"key": "c1", "type": "choice", "text": "Choix", "multiple": true, "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]},
	    {"key": "t1", "type": "text", "text": "Texte", "phases": ["post"]}
	  ],
	  "scales": [{"key": "sc", "title": "Échelle", "items": ["l1", "l2"]}]
	}`))
	if err != nil {
		t.Fatalf("ParseDefinition: %v", err)
	}
	return q
}

func TestParseDefinitionAcceptsYAML(t *testing.T) {
	q, err := ParseDefinition([]byte("title: Essai\nitems:\n  - key: q1\n    type: yesno\n    text: Oui ?\n"))
	if err != nil {
		t.Fatalf("ParseDefinition(yaml): %v", err)
	}
	if got := q.Items[0].Type; got != YesNo {
		t.Errorf("type = %q, want yesno", got)
	}
	if q.Language != "fr" {
		t.Errorf("language = %q, want default fr", q.Language)
	}
}

func TestValidateNamesEveryProblem(t *testing.T) {
	likert := `{"key": "ok", "type": "likert", "text": "T", "scale": {"min": 1, "max": 5}}`
	tests := []struct {
		name, def, field, contains string
	}{
		{"no title", `{"items": [` + likert + `]}`, "title", "obligatoire"},
		{"no items", `{"title": "T", "items": []}`, "items", "au moins"},
		{"bad key", `{"title": "T", "items": [{"key": "Q-1", "type": "yesno", "text": "T"}]}`, "items[0]", "clé"},
		{"duplicate key", `{"title": "T", "items": [` + likert + `,` + likert + `]}`, "ok", "déjà"},
		{"unknown type", `{"title": "T", "items": [{"key": "q", "type": "slider", "text": "T"}]}`, "q", "type inconnu"},
		{"likert without scale", `{"title": "T", "items": [{"key": "q", "type": "likert", "text": "T"}]}`, "q", "scale"},
		{"inverted range", `{"title": "T", "items": [{"key": "q", "type": "scale", "text": "T", "scale": {"min": 5, "max": 1}}]}`, "q", "min < max"},
		{"labels count", `{"title": "T", "items": [{"key": "q", "type": "likert", "text": "T", "scale": {"min": 1, "max": 5, "labels": ["a"]}}]}`, "q", "libellés"},
		{"quiz correct unknown", `{"title": "T", "items": [{"key": "q", "type": "quiz", "text": "T", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}], "correct": "z"}]}`, "q", "correct"},
		{"one option", `{"title": "T", "items": [{"key": "q", "type": "choice", "text": "T", "options": [{"value": "a", "label": "A"}]}]}`, "q", "options"},
		{"reverse text", `{"title": "T", "items": [{"key": "q", "type": "text", "text": "T", "reverse": true}]}`, "q", "inversées"},
		{"bad phase", `{"title": "T", "items": [{"key": "q", "type": "yesno", "text": "T", "phases": ["during"]}]}`, "q", "phase inconnue"},
		{"empty text", `{"title": "T", "items": [{"key": "q", "type": "yesno", "text": "  "}]}`, "q", "texte"},
		{"scale unknown item", `{"title": "T", "items": [` + likert + `], "scales": [{"key": "s", "title": "S", "items": ["ok", "nope"]}]}`, "scales.s", "nope"},
		{"scale of text", `{"title": "T", "items": [` + likert + `, {"key": "t", "type": "text", "text": "T"}], "scales": [{"key": "s", "title": "S", "items": ["ok", "t"]}]}`, "scales.s", "likert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDefinition([]byte(tt.def))
			if ErrorCode(err) != EINVALID {
				t.Fatalf("err = %v, want code %q", err, EINVALID)
			}
			got := ErrorFields(err)[tt.field]
			if !strings.Contains(got, tt.contains) {
				t.Errorf("fields[%q] = %q, want it to contain %q (all: %v)", tt.field, got, tt.contains, ErrorFields(err))
			}
		})
	}
}

func TestParseDefinitionRefusesMalformedJSON(t *testing.T) {
	for _, def := range []string{``, `{`, `{"title": "T", "items": [], "extra": 1}`, `{"title": "T"} {"title": "U"}`, `{"title": 3}`} {
		if _, err := ParseDefinition([]byte(def)); ErrorCode(err) != EINVALID {
			t.Errorf("ParseDefinition(%q) err = %v, want invalid", def, err)
		}
	}
}

func TestCheckAnswers(t *testing.T) {
	q := testQuestionnaire(t)
	valid := func() map[string]any {
		return map[string]any{"l1": 4.0, "l2": json.Number("2"), "n1": 10.0, "k1": "b", "y1": 0.0, "c1": []any{"a", "b", "a"}}
	}
	got, err := q.CheckAnswers(PhasePre, valid())
	if err != nil {
		t.Fatalf("valid answers: %v", err)
	}
	if !got["l1"].Equal(NumberAnswer(4)) || !got["l2"].Equal(NumberAnswer(2)) || !got["k1"].Equal(OptionAnswer("b")) {
		t.Errorf("normalised = %v", got)
	}
	if c := got["c1"]; !c.Equal(OptionsAnswer([]string{"a", "b"})) {
		t.Errorf("c1 = %v, want duplicates removed", c)
	}

	tests := []struct {
		name  string
		phase Phase
		edit  func(map[string]any)
		field string
	}{
		{"out of range", PhasePre, func(a map[string]any) { a["l1"] = 6.0 }, "l1"},
		{"not whole", PhasePre, func(a map[string]any) { a["n1"] = 4.5 }, "n1"},
		{"string for likert", PhasePre, func(a map[string]any) { a["l1"] = "4" }, "l1"},
		{"number for quiz", PhasePre, func(a map[string]any) { a["k1"] = 1.0 }, "k1"},
		{"unknown option", PhasePre, func(a map[string]any) { a["k1"] = "z" }, "k1"},
		{"yesno 2", PhasePre, func(a map[string]any) { a["y1"] = 2.0 }, "y1"},
		{"operator object", PhasePre, func(a map[string]any) { a["l1"] = map[string]any{"$gt": ""} }, "l1"},
		{"unknown item", PhasePre, func(a map[string]any) { a["zz"] = 1.0 }, "zz"},
		{"missing required", PhasePre, func(a map[string]any) { delete(a, "k1") }, "k1"},
		{"null required", PhasePre, func(a map[string]any) { a["y1"] = nil }, "y1"},
		{"post-only item in pre", PhasePre, func(a map[string]any) { a["t1"] = "bonjour" }, "t1"},
		{"text too long", PhasePost, func(a map[string]any) { a["t1"] = strings.Repeat("é", MaxTextAnswer+1) }, "t1"},
		{"choice not a list", PhasePre, func(a map[string]any) { a["c1"] = "a" }, "c1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid()
			tt.edit(a)
			_, err := q.CheckAnswers(tt.phase, a)
			if _, ok := ErrorFields(err)[tt.field]; !ok {
				t.Errorf("err = %v, want a field error on %q", err, tt.field)
			}
		})
	}
}

func TestCheckFormKeepsStringsStrict(t *testing.T) {
	q := testQuestionnaire(t)
	form := map[string][]string{"a_l1": {"4"}, "a_l2": {"1"}, "a_n1": {"0"}, "a_k1": {"a"}, "a_y1": {"1"}, "a_c1": {"a", "b"}}
	got, err := q.CheckForm(PhasePre, form)
	if err != nil {
		t.Fatalf("CheckForm: %v", err)
	}
	if !got["l1"].Equal(NumberAnswer(4)) || !got["n1"].Equal(NumberAnswer(0)) {
		t.Errorf("got %v", got)
	}
	form["a_l1"] = []string{"4.0e0x"}
	if _, err := q.CheckForm(PhasePre, form); ErrorFields(err)["l1"] == "" {
		t.Errorf("garbage number: err = %v, want field l1", err)
	}
}

func TestScore(t *testing.T) {
	q := testQuestionnaire(t)
	tests := []struct {
		key  string
		v    Answer
		want float64
		ok   bool
	}{
		{"l1", NumberAnswer(4), 4, true},
		{"l2", NumberAnswer(4), 2, true}, // reverse: 1 + 5 - 4
		{"l2", NumberAnswer(1), 5, true},
		{"k1", OptionAnswer("b"), 1, true},
		{"k1", OptionAnswer("a"), 0, true},
		{"y1", NumberAnswer(1), 1, true},
		{"l1", Answer{}, 0, false},
		{"c1", OptionsAnswer([]string{"a"}), 0, false},
		{"t1", TextAnswer("b"), 0, false},
	}
	for _, tt := range tests {
		it, _ := q.Item(tt.key)
		got, ok := it.Score(tt.v)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Score(%s, %v) = %v, %v; want %v, %v", tt.key, tt.v, got, ok, tt.want, tt.ok)
		}
	}
}

func TestResultsPairsAndDuplicates(t *testing.T) {
	q := testQuestionnaire(t)
	b := NewResultsBuilder(q)
	b.CollectTexts = true
	add := func(participant string, p Phase, l1, l2 int, k string) {
		b.Add(&Response{WorkshopID: "w", Participant: participant, Phase: p, Answers: ans(map[string]any{"l1": l1, "l2": l2, "n1": 5, "k1": k, "y1": 1, "t1": TextAnswer("merci " + participant)})})
	}
	add("a", PhasePre, 2, 4, "a") // l2 score 2
	add("a", PhasePost, 4, 2, "b")
	add("b", PhasePre, 3, 3, "a")
	add("b", PhasePost, 3, 3, "a")
	add("c", PhasePre, 1, 5, "a") // pre only
	add("d", PhasePost, 5, 1, "b")
	add("d", PhasePost, 5, 1, "b") // duplicate: out of pairs
	b.Add(&Response{WorkshopID: "other", Participant: "a", Phase: PhasePost, Answers: ans(map[string]any{"l1": 5})})

	res := b.Results()
	if res.NPre != 3 || res.NPost != 5 || res.NPaired != 2 || res.NDuplicates != 1 {
		t.Fatalf("counts = pre %d post %d paired %d dup %d; want 3 5 2 1", res.NPre, res.NPost, res.NPaired, res.NDuplicates)
	}
	l1 := res.Items[0]
	if l1.Key != "l1" || l1.Pre.N != 3 || *l1.Pre.Mean != 2 || l1.Post.N != 5 {
		t.Errorf("l1 pre = %+v post n %d", l1.Pre, l1.Post.N)
	}
	if l1.Pre.Counts["1"] != 1 || l1.Pre.Counts["5"] != 0 || len(l1.Pre.Counts) != 5 {
		t.Errorf("l1 pre counts = %v", l1.Pre.Counts)
	}
	if l1.Paired.N != 2 || *l1.Paired.MeanPre != 2.5 || *l1.Paired.MeanPost != 3.5 || *l1.Paired.MeanDiff != 1 {
		t.Errorf("l1 paired = %+v", l1.Paired)
	}
	if l1.Paired.Improved != 1 || l1.Paired.Unchanged != 1 || l1.Paired.Declined != 0 {
		t.Errorf("l1 improved/unchanged/declined = %d/%d/%d", l1.Paired.Improved, l1.Paired.Unchanged, l1.Paired.Declined)
	}
	l2 := res.Items[1]
	if *l2.Paired.MeanPre != 2.5 || *l2.Paired.MeanPost != 3.5 {
		t.Errorf("l2 (reverse) paired means = %v, %v; want 2.5, 3.5", *l2.Paired.MeanPre, *l2.Paired.MeanPost)
	}
	var k1 *ItemResult
	for i := range res.Items {
		if res.Items[i].Key == "k1" {
			k1 = &res.Items[i]
		}
	}
	if k1 == nil || k1.McNemar == nil || k1.McNemar.B != 1 || k1.McNemar.C != 0 {
		t.Fatalf("k1 mcnemar = %+v", k1)
	}
	if k1.Pre.Counts["a"] != 3 || k1.Pre.Counts["b"] != 0 {
		t.Errorf("k1 pre counts = %v", k1.Pre.Counts)
	}
	if len(res.Scales) != 1 || res.Scales[0].Paired.N != 2 || *res.Scales[0].Paired.MeanDiff != 1 {
		t.Errorf("scale = %+v", res.Scales)
	}
	if len(res.Texts) != 1 || len(res.Texts[0].Answers) != 4 {
		t.Errorf("texts = %+v", res.Texts)
	}
	if _, err := json.Marshal(res); err != nil {
		t.Errorf("results do not encode (NaN?): %v", err)
	}
}

func TestResultsEmptyIsNullNotNaN(t *testing.T) {
	res := NewResultsBuilder(testQuestionnaire(t)).Results()
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if res.Items[0].Pre.Mean != nil || res.Items[0].Paired.MeanDiff != nil || res.Items[0].Paired.T != nil {
		t.Errorf("empty results should be null: %s", data)
	}
}

func TestPseudonymizer(t *testing.T) {
	p := NewPseudonymizer([]byte(strings.Repeat("k", 32)))
	code := func(mere string, jour, mois int, l2 string) Code {
		t.Helper()
		c := Code{Mere: mere, Jour: jour, Mois: mois, Lettre2: l2}
		if f := c.Check(); len(f) > 0 {
			t.Fatalf("Check(%+v) = %v", c, f)
		}
		return c
	}
	a := p.OfCode("w1", code("é", 7, 3, "l"), "")
	if b := p.OfCode("w1", code(" E", 7, 3, "L "), ""); a.Participant != b.Participant || !slices.Equal(a.CodeParts, b.CodeParts) {
		t.Error("the code should forgive case, accents and spaces")
	}
	if b := p.OfCode("w1", code("E", 17, 3, "L"), ""); a.Participant == b.Participant || a.CodeParts[1] == b.CodeParts[1] || a.CodeParts[0] != b.CodeParts[0] {
		t.Errorf("one element changed: parts %v and %v should differ there only", a.CodeParts, b.CodeParts)
	}
	if b := p.OfCode("w2", code("E", 7, 3, "L"), ""); a.Participant == b.Participant || a.CodeParts[0] == b.CodeParts[0] {
		t.Error("pseudonyms must differ per workshop")
	}
	if p.OfParticipant("w1", "E7L", "").Participant == a.Participant {
		t.Error("an opaque participant must not collide with a code")
	}
	other := NewPseudonymizer([]byte(strings.Repeat("x", 32)))
	if other.OfCode("w1", code("E", 7, 3, "L"), "").Participant == a.Participant {
		t.Error("the key must change the pseudonym")
	}
	if p.OfCode("w1", code("E", 7, 3, "L"), "tel-1").Device == "" || a.Device != "" {
		t.Error("a device id gives a device hash, none gives none")
	}
}

func TestCodeCheckNamesEachElement(t *testing.T) {
	c := Code{Mere: "AB", Jour: 45, Mois: 0, Lettre2: "7"}
	f := c.Check()
	for _, k := range []string{"code.mere", "code.jour", "code.mois", "code.lettre2"} {
		if f[k] == "" {
			t.Errorf("Check() = %v, want an error on %s", f, k)
		}
	}
	if !strings.Contains(f["code.jour"], "1 à 31") {
		t.Errorf("jour message = %q, want the range", f["code.jour"])
	}
	for _, c := range []Code{{"M", 31, 2, "A"}, {"M", 30, 2, "A"}, {"M", 31, 4, "A"}, {"M", 31, 11, "A"}} {
		if f := c.Check(); !strings.Contains(f["code.jour"], "n'existe pas") || len(f) != 1 {
			t.Errorf("%v: Check() = %v, want only the day, as an impossible date", c, f)
		}
	}
	for _, c := range []Code{{"M", 29, 2, "A"}, {"M", 31, 12, "A"}, {"M", 30, 4, "A"}} {
		if f := c.Check(); len(f) != 0 {
			t.Errorf("%v: Check() = %v, want none", c, f)
		}
	}
}

func TestSealedCodeRoundTrip(t *testing.T) {
	p := NewPseudonymizer([]byte(strings.Repeat("k", 32)))
	c := Code{Mere: "M", Jour: 12, Mois: 3, Lettre2: "A"}
	sealed := p.SealCode(c)
	if strings.Contains(sealed, "M") && strings.Contains(sealed, "12") {
		t.Logf("sealed %q (random bytes may contain anything)", sealed)
	}
	got, ok := p.OpenCode(sealed)
	if !ok || got != c {
		t.Errorf("OpenCode = %+v %v, want %+v", got, ok, c)
	}
	if _, ok := NewPseudonymizer([]byte(strings.Repeat("x", 32))).OpenCode(sealed); ok {
		t.Error("another key opened the sealed code")
	}
	if _, ok := p.OpenCode(sealed[:len(sealed)-2] + "AA"); ok {
		t.Error("a tampered cookie was accepted")
	}
}

func TestWorkshopValidate(t *testing.T) {
	w := Workshop{QuestionnaireID: "q", Title: "  Atelier ", Date: "2026-02-30", Tags: []string{" ODD ", "odd", ""}}
	err := w.Validate()
	if ErrorFields(err)["date"] == "" {
		t.Errorf("err = %v, want a date error", err)
	}
	w.Date = "2026-02-28"
	if err := w.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if w.Title != "Atelier" || len(w.Tags) != 1 || w.Tags[0] != "odd" || w.Phase != PhaseClosed {
		t.Errorf("normalised workshop = %+v", w)
	}
	// Control characters and bidirectional overrides are refused in what
	// staff type, naming the field; Validate lets a stored one through, so
	// that old workshops and their dumps stay readable.
	for field, set := range map[string]func(*Workshop){
		"title":   func(w *Workshop) { w.Title = "Atelier\u0000" },
		"partner": func(w *Workshop) { w.Partner = "\u202eécole" },
		"group":   func(w *Workshop) { w.Group = "4e\u0007B" },
		"place":   func(w *Workshop) { w.Place = "Lille\u2066" },
		"tags":    func(w *Workshop) { w.Tags = []string{"odd\u0000"} },
	} {
		bad := Workshop{QuestionnaireID: "q", Title: "Atelier", Date: "2026-02-28"}
		set(&bad)
		if msg := ErrorFields(bad.CheckTyped("title", "partner", "group", "place", "tags"))[field]; !strings.Contains(msg, "contrôle") {
			t.Errorf("%s with a control character: error %q, want one naming it", field, msg)
		}
		if err := bad.CheckTyped("date"); err != nil {
			t.Errorf("%s checked though not typed: %v", field, err)
		}
		if err := bad.Validate(); err != nil {
			t.Errorf("%s: Validate refuses a stored control character: %v", field, err)
		}
	}
	ok := Workshop{QuestionnaireID: "q", Title: "Atelier 👩‍🏫 Jean-Macé", Date: "2026-02-28"}
	if err := ok.CheckTyped("title"); err != nil {
		t.Errorf("a title with an emoji: %v", err)
	}
}

func TestNewCodeAlphabet(t *testing.T) {
	for range 100 {
		c := NewCode()
		if len(c) != 6 || strings.ContainsAny(c, "01OIL") {
			t.Fatalf("code %q", c)
		}
		if NormalizeCode(" "+strings.ToLower(c)[:3]+"-"+c[3:]) != c {
			t.Fatalf("NormalizeCode does not round-trip %q", c)
		}
	}
}

func TestReading(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	ci := func(lo, hi float64) *[2]float64 { return &[2]float64{lo, hi} }
	tests := []struct {
		name   string
		p      Paired
		kind   answerKind
		pValue *float64
		want   string
	}{
		{"example", Paired{N: 18, MeanPre: f(3), MeanPost: f(3.6), MeanDiff: f(0.6), EffectSizeDz: f(0.55), CI95: ci(0.2, 1), MDEDz: f(0.7), Improved: 11, Unchanged: 5, Declined: 2}, pointsKind, f(0.0123),
			"Sur les 18 jeunes qui ont répondu avant et après, 11 ont progressé, 5 n'ont pas changé, 2 ont reculé. Le changement moyen est de +0,6 point sur une échelle de 1 à 5. C'est un effet moyen, peu probable par hasard (p corrigé\u00a0=\u00a00,01)."},
		{"too few", Paired{N: 3, MeanDiff: f(-1), EffectSizeDz: f(-0.9), Improved: 0, Unchanged: 1, Declined: 2}, pointsKind, f(0.2),
			"Sur les 3 jeunes qui ont répondu avant et après, 0 a progressé, 1 n'a pas changé, 2 ont reculé. Le changement moyen est de −1,0 point sur une échelle de 1 à 5. Trop peu de réponses appariées pour conclure."},
		{"none", Paired{}, pointsKind, nil, "Aucun jeune n'a répondu avant et après : pas de comparaison possible pour l'instant."},
		{"quiz", Paired{N: 20, MeanPre: f(0.4), MeanPost: f(0.75), EffectSizeDz: f(0.6), CI95: ci(0.1, 0.6), Improved: 8, Declined: 1}, correctKind, f(0.04),
			"Sur les 20 jeunes qui ont répondu avant et après, 8 donnent la bonne réponse après et pas avant, 1 l'inverse. La part de bonnes réponses passe de 40\u00a0% à 75\u00a0%. C'est un effet moyen, peu probable par hasard (p corrigé\u00a0=\u00a00,04)."},
		{"yes/no", Paired{N: 20, MeanPre: f(0.4), MeanPost: f(0.45), EffectSizeDz: f(0.1), CI95: ci(-0.1, 0.2), MDEDz: f(0.66), Improved: 2, Declined: 1, Unchanged: 17}, yesKind, f(1),
			"Sur les 20 jeunes qui ont répondu avant et après, 2 répondent « oui » après et pas avant, 1 l'inverse. La part de « oui » passe de 40\u00a0% à 45\u00a0%. Résultat non concluant (p corrigé >\u00a00,99) : avec 20 jeunes appariés, seul un effet d'au moins 0,66 (d de Cohen apparié) avait 80\u00a0% de chances d'être repéré ; un effet plus petit, comme ceux qu'on attend souvent d'un atelier (autour de 0,3), peut passer inaperçu."},
		{"quiz unchanged share", Paired{N: 14, MeanPre: f(1.0 / 14), MeanPost: f(1.0 / 14), EffectSizeDz: f(0), CI95: ci(-0.2, 0.2), MDEDz: f(0.8), Improved: 1, Declined: 1, Unchanged: 12}, correctKind, f(1),
			"Sur les 14 jeunes qui ont répondu avant et après, 1 donne la bonne réponse après et pas avant, 1 l'inverse. La part de bonnes réponses reste de 7\u00a0%. Résultat non concluant (p corrigé >\u00a00,99) : avec 14 jeunes appariés, seul un effet d'au moins 0,80 (d de Cohen apparié) avait 80\u00a0% de chances d'être repéré ; un effet plus petit, comme ceux qu'on attend souvent d'un atelier (autour de 0,3), peut passer inaperçu."},
		{"quiz nobody changed", Paired{N: 14, MeanPre: f(0.5), MeanPost: f(0.5), Unchanged: 14}, correctKind, nil,
			"Sur les 14 jeunes qui ont répondu avant et après, personne n'a changé de réponse : la part de bonnes réponses reste de 50\u00a0%."},
		{"holm", Paired{N: 30, MeanDiff: f(0.3), EffectSizeDz: f(0.4), CI95: ci(0.01, 0.6), MDEDz: f(0.53), Improved: 12, Unchanged: 10, Declined: 8}, pointsKind, f(0.08),
			"Sur les 30 jeunes qui ont répondu avant et après, 12 ont progressé, 10 n'ont pas changé, 8 ont reculé. Le changement moyen est de +0,3 point sur une échelle de 1 à 5. Ce changement pourrait être dû au hasard, compte tenu du nombre de questions (p corrigé\u00a0=\u00a00,08)."},
		{"enough pairs", Paired{N: 120, MeanDiff: f(0.02), EffectSizeDz: f(0.02), CI95: ci(-0.1, 0.14), MDEDz: f(0.26), Improved: 30, Unchanged: 62, Declined: 28}, pointsKind, f(0.5),
			"Sur les 120 jeunes qui ont répondu avant et après, 30 ont progressé, 62 n'ont pas changé, 28 ont reculé. Le changement moyen est de 0,0 point sur une échelle de 1 à 5. Pas de changement net (p corrigé\u00a0=\u00a00,50) : avec 120 jeunes appariés, un effet de 0,3 aurait eu au moins 80\u00a0% de chances d'être repéré."},
	}
	for _, tt := range tests {
		got := reading(tt.p, 1, 5, tt.kind, tt.pValue)
		if got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
		for _, bad := range []string{"ou « oui »", "p = 1,00", "p corrigé = 1,00"} {
			if strings.Contains(got, bad) {
				t.Errorf("%s: reading says %q", tt.name, bad)
			}
		}
	}
}

// A JSON value of the wrong type is named as JSON in French, never as a
// Go type (the acceptance sweep saw « map[string]interface {} attendu »).
func TestDecodeStrictNamesJSONTypes(t *testing.T) {
	var v struct {
		Code    map[string]any `json:"code"`
		N       float64        `json:"n"`
		Count   int            `json:"count"`
		Tags    []string       `json:"tags"`
		Title   string         `json:"title"`
		Shared  bool           `json:"shared"`
		Pointer *int           `json:"pointer"`
	}
	for body, want := range map[string]string{
		`{"code": "M12"}`:     "« code » n'a pas le bon type : il faut un objet { … }.",
		`{"n": "3"}`:          "il faut un nombre.",
		`{"count": 1.5}`:      "il faut un nombre entier.",
		`{"tags": "a"}`:       "il faut une liste [ … ].",
		`{"title": 3}`:        "il faut un texte entre guillemets.",
		`{"shared": "oui"}`:   "il faut true ou false.",
		`{"pointer": "deux"}`: "il faut un nombre entier.",
		` null `:              "null ne dit rien ; il faut un objet { … }.",
	} {
		err := DecodeStrict([]byte(body), &v)
		if err == nil || !strings.Contains(err.Error(), want) || strings.ContainsAny(err.Error(), "[]{}") && !strings.Contains(want, "…") {
			t.Errorf("%s: %v, want %q", body, err, want)
		}
		if err != nil && (strings.Contains(err.Error(), "interface") || strings.Contains(err.Error(), "float64") || strings.Contains(err.Error(), "string attendu")) {
			t.Errorf("%s: a Go type in %q", body, err)
		}
	}
}
