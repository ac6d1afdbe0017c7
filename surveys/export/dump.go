package export

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"time"

	"declic/surveys"
)

// DumpVersion is the version of the dump format this code writes and reads.
const DumpVersion = 1

// A dump is JSON Lines: a header line, one line per record (users, tokens,
// questionnaires, workshops, responses, exclusions, then indicators, the
// settings and the chosen quotes, in that order), and an end line
// that counts the records and holds the SHA-256 of every line before it,
// so that a truncated or altered file is refused before anything is
// stored. Login sessions are not dumped, nor is the pseudonym key.
type dumpHeader struct {
	Dump      int    `json:"declic_dump"`
	CreatedOn string `json:"created_on"`
	Generator string `json:"generator,omitempty"`
}

type dumpEnd struct {
	Records int    `json:"records"`
	SHA256  string `json:"sha256"`
}

type dumpLine struct {
	User          *dumpUser          `json:"user,omitempty"`
	Token         *dumpToken         `json:"token,omitempty"`
	Questionnaire *dumpQuestionnaire `json:"questionnaire,omitempty"`
	Workshop      *surveys.Workshop  `json:"workshop,omitempty"`
	Response      *dumpResponse      `json:"response,omitempty"`
	Exclusion     *surveys.Exclusion `json:"exclusion,omitempty"`
	Indicator     *surveys.Indicator `json:"indicator,omitempty"`
	Settings      *dumpSettings      `json:"settings,omitempty"`
	Quote         *dumpQuote         `json:"quote,omitempty"`
	End           *dumpEnd           `json:"end,omitempty"`
}

// dumpSettings carries the logo as base64 (encoding/json's way with bytes).
type dumpSettings struct {
	OrganisationName string    `json:"organisation_name"`
	Logo             []byte    `json:"logo,omitempty"`
	LogoType         string    `json:"logo_type,omitempty"`
	UpdatedAt        time.Time `json:"updated_at"`
	UpdatedBy        string    `json:"updated_by,omitempty"`
}

type dumpQuote struct {
	WorkshopID string `json:"workshop_id"`
	ResponseID string `json:"response_id"`
	ItemKey    string `json:"item_key"`
}

type dumpUser struct {
	ID                 string    `json:"id"`
	Email              string    `json:"email"`
	Role               string    `json:"role"`
	PasswordHash       string    `json:"password_hash"`
	Disabled           bool      `json:"disabled"`
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
}

type dumpToken struct {
	ID         string `json:"id"`
	Hash       string `json:"hash"`
	UserID     string `json:"user_id"`
	Name       string `json:"name"`
	CreatedOn  string `json:"created_on"`
	LastUsedOn string `json:"last_used_on,omitempty"`
	ExpiresOn  string `json:"expires_on,omitempty"`
}

type dumpQuestionnaire struct {
	OwnerID    string                 `json:"owner_id,omitempty"`
	Definition *surveys.Questionnaire `json:"definition"`
}

// dumpResponse is a response with its answers as the API writes them;
// reading it back checks each answer against its questionnaire.
type dumpResponse struct {
	ID           string                     `json:"id"`
	SubmissionID string                     `json:"submission_id"`
	WorkshopID   string                     `json:"workshop_id"`
	Phase        surveys.Phase              `json:"phase"`
	Participant  string                     `json:"participant"`
	CodeParts    []string                   `json:"code_parts,omitempty"`
	Device       string                     `json:"device,omitempty"`
	Source       surveys.Source             `json:"source,omitempty"`
	Day          string                     `json:"day"`
	Flags        []surveys.Flag             `json:"flags,omitempty"`
	Excluded     bool                       `json:"excluded,omitempty"`
	Answers      map[string]json.RawMessage `json:"answers"`
}

// Exporter is what a dump reads: a store, or a reader of older data.
type Exporter interface {
	Export(ctx context.Context, fn func(surveys.Record) error) error
}

