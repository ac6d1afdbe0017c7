package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func (s *server) apiCreateIndicator(c *gin.Context) {
	var req indicatorRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	ind, err := s.createIndicator(c, req)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusCreated, ind)
}

func (s *server) apiListIndicators(c *gin.Context) {
	list, err := s.Store.Indicators(c.Request.Context())
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"indicators": list})
}

func (s *server) apiIndicator(c *gin.Context) {
	ind, err := s.Store.Indicator(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, ind)
}

func (s *server) apiUpdateIndicator(c *gin.Context) {
	var req indicatorRequest
	if err := decodeJSON(c, &req); err != nil {
		s.apiFail(c, err)
		return
	}
	ind, err := s.updateIndicator(c, c.Param("id"), req)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, ind)
}

func (s *server) apiDeleteIndicator(c *gin.Context) {
	if err := s.Store.DeleteIndicator(c.Request.Context(), c.Param("id")); err != nil {
		s.apiFail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// apiIndicatorValue serves /indicators/{id}/value?from=&to=&tag=&partner=
// over the workshops the user may see.
func (s *server) apiIndicatorValue(c *gin.Context) {
	f, err := workshopFilter(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	ctx := c.Request.Context()
	ind, err := s.Store.Indicator(ctx, c.Param("id"))
	if err != nil {
		s.apiFail(c, err)
		return
	}
	v, err := s.indicatorValue(ctx, ind, f)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// apiIndicatorCompare serves /indicators/{id}/compare: the value over two
// periods (from1..to1, from2..to2; by default the last two school years),
// the difference and whether it is beyond chance.
func (s *server) apiIndicatorCompare(c *gin.Context) {
	first, second, err := comparePeriods(c, s.now())
	if err != nil {
		s.apiFail(c, err)
		return
	}
	ctx := c.Request.Context()
	ind, err := s.Store.Indicator(ctx, c.Param("id"))
	if err != nil {
		s.apiFail(c, err)
		return
	}
	cmp, err := s.compareIndicator(ctx, ind, first, second)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	c.JSON(http.StatusOK, cmp)
}
