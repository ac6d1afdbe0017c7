package storetest

import (
	"slices"
	"time"

	"declic/surveys"
)

func testUsers(e *env) {
	t := e.t
	if n, err := e.s.CountUsers(e.ctx); err != nil || n != 0 {
		t.Fatalf("CountUsers on a new store = %d, %v; want 0", n, err)
	}
	admin := e.user("admin@example.org", surveys.RoleAdmin)
	if admin.ID == "" || !admin.CreatedAt.Equal(start) {
		t.Errorf("CreateUser: ID %q created %v, want an ID and %v", admin.ID, admin.CreatedAt, start)
	}
	e.clock.Advance(time.Minute)
	second := e.user("second@example.org", surveys.RoleAdmin)
	e.clock.Advance(time.Minute)
	manager := e.user("manager@example.org", surveys.RoleManager)

	err := e.s.CreateUser(e.ctx, &surveys.User{Email: "admin@example.org", Role: surveys.RoleFacilitator, PasswordHash: "x"})
	wantCode(t, err, surveys.ECONFLICT)
	if f := surveys.ErrorFields(err); f["email"] == "" {
		t.Errorf("duplicate e-mail fields = %v, want email named", f)
	}

	got, err := e.s.User(e.ctx, admin.ID)
	must(t, err)
	if got.Email != admin.Email || got.Role != surveys.RoleAdmin || got.PasswordHash != admin.PasswordHash || !got.CreatedAt.Equal(start) {
		t.Errorf("User = %+v, want %+v", got, admin)
	}
	got, err = e.s.UserByEmail(e.ctx, "manager@example.org")
	must(t, err)
	if got.ID != manager.ID {
		t.Errorf("UserByEmail = %s, want %s", got.ID, manager.ID)
	}
	_, err = e.s.User(e.ctx, "missing")
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = e.s.UserByEmail(e.ctx, "nobody@example.org")
	wantCode(t, err, surveys.ENOTFOUND)

	list, err := e.s.Users(e.ctx)
	must(t, err)
	var ids []string
	for _, u := range list {
		ids = append(ids, u.ID)
	}
	if want := []string{admin.ID, second.ID, manager.ID}; !slices.Equal(ids, want) {
		t.Errorf("Users = %v, want oldest first %v", ids, want)
	}
	if n, _ := e.s.CountUsers(e.ctx); n != 3 {
		t.Errorf("CountUsers = %d, want 3", n)
	}
	if n, _ := e.s.CountActiveAdmins(e.ctx); n != 2 {
		t.Errorf("CountActiveAdmins = %d, want 2", n)
	}

	disabled, hash, must2 := true, "$2a$10$new", true
	got, err = e.s.UpdateUser(e.ctx, second.ID, surveys.UserUpdate{Disabled: &disabled, PasswordHash: &hash, MustChangePassword: &must2})
	must(t, err)
	if !got.Disabled || got.PasswordHash != hash || !got.MustChangePassword || got.Role != surveys.RoleAdmin || got.Email != second.Email {
		t.Errorf("UpdateUser = %+v, want disabled, new hash, must change, the rest kept", got)
	}
	if n, _ := e.s.CountActiveAdmins(e.ctx); n != 1 {
		t.Errorf("CountActiveAdmins with one admin disabled = %d, want 1", n)
	}
	role := surveys.RoleAdmin
	got, err = e.s.UpdateUser(e.ctx, manager.ID, surveys.UserUpdate{Role: &role})
	must(t, err)
	if got.Role != surveys.RoleAdmin {
		t.Errorf("UpdateUser role = %q, want admin", got.Role)
	}
	if n, _ := e.s.CountActiveAdmins(e.ctx); n != 2 {
		t.Errorf("CountActiveAdmins after a promotion = %d, want 2", n)
	}
	got, err = e.s.UpdateUser(e.ctx, manager.ID, surveys.UserUpdate{})
	must(t, err)
	if got.ID != manager.ID {
		t.Errorf("UpdateUser with nothing = %+v, want the user", got)
	}
	_, err = e.s.UpdateUser(e.ctx, "missing", surveys.UserUpdate{Disabled: &disabled})
	wantCode(t, err, surveys.ENOTFOUND)
}

