package app

import (
	"context"
	"crypto/rand"
	"declic/surveys"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// The pseudonym key, written as text, follows one rule wherever it comes
// from (DECLIC_SECRET or a key file): text of at least 32 characters,
// used as it is; text starting with "hex:" stands for the bytes its hex
// digits encode (at least 32). Key files Déclic writes hold "hex:" and 64
// hex digits, so `declic key export` prints the file's text and
// DECLIC_SECRET accepts it as it is, giving the same pseudonyms.
//
// Older Déclic wrote DECLIC_DATA/secret.key as 64 hex digits without the
// prefix, and read them as bytes: such a file is still read that way.

const hexKeyPrefix = "hex:"

// ParseKey reads a key written as text by the rule above. The text is
// taken as it is (a key file's is trimmed of its line end before).
func ParseKey(text string) ([]byte, error) {
	if h, ok := strings.CutPrefix(text, hexKeyPrefix); ok {
		key, err := hex.DecodeString(h)
		if err != nil || len(key) < 32 {
			return nil, errors.New(`a key starting with "hex:" needs at least 64 hex digits after it`)
		}
		return key, nil
	}
	if len(text) < 32 {
		return nil, errors.New("the key must have at least 32 characters")
	}
	return []byte(text), nil
}

// legacyKeyFile tells a key file written by older Déclic: 64 hex digits
// and nothing else.
func legacyKeyFile(text string) bool {
	text = strings.TrimSpace(text)
	if len(text) != 64 {
		return false
	}
	_, err := hex.DecodeString(text)
	return err == nil
}

// DefaultSecretFile is where a new install keeps its key when
// DECLIC_SECRET_FILE is not set: in the user's configuration folder,
// outside DECLIC_DATA, so that a copy of the data folder is not enough to
// recompute pseudonyms. "" when there is no such folder.
func DefaultSecretFile(getenv func(string) string) string {
	if f := strings.TrimSpace(getenv("DECLIC_SECRET_FILE")); f != "" {
		return f
	}
	if d := getenv("XDG_CONFIG_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "declic", "secret.key")
	}
	if h := getenv("HOME"); h != "" && filepath.IsAbs(h) {
		return filepath.Join(h, ".config", "declic", "secret.key")
	}
	return ""
}

// KeySource says where the key in use comes from, for `declic key`.
type KeySource struct {
	Text string // the key as text, by the rule above
	From string // "DECLIC_SECRET" or a file path
}

// FindKey returns the configured key without making one: DECLIC_SECRET,
// else DECLIC_DATA/secret.key left by an older install (the key of that
// data, even when this machine's key file holds another one), else the
// key file. ok is false when there is none yet.
func FindKey(cfg Config) (src KeySource, ok bool, err error) {
	if cfg.Secret != "" {
		if _, err := ParseKey(cfg.Secret); err != nil {
			return src, false, fmt.Errorf("DECLIC_SECRET: %w", err)
		}
		return KeySource{Text: cfg.Secret, From: "DECLIC_SECRET"}, true, nil
	}
	for _, path := range []string{legacySecretFile(cfg), cfg.SecretFile} {
		if path == "" {
			continue
		}
		data, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return src, false, fmt.Errorf("read the pseudonym key: %w", err)
		}
		text := strings.TrimSpace(string(data))
		if legacyKeyFile(text) {
			text = hexKeyPrefix + text
		}
		if _, err := ParseKey(text); err != nil {
			return src, false, fmt.Errorf("%s: %w", path, err)
		}
		return KeySource{Text: text, From: path}, true, nil
	}
	return src, false, nil
}

func legacySecretFile(cfg Config) string {
	return filepath.Join(cfg.DataDir, "secret.key")
}

