package handlers

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/surveys"
)

type facilitatorsRequest struct {
	UserIDs []string `json:"user_ids"`
}

const maxFacilitators = 50

// apiSetFacilitators replaces the users added to a workshop, who then see
// and run it as its owner does. Admins and managers only.
func (s *server) apiSetFacilitators(c *gin.Context) {
	ctx := c.Request.Context()
	var req facilitatorsRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	invalid := func(msg string) {
		s.apiFail(c, &surveys.Error{Code: surveys.EINVALID, Message: "La liste des animateur·rices n'est pas valide.", Fields: map[string]string{"user_ids": msg}})
	}
	if len(req.UserIDs) > maxFacilitators {
		invalid("50 comptes au plus")
		return
	}
	w, err := s.Store.Workshop(ctx, c.Param("id"))
	if err != nil {
		s.apiFail(c, err)
		return
	}
	ids := make([]string, 0, len(req.UserIDs))
	seen := map[string]bool{}
	for _, id := range req.UserIDs {
		id = strings.TrimSpace(id)
		if seen[id] {
			continue
		}
		seen[id] = true
		if _, err := s.Store.User(ctx, id); err != nil {
			if surveys.ErrorCode(err) == surveys.ENOTFOUND {
				if len(id) > 64 {
					id = id[:64] + "…"
				}
				invalid("compte inconnu : " + id)
				return
			}
			s.apiFail(c, err)
			return
		}
		ids = append(ids, id)
	}
	w, err = s.Store.SetFacilitators(ctx, w.ID, ids)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, workshopView{Workshop: w, links: s.linksOf(c, w)})
}
