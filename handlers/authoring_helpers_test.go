package handlers_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"declic/handlers"
	"declic/surveys"
	"declic/surveys/library"
	"declic/surveys/sqlite"
	"declic/templates"
)

// apiServer is the real router on an in-memory store, with one account of
// each role and an API token for each.
type apiServer struct {
	t      *testing.T
	store  *sqlite.Store
	router http.Handler
	tokens map[surveys.Role]string
	users  map[surveys.Role]*surveys.User
}

func newAPIServer(t *testing.T) *apiServer {
	t.Helper()
	ctx := context.Background()
	store := mustOpenStore(t)
	qs, err := library.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if err := store.EnsureQuestionnaire(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	tmpl, err := templates.New()
	if err != nil {
		t.Fatal(err)
	}
	s := &apiServer{t: t, store: store, tokens: map[surveys.Role]string{}, users: map[surveys.Role]*surveys.User{}}
	for _, role := range []surveys.Role{surveys.RoleAdmin, surveys.RoleManager, surveys.RoleFacilitator} {
		u := &surveys.User{Email: string(role) + "@example.org", Role: role, PasswordHash: "x"}
		if err := store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		secret := "dcl_test-" + string(role)
		sum := sha256.Sum256([]byte(secret))
		if err := store.CreateToken(ctx, &surveys.Token{Hash: hex.EncodeToString(sum[:]), UserID: u.ID, Name: "test", CreatedOn: "2026-01-01"}); err != nil {
			t.Fatal(err)
		}
		s.tokens[role], s.users[role] = secret, u
	}
	s.router = handlers.NewRouter(handlers.Deps{Store: store, StoreKind: "sqlite",
		Pseudo:    surveys.NewPseudonymizer([]byte(strings.Repeat("k", 32))),
		Templates: tmpl, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://declic.test"})
	return s
}

// do sends a request as role ("" for none) and returns the response.
func (s *apiServer) do(role surveys.Role, method, path, ctype string, body []byte) *httptest.ResponseRecorder {
	s.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+s.tokens[role])
	}
	rec := httptest.NewRecorder()
	s.router.ServeHTTP(rec, req)
	return rec
}

// json sends v as JSON and decodes the answer into out (when not nil),
// failing unless the status is want.
func (s *apiServer) json(role surveys.Role, method, path string, v any, want int, out any) *httptest.ResponseRecorder {
	s.t.Helper()
	var body []byte
	if v != nil {
		var err error
		if body, err = json.Marshal(v); err != nil {
			s.t.Fatal(err)
		}
	}
	rec := s.do(role, method, path, "application/json", body)
	if rec.Code != want {
		s.t.Fatalf("%s %s = %d %s, want %d", method, path, rec.Code, rec.Body.String(), want)
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			s.t.Fatalf("%s %s: %v in %s", method, path, err, rec.Body.String())
		}
	}
	return rec
}

// apiErr is the contract's error body.
type apiErr struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// mustXLSX is a workbook with one sheet of the given name.
func mustXLSX(t *testing.T, sheet string) []byte {
	t.Helper()
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	f.SetSheetRow(sheet, "A1", &[]any{"type", "name", "label"})
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// multipartFile is a form with one file field.
func multipartFile(t *testing.T, field, name string, data []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}
