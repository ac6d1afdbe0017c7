package sqlite

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"declic/surveys"
)

// Benchmarks print the figures the store is held to:
//
//	go test -run '^$' -bench . -benchtime 3x ./surveys/sqlite/
//
// BenchmarkAddResponseParallel compares group commit with one durable
// transaction per answer, same file settings, in the same run.

func TestMain(m *testing.M) {
	code := m.Run()
	if pooled.dir != "" {
		os.RemoveAll(pooled.dir)
	}
	os.Exit(code)
}

// benchDefinition has 20 items of every scored kind plus a free text.
func benchDefinition() []byte {
	var items []string
	for i := 1; i <= 12; i++ {
		items = append(items, fmt.Sprintf(`{"key": "q%02d", "type": "likert", "text": "Affirmation %d", "scale": {"min": 1, "max": 5}}`, i, i))
	}
	items = append(items,
		`{"key": "s1", "type": "scale", "text": "Note", "scale": {"min": 0, "max": 10}}`,
		`{"key": "s2", "type": "scale", "text": "Note", "scale": {"min": 0, "max": 10}}`,
		`{"key": "k1", "type": "quiz", "text": "Quiz", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}, {"value": "c", "label": "C"}], "correct": "b"}`,
		`{"key": "k2", "type": "quiz", "text": "Quiz", "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}, {"value": "c", "label": "C"}], "correct": "a"}`,
		`{"key": "y1", "type": "yesno", "text": "Oui ?"}`,
		`{"key": "c1", "type": "choice", "text": "Sujets", "multiple": true, "options": [{"value": "climat", "label": "Climat"}, {"value": "droits", "label": "Droits"}, {"value": "paix", "label": "Paix"}, {"value": "eau", "label": "Eau"}]}`,
		`{"key": "r1", "type": "retro", "text": "Avant / maintenant", "scale": {"min": 1, "max": 5}}`,
		`{"key": "t1", "type": "text", "text": "Qu'as-tu appris ?"}`,
	)
	return []byte(`{"title": "Banc d'essai", "language": "fr", "items": [` + strings.Join(items, ",") +
		`], "scales": [{"key": "agir", "title": "Agir", "items": ["q01", "q02", "q03", "q04"]}]}`)
}

var phrases = []string{"J'ai appris que nous pouvons agir ensemble.", "Les ODD concernent tout le monde, ici et là-bas.",
	"C'était bien 👍", "Je ne savais pas que l'eau manquait autant.", "On devrait en parler plus souvent au collège."}

// benchResponse is one pupil's answer: 20 answers, a realistic mix.
func benchResponse(rng *rand.Rand, w string, n int) *surveys.Response {
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
	a["t1"] = surveys.TextAnswer(phrases[rng.IntN(len(phrases))] + " " + phrases[rng.IntN(len(phrases))])
	pupil := n / 2
	r := &surveys.Response{
		SubmissionID: fmt.Sprintf("%s-%d", w, n),
		WorkshopID:   w,
		Phase:        phase,
		Participant:  fmt.Sprintf("%064x", rng.Uint64()^uint64(pupil)),
		CodeParts:    []string{fmt.Sprintf("%016x", rng.Uint64()), fmt.Sprintf("%016x", rng.Uint64()), fmt.Sprintf("%016x", rng.Uint64()), fmt.Sprintf("%016x", rng.Uint64())},
		Day:          "2026-03-10",
		Answers:      a,
	}
	if pupil%3 != 0 {
		r.Device = fmt.Sprintf("%032x", rng.Uint64())
	}
	return r
}

// pooled is one store of 100,000 responses in 400 workshops, made once.
var pooled struct {
	once      sync.Once
	dir       string
	workshops []string
	q         *surveys.Questionnaire
}

const pooledWorkshops, perWorkshop = 400, 250

