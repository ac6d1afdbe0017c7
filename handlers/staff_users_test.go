package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"declic/surveys"
)

var oneTimePasswordRe = regexp.MustCompile(`id="one-time-password">([^<]+)<`)

// TestUserManagementPage follows an admin creating an account on the page
// and the new user's first login, which must change the password.
func TestUserManagementPage(t *testing.T) {
	ts := newTestServer(t, at(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), trustProxies(testPeer))
	adminToken := ts.token(t)
	admin := ts.pageLogin(t)

	res, body := ts.pageGet(t, admin, ts.URL+"/app/users")
	checkPage(t, "users page", res, body, http.StatusOK, "Utilisateurs", testAdminEmail, "Créer un compte", "Administrateur·rice")

	res, body = ts.pagePost(t, admin, ts.URL+"/app/users", url.Values{"email": {" Nouvelle@Example.org "}, "role": {"facilitator"}}, nil)
	checkPage(t, "create user", res, body, http.StatusOK, "Compte créé", "nouvelle@example.org", "ne sera plus jamais affiché")
	m := oneTimePasswordRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no one-time password on the page:\n%s", body)
	}
	otp := m[1]
	if !regexp.MustCompile(`^[a-z2-9]{4}(-[a-z2-9]{4}){3}$`).MatchString(otp) {
		t.Errorf("one-time password %q, want 4 groups of 4", otp)
	}
	// Shown once: the list does not show it again, and the store keeps only a hash.
	_, body = ts.pageGet(t, admin, ts.URL+"/app/users")
	if strings.Contains(body, otp) {
		t.Errorf("the users page shows the one-time password again")
	}
	u, err := ts.Store.UserByEmail(context.Background(), "nouvelle@example.org")
	if err != nil || u.Role != surveys.RoleFacilitator || !u.MustChangePassword || strings.Contains(u.PasswordHash, otp) {
		t.Fatalf("stored user = %+v, %v; want a facilitator who must change a hashed password", u, err)
	}

	t.Run("invalid and duplicate", func(t *testing.T) {
		res, body := ts.pagePost(t, admin, ts.URL+"/app/users", url.Values{"email": {"<b>pas-une-adresse</b>"}, "role": {"chef"}}, nil)
		checkPage(t, "invalid user", res, body, http.StatusBadRequest, "pas été créé", "adresse e-mail invalide", "&lt;b&gt;pas-une-adresse&lt;/b&gt;")
		res, body = ts.pagePost(t, admin, ts.URL+"/app/users", url.Values{"email": {"nouvelle@example.org"}, "role": {"manager"}}, nil)
		checkPage(t, "duplicate user", res, body, http.StatusConflict, "existe déjà")
	})

	// First login: every page leads to the password change, the API refuses.
	user := ts.browser()
	res, _ = ts.pagePost(t, user, ts.URL+"/login", url.Values{"email": {"nouvelle@example.org"}, "password": {otp}, "next": {"/app/workshops/new"}}, nil)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/app/password" {
		t.Fatalf("first login = %d to %q, want 303 to /app/password", res.StatusCode, loc)
	}
	for _, p := range []string{"/app", "/app/workshops/new", "/app/tokens", "/app/users"} {
		res, _ := ts.pageGet(t, user, ts.URL+p)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/app/password" {
			t.Errorf("GET %s before the change = %d to %q, want 303 to /app/password", p, res.StatusCode, loc)
		}
	}
	res, data := ts.raw(t, user, "GET", ts.URL+"/api/v1/workshops", "", nil, nil)
	if e := mustDecodeError(t, data); res.StatusCode != http.StatusForbidden || e.Error.Code != "password_change_required" {
		t.Errorf("API before the change = %d %s, want 403 password_change_required", res.StatusCode, e.Error.Code)
	}
	res, body = ts.pageGet(t, user, ts.URL+"/app/password")
	checkPage(t, "password page", res, body, http.StatusOK, "Choisissez votre mot de passe pour continuer", "Mot de passe actuel")

	const newPassword = "une phrase assez longue"
	for _, tt := range []struct {
		name string
		form url.Values
		want string
	}{
		{"wrong current", url.Values{"current_password": {"pas-le-bon"}, "new_password": {newPassword}, "confirm": {newPassword}}, "mot de passe actuel incorrect"},
		{"too short", url.Values{"current_password": {otp}, "new_password": {"court"}, "confirm": {"court"}}, "10 caractères au moins"},
		{"same as before", url.Values{"current_password": {otp}, "new_password": {otp}, "confirm": {otp}}, "différent de"},
		{"confirm differs", url.Values{"current_password": {otp}, "new_password": {newPassword}, "confirm": {newPassword + "!"}}, "pas identiques"},
		{"too long", url.Values{"current_password": {otp}, "new_password": {strings.Repeat("é", 40)}, "confirm": {strings.Repeat("é", 40)}}, "72 octets au plus"},
	} {
		res, body := ts.pagePost(t, user, ts.URL+"/app/password", tt.form, nil)
		checkPage(t, tt.name, res, body, http.StatusBadRequest, "pas été changé", tt.want)
	}
	// A second session opened with the one-time password ends with the change.
	var other struct{ Token string }
	ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": "nouvelle@example.org", "password": otp}, &other)

	res, _ = ts.pagePost(t, user, ts.URL+"/app/password", url.Values{"current_password": {otp}, "new_password": {newPassword}, "confirm": {newPassword}}, nil)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/app/password?fait=1" {
		t.Fatalf("password change = %d to %q, want 303 to /app/password?fait=1", res.StatusCode, loc)
	}
	res, body = ts.pageGet(t, user, ts.URL+"/app/password?fait=1")
	checkPage(t, "password changed", res, body, http.StatusOK, "a été changé", "Jetons d'API")
	res, body = ts.pageGet(t, user, ts.URL+"/app")
	checkPage(t, "dashboard after the change", res, body, http.StatusOK, "Ateliers", "Mon compte")
	if strings.Contains(body, `href="/app/users"`) {
		t.Errorf("a facilitator sees the users link")
	}
	if status := ts.do(t, other.Token, "GET", "/api/v1/workshops", nil, nil); status != http.StatusUnauthorized {
		t.Errorf("the other session after the change = %d, want 401", status)
	}
	if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": "nouvelle@example.org", "password": otp}, nil); status != http.StatusUnauthorized {
		t.Errorf("login with the old one-time password = %d, want 401", status)
	}
	userToken := ts.login(t, "nouvelle@example.org", newPassword)

	t.Run("role change applies at once", func(t *testing.T) {
		w := ts.newWorkshop(t, adminToken, map[string]any{"questionnaire_id": "odd-v1", "title": "Atelier de l'admin", "date": "2026-03-11"})
		if status := ts.do(t, userToken, "GET", "/api/v1/workshops/"+w.ID, nil, nil); status != http.StatusNotFound {
			t.Fatalf("facilitator GET admin's workshop = %d, want 404", status)
		}
		res, _ := ts.pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"role"}, "role": {"manager"}}, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/users" {
			t.Fatalf("role change = %d to %q, want 303 to /app/users", res.StatusCode, res.Header.Get("Location"))
		}
		if status := ts.do(t, userToken, "GET", "/api/v1/workshops/"+w.ID, nil, nil); status != http.StatusOK {
			t.Errorf("manager GET admin's workshop = %d, want 200", status)
		}
		_, body := ts.pageGet(t, admin, ts.URL+"/app/users")
		if !strings.Contains(body, `<option value="manager" selected>`) {
			t.Errorf("users page does not show the new role")
		}
		res, body = ts.pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"role"}, "role": {"roi"}}, nil)
		checkPage(t, "unknown role", res, body, http.StatusBadRequest, "Rôle inconnu")
		res, body = ts.pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"supprimer"}}, nil)
		checkPage(t, "unknown action", res, body, http.StatusBadRequest, "Action inconnue")
		res, body = ts.pagePost(t, admin, ts.URL+"/app/users/000000000000000000000000", url.Values{"action": {"disable"}}, nil)
		checkPage(t, "unknown user", res, body, http.StatusNotFound, "introuvable")
	})

	t.Run("disable and enable", func(t *testing.T) {
		var tok struct{ Token string }
		ts.do(t, userToken, "POST", "/api/v1/tokens", map[string]string{"name": "script"}, &tok)
		if status := ts.do(t, tok.Token, "GET", "/api/v1/workshops", nil, nil); status != http.StatusOK {
			t.Fatalf("token before disabling = %d, want 200", status)
		}
		res, _ := ts.pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"disable"}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable = %d, want 303", res.StatusCode)
		}
		for name, tk := range map[string]string{"session": userToken, "token": tok.Token} {
			if status := ts.do(t, tk, "GET", "/api/v1/workshops", nil, nil); status != http.StatusUnauthorized {
				t.Errorf("%s of a disabled user = %d, want 401", name, status)
			}
		}
		if res, _ := ts.pageGet(t, user, ts.URL+"/app"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("page of a disabled user = %d to %q, want 303 to login", res.StatusCode, res.Header.Get("Location"))
		}
		if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": "nouvelle@example.org", "password": newPassword}, nil); status != http.StatusUnauthorized {
			t.Errorf("login of a disabled user = %d, want 401", status)
		}
		_, body := ts.pageGet(t, admin, ts.URL+"/app/users")
		if !strings.Contains(body, "Désactivé") || !strings.Contains(body, `value="enable"`) {
			t.Errorf("users page does not show the account disabled")
		}
		ts.pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"enable"}}, nil)
		ts.login(t, "nouvelle@example.org", newPassword)
		// Enabling does not revive what disabling ended.
		for name, tk := range map[string]string{"session": userToken, "token": tok.Token} {
			if status := ts.do(t, tk, "GET", "/api/v1/workshops", nil, nil); status != http.StatusUnauthorized {
				t.Errorf("old %s after enabling again = %d, want 401", name, status)
			}
		}
	})

	t.Run("reset password", func(t *testing.T) {
		res, body := ts.pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"reset"}}, nil)
		checkPage(t, "reset", res, body, http.StatusOK, "Nouveau mot de passe provisoire", "nouvelle@example.org")
		m := oneTimePasswordRe.FindStringSubmatch(body)
		if m == nil || m[1] == otp {
			t.Fatalf("reset shows no new one-time password")
		}
		if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": "nouvelle@example.org", "password": newPassword}, nil); status != http.StatusUnauthorized {
			t.Errorf("login with the password before the reset = %d, want 401", status)
		}
		var login struct {
			MustChangePassword bool `json:"must_change_password"`
		}
		if status := ts.do(t, "", "POST", "/api/v1/auth/login", map[string]string{"email": "nouvelle@example.org", "password": m[1]}, &login); status != http.StatusOK || !login.MustChangePassword {
			t.Errorf("login with the reset password = %d %+v, want 200 and must_change_password", status, login)
		}
	})

	t.Run("last admin", func(t *testing.T) {
		me, _ := ts.Store.UserByEmail(context.Background(), testAdminEmail)
		for _, action := range []url.Values{{"action": {"disable"}}, {"action": {"role"}, "role": {"manager"}}} {
			res, body := ts.pagePost(t, admin, ts.URL+"/app/users/"+me.ID, action, nil)
			checkPage(t, "last admin "+action.Get("action"), res, body, http.StatusConflict, "dernier compte administrateur actif")
		}
		if me, _ := ts.Store.User(context.Background(), me.ID); me.Role != surveys.RoleAdmin || me.Disabled {
			t.Errorf("last admin after refused changes = %+v, want an active admin", me)
		}
		// With a second admin, the first may step down, and then loses the page.
		ts.pagePost(t, admin, ts.URL+"/app/users/"+u.ID, url.Values{"action": {"role"}, "role": {"admin"}}, nil)
		res, _ := ts.pagePost(t, admin, ts.URL+"/app/users/"+me.ID, url.Values{"action": {"role"}, "role": {"manager"}}, nil)
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/app" {
			t.Errorf("stepping down = %d to %q, want 303 to /app", res.StatusCode, loc)
		}
		res, body := ts.pageGet(t, admin, ts.URL+"/app/users")
		checkPage(t, "users page after stepping down", res, body, http.StatusForbidden, "Accès refusé")
	})
}
