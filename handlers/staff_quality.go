package handlers

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

// setExcludedPage is the « Exclure » / « Rétablir » button of the quality
// panel: a plain form, so it works without JavaScript.
func (s *server) setExcludedPage(c *gin.Context) {
	excluded := c.PostForm("excluded") == "1"
	reason := strings.TrimSpace(c.PostForm("reason"))
	if other := strings.TrimSpace(c.PostForm("detail")); other != "" {
		if reason == "" || reason == "Autre raison" {
			reason = other
		} else {
			reason += " : " + other
		}
	}
	w, _, err := s.setExcluded(c, c.Param("rid"), excluded, reason)
	if err != nil {
		s.pageFail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/app/workshops/"+w.ID+"/results#qualite")
}

// qualityRow is one response in the quality panel.
type qualityRow struct {
	responseView
	Ref    string   // a short reference, to speak of it
	Flags  []string // in words
	Reason string   // preselected reason
}

// qualityPanel is what the results page shows of the responses' quality.
type qualityPanel struct {
	Flagged   []qualityRow // flagged or excluded
	Others    []qualityRow // the rest, to exclude one the flags missed
	Surpluses []surveys.Surplus
	Reasons   []string
}

func (s *server) qualityPanel(c *gin.Context, w *surveys.Workshop) (*qualityPanel, error) {
	list, surpluses, err := s.responseViews(c, w)
	if err != nil {
		return nil, err
	}
	p := &qualityPanel{Surpluses: surpluses}
	for _, r := range exclusionReasons {
		p.Reasons = append(p.Reasons, r.Value)
	}
	for _, r := range list {
		row := qualityRow{responseView: r, Ref: r.ID[:min(6, len(r.ID))], Reason: exclusionReasons[3].Value}
		for _, f := range r.Flags {
			row.Flags = append(row.Flags, f.Label())
		}
		for _, reason := range exclusionReasons {
			if reason.Flag != "" && slices.Contains(r.Flags, reason.Flag) {
				row.Reason = reason.Value
				break
			}
		}
		if len(r.Flags) > 0 || r.Excluded {
			p.Flagged = append(p.Flagged, row)
		} else {
			p.Others = append(p.Others, row)
		}
	}
	return p, nil
}
