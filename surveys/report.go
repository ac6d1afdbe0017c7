package surveys

import (
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
	rep := &Report{Results: res, PerWorkshop: make([]WorkshopRow, 0, len(workshops)), Breakdowns: b.breakdowns()}
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
// answer (in PRE if they did, else in POST). Pairing and duplicate rules
// are those of Results.
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
		for _, o := range it.Options {
			g := Group{Value: o.Value, Label: o.Label.String()}
			var group []*pupil
			for n, p := range pupils {
				if values[n][k] == o.Value {
					group = append(group, p)
				}
			}
			g.Participants = len(group)
			pairs, posts := pairsOf(group)
			if g.Participants < MinGroupSize {
				bd.Groups = append(bd.Groups, Group{Value: o.Value, Label: o.Label.String(), Hidden: true})
				continue
			}
			for j, m := range b.measures {
				gm := GroupMeasure{Key: m.key()}
				if p := convertPaired(b.comparePairs(j, pairs, posts)); p.N >= MinGroupSize {
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
