// Package handlers is Déclic's HTTP layer: Gin routes, binding, auth and the
// one table that maps domain error codes to statuses and pages.
package handlers

import (
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/semaphore"

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
	// Proxies are the peers whose X-Forwarded-* headers are believed
	// (DECLIC_TRUSTED_PROXIES); nil believes no one.
	Proxies *httpx.Proxies
	// RateLimits caps answers on the public routes (DECLIC_RATE_LIMITS);
	// the zero value turns the limits off.
	RateLimits RateLimits
	// Setup, when set, is the one-time page that creates the first admin.
	Setup *Setup
	// ReachableAt are the addresses Déclic answers at on this machine,
	// shown when a QR code would point at one phones cannot reach.
	ReachableAt []string
	// Stopping is closed when the server shuts down: long answers (the
	// live page's event stream) end then. nil never closes.
	Stopping <-chan struct{}
}

type server struct {
	Deps
	logins *httpx.Throttle
	cache  *resultsCache
	// hasher keys the in-memory maps of client addresses.
	hasher *httpx.Hasher
	// passwords bounds the password hashing done at once; passwordWait is
	// how long a try waits for a slot.
	passwords    *semaphore.Weighted
	passwordWait time.Duration
	limits       *answerLimits
	// hourLogger logs the pupils' requests, stamped to the hour.
	hourLogger *slog.Logger
}

// passwordSlots is how many bcrypt checks run at once: half the cores,
// so that the other half always answers pupils.
func passwordSlots() int64 {
	return int64(max(1, runtime.NumCPU()/2))
}

// NewRouter returns the whole HTTP handler: every route is listed here.
func NewRouter(d Deps) http.Handler { return newServer(d).routes() }

func newServer(d Deps) *server {
	s := &server{Deps: d, logins: httpx.NewThrottle(d.Now), cache: newResultsCache(64), hasher: httpx.NewHasher(),
		passwords: semaphore.NewWeighted(passwordSlots()), passwordWait: passwordWaitLimit}
	s.limits = newAnswerLimits(d.RateLimits, s.hasher)
	s.hourLogger = slog.New(hourHandler{d.Logger.Handler()})
	return s
}

