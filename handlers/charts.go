package handlers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"declic/charts"
	"declic/surveys"
)

// prePostChart turns results into the chart's rows: items, then scales.
func prePostChart(res *surveys.Results) charts.PrePost {
	c := charts.PrePost{Title: "Moyennes avant / après l'atelier"}
	for _, it := range res.Items {
		label := it.Text
		if it.Reverse {
			label += " (formulée à l'envers : score inversé, plus haut = mieux)"
		}
		c.Bars = append(c.Bars, charts.Bar{Label: label, Pre: it.Pre.Mean, Post: it.Post.Mean, NPre: it.Pre.N, NPost: it.Post.N, Min: it.Min, Max: it.Max})
	}
	for _, sc := range res.Scales {
		c.Bars = append(c.Bars, charts.Bar{Label: "Échelle : " + sc.Title, Pre: sc.Pre.Mean, Post: sc.Post.Mean, NPre: sc.Pre.N, NPost: sc.Post.N, Min: sc.Min, Max: sc.Max})
	}
	return c
}

// workshopChart serves /charts/{name}.png|.svg; ?taille=print doubles the
// resolution for reports.
func (s *server) workshopChart(c *gin.Context) {
	name, ext, _ := strings.Cut(c.Param("file"), ".")
	format, err := charts.ParseFormat(ext)
	if err != nil || name != "prepost" {
		s.apiFail(c, surveys.Errorf(surveys.ENOTFOUND, "Graphique inconnu : prepost.png ou prepost.svg."))
		return
	}
	w, err := s.workshopFor(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	_, res, err := s.results(c, w, false)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	scale := 1.0
	if q := c.Query("taille"); q == "print" || q == "2" {
		scale = 2
	}
	var buf bytes.Buffer
	if err := charts.RenderPrePost(&buf, prePostChart(res), format, scale); err != nil {
		s.apiFail(c, err)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	c.Header("ETag", etag)
	c.Header("Cache-Control", "private, no-cache")
	if c.GetHeader("If-None-Match") == etag {
		c.Status(http.StatusNotModified)
		return
	}
	ctype := "image/png"
	if format == charts.SVG {
		ctype = "image/svg+xml"
	}
	c.Data(http.StatusOK, ctype, buf.Bytes())
}
