// Package handlers is Déclic's HTTP layer: Gin routes, binding, auth and the
// one table that maps domain error codes to statuses and pages.
package handlers

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"declic/handlers/httpx"
	"declic/surveys"
	"declic/templates"
)

// Deps is what the handlers need.
type Deps struct {
	Store surveys.Store
	// StoreKind names the store in /healthz: "sqlite" or "mongodb".
	StoreKind string
	Pseudo    *surveys.Pseudonymizer
	Templates *templates.Templates
	Logger    *slog.Logger
	// BaseURL is put in links and QR codes; empty means "from the request".
	BaseURL string
	// Notice is the privacy notice under the pupil form.
	Notice Notice
	// Now is the clock of sessions and login throttling; nil is time.Now.
	Now func() time.Time
	// Stopping is closed when the server shuts down: long answers (the
	// live page's event stream) end then. nil never closes.
	Stopping <-chan struct{}
}

type server struct {
	Deps
	logins *httpx.Throttle
	cache  *resultsCache
}

// NewRouter returns the whole HTTP handler: every route is listed here.
func NewRouter(d Deps) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	s := &server{Deps: d, logins: httpx.NewThrottle(d.Now), cache: newResultsCache(64)}
	r := gin.New()
	r.RedirectTrailingSlash = false
	r.HandleMethodNotAllowed = false
	r.Use(s.recovery, s.logRequests, httpx.SecurityHeaders)

	r.GET("/healthz", s.healthz)
	r.GET("/static/*file", httpx.StaticFiles(templates.Static(), templates.AssetHash))
	r.GET("/", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/app") })

	// Pupils: public, no account, small bodies.
	pupil := r.Group("/f", httpx.LimitBody(64<<10))
	pupil.GET("", s.enterCode)
	pupil.GET("/:code", s.showForm)
	pupil.POST("/:code", s.submitForm)
	pupil.POST("/:code/code", s.submitCode)
	pupil.GET("/:code/merci", s.thanks)
	pupil.POST("/:code/oublier", s.forgetDevice)
	pupil.GET("/:code/kiosque", s.kioskExit)

	// Facilitators, in the browser.
	r.GET("/login", s.showLogin)
	r.POST("/login", httpx.LimitBody(16<<10), s.submitLogin)
	r.POST("/logout", s.logout)
	app := r.Group("/app", httpx.LimitBody(1<<20), s.requireUser(pageAuth))
	app.GET("", s.dashboard)
	app.GET("/workshops/new", s.newWorkshop)
	app.POST("/workshops", s.createWorkshopPage)
	app.POST("/questionnaires", s.uploadQuestionnaire)
	app.GET("/workshops/:id", s.workshopPage)
	app.POST("/workshops/:id/phase", s.setPhasePage)
	app.GET("/workshops/:id/counts", s.countsJSON)
	app.GET("/workshops/:id/poster", s.posterPage)
	app.GET("/workshops/:id/results", s.resultsPage)
	app.POST("/workshops/:id/delete", s.deleteWorkshopPage)
	app.POST("/workshops/:id/attendance", s.setAttendancePage)
	// Classroom modes: paper sheets and their data entry, the live page.
	app.GET("/workshops/:id/paper.html", s.paperPage)
	app.GET("/workshops/:id/saisie", s.paperEntryPage)
	app.POST("/workshops/:id/saisie", s.submitPaperRow)
	app.GET("/workshops/:id/kiosque.svg", s.qrSVG)
	app.GET("/workshops/:id/live", s.livePage)
	app.GET("/workshops/:id/live/events", s.liveEvents)
	app.GET("/workshops/:id/live/textes", s.liveTextsPage)
	app.POST("/workshops/:id/live/textes", s.approveText)
	app.GET("/reports", s.reportPage)
	// Accounts: everyone their own password and tokens, admins the users.
	app.GET("/password", s.passwordPage)
	app.POST("/password", s.submitPasswordPage)
	app.GET("/tokens", s.tokensPage)
	app.POST("/tokens", s.createTokenPage)
	app.POST("/tokens/:id/delete", s.deleteTokenPage)
	pageAdmin := s.requireRole(pageAuth, surveys.RoleAdmin)
	app.GET("/users", pageAdmin, s.usersPage)
	app.POST("/users", pageAdmin, s.createUserPage)
	app.POST("/users/:id", pageAdmin, s.changeUserPage)

	// JSON API.
	api := r.Group("/api/v1")
	api.POST("/auth/login", httpx.LimitBody(16<<10), s.apiLogin)
	api.POST("/forms/:code/responses", httpx.LimitBody(64<<10), s.apiSubmit)
	authed := api.Group("", httpx.LimitBody(1<<20), s.requireUser(apiAuth))
	authed.GET("/questionnaires", s.apiListQuestionnaires)
	authed.POST("/questionnaires", s.apiCreateQuestionnaire)
	authed.GET("/questionnaires/:id", s.apiQuestionnaire)
	authed.GET("/workshops", s.apiListWorkshops)
	authed.POST("/workshops", s.apiCreateWorkshop)
	authed.GET("/workshops/:id", s.apiWorkshop)
	authed.PUT("/workshops/:id/phase", s.apiSetPhase)
	authed.DELETE("/workshops/:id", s.apiDeleteWorkshop)
	authed.GET("/workshops/:id/results", s.apiResults)
	authed.GET("/workshops/:id/qr.png", s.qrPNG)
	authed.GET("/workshops/:id/qr.svg", s.qrSVG)
	authed.GET("/workshops/:id/charts/:file", s.workshopChart)
	authed.GET("/workshops/:id/charts.zip", s.workshopChartPack)
	authed.GET("/workshops/:id/responses.csv", s.apiResponsesCSV)
	authed.GET("/workshops/:id/responses.xlsx", s.apiResponsesXLSX)
	authed.PUT("/workshops/:id/attendance", s.apiSetAttendance)
	authed.GET("/reports", s.apiReport)
	authed.GET("/reports/charts/:file", s.reportChart)
	authed.GET("/reports/charts.zip", s.reportChartPack)
	authed.GET("/reports/responses.csv", s.reportExport(exportCSV))
	authed.GET("/reports/responses.xlsx", s.reportExport(exportXLSX))
	authed.PUT("/workshops/:id/facilitators", s.requireRole(apiAuth, surveys.RoleAdmin, surveys.RoleManager), s.apiSetFacilitators)
	authed.POST("/auth/logout", s.apiLogout)
	authed.PUT("/auth/password", s.apiChangePassword)
	authed.GET("/tokens", s.apiListTokens)
	authed.POST("/tokens", s.apiCreateToken)
	authed.DELETE("/tokens/:id", s.apiDeleteToken)
	apiAdmin := s.requireRole(apiAuth, surveys.RoleAdmin)
	authed.GET("/users", apiAdmin, s.apiListUsers)
	authed.POST("/users", apiAdmin, s.apiCreateUser)
	authed.GET("/users/:id", apiAdmin, s.apiUser)
	authed.PATCH("/users/:id", apiAdmin, s.apiChangeUser)

	r.NoRoute(s.notFound)

	// Browsers send Sec-Fetch-Site/Origin: a cross-site POST is refused,
	// which protects every form and the session cookie from CSRF.
	return http.NewCrossOriginProtection().Handler(httpx.Compress(r))
}

// Notice is the short privacy notice shown under the pupil form.
type Notice struct {
	Text    string // DECLIC_NOTICE, or the default text cmd/declic gives
	Contact string // DECLIC_CONTACT: who to ask; empty means the facilitator
}
