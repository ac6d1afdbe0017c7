package surveys

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSuppress(t *testing.T) {
	tests := []struct {
		name    string
		n       []int
		already []bool
		want    []bool
	}{
		{"all large", []int{12, 8, 6}, nil, []bool{false, false, false}},
		{"one small: the next smallest goes too", []int{12, 8, 3}, nil, []bool{false, true, true}},
		{"two small holding 5", []int{12, 2, 3}, nil, []bool{false, true, true}},
		{"two small holding 4: a third goes", []int{12, 9, 1, 3}, nil, []bool{false, true, true, true}},
		{"an empty group hides nothing", []int{12, 8, 0}, nil, []bool{false, false, true}},
		{"one small and one empty", []int{12, 8, 0, 2}, nil, []bool{false, true, true, true}},
		{"everything small", []int{1, 2}, nil, []bool{true, true}},
		{"a lone small group with nothing to pair it with", []int{3}, nil, []bool{true}},
		{"already hidden counts", []int{12, 8, 7}, []bool{false, false, true}, []bool{false, true, true}},
	}
	for _, tt := range tests {
		if got := suppress(tt.n, tt.already); !slices.Equal(got, tt.want) {
			t.Errorf("%s: suppress(%v) = %v, want %v", tt.name, tt.n, got, tt.want)
		}
	}
}

// Whatever the groups, a reader who takes a total shown elsewhere in the
// report (young people reached, an item's pairs) and subtracts the groups
// shown never gets a single small group: what is left is either nothing,
// or several hidden groups holding at least MinGroupSize pupils (or pairs),
// or every group is hidden.
func TestBreakdownNeverRecoverableBySubtraction(t *testing.T) {
	q := profileQuestionnaire(t)
	rng := rand.New(rand.NewPCG(7, 11))
	genres := []string{"fille", "garcon", "nsp", ""}
	for round := range 300 {
		b := NewResultsBuilder(q)
		sizes := []int{rng.IntN(15), rng.IntN(9), rng.IntN(6), rng.IntN(4)}
		for g, size := range sizes {
			for i := range size {
				who := fmt.Sprint(g, "-", i)
				pre := map[string]any{"l1": 1 + rng.IntN(5)}
				if genres[g] != "" {
					pre["genre"] = genres[g]
				}
				if rng.IntN(5) > 0 {
					b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePre, Answers: ans(pre)})
				}
				if rng.IntN(4) > 0 {
					b.Add(&Response{WorkshopID: "w", Participant: who, Phase: PhasePost,
						Answers: ans(map[string]any{"l1": 1 + rng.IntN(5), "r1": map[string]any{"before": 1 + rng.IntN(5), "now": 1 + rng.IntN(5)}})})
				}
			}
		}
		rep := b.Report([]*Workshop{{ID: "w"}})
		if len(rep.Breakdowns) != 1 {
			t.Fatalf("round %d: %d breakdowns", round, len(rep.Breakdowns))
		}
		groups := rep.Breakdowns[0].Groups
		// The pupils' true group sizes and pairs, to see what is left.
		truth := b.breakdownTruth()
		check := func(row string, total int, shown func(Group) (int, bool), trueN func(c int) int) {
			left, cells, shownCells := total, 0, 0
			for c, g := range groups {
				if n, ok := shown(g); ok {
					left -= n
					shownCells++
				} else if trueN(c) > 0 {
					cells++
				}
			}
			// With every group hidden, nothing says which one holds what.
			if shownCells > 0 && left > 0 && (cells < 2 || left < MinGroupSize) {
				t.Fatalf("round %d, %s: total %d minus the shown groups leaves %d in %d hidden group(s): groups %+v",
					round, row, total, left, cells, groups)
			}
		}
		check("young people", rep.Participants, func(g Group) (int, bool) { return g.Participants, !g.Hidden },
			func(c int) int { return truth[c].pupils })
		for j, it := range rep.Items {
			check(it.Key, it.Paired.N, func(g Group) (int, bool) {
				if g.Hidden || g.Measures[j].Paired == nil {
					return 0, false
				}
				return g.Measures[j].Paired.N, true
			}, func(c int) int { return truth[c].pairs[j] })
		}
	}
}

type groupTruth struct {
	pupils int
	pairs  []int
}

// breakdownTruth counts, for the first profile item, each group's pupils
// and pairs per measure, in the order of Breakdown.Groups.
func (b *ResultsBuilder) breakdownTruth() []groupTruth {
	it := b.profiles[0]
	pupils := b.pupils()
	var out []groupTruth
	member := func(p *pupil, value string) bool {
		v := ""
		for _, i := range p.rows {
			if r := b.rows.at(i); r.profile[0] != "" && (v == "" || !r.post) {
				v = r.profile[0]
			}
		}
		return v == value
	}
	values := []string{}
	for _, o := range it.Options {
		values = append(values, o.Value)
	}
	values = append(values, "")
	for _, v := range values {
		var group []*pupil
		for _, p := range pupils {
			if member(p, v) {
				group = append(group, p)
			}
		}
		if v == "" && len(group) == 0 {
			continue
		}
		pairs, posts := pairsOf(group)
		g := groupTruth{pupils: len(group)}
		for j := range b.measures {
			g.pairs = append(g.pairs, b.comparePairs(j, pairs, posts).N)
		}
		out = append(out, g)
	}
	return out
}
