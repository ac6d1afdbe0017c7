package surveys

import (
	"slices"
	"sort"

	"declic/surveys/stats"
)

// Report is the results of several workshops that used one questionnaire,
// pooled: a pair stays within its workshop. It adds what a funder asks for
// to the results shape: workshops held, young people reached, one row per
// workshop and response rates where the attendance was entered.
type Report struct {
	*Results
	// Participants counts distinct pupils per workshop. The same pupil in
	// two workshops counts twice: codes are unlinkable across workshops.
	Participants int           `json:"participants"`
	PerWorkshop  []WorkshopRow `json:"per_workshop"`
	// Attendance sums the head counts of the workshops that have one, and
	// the response rates divide their answers by it; nil when none has.
	Attendance       *int     `json:"attendance"`
	ResponseRatePre  *float64 `json:"response_rate_pre"`
	ResponseRatePost *float64 `json:"response_rate_post"`
	// Breakdowns split the paired figures by each profile item.
	Breakdowns []Breakdown `json:"breakdowns,omitempty"`
	// MDEDz is the smallest d_z the report's pairs (n_paired) detect with
	// 80 % power at α = 0.05; PairsNeeded is how many pairs detect
	// TypicalEffect (0.3).
	MDEDz       *float64 `json:"mde_dz"`
	PairsNeeded int      `json:"pairs_needed"`
	// Versions are the versions of the questionnaire the pooled workshops
	// used; LeftOut the items and scales the pool leaves out because they
	// changed between them (see Pool).
	Versions []ReportVersion `json:"versions,omitempty"`
	LeftOut  []LeftOut       `json:"left_out,omitempty"`
}

// ReportVersion is one version of a questionnaire in a report.
type ReportVersion struct {
	ID        string `json:"id"`
	Version   int    `json:"version"`
	Workshops int    `json:"workshops"`
}

// MinGroupSize is the smallest group a breakdown shows: below it, a group's
// figures could point at one pupil.
const MinGroupSize = 5

// Breakdown is the paired figures of each answer to a profile item.
type Breakdown struct {
	Key    string  `json:"key"`
	Text   string  `json:"text"`
	Groups []Group `json:"groups"`
}

// Group is the pupils who gave one answer to a profile item. A group of
// fewer than MinGroupSize pupils is Hidden: no count, no figure.
type Group struct {
	Value        string         `json:"value"`
	Label        string         `json:"label"`
	Hidden       bool           `json:"hidden"`
	Participants int            `json:"participants,omitempty"`
	Measures     []GroupMeasure `json:"measures,omitempty"`
}

// GroupMeasure is one item or scale within a group; Paired is nil when
// fewer than MinGroupSize of the group's pupils are paired on it.
type GroupMeasure struct {
	Key    string  `json:"key"`
	Paired *Paired `json:"paired"`
}

// WorkshopRow is one workshop's line in a report.
type WorkshopRow struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Date        string   `json:"date"`
	Partner     string   `json:"partner"`
	Group       string   `json:"group"`
	Tags        []string `json:"tags"`
	Attendance  int      `json:"attendance,omitempty"`
	NPre        int      `json:"n_pre"`
	NPost       int      `json:"n_post"`
	NPaired     int      `json:"n_paired"`
	NDuplicates int      `json:"n_duplicates"`
}

// Report pools the responses added so far over the given workshops (the
// ones the builder was fed for), newest first.
func (b *ResultsBuilder) Report(workshops []*Workshop) *Report {
	res := b.Results()
	n := len(workshops)
	res.Workshops = &n
	rep := &Report{Results: res, PerWorkshop: make([]WorkshopRow, 0, len(workshops)), Breakdowns: b.breakdowns(),
		MDEDz: b.mdePaired(res.NPaired), PairsNeeded: PairsForTypicalEffect()}
	counts := b.workshopCounts()
	attendance, answeredPre, answeredPost := 0, 0, 0
	for _, w := range workshops {
		c := counts[w.ID]
		row := WorkshopRow{ID: w.ID, Title: w.Title, Date: w.Date, Partner: w.Partner, Group: w.Group, Tags: w.Tags, Attendance: w.Attendance}
		if c != nil {
			row.NPre, row.NPost, row.NPaired, row.NDuplicates = c.pre, c.post, c.paired, c.duplicates
			rep.Participants += c.participants
		}
		if w.Attendance > 0 {
			attendance += w.Attendance
			answeredPre += row.NPre
			answeredPost += row.NPost
		}
		rep.PerWorkshop = append(rep.PerWorkshop, row)
	}
	sort.SliceStable(rep.PerWorkshop, func(i, j int) bool { return rep.PerWorkshop[i].Date > rep.PerWorkshop[j].Date })
	if attendance > 0 {
		rep.Attendance = &attendance
		pre, post := float64(answeredPre)/float64(attendance), float64(answeredPost)/float64(attendance)
		rep.ResponseRatePre, rep.ResponseRatePost = &pre, &post
	}
	return rep
}

type workshopCount struct {
	pre, post, paired, duplicates, participants int
}

// workshopCounts splits the pooled counts by workshop, with the same pairing
// and duplicate rules as Results.
func (b *ResultsBuilder) workshopCounts() map[string]*workshopCount {
	out := map[string]*workshopCount{}
	for _, p := range b.pupils() {
		c := out[p.workshop]
		if c == nil {
			c = &workshopCount{}
			out[p.workshop] = c
		}
		c.pre += len(p.pre)
		c.post += len(p.post)
		c.participants++
		switch {
		case p.duplicate():
			c.duplicates++
		case len(p.pre) == 1 && len(p.post) == 1:
			c.paired++
		}
	}
	return out
}

