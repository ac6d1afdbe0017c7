package handlers

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// workshopEdit is a correction of a workshop: nil fields are kept.
type workshopEdit struct {
	Title   *string   `json:"title"`
	Date    *string   `json:"date"`
	Partner *string   `json:"partner"`
	Group   *string   `json:"group"`
	Place   *string   `json:"place"`
	Tags    *[]string `json:"tags"`
}

// updateWorkshop corrects a workshop the user may run: same rules as at
// creation, partner and tags written as they already are elsewhere.
func (s *server) updateWorkshop(c *gin.Context, e workshopEdit) (*surveys.Workshop, error) {
	w, err := s.workshopFor(c)
	if err != nil {
		return nil, err
	}
	next := *w
	var typed []string
	for _, f := range []struct {
		name string
		dst  *string
		src  *string
	}{{"title", &next.Title, e.Title}, {"date", &next.Date, e.Date}, {"partner", &next.Partner, e.Partner}, {"group", &next.Group, e.Group}, {"place", &next.Place, e.Place}} {
		if f.src != nil && *f.src != *f.dst {
			*f.dst = *f.src
			typed = append(typed, f.name)
		}
	}
	if e.Tags != nil {
		next.Tags = *e.Tags
	}
	// Only tags added now are checked: the form sends them all back.
	added := next
	added.Tags = nil
	for _, tag := range next.Tags {
		if !slices.Contains(w.Tags, tag) { // as stored, exactly
			added.Tags = append(added.Tags, tag)
		}
	}
	if err := added.CheckTyped(append(typed, "tags")...); err != nil {
		return nil, err
	}
	if err := next.Validate(); err != nil {
		return nil, err
	}
	ctx := c.Request.Context()
	next.Partner, next.Tags = s.usualSpellings(ctx, next.Partner, next.Tags)
	return s.Store.UpdateWorkshop(ctx, w.ID, surveys.WorkshopFields{
		Title: next.Title, Date: next.Date, Partner: next.Partner, Group: next.Group, Place: next.Place, Tags: next.Tags,
	})
}

// suggestions are the partners and tags already used, each once (as
// surveys.MatchKey compares them), in its most used spelling.
type suggestions struct {
	Partners []string
	Tags     []string
}

func (s *server) suggestions(ctx context.Context) suggestions {
	ws, err := s.Store.Workshops(ctx, surveys.WorkshopFilter{})
	if err != nil {
		return suggestions{} // suggestions help; a form works without them
	}
	partners, tags := spellings{}, spellings{}
	for _, w := range ws {
		partners.add(w.Partner)
		for _, t := range w.Tags {
			tags.add(t)
		}
	}
	return suggestions{Partners: partners.list(), Tags: tags.list()}
}

// usualSpellings writes a partner and tags the way they are already
// written when they match one ignoring case, accents and spaces, so that
// « college jean mace » joins « Collège Jean Macé » in every list.
func (s *server) usualSpellings(ctx context.Context, partner string, tags []string) (string, []string) {
	sug := s.suggestions(ctx)
	find := func(list []string, v string) string {
		k := surveys.MatchKey(v)
		for _, known := range list {
			if surveys.MatchKey(known) == k {
				return known
			}
		}
		return v
	}
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if t = find(sug.Tags, t); !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if partner == "" {
		return "", out
	}
	return find(sug.Partners, partner), out
}

// spellings counts the spellings of values that MatchKey makes equal.
type spellings map[string]map[string]int

func (sp spellings) add(v string) {
	if strings.TrimSpace(v) == "" {
		return
	}
	k := surveys.MatchKey(v)
	if sp[k] == nil {
		sp[k] = map[string]int{}
	}
	sp[k][strings.TrimSpace(v)]++
}

// list is the most used spelling of each value, sorted ignoring accents.
func (sp spellings) list() []string {
	out := make([]string, 0, len(sp))
	for _, counts := range sp {
		best, n := "", 0
		for v, c := range counts {
			if c > n || c == n && v < best {
				best, n = v, c
			}
		}
		out = append(out, best)
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(surveys.MatchKey(a), surveys.MatchKey(b)) })
	return out
}
