package mongodb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"declic/surveys"
	"declic/surveys/mongodb/mongotest"
)

func TestUsersUpdateAndAdmins(t *testing.T) {
	s := mongotest.Open(t)
	ctx := context.Background()
	admin := &surveys.User{Email: "admin@example.org", Role: surveys.RoleAdmin, PasswordHash: "h0"}
	fac := &surveys.User{Email: "anim@example.org", Role: surveys.RoleFacilitator, PasswordHash: "h1", MustChangePassword: true}
	for _, u := range []*surveys.User{admin, fac} {
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatalf("CreateUser(%s): %v", u.Email, err)
		}
	}
	if err := s.CreateUser(ctx, &surveys.User{Email: "anim@example.org", Role: surveys.RoleManager}); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("CreateUser with a used e-mail: err = %v, want conflict", err)
	}

	us, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 2 || us[0].Email != admin.Email || us[1].Email != fac.Email || !us[1].MustChangePassword {
		t.Fatalf("Users = %+v, want admin then facilitator (must change password)", us)
	}

	n, err := s.CountActiveAdmins(ctx)
	if err != nil || n != 1 {
		t.Fatalf("CountActiveAdmins = %d, %v; want 1", n, err)
	}
	role, yes, no, hash := surveys.RoleAdmin, true, false, "h2"
	got, err := s.UpdateUser(ctx, fac.ID, surveys.UserUpdate{Role: &role, PasswordHash: &hash, MustChangePassword: &no})
	if err != nil {
		t.Fatal(err)
	}
	if got.Role != surveys.RoleAdmin || got.PasswordHash != "h2" || got.MustChangePassword || got.Email != fac.Email || got.Disabled {
		t.Errorf("UpdateUser = %+v, want admin with hash h2, no password change, same e-mail", got)
	}
	if n, _ := s.CountActiveAdmins(ctx); n != 2 {
		t.Errorf("CountActiveAdmins after promotion = %d, want 2", n)
	}
	if _, err := s.UpdateUser(ctx, admin.ID, surveys.UserUpdate{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountActiveAdmins(ctx); n != 1 {
		t.Errorf("CountActiveAdmins after disabling one = %d, want 1", n)
	}
	if u, _ := s.User(ctx, admin.ID); !u.Disabled || u.PasswordHash != "h0" {
		t.Errorf("disabled admin = %+v, want disabled with its hash unchanged", u)
	}
	if _, err := s.UpdateUser(ctx, "000000000000000000000000", surveys.UserUpdate{Disabled: &yes}); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("UpdateUser(unknown) err = %v, want not_found", err)
	}
}