func pooledStore(b *testing.B) *Store {
	pooled.once.Do(func() {
		dir, err := os.MkdirTemp("", "declic-bench-")
		if err != nil {
			b.Fatal(err)
		}
		pooled.dir = dir
		s, err := Open(ctx, Config{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		q, err := surveys.ParseDefinition(benchDefinition())
		if err != nil {
			b.Fatal(err)
		}
		if err := s.CreateQuestionnaire(ctx, q); err != nil {
			b.Fatal(err)
		}
		pooled.q = q
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range pooledWorkshops {
			w := &surveys.Workshop{QuestionnaireID: q.ID, Title: fmt.Sprint("Atelier ", i), Date: "2026-03-10", Tags: []string{}}
			if err := s.CreateWorkshop(ctx, w); err != nil {
				b.Fatal(err)
			}
			pooled.workshops = append(pooled.workshops, w.ID)
			rs := make([]*surveys.Response, perWorkshop)
			for n := range rs {
				rs[n] = benchResponse(rng, w.ID, n)
			}
			if err := s.ImportResponses(ctx, rs); err != nil {
				b.Fatal(err)
			}
		}
	})
	s, err := Open(ctx, Config{Dir: pooled.dir})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkEachResponsePooled reads 100,000 responses of 20 answers in
// 400 workshops, as a pooled report does.
func BenchmarkEachResponsePooled(b *testing.B) {
	s := pooledStore(b)
	for _, tt := range []struct {
		name  string
		reuse bool
	}{{"reuse", true}, {"fresh", false}} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				err := s.eachResponse(ctx, pooled.workshops, tt.reuse, func(r *surveys.Response) error {
					n += len(r.Answers)
					return nil
				})
				if err != nil || n != pooledWorkshops*perWorkshop*20 {
					b.Fatalf("read %d answers, %v", n, err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/report")
		})
	}
}

// BenchmarkPooledReport is the whole pooled report: read and statistics.
func BenchmarkPooledReport(b *testing.B) {
	s := pooledStore(b)
	b.ReportAllocs()
	for b.Loop() {
		rb := surveys.NewResultsBuilder(pooled.q)
		if err := s.EachResponse(ctx, pooled.workshops, func(r *surveys.Response) error {
			rb.Add(r)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if res := rb.Results(); res.NPre != pooledWorkshops*perWorkshop/2 {
			b.Fatalf("n_pre = %d", res.NPre)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/report")
}

// BenchmarkEachResponseOneWorkshop reads one workshop's 250 responses
// among 100,000, as a results page does.
func BenchmarkEachResponseOneWorkshop(b *testing.B) {
	s := pooledStore(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		n := 0
		if err := s.EachResponse(ctx, pooled.workshops[i%pooledWorkshops:i%pooledWorkshops+1], func(*surveys.Response) error {
			n++
			return nil
		}); err != nil || n != perWorkshop {
			b.Fatalf("read %d, %v", n, err)
		}
		i += 37
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/workshop")
}

// BenchmarkAddResponseParallel sends answers from 64 goroutines: through
// the store's group commit, and as one durable transaction per answer on
// the same file settings (the baseline).
func BenchmarkAddResponseParallel(b *testing.B) {
	const goroutinesPerProc = 32 // 64 on 2 cores
	b.Run("group-commit", func(b *testing.B) {
		s := openTest(b, b.TempDir())
		w := seed(b, s)
		rng := rand.New(rand.NewPCG(3, 4))
		r0 := benchResponse(rng, w.ID, 0)
		var seq atomic.Int64
		b.SetParallelism(goroutinesPerProc)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				r := *r0
				r.SubmissionID = fmt.Sprint("g", seq.Add(1))
				if _, err := s.AddResponse(ctx, &r); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
	})
	b.Run("one-tx-per-answer", func(b *testing.B) {
		dir := b.TempDir()
		s := openTest(b, dir)
		w := seed(b, s)
		s.Close()
		// The same pragmas as the store's writer, one connection.
		q := url.Values{"_pragma": {"busy_timeout(10000)", "foreign_keys(1)", "journal_mode(WAL)", "synchronous(FULL)"}, "_txlock": {"immediate"}}
		db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName)+"?"+q.Encode())
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		rng := rand.New(rand.NewPCG(3, 4))
		r0 := benchResponse(rng, w.ID, 0)
		var seq atomic.Int64
		b.SetParallelism(goroutinesPerProc)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				r := *r0
				r.SubmissionID = fmt.Sprint("g", seq.Add(1))
				r.ID = surveys.ResponseID(r.SubmissionID)
				if err := rawAdd(db, &r); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
	})
}

// rawAdd is AddResponse as one transaction of its own.
func rawAdd(db *sql.DB, r *surveys.Response) error {
	w, err := toRow(r)
	if err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id string
	err = tx.QueryRow("SELECT id FROM responses WHERE submission_id = ?", r.SubmissionID).Scan(&id)
	if err != sql.ErrNoRows {
		return fmt.Errorf("lookup: %v", err)
	}
	if _, err := tx.Exec(insertResponse, r.WorkshopID, r.ID, r.SubmissionID, string(r.Phase), r.Participant, w.parts, w.device,
		string(r.Source), r.Day, w.flags, r.Excluded, w.answers); err != nil {
		return err
	}
	if _, err := tx.Exec("UPDATE workshops SET version = version + 1 WHERE id = ?", r.WorkshopID); err != nil {
		return err
	}
	return tx.Commit()
}

// BenchmarkOpenCold opens a store on an empty folder and closes it.
func BenchmarkOpenCold(b *testing.B) {
	root := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		s, err := Open(ctx, Config{Dir: filepath.Join(root, fmt.Sprint(i))})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/open")
}

// BenchmarkQuestionnaire reads a 20-item definition by ID, as every
// answer's check does: the figure that would justify a cache.
func BenchmarkQuestionnaire(b *testing.B) {
	s := openTest(b, "")
	q, err := surveys.ParseDefinition(benchDefinition())
	if err != nil {
		b.Fatal(err)
	}
	if err := s.CreateQuestionnaire(ctx, q); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Questionnaire(ctx, q.ID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeAnswers(b *testing.B) {
	r := benchResponse(rand.New(rand.NewPCG(5, 6)), "w", 1)
	enc := encodeAnswers(r.Answers)
	d, into := newDecoder(), make(surveys.Answers, 24)
	b.ReportAllocs()
	for b.Loop() {
		clear(into)
		if err := d.decode(enc, into); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWorkshopByCode reads a workshop by its code, as every answer
// does: with nothing written since the last read, and after an answer
// committed (SQLite then drops the reading connection's page cache, so
// the read fetches its pages again). Only the read is timed.
func BenchmarkWorkshopByCode(b *testing.B) {
	for _, write := range []bool{false, true} {
		name := "unchanged"
		if write {
			name = "after-answer"
		}
		b.Run(name, func(b *testing.B) {
			s := openTest(b, b.TempDir())
			w := seed(b, s)
			// Other workshops, so the tables have some depth.
			for i := range 2000 {
				o := &surveys.Workshop{QuestionnaireID: "q", Title: "Autre", Date: "2026-03-10", Tags: []string{"t", fmt.Sprint(i % 40)}}
				if err := s.CreateWorkshop(ctx, o); err != nil {
					b.Fatal(err)
				}
			}
			i := 0
			for b.Loop() {
				if write {
					b.StopTimer()
					i++
					if _, err := s.AddResponse(ctx, answer(w, fmt.Sprint("s", i))); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				if _, err := s.WorkshopByCode(ctx, w.Code); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpenPooled opens the store of 100,000 responses as a start
// does: the read-only inspection (application ID and PRAGMA quick_check
// of every page), the migrations check, the connections.
func BenchmarkOpenPooled(b *testing.B) {
	pooledStore(b).Close()
	for b.Loop() {
		s, err := Open(ctx, Config{Dir: pooled.dir})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	st, err := os.Stat(filepath.Join(pooled.dir, FileName))
	if err == nil {
		b.ReportMetric(float64(st.Size())/1e6, "MB")
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/open")
}
