// Package library holds Déclic's ready questionnaires, written for the NGO's
// themes and embedded in the binary.
package library

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"

	"declic/surveys"
)

//go:embed *.json
var files embed.FS

// Load parses and validates every built-in questionnaire.
func Load() ([]*surveys.Questionnaire, error) {
	names, err := fs.Glob(files, "*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]*surveys.Questionnaire, 0, len(names))
	for _, name := range names {
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var q surveys.Questionnaire
		if err := surveys.DecodeStrict(data, &q); err != nil {
			return nil, fmt.Errorf("library: %s: %w", name, err)
		}
		if err := q.Validate(); err != nil {
			return nil, fmt.Errorf("library: %s: %w", name, err)
		}
		if q.ID == "" {
			return nil, fmt.Errorf("library: %s: no id", name)
		}
		q.Builtin = true
		out = append(out, &q)
	}
	return out, nil
}

// versioned reads a built-in questionnaire's ID: a name and a version
// (odd-v2). A published ID never changes: a new wording is a new version.
var versioned = regexp.MustCompile(`^(.+)-v([0-9]+)$`)

// Latest keeps, among the built-in questionnaires, only the newest version
// of each (odd-v2, not odd-v1), and every other questionnaire, in order:
// what a facilitator should pick for a new workshop. The older versions
// stay in the library, for the workshops that used them.
func Latest(qs []*surveys.Questionnaire) []*surveys.Questionnaire {
	newest := map[string]int{}
	for _, q := range qs {
		if m := versioned.FindStringSubmatch(q.ID); q.Builtin && m != nil {
			v, _ := strconv.Atoi(m[2])
			newest[m[1]] = max(newest[m[1]], v)
		}
	}
	out := make([]*surveys.Questionnaire, 0, len(qs))
	for _, q := range qs {
		if m := versioned.FindStringSubmatch(q.ID); q.Builtin && m != nil {
			if v, _ := strconv.Atoi(m[2]); v < newest[m[1]] {
				continue
			}
		}
		out = append(out, q)
	}
	return out
}