// WriteDump writes every record of st to w.
func WriteDump(ctx context.Context, w io.Writer, st Exporter, now time.Time, generator string) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	sum := sha256.New()
	out := io.MultiWriter(bw, sum)
	line := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("export: dump: %w", err)
		}
		_, err = out.Write(append(b, '\n'))
		return err
	}
	if err := line(dumpHeader{Dump: DumpVersion, CreatedOn: now.UTC().Format(time.DateOnly), Generator: generator}); err != nil {
		return err
	}
	n := 0
	err := st.Export(ctx, func(rec surveys.Record) error {
		n++
		return line(toDumpLine(rec))
	})
	if err != nil {
		return err
	}
	end, _ := json.Marshal(dumpLine{End: &dumpEnd{Records: n, SHA256: hex.EncodeToString(sum.Sum(nil))}})
	if _, err := bw.Write(append(end, '\n')); err != nil {
		return err
	}
	return bw.Flush()
}

func toDumpLine(rec surveys.Record) dumpLine {
	switch {
	case rec.User != nil:
		u := rec.User
		return dumpLine{User: &dumpUser{ID: u.ID, Email: u.Email, Role: string(u.Role), PasswordHash: u.PasswordHash,
			Disabled: u.Disabled, MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt}}
	case rec.Token != nil:
		t := rec.Token
		return dumpLine{Token: &dumpToken{ID: t.ID, Hash: t.Hash, UserID: t.UserID, Name: t.Name, CreatedOn: t.CreatedOn, LastUsedOn: t.LastUsedOn, ExpiresOn: t.ExpiresOn}}
	case rec.Questionnaire != nil:
		return dumpLine{Questionnaire: &dumpQuestionnaire{OwnerID: rec.Questionnaire.OwnerID, Definition: rec.Questionnaire}}
	case rec.Workshop != nil:
		return dumpLine{Workshop: rec.Workshop}
	case rec.Response != nil:
		r := rec.Response
		d := &dumpResponse{ID: r.ID, SubmissionID: r.SubmissionID, WorkshopID: r.WorkshopID, Phase: r.Phase,
			Participant: r.Participant, CodeParts: r.CodeParts, Device: r.Device, Source: r.Source, Day: r.Day,
			Flags: r.Flags, Excluded: r.Excluded, Answers: make(map[string]json.RawMessage, len(r.Answers))}
		for k, a := range r.Answers {
			d.Answers[k], _ = json.Marshal(a)
		}
		return dumpLine{Response: d}
	case rec.Exclusion != nil:
		return dumpLine{Exclusion: rec.Exclusion}
	case rec.Indicator != nil:
		return dumpLine{Indicator: rec.Indicator}
	case rec.Settings != nil:
		st := rec.Settings
		return dumpLine{Settings: &dumpSettings{OrganisationName: st.OrganisationName, Logo: st.Logo, LogoType: st.LogoType,
			UpdatedAt: st.UpdatedAt, UpdatedBy: st.UpdatedBy}}
	case rec.Quote != nil:
		q := rec.Quote
		return dumpLine{Quote: &dumpQuote{WorkshopID: q.WorkshopID, ResponseID: q.ResponseID, ItemKey: q.ItemKey}}
	}
	return dumpLine{}
}

// RestoreReport says what a restore stored.
type RestoreReport struct {
	Users, Tokens, Questionnaires, Workshops, Responses, Exclusions int
	Indicators, Quotes                                              int
}

// dumpError names the line of a dump that is wrong.
func dumpError(line int, format string, args ...any) error {
	return surveys.Errorf(surveys.EINVALID, "Ligne %d de la sauvegarde : %s", line, fmt.Sprintf(format, args...))
}