func (s *server) routes() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.RedirectTrailingSlash = false
	r.HandleMethodNotAllowed = false
	r.Use(s.recovery, s.logRequests, httpx.SecurityHeaders, s.strictTransport)

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
	r.GET("/setup", s.setupPage)
	r.POST("/setup", httpx.LimitBody(16<<10), s.submitSetup)
	app := r.Group("/app", bodyLimit, s.requireUser(pageAuth))
	app.GET("", s.dashboard)
	app.GET("/workshops/new", s.newWorkshop)
	app.POST("/workshops", s.createWorkshopPage)
	app.POST("/questionnaires", s.uploadQuestionnaire)
	app.GET("/questionnaires", s.questionnairesPage)
	app.GET("/questionnaires/new", s.newQuestionnairePage)
	app.POST("/questionnaires/new", s.editorPost)
	app.POST("/questionnaires/preview", s.previewPost)
	app.GET("/questionnaires/:id/edit", s.editQuestionnairePage)
	app.POST("/questionnaires/:id/edit", s.editorPost)
	app.POST("/questionnaires/:id/delete", s.deleteQuestionnairePage)
	app.GET("/workshops/:id", s.workshopPage)
	app.POST("/workshops/:id/phase", s.setPhasePage)
	app.GET("/workshops/:id/counts", s.countsJSON)
	app.GET("/workshops/:id/poster", s.posterPage)
	app.GET("/workshops/:id/results", s.resultsPage)
	app.POST("/workshops/:id/responses/:rid/excluded", s.setExcludedPage)
	app.POST("/workshops/:id/delete", s.deleteWorkshopPage)
	app.POST("/workshops/:id/attendance", s.setAttendancePage)
	app.GET("/workshops/:id/edit", s.editWorkshopPage)
	app.POST("/workshops/:id/edit", s.saveWorkshopPage)
	app.POST("/workshops/:id/facilitators", s.requireRole(pageAuth, surveys.RoleAdmin, surveys.RoleManager), s.facilitatorsPage)
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
	// Funder reporting: indicators and the logframe for managers and
	// admins, the organisation's identity for admins.
	pageManager := s.requireRole(pageAuth, surveys.RoleAdmin, surveys.RoleManager)
	app.POST("/reports/quotes", pageManager, s.selectQuotesPage)
	app.GET("/logframe", pageManager, s.logframePage)
	app.GET("/compare", pageManager, s.comparePage)
	app.GET("/indicators", pageManager, s.indicatorsPage)
	app.GET("/indicators/new", pageManager, s.newIndicatorPage)
	app.POST("/indicators", pageManager, s.saveIndicatorPage)
	app.GET("/indicators/:id", pageManager, s.editIndicatorPage)
	app.POST("/indicators/:id", pageManager, s.saveIndicatorPage)
	app.POST("/indicators/:id/delete", pageManager, s.deleteIndicatorPage)
	app.GET("/organisation", pageAdmin, s.organisationPage)
	app.GET("/organisation/logo", s.organisationLogo)
	// A logo upload may be bigger than other forms: it gets its own limit,
	// so that a file over 1 MB is refused in French, not cut off.
	r.POST("/app/organisation", httpx.LimitBody(maxLogoUpload), s.requireUser(pageAuth), pageAdmin, s.saveOrganisationPage)

	// JSON API.
	api := r.Group("/api/v1", noStore)
	api.POST("/auth/login", httpx.LimitBody(16<<10), s.apiLogin)
	api.POST("/forms/:code/responses", httpx.LimitBody(64<<10), s.apiSubmit)
	authed := api.Group("", bodyLimit, s.requireUser(apiAuth))
	authed.GET("/questionnaires", s.apiListQuestionnaires)
	authed.POST("/questionnaires", s.apiCreateQuestionnaire)
	authed.GET("/questionnaires/:id", s.apiQuestionnaire)
	authed.GET("/questionnaires/:id/xlsform", s.apiQuestionnaireXLSForm)
	authed.PUT("/questionnaires/:id", s.apiUpdateQuestionnaire)
	authed.DELETE("/questionnaires/:id", s.apiDeleteQuestionnaire)
	authed.GET("/workshops", s.apiListWorkshops)
	authed.POST("/workshops", s.apiCreateWorkshop)
	authed.GET("/workshops/:id", s.apiWorkshop)
	authed.PUT("/workshops/:id/phase", s.apiSetPhase)
	authed.PUT("/workshops/:id", s.apiUpdateWorkshop)
	authed.DELETE("/workshops/:id", s.apiDeleteWorkshop)
	authed.GET("/workshops/:id/results", s.apiResults)
	authed.GET("/workshops/:id/qr.png", s.qrPNG)
	authed.GET("/workshops/:id/qr.svg", s.qrSVG)
	authed.GET("/workshops/:id/charts/:file", s.workshopChart)
	authed.GET("/workshops/:id/charts.zip", s.workshopChartPack)
	authed.GET("/workshops/:id/responses.csv", s.apiResponsesCSV)
	authed.GET("/workshops/:id/responses.xlsx", s.apiResponsesXLSX)
	authed.GET("/workshops/:id/responses", s.apiResponses)
	authed.PUT("/workshops/:id/responses/:rid/excluded", s.apiSetExcluded)
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
	apiManager := s.requireRole(apiAuth, surveys.RoleAdmin, surveys.RoleManager)
	authed.GET("/indicators", s.apiListIndicators)
	authed.POST("/indicators", apiManager, s.apiCreateIndicator)
	authed.GET("/indicators/:id", s.apiIndicator)
	authed.PUT("/indicators/:id", apiManager, s.apiUpdateIndicator)
	authed.DELETE("/indicators/:id", apiManager, s.apiDeleteIndicator)
	authed.GET("/indicators/:id/value", s.apiIndicatorValue)
	authed.GET("/indicators/:id/compare", s.apiIndicatorCompare)
	authed.GET("/logframe.csv", s.logframeExport(exportCSV))
	authed.GET("/logframe.xlsx", s.logframeExport(exportXLSX))
	authed.GET("/organisation", s.apiOrganisation)
	authed.PUT("/organisation", s.requireRole(apiAuth, surveys.RoleAdmin), s.apiSetOrganisation)
	authed.DELETE("/organisation/logo", s.requireRole(apiAuth, surveys.RoleAdmin), s.apiDeleteLogo)
	api.PUT("/organisation/logo", httpx.LimitBody(maxLogoUpload), s.requireUser(apiAuth), s.requireRole(apiAuth, surveys.RoleAdmin), s.apiSetLogo)
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
