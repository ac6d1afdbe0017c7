package handlers_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTokenLifecycle creates, uses and revokes API tokens, in the API and
// on the page.
func TestTokenLifecycle(t *testing.T) {
	ts := newTestServer(t, at(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), trustProxies(testPeer))
	clock := ts.Clock
	admin := ts.token(t)
	fac := ts.newAccount(t, admin, "anim@example.org", "facilitator")
	other := ts.newAccount(t, admin, "autre@example.org", "facilitator")

	var tok struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		Token      string `json:"token"`
		CreatedOn  string `json:"created_on"`
		LastUsedOn string `json:"last_used_on"`
	}
	if status := ts.do(t, fac.Token, "POST", "/api/v1/tokens", map[string]string{"name": "  Tableur du rapport  "}, &tok); status != http.StatusCreated {
		t.Fatalf("POST /api/v1/tokens = %d, want 201", status)
	}
	if !strings.HasPrefix(tok.Token, "dcl_") || len(tok.Token) < 40 || tok.Name != "Tableur du rapport" || tok.CreatedOn != "2026-03-02" || tok.LastUsedOn != "" {
		t.Fatalf("token = %+v, want dcl_…, the trimmed name, created 2026-03-02, never used", tok)
	}
	// Only the SHA-256 is stored.
	sum := sha256.Sum256([]byte(tok.Token))
	stored, err := ts.Store.TokenByHash(context.Background(), hex.EncodeToString(sum[:]))
	if err != nil || stored.ID != tok.ID || stored.Hash == tok.Token {
		t.Fatalf("stored token = %+v, %v; want it found by its SHA-256", stored, err)
	}

	// The token works like a session, with the user's rights.
	w := ts.newWorkshop(t, tok.Token, map[string]any{"questionnaire_id": "odd-v1", "title": "Par jeton", "date": "2026-03-12"})
	if status := ts.do(t, other.Token, "GET", "/api/v1/workshops/"+w.ID, nil, nil); status != http.StatusNotFound {
		t.Errorf("another facilitator GET the token's workshop = %d, want 404", status)
	}
	clock.Add(24 * time.Hour)
	ts.do(t, tok.Token, "GET", "/api/v1/workshops", nil, nil)
	res, data := ts.raw(t, nil, "GET", ts.URL+"/api/v1/tokens", fac.Token, nil, nil)
	if strings.Contains(string(data), tok.Token) || strings.Contains(string(data), stored.Hash) {
		t.Errorf("the token list shows the secret or its hash: %s", data)
	}
	var list struct {
		Tokens []struct{ ID, Name, LastUsedOn string }
	}
	json.Unmarshal(data, &list)
	if res.StatusCode != http.StatusOK || len(list.Tokens) != 1 || list.Tokens[0].ID != tok.ID {
		t.Fatalf("GET /api/v1/tokens = %d %s", res.StatusCode, data)
	}
	if !strings.Contains(string(data), `"last_used_on":"2026-03-03"`) {
		t.Errorf("last use = %s, want 2026-03-03", data)
	}
	// Another user's list is empty, and they cannot revoke it.
	if status := ts.do(t, other.Token, "GET", "/api/v1/tokens", nil, &list); status != http.StatusOK || len(list.Tokens) != 0 {
		t.Errorf("other user's tokens = %d %+v, want none", status, list.Tokens)
	}
	if status := ts.do(t, other.Token, "DELETE", "/api/v1/tokens/"+tok.ID, nil, nil); status != http.StatusNotFound {
		t.Errorf("other user DELETE = %d, want 404", status)
	}

	for _, body := range []string{`{"name": ""}`, `{"name": "` + strings.Repeat("n", 81) + `"}`, `{"name": ["x"]}`, `{}`, `{"name": "x", "user_id": "` + other.ID + `"}`} {
		res, data := ts.raw(t, nil, "POST", ts.URL+"/api/v1/tokens", fac.Token, nil, strings.NewReader(body))
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("POST /api/v1/tokens %.40s = %d, want 400 (%s)", body, res.StatusCode, data)
		}
	}

	// The page: create shows the secret once; revoke stops it at once.
	client := ts.browser()
	res, _ = ts.pagePost(t, client, ts.URL+"/login", url.Values{"email": {fac.Email}, "password": {fac.Password}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login = %d", res.StatusCode)
	}
	res, body := ts.pageGet(t, client, ts.URL+"/app/tokens")
	checkPage(t, "tokens page", res, body, http.StatusOK, "Jetons d'API", "Tableur du rapport", "3 mars 2026", "Révoquer")
	res, body = ts.pagePost(t, client, ts.URL+"/app/tokens", url.Values{"name": {"<b>Sauvegarde</b>"}}, nil)
	checkPage(t, "token created", res, body, http.StatusOK, "&lt;b&gt;Sauvegarde&lt;/b&gt;", "ne sera plus jamais affiché", "jamais")
	secret := regexp.MustCompile(`id="new-token">(dcl_[A-Za-z0-9_-]+)<`).FindStringSubmatch(body)
	if secret == nil {
		t.Fatalf("no token on the page")
	}
	if status := ts.do(t, secret[1], "GET", "/api/v1/workshops", nil, nil); status != http.StatusOK {
		t.Errorf("token from the page = %d, want 200", status)
	}
	_, body = ts.pageGet(t, client, ts.URL+"/app/tokens")
	if strings.Contains(body, secret[1]) {
		t.Errorf("the tokens page shows the secret again")
	}
	res, body = ts.pagePost(t, client, ts.URL+"/app/tokens", url.Values{"name": {"  "}}, nil)
	checkPage(t, "token without a name", res, body, http.StatusBadRequest, "donnez un nom")

	res, _ = ts.pagePost(t, client, ts.URL+"/app/tokens/"+tok.ID+"/delete", url.Values{"confirm": {"oui"}}, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/tokens" {
		t.Errorf("revoke = %d to %q, want 303 to /app/tokens", res.StatusCode, res.Header.Get("Location"))
	}
	res, data = ts.raw(t, nil, "GET", ts.URL+"/api/v1/workshops", tok.Token, nil, nil)
	if e := mustDecodeError(t, data); res.StatusCode != http.StatusUnauthorized || e.Error.Code != "unauthorized" {
		t.Errorf("revoked token = %d %s, want 401 unauthorized", res.StatusCode, e.Error.Code)
	}
	res, body = ts.pagePost(t, client, ts.URL+"/app/tokens/"+tok.ID+"/delete", url.Values{"confirm": {"oui"}}, nil)
	checkPage(t, "revoke twice", res, body, http.StatusNotFound, "introuvable")
	if status := ts.do(t, secret[1], "GET", "/api/v1/workshops", nil, nil); status != http.StatusOK {
		t.Errorf("the other token after revoking one = %d, want 200", status)
	}
	// A token can list and revoke itself.
	var mine struct{ Tokens []struct{ ID, Name string } }
	if status := ts.do(t, secret[1], "GET", "/api/v1/tokens", nil, &mine); status != http.StatusOK || len(mine.Tokens) != 1 || mine.Tokens[0].Name != "<b>Sauvegarde</b>" {
		t.Fatalf("GET /api/v1/tokens = %d %+v, want the one token left", status, mine.Tokens)
	}
	if status := ts.do(t, secret[1], "DELETE", "/api/v1/tokens/"+mine.Tokens[0].ID, nil, nil); status != http.StatusNoContent {
		t.Errorf("a token revoking itself = %d, want 204", status)
	}
	if status := ts.do(t, secret[1], "GET", "/api/v1/workshops", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("token after revoking itself = %d, want 401", status)
	}
}
