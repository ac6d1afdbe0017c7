package export

import (
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"declic/surveys/fr"
)

// SheetAbout is the workbook sheet that says what the file is: who made
// it, with which version of Déclic, when, and from what.
const SheetAbout = "À propos"

// Stamp says where an exported file comes from.
type Stamp struct {
	Title        string    // the document's title: « Réponses — Les ODD en jeu »
	Organisation string    // the organisation's name, if set
	Scope        string    // which workshops: « 4 ateliers, période du … »
	Produced     time.Time // zero means now
}

// Version is Déclic's version as the build recorded it: the module
// version, or the commit for a build from a git checkout, else "dev".
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+modifié"
	}
	return rev
}

// VersionLine is the line every export carries: « Exporté par Déclic
// (version …) le 29 novembre 2026 ».
func (st Stamp) VersionLine() string {
	return "Exporté par Déclic (version " + Version() + ") le " + fr.DateOf(st.produced())
}

func (st Stamp) produced() time.Time {
	if st.Produced.IsZero() {
		return time.Now()
	}
	return st.Produced
}

// stampWorkbook sets the document's properties (Déclic, the date, the
// title) and writes the « À propos » sheet as its last sheet.
func stampWorkbook(f *excelize.File, st Stamp, bold int) error {
	when := st.produced().UTC().Format(time.RFC3339)
	desc := st.VersionLine()
	if st.Scope != "" {
		desc += " — " + st.Scope
	}
	err := f.SetDocProps(&excelize.DocProperties{
		Creator: "Déclic", LastModifiedBy: "Déclic", Created: when, Modified: when,
		Title: st.Title, Subject: st.Scope, Description: desc, Version: Version(), Language: "fr-FR",
		Keywords: "Déclic; questionnaires avant/après",
	})
	if err != nil {
		return err
	}
	if err := f.SetAppProps(&excelize.AppProperties{Application: "Déclic", Company: st.Organisation, AppVersion: appVersion()}); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetAbout); err != nil {
		return err
	}
	rows := [][2]string{
		{"Document", st.Title},
		{"Organisation", st.Organisation},
		{"Ateliers", st.Scope},
		{"Produit le", fr.DateOf(st.produced())},
		{"Version", st.VersionLine()},
		{"Source", "Questionnaires avant/après Déclic. Les jeunes sont reliés entre avant et après par un code anonyme ; aucun nom n'est recueilli."},
	}
	if err := f.SetColWidth(SheetAbout, "A", "A", 16); err != nil {
		return err
	}
	if err := f.SetColWidth(SheetAbout, "B", "B", 100); err != nil {
		return err
	}
	for i, r := range rows {
		cell := "A" + strconv.Itoa(i+1)
		if err := f.SetSheetRow(SheetAbout, cell, &[]any{r[0], Neutralize(r[1])}); err != nil {
			return err
		}
		if err := f.SetCellStyle(SheetAbout, cell, cell, bold); err != nil {
			return err
		}
	}
	return nil
}

// appVersion is the version as Office wants it: digits and one dot.
func appVersion() string {
	v := strings.TrimPrefix(Version(), "v")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) >= 2 {
		if _, err := strconv.Atoi(parts[0]); err == nil {
			if _, err := strconv.Atoi(parts[1]); err == nil {
				return parts[0] + "." + parts[1]
			}
		}
	}
	return "1.0"
}