// ShareImproved is the share of paired pupils who progressed, or nil.
func (p Paired) ShareImproved() *float64 {
	if p.N == 0 {
		return nil
	}
	v := float64(p.Improved) / float64(p.N)
	return &v
}

// breakdowns computes, for each profile item and each of its answers, the
// paired comparison of every item and scale over the pupils who gave that
// answer (in PRE if they did, else in POST), plus a group of the pupils
// who gave none when there are any. Pairing and duplicate rules are those
// of Results.
//
// Small groups are hidden, and so is whatever would let a reader recover
// them by subtraction (complementary suppression): the groups partition
// the pupils, and the report shows the totals, so in every row (the
// group sizes, and each measure's pairs) the hidden cells that hold
// pupils are either none, or at least two holding MinGroupSize pupils
// together. A total minus the shown cells then never isolates one small
// group.
func (b *ResultsBuilder) breakdowns() []Breakdown {
	if len(b.profiles) == 0 {
		return nil
	}
	pupils := b.pupils()
	// A pupil's profile answer is the one given in PRE, else in POST.
	values := make([][]string, len(pupils))
	for n, p := range pupils {
		values[n] = make([]string, len(b.profiles))
		for _, i := range p.rows {
			r := b.rows.at(i)
			for k, v := range r.profile {
				if v != "" && (values[n][k] == "" || !r.post) {
					values[n][k] = v
				}
			}
		}
	}
	var out []Breakdown
	for k, it := range b.profiles {
		bd := Breakdown{Key: it.Key, Text: it.Text.String()}
		type column struct {
			value, label string
			pupils       []*pupil
		}
		var cols []column
		for _, o := range it.Options {
			cols = append(cols, column{value: o.Value, label: o.Label.String()})
		}
		none := column{label: NoAnswerLabel}
		for n, p := range pupils {
			if i := slices.IndexFunc(cols, func(c column) bool { return c.value == values[n][k] }); i >= 0 && values[n][k] != "" {
				cols[i].pupils = append(cols[i].pupils, p)
			} else {
				none.pupils = append(none.pupils, p)
			}
		}
		if len(none.pupils) > 0 {
			cols = append(cols, none)
		}
		// The group sizes first: a hidden group shows nothing at all.
		sizes := make([]int, len(cols))
		for c := range cols {
			sizes[c] = len(cols[c].pupils)
		}
		hidden := suppress(sizes, nil)
		measures := make([][]Paired, len(cols))
		for c := range cols {
			pairs, posts := pairsOf(cols[c].pupils)
			for j := range b.measures {
				measures[c] = append(measures[c], b.convertPaired(b.comparePairs(j, pairs, posts)))
			}
		}
		// Then each measure's pairs, with the hidden groups already out.
		shown := make([][]bool, len(cols))
		for c := range cols {
			shown[c] = make([]bool, len(b.measures))
		}
		for j := range b.measures {
			ns := make([]int, len(cols))
			for c := range cols {
				ns[c] = measures[c][j].N
			}
			cut := suppress(ns, hidden)
			for c := range cols {
				shown[c][j] = !cut[c]
			}
		}
		for c, col := range cols {
			g := Group{Value: col.value, Label: col.label}
			if hidden[c] {
				g.Hidden = true
				bd.Groups = append(bd.Groups, g)
				continue
			}
			g.Participants = sizes[c]
			for j, m := range b.measures {
				gm := GroupMeasure{Key: m.key()}
				if shown[c][j] {
					p := measures[c][j]
					gm.Paired = &p
				}
				g.Measures = append(g.Measures, gm)
			}
			bd.Groups = append(bd.Groups, g)
		}
		out = append(out, bd)
	}
	return out
}

// NoAnswerLabel names the group of pupils who did not answer a profile
// question.
const NoAnswerLabel = "Sans réponse"

// suppress decides which cells of one row of a breakdown to hide. Cells
// under MinGroupSize are hidden, and so are those already hidden (nil:
// none). Then, while the hidden cells that hold anyone are exactly one,
// or hold fewer than MinGroupSize together, the smallest shown cell that
// holds anyone is hidden too: the row's total minus the shown cells must
// never give one small group, nor a small number of pupils.
func suppress(n []int, already []bool) []bool {
	hide := make([]bool, len(n))
	for i, v := range n {
		hide[i] = v < MinGroupSize || already != nil && already[i]
	}
	for {
		count, sum := 0, 0
		for i, v := range n {
			if hide[i] && v > 0 {
				count++
				sum += v
			}
		}
		if count == 0 || count >= 2 && sum >= MinGroupSize {
			return hide
		}
		next := -1
		for i, v := range n {
			if !hide[i] && v > 0 && (next < 0 || v < n[next]) {
				next = i
			}
		}
		if next < 0 {
			return hide
		}
		hide[next] = true
	}
}

// comparePairs compares measure j over the given pairs of rows, or, for a
// retrospective item, over the given POST rows.
func (b *ResultsBuilder) comparePairs(j int, pairs [][2]int, posts []int) stats.Paired {
	if m := b.measures[j]; m.item != nil && m.item.Retrospective() {
		return stats.ComparePaired(b.retroScores(j, posts))
	}
	return stats.ComparePaired(b.pairedScores(j, pairs))
}

func (m measure) key() string {
	if m.item != nil {
		return m.item.Key
	}
	return m.scale.Key
}