func testSessions(e *env) {
	t := e.t
	u, other := e.user("a@example.org", surveys.RoleFacilitator), e.user("b@example.org", surveys.RoleFacilitator)
	now := e.clock.Now()
	mk := func(id, user string, life time.Duration) *surveys.Session {
		s := &surveys.Session{ID: id, UserID: user, CreatedAt: now, ExpiresAt: now.Add(life)}
		must(t, e.s.CreateSession(e.ctx, s))
		return s
	}
	short := mk("short", u.ID, time.Hour)
	mk("long1", u.ID, 24*time.Hour)
	mk("long2", u.ID, 24*time.Hour)
	mk("others", other.ID, 24*time.Hour)
	got, err := e.s.Session(e.ctx, "short")
	must(t, err)
	if got.UserID != u.ID || !got.ExpiresAt.Equal(short.ExpiresAt) || !got.CreatedAt.Equal(now) {
		t.Errorf("Session = %+v, want %+v", got, short)
	}
	_, err = e.s.Session(e.ctx, "missing")
	wantCode(t, err, surveys.ENOTFOUND)

	e.clock.Advance(time.Hour) // expiry is exclusive
	_, err = e.s.Session(e.ctx, "short")
	wantCode(t, err, surveys.ENOTFOUND)
	mk("fresh", u.ID, time.Hour) // may prune the expired one
	_, err = e.s.Session(e.ctx, "short")
	wantCode(t, err, surveys.ENOTFOUND)

	must(t, e.s.DeleteSession(e.ctx, "long1"))
	_, err = e.s.Session(e.ctx, "long1")
	wantCode(t, err, surveys.ENOTFOUND)
	must(t, e.s.DeleteSession(e.ctx, "long1")) // already gone: fine

	must(t, e.s.DeleteSessionsOf(e.ctx, u.ID, "long2"))
	if _, err := e.s.Session(e.ctx, "long2"); err != nil {
		t.Errorf("the session kept by DeleteSessionsOf: %v", err)
	}
	_, err = e.s.Session(e.ctx, "fresh")
	wantCode(t, err, surveys.ENOTFOUND)
	if _, err := e.s.Session(e.ctx, "others"); err != nil {
		t.Errorf("another user's session: %v", err)
	}
	must(t, e.s.DeleteSessionsOf(e.ctx, u.ID, ""))
	_, err = e.s.Session(e.ctx, "long2")
	wantCode(t, err, surveys.ENOTFOUND)
}

func testTokens(e *env) {
	t := e.t
	u, other := e.user("a@example.org", surveys.RoleManager), e.user("b@example.org", surveys.RoleManager)
	first := &surveys.Token{Hash: "hash-1", UserID: u.ID, Name: "script", ExpiresOn: "2027-03-10"}
	must(t, e.s.CreateToken(e.ctx, first))
	if first.ID == "" || first.CreatedOn != "2026-03-10" {
		t.Errorf("CreateToken: ID %q created on %q, want an ID and 2026-03-10", first.ID, first.CreatedOn)
	}
	e.clock.Advance(24 * time.Hour)
	second := &surveys.Token{Hash: "hash-2", UserID: u.ID, Name: "tableur"}
	must(t, e.s.CreateToken(e.ctx, second))
	theirs := &surveys.Token{Hash: "hash-3", UserID: other.ID, Name: "autre"}
	must(t, e.s.CreateToken(e.ctx, theirs))

	got, err := e.s.TokenByHash(e.ctx, "hash-1")
	must(t, err)
	if *got != *first {
		t.Errorf("TokenByHash = %+v, want %+v", got, first)
	}
	_, err = e.s.TokenByHash(e.ctx, "nope")
	wantCode(t, err, surveys.ENOTFOUND)

	list, err := e.s.Tokens(e.ctx, u.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != second.ID || list[1].ID != first.ID {
		t.Errorf("Tokens = %+v, want newest first [%s %s]", list, second.ID, first.ID)
	}

	must(t, e.s.TouchToken(e.ctx, first.ID, "2026-03-11"))
	got, err = e.s.TokenByHash(e.ctx, "hash-1")
	must(t, err)
	if got.LastUsedOn != "2026-03-11" {
		t.Errorf("LastUsedOn = %q, want 2026-03-11", got.LastUsedOn)
	}

	wantCode(t, e.s.DeleteToken(e.ctx, u.ID, theirs.ID), surveys.ENOTFOUND)
	if _, err := e.s.TokenByHash(e.ctx, "hash-3"); err != nil {
		t.Errorf("another user's token after a refused delete: %v", err)
	}
	must(t, e.s.DeleteToken(e.ctx, u.ID, first.ID))
	_, err = e.s.TokenByHash(e.ctx, "hash-1")
	wantCode(t, err, surveys.ENOTFOUND)
	wantCode(t, e.s.DeleteToken(e.ctx, u.ID, first.ID), surveys.ENOTFOUND)

	must(t, e.s.DeleteTokensOf(e.ctx, u.ID))
	if list, _ := e.s.Tokens(e.ctx, u.ID); len(list) != 0 {
		t.Errorf("Tokens after DeleteTokensOf = %d, want 0", len(list))
	}
	if list, _ := e.s.Tokens(e.ctx, other.ID); len(list) != 1 {
		t.Errorf("the other user's tokens = %d, want 1", len(list))
	}
}
