package surveys

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"declic/surveys/stats"
)

// flagBits is a set of quality flags, one bit each, in Flags order.
type flagBits uint8

const (
	flagTooFast flagBits = 1 << iota
	flagStraightLine
	flagOverAttendance
)

// Flags lists every quality flag, in the order lists show them.
var Flags = []Flag{FlagTooFast, FlagStraightLine, FlagOverAttendance}

// Label is the flag in a facilitator's words, for pages and exports.
func (f Flag) Label() string {
	switch f {
	case FlagTooFast:
		return "trop rapide"
	case FlagStraightLine:
		return "même réponse partout"
	case FlagOverAttendance:
		return "plus de réponses que de présents"
	}
	return string(f)
}

func flagsOf(fs []Flag) flagBits {
	var b flagBits
	for _, f := range fs {
		if i := slices.Index(Flags, f); i >= 0 {
			b |= 1 << i
		}
	}
	return b
}

func (b flagBits) list() []Flag {
	out := []Flag{}
	for i, f := range Flags {
		if b&(1<<i) != 0 {
			out = append(out, f)
		}
	}
	return out
}

// MinStraightLine is how many answers on a scale, all the same, make a
// straight line.
const MinStraightLine = 6

// StraightLined tells whether answers give the same answer to every item
// of items (Likert and 0-10 scales) they answer, having answered at least
// MinStraightLine of them. Answers are compared as given, before reverse:
// the same answer to a statement and to its opposite is the tell.
func StraightLined(items []*Item, a Answers) bool {
	n, first := 0, 0
	for _, it := range items {
		ans, ok := a[it.Key]
		if !ok || ans.Kind != AnswerNumber {
			continue
		}
		switch {
		case n == 0:
			first = ans.Number
		case ans.Number != first:
			return false
		}
		n++
	}
	return n >= MinStraightLine
}

// ResponseQuality is one response as the quality list shows it: never its
// code, pseudonym or answers.
type ResponseQuality struct {
	ID         string `json:"id"`
	WorkshopID string `json:"-"`
	Phase      Phase  `json:"phase"`
	Day        string `json:"day"`
	// Flags are never nil: [] when the response raised none.
	Flags    []Flag    `json:"flags"`
	Excluded bool      `json:"excluded"`
	PairedBy *PairedBy `json:"paired_by"`
}

// Responses lists every response added, excluded ones included, in the
// order they were added, with their flags and how each was paired.
// ListResponses must have been set before the first Add.
func (b *ResultsBuilder) Responses() []ResponseQuality {
	pupils := b.pupils()
	over := b.overAttendance()
	by := make(map[int]PairedBy, 2*len(pupils))
	for _, p := range pupils {
		if p.by != "" {
			for _, i := range p.rows {
				by[i] = p.by
			}
		}
	}
	out := make([]ResponseQuality, len(b.listed))
	for n, l := range b.listed {
		rq := ResponseQuality{ID: l.id, WorkshopID: l.workshop, Phase: l.phase, Day: l.day, Excluded: l.row < 0}
		flags := l.flags
		if l.row >= 0 {
			if over[l.row] {
				flags |= flagOverAttendance
			}
			if rule, ok := by[l.row]; ok {
				rq.PairedBy = &rule
			}
		}
		rq.Flags = flags.list()
		out[n] = rq
	}
	return out
}

// Surplus is how many more responses a phase of a workshop holds than
// young people were present.
type Surplus struct {
	WorkshopID string `json:"workshop_id"`
	Phase      Phase  `json:"phase"`
	Responses  int    `json:"responses"`
	Attendance int    `json:"attendance"`
}

// Surpluses lists the phases with more responses (excluded ones left out)
// than the attendance entered.
func (b *ResultsBuilder) Surpluses() []Surplus {
	var out []Surplus
	for _, s := range b.phaseCounts() {
		if s.Attendance > 0 && s.Responses > s.Attendance {
			out = append(out, s)
		}
	}
	return out
}

