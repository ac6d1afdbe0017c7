// Package library holds Déclic's ready questionnaires, written for the NGO's
// themes and embedded in the binary.
package library

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"

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
