// Command declic serves Déclic: the pupil form, the facilitator pages and
// the JSON API, on an embedded store or a real MongoDB.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"declic/cmd/internal/app"
	"declic/surveys"
	"declic/surveys/export"
	"declic/surveys/sqlite"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "declic:", err)
		os.Exit(1)
	}
}

// version is stamped at build time: go build -ldflags "-X main.version=1.4.0".
var version = ""

const usage = `Usage: declic [serve | demo | dump | restore | key export | healthcheck | version]

  serve        start Déclic (the default). On a store with no account yet it
               prints a one-time link that creates the first admin.
  dump         write everything the store holds (users, questionnaires,
               workshops, answers) as JSON Lines on standard output:
               declic dump > declic-backup.jsonl
  restore      load a dump into an empty store (the embedded one in
               DECLIC_DATA, or MONGODB_URI): declic restore < backup.jsonl.
               The file is checked whole first; a damaged one is refused
               with the line at fault and nothing is stored. The dump does
               not hold the pseudonym key: keep DECLIC_SECRET (or the key
               file) apart from it.
  key export   print the pseudonym key as text that DECLIC_SECRET accepts
               as it is (same pseudonyms): for a second server sharing one
               MongoDB, or to keep the key apart from the backups
  demo         fill an empty store with a dozen made-up workshops over three
               months, with answers, then start Déclic: try it with
               DECLIC_DATA=./demo-data go run ./cmd/declic demo
  healthcheck  ask the Déclic listening on DECLIC_ADDR for /healthz; exit 0
               when it and its store answer (for Docker's HEALTHCHECK)
  version      print the version this binary was built as

Configuration comes from the environment:
  DECLIC_ADDR            listen address (default :8080)
  DECLIC_DATA            folder of the embedded store and secrets (default ./data)
  MONGODB_URI            use this MongoDB instead of the embedded store
  DECLIC_DB              database name (default declic)
  DECLIC_BASE_URL        public URL put in links and QR codes (default: from the request)
  DECLIC_ADMIN_EMAIL     with DECLIC_ADMIN_PASSWORD, the first admin if no user exists
  DECLIC_SECRET          key for participant pseudonyms, 32+ characters, or "hex:" and
                         64+ hex digits (default: generated once in DECLIC_SECRET_FILE)
  DECLIC_SECRET_FILE     where the generated key is kept (default:
                         $XDG_CONFIG_HOME/declic/secret.key or ~/.config/declic/secret.key)
  DECLIC_TRUSTED_PROXIES comma-separated addresses/CIDRs whose X-Forwarded-For and
                         X-Forwarded-Proto are believed (default: none)
  DECLIC_RATE_LIMITS     answers a minute per client and per workshop on the public
                         routes (default 120,300; 0 turns the limits off)
  DECLIC_DOMAIN          serve HTTPS on :443 with an automatic ACME (Let's Encrypt)
                         certificate for this name; :80 redirects to it
  DECLIC_ACME_DIRECTORY  another ACME server (e.g. Let's Encrypt's staging)
  DECLIC_NOTICE          privacy notice under the pupil form (default: a short French text)
  DECLIC_CONTACT         who pupils can ask about their data, shown with the notice
  DECLIC_RETENTION_MONTHS  delete answers older than this many months (default 0: keep)
`

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "version" {
		fmt.Fprintln(stdout, "declic", versionString())
		return nil
	}
	if len(args) > 0 && args[0] == "healthcheck" {
		return healthcheck(ctx, app.ConfigFrom(getenv).Addr)
	}
	if len(args) > 0 && args[0] == "key" {
		if len(args) != 2 || args[1] != "export" {
			fmt.Fprint(stderr, usage)
			return errors.New("usage: declic key export")
		}
		return keyExport(app.ConfigFrom(getenv), stdout)
	}
	if len(args) > 0 && (args[0] == "dump" || args[0] == "restore") {
		return dumpOrRestore(ctx, args[0], app.ConfigFrom(getenv), stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] != "serve" && args[0] != "demo" {
		fmt.Fprint(stderr, usage)
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			return nil
		}
		return fmt.Errorf("unknown command %q", args[0])
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	m, err := app.Open(ctx, app.ConfigFrom(getenv), logger)
	if err != nil {
		return err
	}
	defer m.Close()
	m.Console = stderr
	if len(args) > 0 && args[0] == "demo" {
		if err := fillDemo(ctx, m, time.Now(), stderr); err != nil {
			return err
		}
	}
	return m.Serve(ctx)
}

