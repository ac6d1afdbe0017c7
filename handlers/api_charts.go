package handlers

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/charts"
	"declic/surveys/export"
)

// chartSet is the charts of one workshop or report: what they are drawn
// from, and the name their downloads start with (« odd-2026-t1 »).
type chartSet struct {
	data charts.Data
	base string
}

// fileName is a chart's download name: « odd-2026-t1-avant-apres.png ».
func (cs chartSet) fileName(c charts.Chart, f charts.Format) string {
	return export.Slug(cs.base, c.File) + "." + string(f)
}

// chartWidth reads ?largeur=telephone: a chart laid out for a phone's
// screen, which the results page offers phones.
func chartWidth(c *gin.Context) float64 {
	if c.Query("largeur") == "telephone" {
		return charts.NarrowWidth
	}
	return 0
}

// chartScale reads ?taille=print (or 2): twice the pixels, for reports.
func chartScale(c *gin.Context) float64 {
	if q := c.Query("taille"); q == "print" || q == "2" {
		return 2
	}
	return 1
}

// parseChartFile splits "likert.svg" into its chart and format, or gives
// the 404 naming the known charts.
func parseChartFile(file string) (charts.Chart, charts.Format, error) {
	name, ext, _ := strings.Cut(file, ".")
	ch, ok := charts.Lookup(name)
	format, err := charts.ParseFormat(ext)
	if !ok || err != nil {
		return charts.Chart{}, "", charts.Unknown(file)
	}
	return ch, format, nil
}

// serveChart answers file ("likert.svg", "prepost.png", …) of cs: format
// from the extension, ?taille=print, an ETag of the bytes (304 when it
// matches), a download name, and a 404 naming the known charts. Workshop
// and report routes share it.
func (s *server) serveChart(c *gin.Context, file string, cs chartSet) {
	ch, format, err := parseChartFile(file)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	var buf bytes.Buffer
	data := cs.data
	data.Width = chartWidth(c)
	if err := charts.Render(&buf, ch.Name, data, format, chartScale(c)); err != nil {
		s.apiFail(c, err)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	c.Header("ETag", etag)
	c.Header("Cache-Control", "private, no-cache")
	// Shown in pages as it is; saved under a name that says what it is.
	c.Header("Content-Disposition", `inline; filename="`+cs.fileName(ch, format)+`"`)
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, format.ContentType(), buf.Bytes())
}

// etagMatches understands a list of tags and "*", as browsers send them.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// workshopChart serves /charts/{name}.png|.svg.
func (s *server) workshopChart(c *gin.Context) {
	file := c.Param("file")
	// An unknown chart is a 404 before any database work.
	if _, _, err := parseChartFile(file); err != nil {
		s.apiFail(c, err)
		return
	}
	cs, _, err := s.workshopCharts(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	s.serveChart(c, file, cs)
}

// workshopChartPack serves /charts.zip: every chart and the numbers behind them.
func (s *server) workshopChartPack(c *gin.Context) {
	cs, w, err := s.workshopCharts(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	s.serveChartPack(c, export.FileName("zip", "graphiques", w.Date, w.Title), cs)
}

// serveChartPack builds the ZIP in memory, so a failure is still a clean
// JSON error, then sends it as a download named filename.
func (s *server) serveChartPack(c *gin.Context, filename string, cs chartSet) {
	var buf bytes.Buffer
	if err := writeChartPack(&buf, cs); err != nil {
		s.apiFail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+filename+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/zip", buf.Bytes())
}

// writeChartPack writes a ZIP of every chart as a print-size PNG and an
// SVG, named as their downloads are, and donnees.csv with the numbers
// behind them.
func writeChartPack(w io.Writer, cs chartSet) error {
	zw := zip.NewWriter(w)
	now := time.Now()
	add := func(name string, write func(io.Writer) error) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
		if err != nil {
			return fmt.Errorf("chart pack: %s: %w", name, err)
		}
		if err := write(f); err != nil {
			return fmt.Errorf("chart pack: %s: %w", name, err)
		}
		return nil
	}
	for _, ch := range charts.All() {
		for _, f := range []struct {
			format charts.Format
			scale  float64
		}{{charts.PNG, 2}, {charts.SVG, 1}} {
			err := add(cs.fileName(ch, f.format), func(w io.Writer) error { return charts.Render(w, ch.Name, cs.data, f.format, f.scale) })
			if err != nil {
				return err
			}
		}
	}
	if err := add("donnees.csv", func(w io.Writer) error { return export.WriteChartData(w, cs.data.Results) }); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("chart pack: %w", err)
	}
	return nil
}
