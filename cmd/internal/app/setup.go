package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"declic/handlers"
)

// prepareSetup makes the one-time setup link when the store has no user
// yet (and DECLIC_ADMIN_EMAIL did not make one): whoever reads the
// terminal creates the first admin at /setup, and the page is gone after.
func (m *Main) prepareSetup(ctx context.Context) error {
	n, err := m.Store.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	m.SetupToken = base64.RawURLEncoding.EncodeToString(raw)
	m.setup = handlers.NewSetup(m.SetupToken)
	return nil
}

// SetupURL is the one-time link that creates the first admin, "" when
// the store already has users.
func (m *Main) SetupURL() string {
	if m.SetupToken == "" {
		return ""
	}
	base := strings.TrimRight(m.Config.BaseURL, "/")
	if base == "" && len(m.reachable) > 0 {
		base = strings.TrimRight(m.reachable[0], "/")
	}
	return base + "/setup?token=" + m.SetupToken
}

// greet tells the person who started Déclic where to open it and, on a
// first start, how to get in. The setup link goes to the terminal only,
// never to the structured log.
func (m *Main) greet() {
	if m.Console == nil {
		return
	}
	w := m.Console
	fmt.Fprintln(w, "Déclic répond à ces adresses :")
	localOnly := true
	for _, u := range m.reachable {
		note := "(téléphones et ordinateurs du même réseau)"
		if loopbackURL(u) {
			note = "(cet ordinateur seulement)"
		} else {
			localOnly = false
		}
		fmt.Fprintf(w, "  %s   %s\n", u, note)
	}
	switch {
	case localOnly && m.Config.BaseURL == "":
		fmt.Fprintln(w, "Déclic n'écoute que sur cet ordinateur : les téléphones ne pourront pas l'ouvrir. Pour un atelier, lancez-le avec DECLIC_ADDR=:8080.")
	case m.Config.BaseURL != "":
		fmt.Fprintf(w, "Les liens et les codes QR utilisent %s (DECLIC_BASE_URL).\n", m.Config.BaseURL)
	default:
		fmt.Fprintln(w, "Ouvrez Déclic par une adresse réseau pour que les codes QR marchent sur les téléphones (ou réglez DECLIC_BASE_URL).")
	}
	// An account may exist since Open: `declic demo` makes its own.
	if u := m.SetupURL(); u != "" && m.setup.Pending() && m.noUsers() {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Aucun compte n'existe encore. Pour créer le compte administrateur, ouvrez ce lien")
		fmt.Fprintln(w, "(il ne sert qu'une fois, et n'est affiché qu'ici) :")
		fmt.Fprintf(w, "  %s\n\n", u)
	}
}

// noUsers tells whether the store still has no account.
func (m *Main) noUsers() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, err := m.Store.CountUsers(ctx)
	return err == nil && n == 0
}

func loopbackURL(u string) bool {
	return strings.Contains(u, "://127.") || strings.Contains(u, "://[::1]") || strings.Contains(u, "://localhost")
}