// Restore loads a dump into st, which must be empty. The whole file is
// read and checked first (every line, the record count, the checksum,
// every answer against its questionnaire): a truncated or altered dump is
// refused with the line at fault and nothing is stored. The records are
// then stored in batches.
func Restore(ctx context.Context, r io.Reader, st surveys.Store) (RestoreReport, error) {
	empty, err := st.Empty(ctx)
	if err != nil {
		return RestoreReport{}, err
	}
	if !empty {
		return RestoreReport{}, surveys.Errorf(surveys.ECONFLICT, "La base n'est pas vide : une sauvegarde ne se restaure que dans une base neuve (dossier DECLIC_DATA vide ou base MongoDB vide).")
	}
	// The input is read twice; stdin cannot be, so it goes to a file first.
	spool, err := os.CreateTemp("", "declic-restore-*.jsonl")
	if err != nil {
		return RestoreReport{}, fmt.Errorf("export: restore: %w", err)
	}
	defer os.Remove(spool.Name())
	defer spool.Close()
	in := &readErr{r: r}
	if _, err := io.Copy(spool, in); err != nil {
		if in.err != nil {
			return RestoreReport{}, surveys.Errorf(surveys.EINVALID, "La sauvegarde n'a pas pu être lue (%v) : donnez le fichier qu'a écrit « declic dump ».", in.err)
		}
		// The spool's own disk, not the input.
		return RestoreReport{}, fmt.Errorf("export: restore: copy to %s: %w", spool.Name(), err)
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return RestoreReport{}, err
	}
	if _, err := readDump(spool, nil); err != nil {
		return RestoreReport{}, err
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return RestoreReport{}, err
	}
	// The answers come with the key they were made with, not with the
	// one a first start of the empty store may have recorded: the
	// restored store takes the key of its next start.
	if kc, ok := st.(surveys.KeyChecker); ok {
		if old, err := kc.KeyCheck(ctx); err != nil {
			return RestoreReport{}, err
		} else if old != "" {
			if err := kc.SetKeyCheck(ctx, old, ""); err != nil {
				return RestoreReport{}, err
			}
		}
	}
	marker, _ := st.(surveys.RestoreMarker)
	if marker != nil {
		if err := marker.MarkRestore(ctx, true); err != nil {
			return RestoreReport{}, err
		}
	}
	var batch []surveys.Record
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := st.Import(ctx, batch)
		batch = batch[:0]
		if err != nil {
			return fmt.Errorf("la sauvegarde est valide, mais l'enregistrement a échoué en cours de route : videz la base avant de réessayer : %w", err)
		}
		return nil
	}
	rep, err := readDump(spool, func(rec surveys.Record) error {
		batch = append(batch, rec)
		if len(batch) >= 1000 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		// The mark stays: the store refuses to open until it is emptied.
		return rep, err
	}
	if marker != nil {
		if err := marker.MarkRestore(ctx, false); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// readErr remembers the error its reader gave, to tell it from a write
// error of the copy.
type readErr struct {
	r   io.Reader
	err error
}

func (e *readErr) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// maxDumpLine bounds one line of a dump: the largest record, a
// questionnaire or the organisation's logo, is far smaller.
const maxDumpLine = 16 << 20

// readDump reads and checks a dump, calling store on each record when not
// nil.
func readDump(r io.Reader, store func(surveys.Record) error) (RestoreReport, error) {
	var rep RestoreReport
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), maxDumpLine)
	var sum hash.Hash = sha256.New()
	questionnaires := map[string]*surveys.Questionnaire{}
	workshops := map[string]*surveys.Questionnaire{}
	responses := map[string]string{} // response ID → workshop ID
	n, records := 0, 0
	var end *dumpEnd
	for sc.Scan() {
		n++
		raw := sc.Bytes()
		if end != nil {
			return rep, dumpError(n, "du contenu suit la ligne de fin.")
		}
		if n == 1 {
			var h dumpHeader
			if err := strictJSON(raw, &h); err != nil || h.Dump == 0 {
				return rep, dumpError(n, "ce n'est pas une sauvegarde Déclic (en-tête « declic_dump » attendu).")
			}
			if h.Dump != DumpVersion {
				return rep, dumpError(n, "version de sauvegarde %d inconnue (cette version de Déclic lit la version %d).", h.Dump, DumpVersion)
			}
			sum.Write(raw)
			sum.Write([]byte{'\n'})
			continue
		}
		var l dumpLine
		if err := strictJSON(raw, &l); err != nil {
			return rep, dumpError(n, "ligne illisible (%v).", err)
		}
		if l.End != nil {
			end = l.End
			if end.Records != records {
				return rep, dumpError(n, "la fin annonce %d enregistrements, le fichier en contient %d.", end.Records, records)
			}
			if got := hex.EncodeToString(sum.Sum(nil)); got != end.SHA256 {
				return rep, dumpError(n, "l'empreinte SHA-256 ne correspond pas : le fichier a été modifié.")
			}
			continue
		}
		sum.Write(raw)
		sum.Write([]byte{'\n'})
		records++
		rec, err := fromDumpLine(l, questionnaires, workshops, responses)
		if err != nil {
			return rep, dumpError(n, "%s", surveys.ErrorMessage(err)+describeFields(err))
		}
		switch {
		case rec.User != nil:
			rep.Users++
		case rec.Token != nil:
			rep.Tokens++
		case rec.Questionnaire != nil:
			rep.Questionnaires++
		case rec.Workshop != nil:
			rep.Workshops++
		case rec.Response != nil:
			rep.Responses++
		case rec.Exclusion != nil:
			rep.Exclusions++
		case rec.Indicator != nil:
			rep.Indicators++
		case rec.Quote != nil:
			rep.Quotes++
		}
		if store != nil {
			if err := store(rec); err != nil {
				return rep, err
			}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return rep, dumpError(n+1, "ligne de plus de %d Mo : ce n'est pas une ligne qu'écrit « declic dump ».", maxDumpLine>>20)
		}
		return rep, dumpError(n+1, "lecture impossible (%v).", err)
	}
	if n == 0 {
		return rep, dumpError(1, "le fichier est vide.")
	}
	if end == nil {
		return rep, dumpError(n, "la ligne de fin manque : le fichier est tronqué.")
	}
	return rep, nil
}