func TestSessionsOfUser(t *testing.T) {
	s := mongotest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	for _, sess := range []*surveys.Session{
		{ID: "a1", UserID: "a", CreatedAt: now, ExpiresAt: now.Add(time.Hour)},
		{ID: "a2", UserID: "a", CreatedAt: now, ExpiresAt: now.Add(time.Hour)},
		{ID: "a3", UserID: "a", CreatedAt: now, ExpiresAt: now.Add(time.Hour)},
		{ID: "b1", UserID: "b", CreatedAt: now, ExpiresAt: now.Add(time.Hour)},
	} {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteSessionsOf(ctx, "a", "a2"); err != nil {
		t.Fatal(err)
	}
	for id, alive := range map[string]bool{"a1": false, "a2": true, "a3": false, "b1": true} {
		_, err := s.Session(ctx, id)
		if got := err == nil; got != alive {
			t.Errorf("session %s alive = %v (err %v), want %v", id, got, err, alive)
		}
	}

	// An expired session is refused, and forgotten at the user's next login.
	now = now.Add(2 * time.Hour)
	if _, err := s.Session(ctx, "a2"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("expired session err = %v, want not_found", err)
	}
	if err := s.CreateSession(ctx, &surveys.Session{ID: "a4", UserID: "a", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(-2 * time.Hour) // a2 would be valid again at this time, if it were still stored
	if _, err := s.Session(ctx, "a2"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("expired session after a new login: err = %v, want it deleted", err)
	}
	if _, err := s.Session(ctx, "b1"); err != nil {
		t.Errorf("another user's session was deleted: %v", err)
	}
	if err := s.DeleteSessionsOf(ctx, "b", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, "b1"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("DeleteSessionsOf(b, \"\") left b1: %v", err)
	}
}

func TestTokens(t *testing.T) {
	s := mongotest.Open(t)
	ctx := context.Background()
	s.Now = func() time.Time { return time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC) }
	t1 := &surveys.Token{Hash: "hash-1", UserID: "a", Name: "Script Excel"}
	t2 := &surveys.Token{Hash: "hash-2", UserID: "a", Name: "Sauvegarde"}
	t3 := &surveys.Token{Hash: "hash-3", UserID: "b", Name: "Autre"}
	for _, tok := range []*surveys.Token{t1, t2, t3} {
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if tok.ID == "" || tok.CreatedOn != "2026-03-01" {
			t.Errorf("created token = %+v, want an id and created_on 2026-03-01", tok)
		}
	}
	got, err := s.TokenByHash(ctx, "hash-2")
	if err != nil || got.ID != t2.ID || got.UserID != "a" || got.Name != "Sauvegarde" {
		t.Fatalf("TokenByHash(hash-2) = %+v, %v", got, err)
	}
	if _, err := s.TokenByHash(ctx, "nope"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("TokenByHash(nope) err = %v, want not_found", err)
	}
	if err := s.CreateToken(ctx, &surveys.Token{Hash: "hash-1", UserID: "c", Name: "x"}); err == nil {
		t.Errorf("a second token with the same hash was stored")
	}

	list, err := s.Tokens(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != t2.ID || list[1].ID != t1.ID {
		t.Errorf("Tokens(a) = %+v, want t2 then t1", list)
	}
	if err := s.TouchToken(ctx, t1.ID, "2026-03-02"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.TokenByHash(ctx, "hash-1"); got.LastUsedOn != "2026-03-02" {
		t.Errorf("last used = %q, want 2026-03-02", got.LastUsedOn)
	}

	// A user cannot revoke another's token.
	if err := s.DeleteToken(ctx, "b", t1.ID); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("DeleteToken by another user: err = %v, want not_found", err)
	}
	if err := s.DeleteToken(ctx, "a", t1.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenByHash(ctx, "hash-1"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("revoked token still found: %v", err)
	}
	if err := s.DeleteTokensOf(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Tokens(ctx, "a"); len(list) != 0 {
		t.Errorf("Tokens(a) after DeleteTokensOf = %d, want 0", len(list))
	}
	if _, err := s.TokenByHash(ctx, "hash-3"); err != nil {
		t.Errorf("another user's token was revoked: %v", err)
	}

	for i := range surveys.MaxTokens {
		if err := s.CreateToken(ctx, &surveys.Token{Hash: "many-" + string(rune('a'+i)), UserID: "c", Name: "n"}); err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
	}
	if err := s.CreateToken(ctx, &surveys.Token{Hash: "one-too-many", UserID: "c", Name: "n"}); surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Errorf("token over the limit: err = %v, want conflict", err)
	}
}

func TestWorkshopFacilitators(t *testing.T) {
	s := mongotest.Open(t)
	ctx := context.Background()
	mine := &surveys.Workshop{QuestionnaireID: "q", Title: "Mine", Date: "2026-03-01", OwnerID: "u1"}
	shared := &surveys.Workshop{QuestionnaireID: "q", Title: "Shared", Date: "2026-03-02", OwnerID: "u2"}
	other := &surveys.Workshop{QuestionnaireID: "q", Title: "Other", Date: "2026-03-03", OwnerID: "u2"}
	for _, w := range []*surveys.Workshop{mine, shared, other} {
		if err := s.CreateWorkshop(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	w, err := s.SetFacilitators(ctx, shared.ID, []string{"u1", "u3"})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Facilitators) != 2 || w.Facilitators[0] != "u1" || w.Facilitators[1] != "u3" {
		t.Errorf("facilitators = %v, want [u1 u3]", w.Facilitators)
	}
	if _, err := s.SetFacilitators(ctx, "000000000000000000000000", nil); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("SetFacilitators(unknown) err = %v, want not_found", err)
	}
	titles := func(f surveys.WorkshopFilter) []string {
		t.Helper()
		ws, err := s.Workshops(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, w := range ws {
			out = append(out, w.Title)
		}
		return out
	}
	for _, tt := range []struct {
		owner string
		want  string
	}{{"u1", "[Shared Mine]"}, {"u2", "[Other Shared]"}, {"u3", "[Shared]"}, {"u4", "[]"}} {
		if got := titles(surveys.WorkshopFilter{OwnerID: tt.owner}); fmt.Sprint(got) != tt.want {
			t.Errorf("workshops of %s = %v, want %s", tt.owner, got, tt.want)
		}
	}
	// Removing a facilitator takes the workshop away from them.
	if _, err := s.SetFacilitators(ctx, shared.ID, []string{"u3"}); err != nil {
		t.Fatal(err)
	}
	if got := titles(surveys.WorkshopFilter{OwnerID: "u1", To: "2026-03-05"}); fmt.Sprint(got) != "[Mine]" {
		t.Errorf("workshops of u1 after removal = %v, want [Mine]", got)
	}
}
