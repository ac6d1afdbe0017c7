package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/surveys/export"
	"declic/surveys/fr"
)

// Export formats, as in the URLs' extensions.
const (
	exportCSV  = "csv"
	exportXLSX = "xlsx"
)

var exportTypes = map[string]string{
	exportCSV:  "text/csv; charset=utf-8",
	exportXLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// exportWriteTimeout replaces the server's write timeout for one download:
// a large pooled export may take longer than a page.
const exportWriteTimeout = 5 * time.Minute

func (s *server) apiResponsesCSV(c *gin.Context)  { s.workshopExport(c, exportCSV) }
func (s *server) apiResponsesXLSX(c *gin.Context) { s.workshopExport(c, exportXLSX) }

// workshopExport serves one workshop's responses as a download.
func (s *server) workshopExport(c *gin.Context, format string) {
	w, err := s.workshopFor(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	var q *surveys.Questionnaire
	var res *surveys.Results
	if format == exportXLSX {
		q, res, err = s.results(c, w, false)
	} else {
		q, err = s.Store.Questionnaire(c.Request.Context(), w.QuestionnaireID)
	}
	if err != nil {
		s.apiFail(c, err)
		return
	}
	org := s.organisation(c.Request.Context())
	stamp := export.Stamp{Title: "Réponses — " + w.Title, Organisation: org.OrganisationName,
		Scope: "atelier « " + w.Title + " » " + fr.Period(w.Date, w.Date), Produced: s.now()}
	s.writeExport(c, format, q, []*surveys.Workshop{w}, res, export.FileName(format, w.Date, w.Title), stamp)
}

// writeExport streams the responses of workshops (who may see them is the
// caller's check) as "csv" or "xlsx"; res fills the XLSX results sheet and
// may be nil; stamp says who made the file. ?libelles=1 writes answers'
// labels instead of their codes. filename should come from
// export.FileName. Nothing is sent
// before the first bytes of the file, so an early failure is still a JSON
// error; a failure after that cuts the connection, so that a truncated file
// never looks complete.
func (s *server) writeExport(c *gin.Context, format string, q *surveys.Questionnaire, workshops []*surveys.Workshop, res *surveys.Results, filename string, stamp export.Stamp) {
	ctype, ok := exportTypes[format]
	if !ok {
		s.apiFail(c, surveys.Errorf(surveys.ENOTFOUND, "Format d'export inconnu : csv ou xlsx."))
		return
	}
	ctx := c.Request.Context()
	ids := make([]string, len(workshops))
	for i, w := range workshops {
		ids[i] = w.ID
	}
	quality, err := s.qualityOf(ctx, q, workshops)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	labels := c.Query("libelles") == "1"
	if labels {
		filename = strings.TrimSuffix(filename, "."+format) + "-libelles." + format
	}
	src := export.Source{
		Questionnaire: q, Workshops: workshops, Results: res, Flags: quality.flags(), Labels: labels, Stamp: stamp,
		Responses: func(yield func(*surveys.Response) error) error { return s.Store.EachResponse(ctx, ids, yield) },
	}
	// Best effort: a writer that cannot extend its deadline keeps the server's.
	_ = http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(exportWriteTimeout))

	out := &download{c: c, ctype: ctype, filename: filename}
	if format == exportCSV {
		err = export.WriteCSV(out, src)
	} else {
		err = export.WriteXLSX(out, src)
	}
	if err == nil {
		out.start() // an empty body still gets its headers
		return
	}
	if !out.started {
		s.apiFail(c, err)
		return
	}
	s.Logger.Warn("export cut short", "route", c.FullPath(), "format", format, "err", err)
	panic(http.ErrAbortHandler)
}

// download sets a file's headers on its first write.
type download struct {
	c               *gin.Context
	ctype, filename string
	started         bool
}

func (d *download) start() {
	if d.started {
		return
	}
	d.started = true
	h := d.c.Writer.Header()
	h.Set("Content-Type", d.ctype)
	h.Set("Content-Disposition", `attachment; filename="`+d.filename+`"`)
	h.Set("Cache-Control", "no-store")
	d.c.Status(http.StatusOK)
	d.c.Writer.WriteHeaderNow()
}

func (d *download) Write(p []byte) (int, error) {
	d.start()
	return d.c.Writer.Write(p)
}
