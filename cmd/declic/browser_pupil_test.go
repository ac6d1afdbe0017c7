package main

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// pupilFormBudget is the most the pupil form of 10 Likert items (HTML and
// everything it loads) may weigh, uncompressed: pupils answer on low-end
// phones over 3G. For comparison, Formbricks' survey bundle alone is about
// 260 KB gzipped.
const pupilFormBudget = 30 << 10

// TestBrowserPupilFormWeight measures what a phone downloads to show the
// pupil form, and checks that nothing comes from another site.
func TestBrowserPupilFormWeight(t *testing.T) {
	chromiumPath(t)
	ts := mustOpenMain(t)
	token := ts.token(t)
	// The budget's reference: 10 labelled Likert items, and the code questions.
	var items []string
	for i := range 10 {
		items = append(items, fmt.Sprintf(`{"key": "q%d", "type": "likert", "text": "Je me sens capable d'agir, à mon niveau, pour un monde plus juste et plus durable (%d).",
		  "scale": {"min": 1, "max": 5, "labels": ["Pas du tout d'accord", "Plutôt pas d'accord", "Ni d'accord ni pas d'accord", "Plutôt d'accord", "Tout à fait d'accord"]}}`, i, i))
	}
	qid := apiNewQuestionnaire(t, ts, token, `{"title": "Dix questions", "items": [`+strings.Join(items, ",")+`]}`)
	formURL := apiOpenWorkshop(t, ts, token, qid, "pre").FormURL
	b := mustOpenBrowser(t, ts.URL)
	p := b.newTab("pupil", phone)
	p.open(formURL)
	p.waitVisible("#code")

	type entry struct {
		Name     string  `json:"name"`
		Transfer float64 `json:"transfer"`
		Decoded  float64 `json:"decoded"`
	}
	entries := evalJS[[]entry](p, `[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
		.map(e => ({name: e.name, transfer: e.transferSize, decoded: e.decodedBodySize}))`)
	if len(entries) == 0 {
		t.Fatal("no performance entry for the pupil form")
	}
	sort.SliceStable(entries[1:], func(i, j int) bool { return entries[1+i].Name < entries[1+j].Name })
	var decoded, transfer float64
	for _, e := range entries {
		if !strings.HasPrefix(e.Name, ts.URL+"/") {
			t.Errorf("the pupil form loads %s from another origin, want only %s", e.Name, ts.URL)
		}
		decoded += e.Decoded
		transfer += e.Transfer
		t.Logf("  %6.0f B  (%6.0f B on the wire)  %s", e.Decoded, e.Transfer, strings.TrimPrefix(e.Name, ts.URL))
	}
	t.Logf("pupil form weight: %.0f bytes uncompressed in %d requests (%.0f bytes on the wire, headers included)", decoded, len(entries), transfer)
	if decoded > pupilFormBudget {
		t.Errorf("pupil form weighs %.0f bytes, want at most %d", decoded, pupilFormBudget)
	}
	if decoded == 0 {
		t.Errorf("pupil form weighs 0 bytes; the Performance API gave no sizes")
	}
}