// versionString is the stamped version, else what the Go toolchain
// recorded: the commit of a build from a checkout, "(devel)" otherwise.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	v := version
	if v == "" {
		v = "(devel)"
		if ok && info.Main.Version != "" {
			v = info.Main.Version
		}
		if ok {
			rev, dirty := "", ""
			for _, s := range info.Settings {
				switch {
				case s.Key == "vcs.revision" && len(s.Value) >= 12:
					rev = s.Value[:12]
				case s.Key == "vcs.modified" && s.Value == "true":
					dirty = "+changes"
				}
			}
			if rev != "" {
				v += " " + rev + dirty
			}
		}
	}
	if ok {
		v += " (" + info.GoVersion + ")"
	}
	return v
}

// healthcheck asks a running Déclic on this machine for /healthz: the
// distroless image has no shell or curl for Docker's HEALTHCHECK.
func healthcheck(ctx context.Context, addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("DECLIC_ADDR %q: %w", addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthz: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz: %s", res.Status)
	}
	return nil
}

// dumpOrRestore moves everything out of, or into, the configured store.
func dumpOrRestore(ctx context.Context, cmd string, cfg app.Config, stdin io.Reader, stdout, stderr io.Writer) error {
	st, kind, closeStore, err := app.OpenStore(ctx, cfg)
	if cmd == "dump" && errors.Is(err, sqlite.ErrFolderInUse) {
		// The running declic holds the folder: a nightly dump reads a
		// consistent snapshot beside it, without stopping it.
		sn, err := sqlite.OpenSnapshot(ctx, cfg.DataDir)
		if err != nil {
			return err
		}
		defer sn.Close()
		return dump(ctx, sn, stdout, stderr)
	}
	if err != nil {
		return err
	}
	defer closeStore(context.Background())
	if cmd == "dump" {
		return dump(ctx, st, stdout, stderr)
	}
	rep, err := export.Restore(ctx, stdin, st)
	if err != nil {
		return errors.New(surveys.ErrorMessage(err) + errorDetail(err))
	}
	fmt.Fprintf(stderr, "declic: restored into the %s store: %d users, %d API tokens, %d questionnaires, %d workshops, %d answers, %d indicators, %d quotes\n",
		kind, rep.Users, rep.Tokens, rep.Questionnaires, rep.Workshops, rep.Responses, rep.Indicators, rep.Quotes)
	return nil
}

func dump(ctx context.Context, st export.Exporter, stdout, stderr io.Writer) error {
	if err := export.WriteDump(ctx, stdout, st, time.Now(), "declic"); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "declic: the pseudonym key is not in the dump: keep `declic key export` (or DECLIC_SECRET) somewhere else than the backups")
	return nil
}

// errorDetail is the wrapped cause of an internal error, for the terminal.
func errorDetail(err error) string {
	if surveys.ErrorCode(err) == surveys.EINTERNAL {
		return " (" + err.Error() + ")"
	}
	return ""
}

// keyExport prints the pseudonym key in use, as DECLIC_SECRET accepts it.
// It never makes a key: with none yet, there are no pseudonyms to keep.
func keyExport(cfg app.Config, stdout io.Writer) error {
	src, ok, err := app.FindKey(cfg)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("no pseudonym key yet: start declic once (it makes one), or set DECLIC_SECRET")
	}
	_, err = fmt.Fprintln(stdout, src.Text)
	return err
}
