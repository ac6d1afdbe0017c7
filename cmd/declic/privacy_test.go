package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"declic/cmd/internal/app"
	"declic/surveys"
	"declic/surveys/surveystest"
)

// storedResponses reads a workshop's responses from the store itself.
func storedResponses(t testing.TB, ts *testServer, workshopID string) []*surveys.Response {
	return surveystest.Responses(t, ts.Store, workshopID)
}

func TestPrivacyNoticeOnForm(t *testing.T) {
	t.Run("default", func(t *testing.T) {
		ts := mustOpenMain(t)
		token := ts.token(t)
		w := apiOpenWorkshop(t, ts, token, apiNewQuestionnaire(t, ts, token, impactDefinition), "pre")
		client := browserClient(t)
		res, body := pageGet(t, client, w.FormURL)
		checkPage(t, "code step", res, body, http.StatusOK, `class="notice"`, "anonyme", "mesurer ce que l&#39;atelier a changé", "Seule l&#39;équipe", "Demande à la personne qui anime")
		if strings.Index(body, `class="notice"`) < strings.Index(body, `id="continuer"`) {
			t.Errorf("the notice comes before the code step's button; it should not be in the way")
		}
		res, body = pagePost(t, client, w.FormURL+"/code", url.Values{"code_mere": {"A"}, "code_jour": {"1"}, "code_mois": {"2"}, "code_lettre2": {"B"}}, nil)
		checkPage(t, "form", res, body, http.StatusOK, `class="notice"`, "anonyme", "mesurer ce que l&#39;atelier a changé", "Seule l&#39;équipe", "Demande à la personne qui anime")
		notice := body[strings.Index(body, `<aside class="notice"`):]
		notice = notice[:strings.Index(notice, "</aside>")]
		if len(notice) > 1200 {
			t.Errorf("notice is %d bytes, want a short one (≤ 1200)", len(notice))
		}
		if strings.Index(body, `class="notice"`) < strings.Index(body, `id="envoyer"`) {
			t.Errorf("the notice comes before the send button; it should not be in the way")
		}
	})
	t.Run("configured", func(t *testing.T) {
		base := testConfig(t)
		cfg := app.ConfigFrom(func(k string) string {
			return map[string]string{
				"DECLIC_NOTICE":  "Réponses anonymes <b>gardées</b> un an.",
				"DECLIC_CONTACT": "dpo@asso.example & Léa",
			}[k]
		})
		cfg.Addr, cfg.DataDir, cfg.MongoURI, cfg.Database = base.Addr, base.DataDir, base.MongoURI, base.Database
		cfg.AdminEmail, cfg.AdminPassword = testAdminEmail, testAdminPassword
		ts, _ := openMainAt(t, cfg)
		token := ts.token(t)
		w := apiOpenWorkshop(t, ts, token, apiNewQuestionnaire(t, ts, token, impactDefinition), "pre")
		res, body := pageGet(t, browserClient(t), w.FormURL)
		checkPage(t, "form", res, body, http.StatusOK, "Réponses anonymes &lt;b&gt;gardées&lt;/b&gt; un an.", "Écris à dpo@asso.example &amp; Léa")
		if strings.Contains(body, app.DefaultNotice[:40]) {
			t.Errorf("the default notice is shown although DECLIC_NOTICE is set")
		}
	})
}

// TestPrivacyRetention: answers older than DECLIC_RETENTION_MONTHS go at
// start and on demand; newer ones stay; 0 keeps everything.
func TestPrivacyRetention(t *testing.T) {
	for _, tt := range []struct {
		env  string
		want int
		ok   bool
	}{{"", 0, true}, {"0", 0, true}, {" 12 ", 12, true}, {"-3", -1, false}, {"six", -1, false}, {"1.5", -1, false}} {
		cfg := app.ConfigFrom(func(k string) string {
			if k == "DECLIC_RETENTION_MONTHS" {
				return tt.env
			}
			return ""
		})
		if cfg.KeepMonths != tt.want {
			t.Errorf("DECLIC_RETENTION_MONTHS=%q: KeepMonths %d, want %d", tt.env, cfg.KeepMonths, tt.want)
		}
		if !tt.ok {
			cfg.DataDir = t.TempDir()
			if m, err := app.Open(context.Background(), cfg, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "DECLIC_RETENTION_MONTHS") {
				if m != nil {
					m.Close()
				}
				t.Errorf("DECLIC_RETENTION_MONTHS=%q: Open error %v, want one naming the variable", tt.env, err)
			}
		}
	}

	cfg := restartableConfig(t)
	clk := &testClock{}
	cfg.Now = clk.Now

	// First run keeps everything: answers from 13, 7 and 5 months ago and today.
	ts, stop := openMainAt(t, cfg)
	token := ts.token(t)
	qid := apiNewQuestionnaire(t, ts, token, impactDefinition)
	w := apiOpenWorkshop(t, ts, token, qid, "pre")
	now := time.Now().UTC()
	for _, ago := range []int{13, 7, 5, 0} {
		clk.Set(now.AddDate(0, -ago, 0))
		apiAnswer(t, ts, w.Code, submission{fmt.Sprintf("ret-%d", ago), fmt.Sprintf("P%d", ago), "pre", validPre()})
	}
	clk.Set(now)
	if n, err := ts.PurgeExpired(context.Background()); err != nil || n != 0 {
		t.Errorf("purge with no retention = %d, %v; want 0 deleted", n, err)
	}
	if pre, _ := storedCounts(t, ts, w.ID); pre != 4 {
		t.Fatalf("stored %d, want 4", pre)
	}
	stop()

	// Restarted with 12 months: the purge at start removes the 13-month-old answer.
	cfg.KeepMonths = 12
	ts, stop = openMainAt(t, cfg)
	defer stop()
	deadline := time.Now().Add(20 * time.Second)
	for {
		pre, _ := storedCounts(t, ts, w.ID)
		if pre == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("20 s after a start with 12 months of retention: %d answers, want 3", pre)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Six months, a day later than now: the 7-month-old answer goes, the
	// 5-month-old one and today's stay.
	n, err := surveys.PurgeExpired(context.Background(), ts.Store, now.AddDate(0, 0, 1), 6)
	if err != nil || n != 1 {
		t.Errorf("purge at 6 months = %d, %v; want 1 deleted", n, err)
	}
	var left []string
	for _, r := range storedResponses(t, ts, w.ID) {
		left = append(left, r.SubmissionID)
	}
	slices.Sort(left)
	if want := []string{"ret-0", "ret-5"}; !slices.Equal(left, want) {
		t.Errorf("answers left = %v, want %v", left, want)
	}
}
