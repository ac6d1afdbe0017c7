//go:build !unix

package sqlite

// lockFolder does nothing where flock is missing: a second Déclic on the
// same folder is then not refused.
func lockFolder(path string) (func() error, error) { return func() error { return nil }, nil }
