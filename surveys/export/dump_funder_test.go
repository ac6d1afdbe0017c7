package export_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"declic/surveys"
	"declic/surveys/export"
	"declic/surveys/library"
	"declic/surveys/sqlite"
)

func memoryStore(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), sqlite.Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Indicators, the organisation's name and logo and the chosen quotes are
// in the dump, and a restore brings them back; a dump whose indicator
// names an item the questionnaire lacks is refused, naming the line.
func TestDumpKeepsIndicatorsSettingsAndQuotes(t *testing.T) {
	ctx := context.Background()
	src := memoryStore(t)
	qs, err := library.Load()
	if err != nil {
		t.Fatal(err)
	}
	q := qs[0]
	if err := src.EnsureQuestionnaire(ctx, q); err != nil {
		t.Fatal(err)
	}
	w := &surveys.Workshop{QuestionnaireID: q.ID, Title: "Atelier", Date: "2026-03-10", Phase: surveys.PhaseClosed}
	if err := src.CreateWorkshop(ctx, w); err != nil {
		t.Fatal(err)
	}
	target := 0.6
	var item string
	for _, it := range q.Items {
		if it.Scored() && it.AskedIn(surveys.PhasePre) && it.AskedIn(surveys.PhasePost) {
			item = it.Key
			break
		}
	}
	ind := &surveys.Indicator{Name: "Part qui progresse", QuestionnaireID: q.ID, Item: item, Measure: surveys.ShareImproved, Target: &target}
	if err := ind.Validate(q); err != nil {
		t.Fatal(err)
	}
	if err := src.CreateIndicator(ctx, ind); err != nil {
		t.Fatal(err)
	}
	logo := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>`)
	if err := src.SaveSettings(ctx, &surveys.Settings{OrganisationName: "Solidarités Lille", Logo: logo, LogoType: surveys.LogoSVG}); err != nil {
		t.Fatal(err)
	}
	if err := src.SelectQuotes(ctx, []string{w.ID}, []surveys.Quote{{WorkshopID: w.ID, ResponseID: "r1", ItemKey: "appris"}}); err != nil {
		t.Fatal(err)
	}
	var dump bytes.Buffer
	if err := export.WriteDump(ctx, &dump, src, time.Now(), "test"); err != nil {
		t.Fatal(err)
	}
	dst := memoryStore(t)
	rep, err := export.Restore(ctx, bytes.NewReader(dump.Bytes()), dst)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if rep.Indicators != 1 || rep.Quotes != 1 || rep.Workshops != 1 {
		t.Errorf("restored %+v, want 1 indicator, 1 quote, 1 workshop", rep)
	}
	got, err := dst.Indicator(ctx, ind.ID)
	if err != nil || got.Name != ind.Name || got.Item != item || got.Target == nil || *got.Target != 0.6 {
		t.Errorf("indicator after restore: %+v, %v", got, err)
	}
	st, err := dst.Settings(ctx)
	if err != nil || st.OrganisationName != "Solidarités Lille" || !bytes.Equal(st.Logo, logo) || st.LogoType != surveys.LogoSVG {
		t.Errorf("settings after restore: %+v, %v", st, err)
	}
	quotes, err := dst.Quotes(ctx, []string{w.ID})
	if err != nil || len(quotes) != 1 {
		t.Errorf("quotes after restore: %+v, %v", quotes, err)
	}

	// An altered dump (the indicator now names a missing item, checksum
	// recomputed) is refused before anything is stored.
	bad := strings.Replace(dump.String(), `"item":"`+item+`"`, `"item":"inconnue"`, 1)
	bad = resum(t, bad)
	_, err = export.Restore(ctx, strings.NewReader(bad), memoryStore(t))
	if err == nil || !strings.Contains(surveys.ErrorMessage(err), "Ligne") || !strings.Contains(err.Error()+surveys.ErrorMessage(err), "inconnue") {
		t.Errorf("restore of a dump with a bad indicator: %v", err)
	}
}

// resum rewrites a dump's end line for its altered content, as someone
// editing the file by hand with care would.
func resum(t *testing.T, dump string) string {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(dump, "\n"), "\n")
	h := sha256.New()
	for _, l := range lines[:len(lines)-1] {
		h.Write([]byte(l + "\n"))
	}
	end, _ := json.Marshal(map[string]any{"end": map[string]any{"records": len(lines) - 2, "sha256": hex.EncodeToString(h.Sum(nil))}})
	lines[len(lines)-1] = string(end)
	return strings.Join(lines, "\n") + "\n"
}

// A line longer than any record is refused with its number and in words,
// not with the scanner's « token too long ».
func TestRestoreRefusesAHugeLine(t *testing.T) {
	huge := `{"declic_dump":1}` + "\n" + `{"user":"` + strings.Repeat("x", 17<<20) + `"}` + "\n"
	_, err := export.Restore(context.Background(), strings.NewReader(huge), memoryStore(t))
	msg := surveys.ErrorMessage(err)
	if err == nil || !strings.Contains(msg, "Ligne 2") || !strings.Contains(msg, "plus de 16 Mo") || strings.Contains(msg, "token") {
		t.Errorf("restore of a 17 MB line: %v (%s)", err, msg)
	}
}