// phaseCounts counts the rows of each workshop and phase that has an
// attendance, in row order.
func (b *ResultsBuilder) phaseCounts() []Surplus {
	var out []Surplus
	index := map[[2]string]int{}
	for _, r := range b.rows.all() {
		w := b.workshops[r.workshop]
		att := b.attendance[w]
		if att <= 0 {
			continue
		}
		k := [2]string{w, string(r.phase())}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, Surplus{WorkshopID: w, Phase: r.phase(), Attendance: att})
		}
		out[i].Responses++
	}
	return out
}

// overAttendance marks the rows flagged over_attendance. When a phase of a
// workshop holds more responses than young people were present, the
// surplus cannot be told apart by time (Déclic keeps none), but a response
// paired with the other phase almost surely comes from a pupil in the
// room: the phase's unpaired responses are flagged, the candidates for the
// surplus. When they are fewer than the surplus, every response of the
// phase is flagged, since nothing then tells which ones are extra.
func (b *ResultsBuilder) overAttendance() []bool {
	pupils := b.pupils() // resets overMemo when rows were added
	if b.overMemo != nil {
		return b.overMemo
	}
	over := make([]bool, b.rows.len())
	b.overMemo = over
	if len(b.attendance) == 0 {
		return over
	}
	paired := make([]bool, b.rows.len())
	for _, p := range pupils {
		if len(p.pre) == 1 && len(p.post) == 1 {
			paired[p.pre[0]], paired[p.post[0]] = true, true
		}
	}
	for _, s := range b.Surpluses() {
		var unpaired, all []int
		for i, r := range b.rows.all() {
			if b.workshops[r.workshop] == s.WorkshopID && r.phase() == s.Phase {
				all = append(all, i)
				if !paired[i] {
					unpaired = append(unpaired, i)
				}
			}
		}
		flag := unpaired
		if len(unpaired) < s.Responses-s.Attendance {
			flag = all
		}
		for _, i := range flag {
			over[i] = true
		}
	}
	return over
}

// mdePaired is stats.MDEPaired, remembered by n: breakdowns ask for the
// same few sizes many times. Measures computed side by side share it.
func (b *ResultsBuilder) mdePaired(n int) *float64 {
	if n < 2 {
		return nil
	}
	b.mdeMu.Lock()
	defer b.mdeMu.Unlock()
	if v, ok := b.mde[n]; ok {
		return v
	}
	if b.mde == nil {
		b.mde = map[int]*float64{}
	}
	v := finiteOrNil(stats.MDEPaired(n))
	b.mde[n] = v
	return v
}

// Exclusion is one change of a response's exclusion, kept in the audit
// trail: who, when and why. Responses are never deleted by it: an excluded
// response stays stored, and can be restored.
type Exclusion struct {
	WorkshopID string `json:"workshop_id"`
	ResponseID string `json:"response_id"`
	// Excluded is the new state: true to exclude, false to restore.
	Excluded bool   `json:"excluded"`
	Reason   string `json:"reason"`
	// UserID is the staff member who made the change.
	UserID string `json:"user_id"`
	// At is when the change was recorded, set by the store.
	At time.Time `json:"at"`
}

// MaxReason bounds an exclusion's reason.
const MaxReason = 300

// Validate checks an exclusion's reason: required to exclude, optional to
// restore, short, without control characters.
func (e *Exclusion) Validate() error {
	f := map[string]string{}
	switch {
	case e.Excluded && e.Reason == "":
		f["reason"] = "dites pourquoi cette réponse est exclue"
	case utf8.RuneCountInString(e.Reason) > MaxReason || !utf8.ValidString(e.Reason):
		f["reason"] = "300 caractères au plus"
	case strings.ContainsFunc(e.Reason, controlRune):
		f["reason"] = "caractères de contrôle interdits"
	}
	if e.WorkshopID == "" || e.ResponseID == "" || e.UserID == "" {
		f["response_id"] = "réponse ou auteur manquant"
	}
	if len(f) > 0 {
		return &Error{Code: EINVALID, Message: "L'exclusion n'est pas valide.", Fields: f}
	}
	return nil
}