func describeFields(err error) string {
	f := surveys.ErrorFields(err)
	if len(f) == 0 {
		return ""
	}
	b, _ := json.Marshal(f)
	return " " + string(b)
}

func strictJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("une seule valeur par ligne")
	}
	return nil
}

// fromDumpLine checks one record; questionnaires, workshops and responses
// are those read so far, for the records that refer to them.
func fromDumpLine(l dumpLine, questionnaires, workshops map[string]*surveys.Questionnaire, responses map[string]string) (surveys.Record, error) {
	bad := func(format string, args ...any) error { return surveys.Errorf(surveys.EINVALID, format, args...) }
	switch {
	case l.User != nil:
		u := l.User
		role, ok := surveys.ParseRole(u.Role)
		if u.ID == "" || !ok || u.PasswordHash == "" {
			return surveys.Record{}, bad("compte incomplet (id, rôle ou mot de passe haché).")
		}
		if _, ok := surveys.NormalizeEmail(u.Email); !ok {
			return surveys.Record{}, bad("adresse e-mail invalide.")
		}
		return surveys.Record{User: &surveys.User{ID: u.ID, Email: u.Email, Role: role, PasswordHash: u.PasswordHash,
			Disabled: u.Disabled, MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt}}, nil
	case l.Token != nil:
		t := l.Token
		if t.ID == "" || t.Hash == "" || t.UserID == "" {
			return surveys.Record{}, bad("jeton incomplet.")
		}
		return surveys.Record{Token: &surveys.Token{ID: t.ID, Hash: t.Hash, UserID: t.UserID, Name: t.Name,
			CreatedOn: t.CreatedOn, LastUsedOn: t.LastUsedOn, ExpiresOn: t.ExpiresOn}}, nil
	case l.Questionnaire != nil && l.Questionnaire.Definition != nil:
		q := l.Questionnaire.Definition
		if q.ID == "" {
			return surveys.Record{}, bad("questionnaire sans id.")
		}
		if err := q.Validate(); err != nil {
			return surveys.Record{}, err
		}
		q.OwnerID = l.Questionnaire.OwnerID
		questionnaires[q.ID] = q
		return surveys.Record{Questionnaire: q}, nil
	case l.Workshop != nil:
		w := l.Workshop
		q := questionnaires[w.QuestionnaireID]
		if w.ID == "" || w.Code == "" || q == nil {
			return surveys.Record{}, bad("atelier sans id, sans code ou d'un questionnaire absent plus haut.")
		}
		if err := w.Validate(); err != nil {
			return surveys.Record{}, err
		}
		workshops[w.ID] = q
		return surveys.Record{Workshop: w}, nil
	case l.Response != nil:
		d := l.Response
		q := workshops[d.WorkshopID]
		if q == nil {
			return surveys.Record{}, bad("réponse d'un atelier absent plus haut.")
		}
		if d.ID != surveys.ResponseID(d.SubmissionID) || !d.Phase.Open() || d.Participant == "" {
			return surveys.Record{}, bad("réponse incomplète ou dont l'id ne correspond pas à son submission_id.")
		}
		if _, err := time.Parse(time.DateOnly, d.Day); err != nil {
			return surveys.Record{}, bad("jour de réponse invalide.")
		}
		r := &surveys.Response{ID: d.ID, SubmissionID: d.SubmissionID, WorkshopID: d.WorkshopID, Phase: d.Phase,
			Participant: d.Participant, CodeParts: d.CodeParts, Device: d.Device, Source: d.Source, Day: d.Day,
			Flags: d.Flags, Excluded: d.Excluded, Answers: make(surveys.Answers, len(d.Answers))}
		for k, raw := range d.Answers {
			it, ok := q.Item(k)
			if !ok {
				return surveys.Record{}, bad("réponse à une question inconnue « %s ».", k)
			}
			var v any
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			if err := dec.Decode(&v); err != nil {
				return surveys.Record{}, bad("réponse illisible à « %s ».", k)
			}
			a, msg := it.Decode(v)
			if msg != "" || a.IsZero() {
				return surveys.Record{}, bad("réponse invalide à « %s » : %s.", k, msg)
			}
			r.Answers[k] = a
		}
		responses[r.ID] = r.WorkshopID
		return surveys.Record{Response: r}, nil
	case l.Exclusion != nil:
		e := l.Exclusion
		if wid, ok := responses[e.ResponseID]; !ok || wid != e.WorkshopID {
			return surveys.Record{}, bad("exclusion d'une réponse absente plus haut.")
		}
		if err := e.Validate(); err != nil {
			return surveys.Record{}, err
		}
		return surveys.Record{Exclusion: e}, nil
	case l.Indicator != nil:
		ind := l.Indicator
		if ind.ID == "" {
			return surveys.Record{}, bad("indicateur sans id.")
		}
		if err := ind.Validate(questionnaires[ind.QuestionnaireID]); err != nil {
			return surveys.Record{}, err
		}
		return surveys.Record{Indicator: ind}, nil
	case l.Settings != nil:
		d := l.Settings
		st := &surveys.Settings{OrganisationName: d.OrganisationName, Logo: d.Logo, LogoType: d.LogoType, UpdatedAt: d.UpdatedAt, UpdatedBy: d.UpdatedBy}
		if err := st.Validate(); err != nil {
			return surveys.Record{}, err
		}
		if len(st.Logo) > 0 {
			typ, err := surveys.CheckLogo(st.Logo)
			if err != nil {
				return surveys.Record{}, err
			}
			st.LogoType = typ
		}
		return surveys.Record{Settings: st}, nil
	case l.Quote != nil:
		d := l.Quote
		if workshops[d.WorkshopID] == nil || d.ResponseID == "" || d.ItemKey == "" {
			return surveys.Record{}, bad("citation d'un atelier absent plus haut, ou incomplète.")
		}
		return surveys.Record{Quote: &surveys.Quote{WorkshopID: d.WorkshopID, ResponseID: d.ResponseID, ItemKey: d.ItemKey}}, nil
	}
	return surveys.Record{}, bad("enregistrement d'un type inconnu.")
}
