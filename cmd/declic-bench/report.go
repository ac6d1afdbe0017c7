package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"declic/surveys"
)

// perWorkshop is how many responses the report scenario stores in each
// workshop: a class of 125 pupils answering PRE and POST is a large one.
const perWorkshop = 250

// reportTimings is how many times the report is computed; each after a
// new answer, so that none comes from the results cache.
const reportTimings = 3

// reportDefinition has 20 items of every scored kind plus a free text,
// as surveys/sqlite's benchmarks do.
func reportDefinition() map[string]any {
	var items []map[string]any
	for i := 1; i <= 12; i++ {
		items = append(items, map[string]any{"key": fmt.Sprintf("q%02d", i), "type": "likert", "text": fmt.Sprintf("Affirmation %d", i),
			"scale": map[string]any{"min": 1, "max": 5}})
	}
	quiz := []map[string]string{{"value": "a", "label": "A"}, {"value": "b", "label": "B"}, {"value": "c", "label": "C"}}
	items = append(items,
		map[string]any{"key": "s1", "type": "scale", "text": "Note", "scale": map[string]any{"min": 0, "max": 10}},
		map[string]any{"key": "s2", "type": "scale", "text": "Note", "scale": map[string]any{"min": 0, "max": 10}},
		map[string]any{"key": "k1", "type": "quiz", "text": "Quiz", "options": quiz, "correct": "b"},
		map[string]any{"key": "k2", "type": "quiz", "text": "Quiz", "options": quiz, "correct": "a"},
		map[string]any{"key": "y1", "type": "yesno", "text": "Oui ?"},
		map[string]any{"key": "c1", "type": "choice", "text": "Sujets", "multiple": true, "options": []map[string]string{
			{"value": "climat", "label": "Climat"}, {"value": "droits", "label": "Droits"}, {"value": "paix", "label": "Paix"}, {"value": "eau", "label": "Eau"}}},
		map[string]any{"key": "r1", "type": "retro", "text": "Avant / maintenant", "scale": map[string]any{"min": 1, "max": 5}},
		map[string]any{"key": "t1", "type": "text", "text": "Qu'as-tu appris ?"},
	)
	return map[string]any{"title": "declic-bench rapport", "language": "fr", "items": items,
		"scales": []map[string]any{{"key": "agir", "title": "Agir", "items": []string{"q01", "q02", "q03", "q04"}}}}
}

var phrases = []string{"J'ai appris que nous pouvons agir ensemble.", "Les ODD concernent tout le monde, ici et là-bas.",
	"C'était bien 👍", "Je ne savais pas que l'eau manquait autant.", "On devrait en parler plus souvent au collège."}

// reportResponse is the n-th answer of a workshop: pupil n/2, PRE when n
// is even, POST when odd, with what the store keeps of a pupil's code
// (keyed hashes) and, for two pupils in three, of their phone.
func reportResponse(rng *rand.Rand, workshopID string, n int, pupils []pupilKeys) *surveys.Response {
	phase := surveys.PhasePre
	if n%2 == 1 {
		phase = surveys.PhasePost
	}
	a := make(surveys.Answers, 20)
	for i := 1; i <= 12; i++ {
		a[fmt.Sprintf("q%02d", i)] = surveys.NumberAnswer(1 + rng.IntN(5))
	}
	a["s1"], a["s2"] = surveys.NumberAnswer(rng.IntN(11)), surveys.NumberAnswer(rng.IntN(11))
	a["k1"], a["k2"] = surveys.OptionAnswer([]string{"a", "b", "c"}[rng.IntN(3)]), surveys.OptionAnswer([]string{"a", "b", "c"}[rng.IntN(3)])
	a["y1"] = surveys.NumberAnswer(rng.IntN(2))
	a["c1"] = surveys.OptionsAnswer([]string{"climat", "eau"})
	a["r1"] = surveys.PairAnswer(1+rng.IntN(5), 1+rng.IntN(5))
	if rng.IntN(3) == 0 {
		a["t1"] = surveys.TextAnswer(phrases[rng.IntN(len(phrases))] + " " + phrases[rng.IntN(len(phrases))])
	}
	p := pupils[n/2]
	return &surveys.Response{
		SubmissionID: fmt.Sprintf("bench-%s-%d", workshopID, n), WorkshopID: workshopID, Phase: phase,
		Participant: p.participant, CodeParts: p.parts, Device: p.device, Day: "2026-03-10", Answers: a,
	}
}

type pupilKeys struct {
	participant, device string
	parts               []string
}

func newPupils(n int) []pupilKeys {
	ps := make([]pupilKeys, n)
	for i := range ps {
		ps[i] = pupilKeys{participant: randHex(32), parts: []string{randHex(16), randHex(16), randHex(16), randHex(16)}}
		if i%3 != 0 {
			ps[i].device = randHex(16)
		}
	}
	return ps
}

