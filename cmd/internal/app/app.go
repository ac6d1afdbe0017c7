// Package app wires Déclic together: configuration, store, router and HTTP
// server. The declic command and the declic-bench load command both use it.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"declic/handlers"
	"declic/handlers/httpx"
	"declic/surveys"
	"declic/surveys/library"
	"declic/surveys/mongodb"
	"declic/surveys/sqlite"
	"declic/templates"

	"golang.org/x/crypto/acme/autocert"
)

// DefaultNotice is what the pupil form tells pupils about their data when
// DECLIC_NOTICE is not set: what is collected, why, and who sees it.
const DefaultNotice = "Ce questionnaire est anonyme : on ne te demande ni ton nom, ni ton adresse, " +
	"et ton code secret est transformé pour que personne ne puisse le relire. " +
	"On garde seulement tes réponses et le jour où tu les as données, " +
	"pour mesurer ce que l'atelier a changé. Seule l'équipe de l'association qui anime " +
	"l'atelier voit les réponses ; les résultats ne sont montrés qu'en chiffres d'ensemble."

// Config is read once from the environment.
type Config struct {
	Addr          string
	DataDir       string
	MongoURI      string
	Database      string
	BaseURL       string
	AdminEmail    string
	AdminPassword string
	Secret        string
	// Notice and Contact are the privacy notice on the pupil form; an
	// empty Notice gets DefaultNotice.
	Notice  string
	Contact string
	// KeepMonths (DECLIC_RETENTION_MONTHS) purges answers older than that
	// many months; 0 keeps them. ConfigFrom sets -1 for a value that is not
	// a whole number, and Open refuses it.
	KeepMonths int
	// Now is the clock of the store, sessions and login throttling; nil is
	// the real one. Tests move it forward.
	Now func() time.Time
	// SecretFile is where the pseudonym key is kept when DECLIC_SECRET is
	// not set (DECLIC_SECRET_FILE, or the user's configuration folder);
	// "" keeps it in DataDir, as older installs did.
	SecretFile string
	// TrustedProxies is DECLIC_TRUSTED_PROXIES: the peers whose
	// X-Forwarded-For and -Proto are believed.
	TrustedProxies string
	// RateLimits caps answers on the public routes; ConfigFrom reads
	// DECLIC_RATE_LIMITS (default 120,300). The zero value is no limit.
	RateLimits handlers.RateLimits
	// Domain (DECLIC_DOMAIN) turns on HTTPS with an automatic ACME
	// certificate: HTTPSAddr (default :443) serves Déclic, HTTPAddr
	// (default :80) answers ACME challenges and redirects to HTTPS.
	Domain    string
	HTTPSAddr string
	HTTPAddr  string
	// ACMEDirectory is the ACME server (DECLIC_ACME_DIRECTORY); "" is
	// Let's Encrypt. ACMEClient, when set, is the HTTP client that talks
	// to it (tests trust their own ACME server's certificate with it).
	ACMEDirectory string
	ACMEClient    *http.Client
	// invalid is the first problem ConfigFrom found; Open refuses it.
	invalid error
	// MaxPages caps the embedded database (sqlite.Config.MaxPages), for
	// tests that stand for a full disk; never read from the environment.
	MaxPages int
}

func ConfigFrom(getenv func(string) string) Config {
	or := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	limits, limitsErr := handlers.ParseRateLimits(getenv("DECLIC_RATE_LIMITS"))
	return Config{
		SecretFile:     DefaultSecretFile(getenv),
		TrustedProxies: getenv("DECLIC_TRUSTED_PROXIES"),
		RateLimits:     limits,
		invalid:        limitsErr,
		Domain:         strings.ToLower(strings.TrimSpace(getenv("DECLIC_DOMAIN"))),
		ACMEDirectory:  strings.TrimSpace(getenv("DECLIC_ACME_DIRECTORY")),
		Addr:           or("DECLIC_ADDR", ":8080"),
		DataDir:        or("DECLIC_DATA", "./data"),
		MongoURI:       getenv("MONGODB_URI"),
		Database:       or("DECLIC_DB", "declic"),
		BaseURL:        strings.TrimRight(getenv("DECLIC_BASE_URL"), "/"),
		AdminEmail:     getenv("DECLIC_ADMIN_EMAIL"),
		AdminPassword:  getenv("DECLIC_ADMIN_PASSWORD"),
		Secret:         getenv("DECLIC_SECRET"),
		Notice:         strings.TrimSpace(getenv("DECLIC_NOTICE")),
		Contact:        strings.TrimSpace(getenv("DECLIC_CONTACT")),
		KeepMonths:     retentionMonths(getenv("DECLIC_RETENTION_MONTHS")),
	}
}

