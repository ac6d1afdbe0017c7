package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"declic/surveys"
)

// errSubmissionTaken is a submission already stored for another workshop.
var errSubmissionTaken = &surveys.Error{Code: surveys.ECONFLICT, Message: "Cet identifiant de soumission est déjà utilisé.",
	Fields: map[string]string{"submission_id": "déjà utilisé pour un autre atelier"}}

// row is a response as the responses table holds it.
type row struct {
	r             *surveys.Response
	parts, device any // NULL when empty
	flags         any
	answers       []byte
}

// toRow encodes r; it runs in the caller's goroutine, not the writer's.
func toRow(r *surveys.Response) (*row, error) {
	w := &row{r: r}
	if len(r.CodeParts) > 0 {
		for _, p := range r.CodeParts {
			if strings.Contains(p, ",") {
				return nil, surveys.Errorf(surveys.EINVALID, "Élément de code invalide.")
			}
		}
		w.parts = strings.Join(r.CodeParts, ",")
	}
	if r.Device != "" {
		w.device = r.Device
	}
	if len(r.Flags) > 0 {
		fs := make([]string, len(r.Flags))
		for i, f := range r.Flags {
			if strings.Contains(string(f), ",") {
				return nil, surveys.Errorf(surveys.EINVALID, "Indicateur de qualité invalide.")
			}
			fs[i] = string(f)
		}
		w.flags = strings.Join(fs, ",")
	}
	w.answers = encodeAnswers(r.Answers)
	return w, nil
}

