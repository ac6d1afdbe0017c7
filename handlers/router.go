// Package handlers is Déclic's HTTP layer: Gin routes, binding, auth and the
// one table that maps domain error codes to statuses and pages.
package handlers

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"declic/surveys"
	"declic/templates"
)

// Deps is what the handlers need.
type Deps struct {
	Store     surveys.Store
	Pseudo    *surveys.Pseudonymizer
	Templates *templates.Templates
	Logger    *slog.Logger
	// BaseURL is put in links and QR codes; empty means "from the request".
	BaseURL string
}

type server struct {
	Deps
}

// NewRouter returns the whole HTTP handler: every route is listed here.
func NewRouter(d Deps) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	s := &server{Deps: d}
	r := gin.New()
	r.RedirectTrailingSlash = false
	r.HandleMethodNotAllowed = false
	r.Use(s.recovery, s.logRequests, securityHeaders)

	r.GET("/healthz", s.healthz)
	static := http.FileServerFS(templates.Static())
	r.GET("/static/*file", func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=86400")
		c.Request.URL.Path = c.Param("file")
		static.ServeHTTP(c.Writer, c.Request)
	})
	r.GET("/", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/app") })

	// Pupils: public, no account, small bodies.
	pupil := r.Group("/f", limitBody(64<<10))
	pupil.GET("", s.enterCode)
	pupil.GET("/:code", s.showForm)
	pupil.POST("/:code", s.submitForm)
	pupil.GET("/:code/merci", s.thanks)
	pupil.POST("/:code/oublier", s.forgetDevice)

	// Facilitators, in the browser.
	r.GET("/login", s.showLogin)
	r.POST("/login", limitBody(16<<10), s.submitLogin)
	r.POST("/logout", s.logout)
	app := r.Group("/app", limitBody(1<<20), s.requireUser(pageAuth))
	app.GET("", s.dashboard)
	app.GET("/workshops/new", s.newWorkshop)
	app.POST("/workshops", s.createWorkshopPage)
	app.POST("/questionnaires", s.uploadQuestionnaire)
	app.GET("/workshops/:id", s.workshopPage)
	app.POST("/workshops/:id/phase", s.setPhasePage)
	app.GET("/workshops/:id/counts", s.countsJSON)
	app.GET("/workshops/:id/poster", s.posterPage)
	app.GET("/workshops/:id/results", s.resultsPage)

	// JSON API.
	api := r.Group("/api/v1")
	api.POST("/auth/login", limitBody(16<<10), s.apiLogin)
	api.POST("/forms/:code/responses", limitBody(64<<10), s.apiSubmit)
	authed := api.Group("", limitBody(1<<20), s.requireUser(apiAuth))
	authed.GET("/questionnaires", s.apiListQuestionnaires)
	authed.POST("/questionnaires", s.apiCreateQuestionnaire)
	authed.GET("/questionnaires/:id", s.apiQuestionnaire)
	authed.GET("/workshops", s.apiListWorkshops)
	authed.POST("/workshops", s.apiCreateWorkshop)
	authed.GET("/workshops/:id", s.apiWorkshop)
	authed.PUT("/workshops/:id/phase", s.apiSetPhase)
	authed.GET("/workshops/:id/results", s.apiResults)
	authed.GET("/workshops/:id/qr.png", s.qrPNG)
	authed.GET("/workshops/:id/qr.svg", s.qrSVG)
	authed.GET("/workshops/:id/charts/:file", s.workshopChart)

	r.NoRoute(s.notFound)

	// Browsers send Sec-Fetch-Site/Origin: a cross-site POST is refused,
	// which protects every form and the session cookie from CSRF.
	return http.NewCrossOriginProtection().Handler(r)
}