func retentionMonths(v string) int {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// Main is a running Déclic: store, router and HTTP server. Tests open one on
// port 0 with a temporary data folder.
type Main struct {
	Config  Config
	Logger  *slog.Logger
	Store   surveys.Store
	Handler http.Handler
	// StoreKind is "sqlite" (the embedded store) or "mongodb".
	StoreKind  string
	closeStore func(context.Context) error
	listener   net.Listener
	// Console, when set, gets the lines meant for the person who started
	// Déclic: the addresses it answers at, and the one-time setup link.
	Console io.Writer
	// httpListener is the plain-HTTP port of automatic HTTPS; certs gets
	// the certificates.
	httpListener net.Listener
	certs        *autocert.Manager
	reachable    []string
	setup        *handlers.Setup
	// SetupToken is the secret of the one-time setup link, "" when the
	// store had users at start.
	SetupToken string
	// stopping is closed as the server shuts down, to end event streams.
	stopping chan struct{}
}

// OpenStore opens the configured store: MongoDB when MONGODB_URI is set,
// else the embedded SQLite store in DECLIC_DATA. It seeds nothing.
func OpenStore(ctx context.Context, cfg Config) (st surveys.Store, kind string, closeFn func(context.Context) error, err error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if cfg.MongoURI != "" {
		ms, err := mongodb.Open(ctx, mongodb.Config{URI: cfg.MongoURI, Database: cfg.Database, Now: cfg.Now})
		if err != nil {
			return nil, "", nil, err
		}
		return ms, "mongodb", ms.Close, nil
	}
	ss, err := sqlite.Open(ctx, sqlite.Config{Dir: cfg.DataDir, Now: cfg.Now, MaxPages: cfg.MaxPages})
	switch {
	case errors.Is(err, sqlite.ErrOldFerretDBFolder):
		return nil, "", nil, fmt.Errorf("%s: %w", cfg.DataDir, err)
	case errors.Is(err, sqlite.ErrFolderInUse):
		return nil, "", nil, fmt.Errorf("%s is already used by another declic (stop it first, or give this one another DECLIC_DATA): %w", cfg.DataDir, err)
	case err != nil:
		return nil, "", nil, err
	}
	return ss, "sqlite", func(context.Context) error { return ss.Close() }, nil
}

// Open starts the store, seeds the library and the first admin, and listens.
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (*Main, error) {
	m := &Main{Config: cfg, Logger: logger, stopping: make(chan struct{})}
	if cfg.invalid != nil {
		return nil, cfg.invalid
	}
	if cfg.KeepMonths < 0 {
		return nil, errors.New("DECLIC_RETENTION_MONTHS must be a whole number of months (0 keeps answers)")
	}
	if cfg.BaseURL != "" {
		// Every QR code and link is made from it: a typo would send a
		// class of phones nowhere.
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(cfg.BaseURL, " \t") || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("DECLIC_BASE_URL %q is not an address phones can open: write it as http(s)://host[:port][/path], e.g. https://declic.example.org", cfg.BaseURL)
		}
	}
	proxies, err := httpx.ParseProxies(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	if cfg.Domain != "" && cfg.BaseURL == "" {
		cfg.BaseURL = "https://" + cfg.Domain
		m.Config.BaseURL = cfg.BaseURL
	}
	if cfg.Notice == "" {
		cfg.Notice = DefaultNotice
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}
	secret, err := LoadSecret(cfg, logger)
	if err != nil {
		return nil, err
	}
	m.Store, m.StoreKind, m.closeStore, err = OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	openCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	pseudo := surveys.NewPseudonymizer(secret)
	if err := checkKey(openCtx, m.Store, m.StoreKind == "mongodb", pseudo, logger); err != nil {
		m.Close()
		return nil, err
	}
	if err := m.seed(openCtx); err != nil {
		m.Close()
		return nil, err
	}
	tmpl, err := templates.New()
	if err != nil {
		m.Close()
		return nil, err
	}
	if err := m.listen(); err != nil {
		m.Close()
		return nil, err
	}
	m.reachable = ReachableURLs(m.Addr(), cfg.Domain)
	if err := m.prepareSetup(openCtx); err != nil {
		m.Close()
		return nil, err
	}
	m.Handler = handlers.NewRouter(handlers.Deps{
		StoreKind: m.StoreKind,
		Store:     m.Store, Pseudo: pseudo, Templates: tmpl, Logger: logger, BaseURL: cfg.BaseURL,
		Notice: handlers.Notice{Text: cfg.Notice, Contact: cfg.Contact}, Now: cfg.Now, Stopping: m.stopping,
		Proxies: proxies, RateLimits: cfg.RateLimits, Setup: m.setup, ReachableAt: m.reachable,
	})
	return m, nil
}

// Addr is where the server listens, e.g. 127.0.0.1:41234.
func (m *Main) Addr() string { return m.listener.Addr().String() }

// Serve answers requests until ctx ends, then lets in-flight requests
// finish: an answer that was acknowledged is already stored.
func (m *Main) Serve(ctx context.Context) error {
	newServer := func(h http.Handler) *http.Server {
		return &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       120 * time.Second,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
		}
	}
	servers := []*http.Server{newServer(m.Handler)}
	listeners := []net.Listener{m.listener}
	if m.httpListener != nil {
		servers = append(servers, newServer(m.plainHTTP()))
		listeners = append(listeners, m.httpListener)
	}
	// Live event streams end as the server shuts down, which waits for
	// them otherwise.
	var stopOnce sync.Once
	servers[0].RegisterOnShutdown(func() { stopOnce.Do(func() { close(m.stopping) }) })
	m.Logger.Info("declic listening", "addr", m.Addr(), "store", m.StoreKind, "data", m.Config.DataDir,
		"https_domain", m.Config.Domain, "urls", m.reachable)
	m.greet()
	purgeCtx, stopPurge := context.WithCancel(ctx)
	purged := make(chan struct{})
	go func() {
		defer close(purged)
		m.purgeLoop(purgeCtx)
	}()
	defer func() {
		stopPurge()
		<-purged
	}()
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { errc <- srv.Serve(listeners[i]) }()
	}
	var serveErr error
	pending := len(servers)
	select {
	case serveErr = <-errc:
		pending--
	case <-ctx.Done():
		m.Logger.Info("shutting down")
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutCtx); err != nil && serveErr == nil {
			serveErr = fmt.Errorf("shutdown: %w", err)
		}
	}
	for ; pending > 0; pending-- {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) && serveErr == nil {
			serveErr = err
		}
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		return nil
	}
	return serveErr
}