const insertResponse = `INSERT INTO responses (workshop_id, id, submission_id, phase, participant, code_parts, device, source, day, flags, excluded, answers)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func (w *row) args() []any {
	r := w.r
	return []any{r.WorkshopID, r.ID, r.SubmissionID, string(r.Phase), r.Participant, w.parts, w.device,
		string(r.Source), r.Day, w.flags, r.Excluded, w.answers}
}

func (w *row) insert(t *txn) error {
	_, err := t.exec(insertResponse, w.args()...)
	if isForeignKey(err) {
		return notFound("Atelier")
	}
	return err
}

// AddResponse stores r once per submission; see surveys.ResponseStore. It
// returns once the batch holding r has been committed and fsynced.
func (s *Store) AddResponse(ctx context.Context, r *surveys.Response) (bool, error) {
	r.ID = surveys.ResponseID(r.SubmissionID)
	r.Day = s.today()
	w, err := toRow(r)
	if err != nil {
		return false, err
	}
	var created bool
	var prevID, prevDay string
	err = s.w.do(ctx, false, func(t *txn) error {
		// One statement on the usual path: the driver parses each
		// statement it runs, and a lookup first would double that.
		n, err := affected(t.exec(insertResponse+" ON CONFLICT DO NOTHING", w.args()...))
		switch {
		case isForeignKey(err):
			return notFound("Atelier")
		case err != nil:
			return err
		case n == 1:
			t.bump[r.WorkshopID] = true
			created = true
			return nil
		}
		// Stored already, perhaps earlier in this very batch.
		var wid string
		err = t.queryRow("SELECT workshop_id, id, day FROM responses WHERE submission_id = ?", r.SubmissionID).Scan(&wid, &prevID, &prevDay)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			// The conflict was on (workshop_id, id): an imported response
			// holds this derived ID under another submission.
			return errSubmissionTaken
		case err != nil:
			return err
		case wid != r.WorkshopID:
			return errSubmissionTaken
		}
		return nil
	})
	if err != nil {
		return false, mapErr("insert response", err)
	}
	if !created {
		r.ID, r.Day = prevID, prevDay
	}
	return created, nil
}

// ImportResponses stores many new responses in one transaction: all of
// them, or none when one is already stored.
func (s *Store) ImportResponses(ctx context.Context, rs []*surveys.Response) error {
	if len(rs) == 0 {
		return nil
	}
	today := s.today()
	rows := make([]*row, len(rs))
	for i, r := range rs {
		if r.ID == "" {
			r.ID = surveys.ResponseID(r.SubmissionID)
		}
		if r.Day == "" {
			r.Day = today
		}
		w, err := toRow(r)
		if err != nil {
			return err
		}
		rows[i] = w
	}
	err := s.w.do(ctx, true, func(t *txn) error {
		for _, w := range rows {
			if err := w.insert(t); err != nil {
				if isUnique(err, "") {
					return surveys.Errorf(surveys.ECONFLICT, "Une réponse importée existe déjà (soumission %q).", w.r.SubmissionID)
				}
				return err
			}
		}
		for _, w := range rows {
			t.bump[w.r.WorkshopID] = true
		}
		return nil
	})
	return mapErr("import responses", err)
}

// PurgeResponses deletes the responses stored before beforeDay.
func (s *Store) PurgeResponses(ctx context.Context, beforeDay string) (int64, error) {
	var n int64
	err := s.w.do(ctx, true, func(t *txn) error {
		if _, err := t.exec(`UPDATE workshops SET version = version + 1
			WHERE id IN (SELECT DISTINCT workshop_id FROM responses WHERE day < ?)`, beforeDay); err != nil {
			return err
		}
		var err error
		n, err = affected(t.exec("DELETE FROM responses WHERE day < ?", beforeDay))
		return err
	})
	if err != nil {
		return 0, mapErr("purge responses", err)
	}
	return n, nil
}

// responseRead is how responses are read. The phase comes as 0 or 1:
// the driver allocates every text it returns, and this one has two values.
const responseRead = `SELECT answers, phase = 'post', workshop_id, id, submission_id, participant, code_parts, device,
	source, day, flags, excluded FROM responses`

// ResponseBySubmission returns the response stored for a submission.
func (s *Store) ResponseBySubmission(ctx context.Context, submissionID string) (*surveys.Response, error) {
	q, err := s.queryRow(ctx, responseRead+" WHERE submission_id = ?", submissionID)
	if err != nil {
		return nil, mapErr("read response", err)
	}
	r := &surveys.Response{}
	if err := newScanner().scan(q, r); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound("Réponse")
		}
		return nil, mapErr("read response", err)
	}
	return r, nil
}

// CountResponses counts a workshop's responses per phase.
func (s *Store) CountResponses(ctx context.Context, workshopID string) (map[surveys.Phase]int, error) {
	rows, err := s.query(ctx, "SELECT phase, count(*) FROM responses WHERE workshop_id = ? GROUP BY phase", workshopID)
	if err != nil {
		return nil, mapErr("count responses", err)
	}
	defer rows.Close()
	out := map[surveys.Phase]int{surveys.PhasePre: 0, surveys.PhasePost: 0}
	for rows.Next() {
		var p string
		var n int
		if err := rows.Scan(&p, &n); err != nil {
			return nil, mapErr("count responses", err)
		}
		out[surveys.Phase(p)] = n
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr("count responses", err)
	}
	return out, nil
}

// EachResponse streams the responses of the workshops in one read
// transaction, ordered by workshop and ID (the table's own order). fn gets
// the same *Response, Answers map included, on every call: it must copy
// what it keeps (strings are its to keep).
func (s *Store) EachResponse(ctx context.Context, workshopIDs []string, fn func(*surveys.Response) error) error {
	return s.eachResponse(ctx, workshopIDs, true, fn)
}

func (s *Store) eachResponse(ctx context.Context, workshopIDs []string, reuse bool, fn func(*surveys.Response) error) error {
	if len(workshopIDs) == 0 {
		return nil
	}
	ids := slices.Clone(workshopIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	list, err := json.Marshal(ids)
	if err != nil {
		return wrap("read responses", err)
	}
	rows, err := s.query(ctx, responseRead+" WHERE workshop_id IN (SELECT value FROM json_each(?)) ORDER BY workshop_id, id", string(list))
	if err != nil {
		return mapErr("read responses", err)
	}
	defer rows.Close()
	sc := newScanner()
	sc.raw = true
	if reuse {
		// A workshop's responses are read here; more go to pipeline.
		r := &surveys.Response{}
		for range inlineRows {
			if !rows.Next() {
				return mapErr("read responses", rows.Err())
			}
			if err := sc.scan(rows, r); err != nil {
				return mapErr("read responses", err)
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return pipeline(rows, sc, fn)
	}
	for rows.Next() {
		r := &surveys.Response{}
		if err := sc.scan(rows, r); err != nil {
			return mapErr("read responses", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return mapErr("read responses", rows.Err())
}

// inlineRows are read before the rest goes through pipeline: a workshop
// rarely has more, and a pipeline costs its batches.
const inlineRows = 1000

// batchSize is how many responses the reading goroutine hands over at once.
const batchSize = 64

// pipeline reads rows on a goroutine of its own while their answers are
// decoded and fn runs on the caller's: reading a pooled report's responses
// and computing with them take about as long as each other, and a server
// has two cores or more. Batches of responses go round between the two
// (three of them, so that neither waits on the other's turn); fn gets a
// response that is overwritten once it has returned, as EachResponse says.
func pipeline(rows *sql.Rows, sc *scanner, fn func(*surveys.Response) error) error {
	type batch struct {
		rs      [batchSize]surveys.Response
		answers [batchSize][]byte // encoded, decoded by the caller's goroutine
		n       int
		err     error // the reading's error, with the last batch
	}
	free, full := make(chan *batch, 3), make(chan *batch, 3)
	for range 3 {
		free <- &batch{}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		defer close(full)
		for {
			var b *batch
			select {
			case b = <-free:
			case <-stop:
				return
			}
			b.n = 0
			for b.n < batchSize && rows.Next() {
				if b.err = sc.scanEnvelope(rows, &b.rs[b.n]); b.err != nil {
					break
				}
				b.answers[b.n] = append(b.answers[b.n][:0], sc.answers...)
				b.n++
			}
			if b.err == nil && b.n < batchSize {
				b.err = rows.Err()
			}
			last := b.err != nil || b.n < batchSize
			full <- b
			if last {
				return
			}
		}
	}()
	// finish stops the reading goroutine and waits for it, so that rows
	// are closed only once it no longer reads them.
	finish := func(err error) error {
		close(stop)
		for range full {
		}
		<-done
		return err
	}
	dec := newDecoder()
	for b := range full {
		for i := range b.n {
			if err := decodeInto(dec, b.answers[i], &b.rs[i]); err != nil {
				return finish(mapErr("read responses", err))
			}
			if err := fn(&b.rs[i]); err != nil {
				return finish(err)
			}
		}
		if b.err != nil {
			return finish(mapErr("read responses", b.err))
		}
		free <- b
	}
	return finish(nil)
}

// scanner reads response rows, sharing what repeats between them.
type scanner struct {
	dec   *decoder
	parts []string // CodeParts are cut from this, never reused
	raw   bool     // scan the blob as sql.RawBytes: no copy, rows only
	// Scan destinations, kept to spare allocations: dest and rawDest
	// point at them (a list of twelve built at every Scan would be one
	// allocation a row).
	answers                  []byte
	rawAnswers               sql.RawBytes
	post, excluded           bool
	workshopID, id, sub      string
	participant, source, day string
	codeParts, device, flags sql.NullString
	dest, rawDest            []any
}

func newScanner() *scanner {
	sc := &scanner{dec: newDecoder()}
	rest := []any{&sc.post, &sc.workshopID, &sc.id, &sc.sub, &sc.participant,
		&sc.codeParts, &sc.device, &sc.source, &sc.day, &sc.flags, &sc.excluded}
	sc.dest = append([]any{&sc.answers}, rest...)
	sc.rawDest = append([]any{&sc.rawAnswers}, rest...)
	return sc
}

// scan reads one row of responseRead into r, reusing r.Answers when r has
// one.
func (sc *scanner) scan(src rowScanner, r *surveys.Response) error {
	if err := sc.scanEnvelope(src, r); err != nil {
		return err
	}
	return decodeInto(sc.dec, sc.answers, r)
}

// scanEnvelope reads one row into r but its answers, left encoded in
// sc.answers (with raw, only until the next row).
func (sc *scanner) scanEnvelope(src rowScanner, r *surveys.Response) error {
	dest := sc.dest
	if sc.raw {
		dest = sc.rawDest
	}
	if err := src.Scan(dest...); err != nil {
		return err
	}
	if sc.raw {
		sc.answers = sc.rawAnswers
	}
	r.WorkshopID, r.ID, r.SubmissionID, r.Participant, r.Day, r.Excluded = sc.workshopID, sc.id, sc.sub, sc.participant, sc.day, sc.excluded
	r.Phase = surveys.PhasePre
	if sc.post {
		r.Phase = surveys.PhasePost
	}
	r.Source = surveys.Source(sc.source)
	r.Device = sc.device.String
	r.CodeParts = nil
	if sc.codeParts.Valid {
		r.CodeParts = sc.cut(sc.codeParts.String)
	}
	r.Flags = nil
	if sc.flags.Valid {
		for f := range strings.SplitSeq(sc.flags.String, ",") {
			r.Flags = append(r.Flags, surveys.Flag(f))
		}
	}
	return nil
}

// decodeInto decodes answers into r.Answers, reused when r has one.
func decodeInto(dec *decoder, answers []byte, r *surveys.Response) error {
	if r.Answers == nil {
		r.Answers = make(surveys.Answers, 24)
	} else {
		clear(r.Answers)
	}
	return dec.decode(answers, r.Answers)
}

// cut splits joined code parts into a slice taken from a shared backing
// array: one allocation for many responses, and a slice a caller keeps is
// never overwritten.
func (sc *scanner) cut(joined string) []string {
	n := strings.Count(joined, ",") + 1
	if cap(sc.parts)-len(sc.parts) < n {
		sc.parts = make([]string, 0, max(n, 4*256))
	}
	start := len(sc.parts)
	for p := range strings.SplitSeq(joined, ",") {
		sc.parts = append(sc.parts, p)
	}
	return sc.parts[start:len(sc.parts):len(sc.parts)]
}