// runReport loads the responses, then times the pooled report and one
// workshop's results as the API computes them, through the real router.
func runReport(ctx context.Context, cfg config, t *target, stdout io.Writer) error {
	b := &bench{cfg: cfg, t: t, http: &http.Client{Timeout: 5 * time.Minute}}
	var login struct{ Token string }
	if err := b.api(ctx, "POST", "/api/v1/auth/login", map[string]string{"email": t.email, "password": t.password}, http.StatusOK, &login); err != nil {
		return fmt.Errorf("log in: %w", err)
	}
	b.token = login.Token
	var q struct{ ID string }
	if err := b.api(ctx, "POST", "/api/v1/questionnaires", reportDefinition(), http.StatusCreated, &q); err != nil {
		return fmt.Errorf("create the questionnaire: %w", err)
	}
	nWorkshops := (cfg.Responses + perWorkshop - 1) / perWorkshop
	fmt.Fprintf(stdout, "report: loading %d responses (20 answers each: 12 Likert, 2 scales, 2 quiz, yes/no, multiple choice, retrospective, a free text for one in three) "+
		"in %d workshops of %d (PRE and POST of each pupil) with ImportResponses\n", cfg.Responses, nWorkshops, perWorkshop)
	began := time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	var workshops []string
	tag := "bench-" + randHex(4)
	for i := range nWorkshops {
		var w struct{ ID string }
		if err := b.api(ctx, "POST", "/api/v1/workshops", map[string]any{
			"questionnaire_id": q.ID, "title": fmt.Sprintf("declic-bench atelier %d", i+1), "date": "2026-03-10",
			"partner": "declic-bench", "group": fmt.Sprintf("classe %d", i+1), "tags": []string{tag},
		}, http.StatusCreated, &w); err != nil {
			return fmt.Errorf("create a workshop: %w", err)
		}
		workshops = append(workshops, w.ID)
		n := min(perWorkshop, cfg.Responses-i*perWorkshop)
		pupils := newPupils((n + 1) / 2)
		rs := make([]*surveys.Response, n)
		for j := range rs {
			rs[j] = reportResponse(rng, w.ID, j, pupils)
		}
		if err := t.store.ImportResponses(ctx, rs); err != nil {
			return fmt.Errorf("import responses: %w", err)
		}
	}
	fmt.Fprintf(stdout, "loaded in %.1f s (peak RSS so far %d MB)\n", time.Since(began).Seconds(), peakRSS()>>20)

	reportPath := "/api/v1/reports?questionnaire_id=" + q.ID + "&tag=" + tag
	resultsPath := "/api/v1/workshops/" + workshops[0] + "/results"
	stopProfile, err := startCPUProfile(cfg.CPUProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	var reportTimes, resultsTimes []time.Duration
	for i := range reportTimings {
		// A new answer in the first workshop changes the versions the
		// cached report and results are keyed by.
		extra := reportResponse(rng, workshops[0], 0, newPupils(1))
		extra.SubmissionID = fmt.Sprintf("bench-%s-extra-%d", workshops[0], i)
		if err := t.store.ImportResponses(ctx, []*surveys.Response{extra}); err != nil {
			return fmt.Errorf("add an answer: %w", err)
		}
		var rep struct {
			NPre      int `json:"n_pre"`
			NPost     int `json:"n_post"`
			NPaired   int `json:"n_paired"`
			Workshops int `json:"workshops"`
		}
		cpu0 := cpuTime()
		dReport, err := b.timedGet(ctx, reportPath, &rep)
		cpu := cpuTime() - cpu0
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		if rep.Workshops != nWorkshops || rep.NPre+rep.NPost != cfg.Responses+i+1 {
			return fmt.Errorf("report pooled %d workshops, %d+%d responses; want %d and %d", rep.Workshops, rep.NPre, rep.NPost, nWorkshops, cfg.Responses+i+1)
		}
		reportTimes = append(reportTimes, dReport)
		var res struct {
			NPre  int `json:"n_pre"`
			NPost int `json:"n_post"`
		}
		dResults, err := b.timedGet(ctx, resultsPath, &res)
		if err != nil {
			return fmt.Errorf("results: %w", err)
		}
		resultsTimes = append(resultsTimes, dResults)
		fmt.Fprintf(stdout, "timing %d: pooled report %.3f s (%.3f s of CPU; n_pre %d, n_post %d, n_paired %d, %d workshops); one workshop's results %.1f ms (%d responses)\n",
			i+1, dReport.Seconds(), cpu.Seconds(), rep.NPre, rep.NPost, rep.NPaired, rep.Workshops, ms(dResults), res.NPre+res.NPost)
	}
	slices.Sort(reportTimes)
	slices.Sort(resultsTimes)
	rss := peakRSS()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	fmt.Fprintf(stdout, "memory: peak RSS %d MB; now %d MB anonymous, %d MB file-backed (the program); Go heap %d MB in use, %d MB from the system\n",
		rss>>20, procStatus("RssAnon")>>20, procStatus("RssFile")>>20, mem.HeapInuse>>20, mem.Sys>>20)
	fmt.Fprintf(stdout, "one workshop's results with %d responses stored: median %.1f ms\n", cfg.Responses, ms(resultsTimes[len(resultsTimes)/2]))
	fmt.Fprintf(stdout, "report: responses=%d workshops=%d seconds=%.3f rss_mb=%d\n", cfg.Responses, nWorkshops, reportTimes[len(reportTimes)/2].Seconds(), rss>>20)
	return nil
}

// timedGet times one API GET, body read and decoded included.
func (b *bench) timedGet(ctx context.Context, path string, out any) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", b.t.baseURL+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	start := time.Now()
	res, err := b.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	d := time.Since(start)
	if err != nil {
		return 0, err
	}
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: status %d: %s", path, res.StatusCode, bytes.TrimSpace(data))
	}
	return d, json.Unmarshal(data, out)
}

// peakRSS is the process's peak resident set (VmHWM), in bytes; 0 where
// /proc is missing.
func peakRSS() int64 { return procStatus("VmHWM") }

// procStatus reads a size from /proc/self/status, in bytes.
func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