// PurgeExpired deletes the answers older than the retention setting, at the
// store's clock; with no retention set it does nothing.
func (m *Main) PurgeExpired(ctx context.Context) (int64, error) {
	return surveys.PurgeExpired(ctx, m.Store, m.now(), m.Config.KeepMonths)
}

// purgeLoop applies the retention setting at start and then once a day.
func (m *Main) purgeLoop(ctx context.Context) {
	if m.Config.KeepMonths <= 0 {
		return
	}
	tick := time.NewTicker(24 * time.Hour)
	defer tick.Stop()
	for {
		n, err := m.PurgeExpired(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			m.Logger.Error("retention purge failed", "err", err)
		case err == nil:
			m.Logger.Info("retention purge", "months", m.Config.KeepMonths, "responses_deleted", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (m *Main) now() time.Time {
	if m.Config.Now != nil {
		return m.Config.Now()
	}
	return time.Now()
}

// Close stops the store, flushing the embedded one to disk.
func (m *Main) Close() error {
	if m.listener != nil {
		m.listener.Close()
	}
	if m.httpListener != nil {
		m.httpListener.Close()
	}
	if m.closeStore == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return m.closeStore(ctx)
}

// seed stores the built-in questionnaires and, on an empty store, the first admin.
func (m *Main) seed(ctx context.Context) error {
	qs, err := library.Load()
	if err != nil {
		return err
	}
	for _, q := range qs {
		if err := m.Store.EnsureQuestionnaire(ctx, q); err != nil {
			return err
		}
		// A release may add translations to a built-in questionnaire
		// already answered: they change nothing pupils read before.
		stored, err := m.Store.Questionnaire(ctx, q.ID)
		if err != nil {
			return err
		}
		if stored.Builtin && !surveys.SameDefinition(stored, q) && surveys.OnlyAddsTranslations(stored, q) {
			if err := m.Store.UpdateQuestionnaire(ctx, q.Clone()); err != nil {
				return err
			}
		}
	}
	if m.Config.AdminEmail == "" && m.Config.AdminPassword == "" {
		return nil
	}
	n, err := m.Store.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	email, ok := surveys.NormalizeEmail(m.Config.AdminEmail)
	if !ok {
		return fmt.Errorf("DECLIC_ADMIN_EMAIL %q is not an e-mail address", m.Config.AdminEmail)
	}
	if msg := surveys.CheckPassword(m.Config.AdminPassword); msg != "" {
		return fmt.Errorf("DECLIC_ADMIN_PASSWORD: %s (the rule every password follows)", msg)
	}
	hash, err := surveys.HashPassword(m.Config.AdminPassword)
	if err != nil {
		return err
	}
	if err := m.Store.CreateUser(ctx, &surveys.User{Email: email, Role: surveys.RoleAdmin, PasswordHash: hash}); err != nil {
		return err
	}
	m.Logger.Info("first admin created", "email", email)
	return nil
}
