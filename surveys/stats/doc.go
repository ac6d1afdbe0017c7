// Package stats holds the impact statistics of Déclic as pure functions:
// numbers in, numbers out, no I/O. It is the only place a quantile or an
// interval is computed.
//
// The reference is GNU R 4.2 with its defaults (t.test, wilcox.test,
// mcnemar.test, p.adjust, prop.test, power.t.test, qt, qnorm). Wherever R
// would answer NA, NaN or an error, these functions answer a nil pointer,
// so no NaN or Inf ever leaves the package from data; only QT and QNorm,
// given a probability outside (0, 1), answer NaN as math functions do.
// Fixtures made by testdata/stats/make_fixtures.R check every figure.
package stats
