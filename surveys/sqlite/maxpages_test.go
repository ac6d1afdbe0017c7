package sqlite

import (
	"strings"
	"testing"

	"declic/surveys"
)

// TestMaxPages stands for a disk with no room left, from Open
// (Config.MaxPages) and on a running store (SetMaxPages).
func TestMaxPages(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(ctx, Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	w := seed(t, s)
	size, err := s.SetMaxPages(ctx, 1)
	if err != nil || size < 2 {
		t.Fatalf("SetMaxPages(1) = %d, %v; want the database's size", size, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTestConfig(t, Config{Dir: dir, MaxPages: size})
	big := answer(w, "big")
	big.Answers["t"] = surveys.TextAnswer(strings.Repeat("x", 2000))
	for i := range 4 { // the last pages may have room for a few
		r := answer(w, "big"+string(rune('a'+i)))
		r.Answers["t"] = big.Answers["t"]
		if _, err = s.AddResponse(ctx, r); err != nil {
			break
		}
	}
	if surveys.ErrorCode(err) != surveys.EUNAVAILABLE {
		t.Fatalf("answers on a database opened at its cap: %v, want %s", err, surveys.EUNAVAILABLE)
	}
	if _, err := s.SetMaxPages(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddResponse(ctx, big); err != nil {
		t.Errorf("answer once the cap is lifted: %v", err)
	}
}

func openTestConfig(t testing.TB, cfg Config) *Store {
	t.Helper()
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