// LoadSecret returns the pseudonym key (see FindKey), making one on first
// start in the key file (or, with no configuration folder, in DECLIC_DATA).
// A key found in DECLIC_DATA gets a warning: it travels with every copy of
// the data folder. Losing the key breaks PRE/POST pairing of open
// workshops.
func LoadSecret(cfg Config, logger *slog.Logger) ([]byte, error) {
	src, ok, err := FindKey(cfg)
	if err != nil {
		return nil, err
	}
	if !ok {
		raw := make([]byte, 32)
		rand.Read(raw)
		src = KeySource{Text: hexKeyPrefix + hex.EncodeToString(raw), From: cfg.SecretFile}
		if src.From == "" {
			src.From = legacySecretFile(cfg)
		}
		if err := os.MkdirAll(filepath.Dir(src.From), 0o700); err != nil {
			return nil, fmt.Errorf("pseudonym key folder: %w", err)
		}
		if err := os.WriteFile(src.From, []byte(src.Text+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("write the pseudonym key: %w", err)
		}
		if logger != nil {
			logger.Info("pseudonym key created: keep it apart from the backups of the data (declic key export prints it)", "file", src.From)
		}
	}
	if logger != nil && src.From != "DECLIC_SECRET" && sameFolder(src.From, cfg.DataDir) {
		logger.Warn("the pseudonym key is in the data folder, so every copy of that folder can recompute the pupils' pseudonyms: move it out (set DECLIC_SECRET_FILE, or DECLIC_SECRET with the text `declic key export` prints)",
			"file", src.From, "suggested", cfg.SecretFile)
	}
	return ParseKey(src.Text)
}

// sameFolder tells whether path is inside dir.
func sameFolder(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// checkKey compares the pseudonym key with the one the store's answers
// were made with (surveys.KeyChecker). A store without a check takes this
// key's; one with another check is refused while it holds answers, since
// answers made with two keys never pair: a key lost in a move, or a
// second process configured with another DECLIC_SECRET. An embedded store
// with no answer yet takes the new key; a shared one (MongoDB, which
// several processes may serve) never replaces a check by itself.
func checkKey(ctx context.Context, st surveys.Store, shared bool, p *surveys.Pseudonymizer, logger *slog.Logger) error {
	kc, ok := st.(surveys.KeyChecker)
	if !ok {
		return nil
	}
	mine := p.Mark("key-check")
	stored, err := kc.KeyCheck(ctx)
	if err != nil || stored == mine {
		return err
	}
	if stored != "" {
		answered, err := holdsAnswers(ctx, st)
		if err != nil {
			return err
		}
		if answered {
			return fmt.Errorf("the pseudonym key is not the one this store's answers were made with (check %s, this key gives %s): "+
				"answers made with two keys never pair. Give this declic the store's key: DECLIC_SECRET, or DECLIC_SECRET_FILE, "+
				"with the text `declic key export` prints where the store was used", stored, mine)
		}
		if shared {
			// Several processes may serve this store: the check may be a
			// running one's, whose pupils' answers would not pair with
			// this one's. Only the operator knows it is not.
			return fmt.Errorf("this store's pseudonym key check (%s) was made with another key than this declic's (%s), perhaps by another process serving it: "+
				"give every process the same DECLIC_SECRET or DECLIC_SECRET_FILE; if the key was changed on purpose before any pupil answered, "+
				"remove the check (mongosh: db.settings.deleteOne({_id: \"key_check\"})) and start again", stored, mine)
		}
		if logger != nil {
			logger.Warn("pseudonym key changed on a store without answers: the new key is kept", "was", stored, "now", mine)
		}
	}
	// Compare and set: it fails when another process recorded its own
	// check since the read above.
	if err := kc.SetKeyCheck(ctx, stored, mine); surveys.ErrorCode(err) != surveys.ECONFLICT {
		return err
	}
	now, err := kc.KeyCheck(ctx)
	if err != nil || now == mine {
		return err
	}
	// Two processes are starting with two keys: neither may replace the
	// other's, answers or not.
	return fmt.Errorf("another declic started on this store at the same moment with another pseudonym key (check %s, this key gives %s): "+
		"give every process the same DECLIC_SECRET or DECLIC_SECRET_FILE", now, mine)
}

// holdsAnswers tells whether any workshop of st has an answer.
func holdsAnswers(ctx context.Context, st surveys.Store) (bool, error) {
	ws, err := st.Workshops(ctx, surveys.WorkshopFilter{})
	if err != nil {
		return false, err
	}
	for _, w := range ws {
		n, err := st.CountResponses(ctx, w.ID)
		if err != nil {
			return false, err
		}
		if n[surveys.PhasePre]+n[surveys.PhasePost] > 0 {
			return true, nil
		}
	}
	return false, nil
}
