// Package stats holds the impact statistics of Déclic as pure functions:
// numbers in, numbers out, no I/O.
//
// The reference is GNU R 4.2 with its defaults (t.test, wilcox.test,
// mcnemar.test, p.adjust). Wherever R would answer NA, NaN or an error,
// these functions answer a nil pointer, so no NaN or Inf ever leaves the
// package. Fixtures made by testdata/stats/make_fixtures.R check every figure.
package stats
