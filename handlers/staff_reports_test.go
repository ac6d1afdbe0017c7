package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

// The report page shows the key figures and links its charts and exports
// with the same filters.
func TestReportPage(t *testing.T) {
	ts := newTestServer(t)
	token := ts.token(t)
	qid := ts.newQuestionnaire(t, token, reportDefinition)
	reportWorkshop(t, ts, token, qid, "2026-01-15", "Collège A", "odd", []int{1, 2, 3, 4, 2, 3}, []int{3, 3, 4, 4, 3, 5})
	client := ts.pageLogin(t)
	res, page := ts.pageGet(t, client, ts.URL+"/app/reports?questionnaire_id="+qid+"&partner=Coll%C3%A8ge+A")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("report page: %d", res.StatusCode)
	}
	for _, want := range []string{
		`<dd id="k-workshops">1</dd>`, `<dd id="k-participants">6</dd>`, `<dd id="k-paired">6</dd>`,
		"Partenaire : Collège A", "/api/v1/reports/charts/prepost.svg?partner=Coll%C3%A8ge&#43;A&amp;questionnaire_id=" + qid,
		"/api/v1/reports/responses.xlsx?", "Sur les 6 jeunes qui ont répondu avant et après",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report page lacks %q", want)
		}
	}
	res, page = ts.pageGet(t, client, ts.URL+"/app/reports?from=demain")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "AAAA-MM-JJ") {
		t.Errorf("bad filter: %d, page says what is wrong: %v", res.StatusCode, strings.Contains(page, "AAAA-MM-JJ"))
	}
}
