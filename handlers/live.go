package handlers

import (
	"context"
	"math"
	"slices"
	"strconv"

	"declic/surveys"
)

// The live projector page shows anonymous aggregates of a workshop while
// it runs: during PRE the distribution of each question, after POST the
// PRE and POST distributions side by side. A phase's figures for a
// question appear only from minLive answers; profile questions (age,
// gender) never; free text only once a facilitator approved it. No code,
// no single answer, no count under minLive.

// minLive is the fewest answers a distribution is shown for.
const minLive = surveys.MinGroupSize

// liveView is the page's content at one workshop version.
type liveView struct {
	Phase   surveys.Phase
	Compare bool // PRE and POST side by side
	NPre    int
	NPost   int
	Min     int
	Items   []liveItem
	Version int64
}

type liveItem struct {
	Num  int
	Key  string
	Text string
	// Halves: a retrospective item's two answers, shown as its "before"
	// and "now" bars.
	Halves   bool
	FreeText bool
	// Pre and Post are the answers counted in each phase; ShowPre and
	// ShowPost whether there are enough to show.
	Pre, Post         int
	ShowPre, ShowPost bool
	AskedPre          bool
	AskedPost         bool
	Bars              []liveBar
	Quotes            []string
	// Need is how many more answers the first figures wait for; WaitPost
	// the same for the POST bars once PRE ones show.
	Need, WaitPost int
}

// liveBar is one answer's share, in whole percent, of those who answered.
type liveBar struct {
	Label     string
	Pre, Post int
	Correct   bool
}

// Shown tells whether anything of the item is on the page.
func (it liveItem) Shown() bool { return it.ShowPre || it.ShowPost }

// liveTally counts one item's answers in one phase.
type liveTally struct {
	n      int
	counts map[string]int // by choice value
	before map[string]int // a retrospective item's "before" half
}

func newTally() *liveTally { return &liveTally{counts: map[string]int{}, before: map[string]int{}} }

// buildLive counts the answers of workshop w, excluded ones left out.
func (s *server) buildLive(ctx context.Context, w *surveys.Workshop, q *surveys.Questionnaire) (*liveView, error) {
	shown := map[string]bool{}
	approvals, err := s.Store.TextApprovals(ctx, w.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range approvals {
		if a.Shown {
			shown[a.ResponseID+"/"+a.ItemKey] = true
		}
	}
	tally := map[surveys.Phase]map[string]*liveTally{surveys.PhasePre: {}, surveys.PhasePost: {}}
	quotes := map[string][]string{}
	v := &liveView{Phase: w.Phase, Min: minLive, Version: w.Version}
	err = s.Store.EachResponse(ctx, []string{w.ID}, func(r *surveys.Response) error {
		if r.Excluded {
			return nil
		}
		if r.Phase == surveys.PhasePre {
			v.NPre++
		} else {
			v.NPost++
		}
		for key, a := range r.Answers {
			t := tally[r.Phase][key]
			if t == nil {
				t = newTally()
				tally[r.Phase][key] = t
			}
			t.n++
			switch a.Kind {
			case surveys.AnswerOptions:
				for _, o := range a.List {
					t.counts[o]++
				}
			case surveys.AnswerText:
				if shown[r.ID+"/"+key] {
					quotes[key] = append(quotes[key], a.Text)
				}
			case surveys.AnswerPair:
				t.before[strconv.Itoa(a.Before)]++
				t.counts[strconv.Itoa(a.Number)]++
			default:
				t.counts[a.Label()]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Side by side once POST has begun: while it is open, or after it.
	v.Compare = w.Phase == surveys.PhasePost || w.Phase == surveys.PhaseClosed && v.NPost > 0
	num := 0
	for i := range q.Items {
		it := &q.Items[i]
		if it.Profile {
			continue
		}
		li := liveItem{Key: it.Key, Text: it.Text.String(), Halves: it.Retrospective(), FreeText: len(it.Choices()) == 0,
			AskedPre: it.AskedIn(surveys.PhasePre), AskedPost: it.AskedIn(surveys.PhasePost)}
		pre, post := tally[surveys.PhasePre][it.Key], tally[surveys.PhasePost][it.Key]
		if pre == nil {
			pre = newTally()
		}
		if post == nil {
			post = newTally()
		}
		if !v.Compare && !li.AskedPre {
			continue // a question of the end, before the end
		}
		num++
		li.Num = num
		li.Pre, li.Post = pre.n, post.n
		if li.Halves {
			// Both halves come from the POST answers.
			li.ShowPost = post.n >= minLive
			li.ShowPre = li.ShowPost
			pre = &liveTally{n: post.n, counts: post.before}
		} else {
			li.ShowPre = li.AskedPre && pre.n >= minLive
			li.ShowPost = v.Compare && li.AskedPost && post.n >= minLive
		}
		switch {
		case li.FreeText:
			if li.ShowPre || li.ShowPost {
				li.Quotes = quotes[it.Key]
				slices.Sort(li.Quotes) // never the order pupils answered in
			}
		default:
			for _, c := range it.Choices() {
				b := liveBar{Label: c.Label.String(), Pre: share(pre.counts[c.Value], pre.n), Post: share(post.counts[c.Value], post.n)}
				if it.Binary() && it.HasOptions() && v.Compare {
					if sc, ok := it.Score(surveys.OptionAnswer(c.Value)); ok && sc == 1 {
						b.Correct = true
					}
				}
				li.Bars = append(li.Bars, b)
			}
		}
		if v.Compare && li.AskedPost && !li.Halves && li.ShowPre && !li.ShowPost {
			li.WaitPost = minLive - post.n
		}
		switch {
		case li.Shown():
		case v.Compare && li.AskedPost:
			li.Need = minLive - post.n
		default:
			li.Need = minLive - pre.n
		}
		v.Items = append(v.Items, li)
	}
	return v, nil
}

func share(n, total int) int {
	if total == 0 {
		return 0
	}
	return int(math.Round(100 * float64(n) / float64(total)))
}
