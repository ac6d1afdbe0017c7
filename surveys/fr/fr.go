// Package fr writes numbers, shares, dates and counts the way French readers
// expect them. It is the one place a number becomes French text: pages,
// plain-French readings, charts and exports all call it, so that 7,25 is
// « 7,3 » everywhere. It imports nothing of Déclic, so every package may
// use it.
package fr

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

const (
	// NBSP is the no-break space French puts before % and between
	// thousands.
	NBSP = "\u00a0"
	// Minus is the true minus sign, wider than a hyphen and never cut from
	// its number at a line end.
	Minus = "\u2212"
	// None stands for a figure that does not exist.
	None = "—"
)

// round writes |v| with exactly decimals decimals, rounding an exact half
// away from zero as people do (7,25 → 7,3), on the shortest decimal that
// reads back as v: 2.675, stored as 2.67499999…, still rounds to 2,68.
func round(v float64, decimals int) string {
	decimals = min(max(decimals, 0), 10)
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	if len(frac) <= decimals {
		frac += strings.Repeat("0", decimals-len(frac))
		if decimals == 0 {
			return intPart
		}
		return intPart + "." + frac
	}
	up := frac[decimals] >= '5'
	digits := []byte(intPart + frac[:decimals])
	if up {
		i := len(digits) - 1
		for ; i >= 0; i-- {
			if digits[i] == '9' {
				digits[i] = '0'
				continue
			}
			digits[i]++
			break
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
		}
	}
	cut := len(digits) - decimals
	if decimals == 0 {
		return string(digits)
	}
	return string(digits[:cut]) + "." + string(digits[cut:])
}

// isZero tells whether a rounded figure is all zeros.
func isZero(s string) bool { return strings.Trim(s, "0.") == "" }

// Number writes v with decimals decimals: a decimal comma, a true minus
// sign, thousands grouped by no-break spaces from 1 000 on, never « −0 »
// or « −0,0 ». NaN and infinities, which mean "no figure", give « — ».
func Number(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return None
	}
	s := round(v, decimals)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && !isZero(s) {
		b.WriteString(Minus)
	}
	for i, d := range intPart {
		if i > 0 && len(intPart) > 3 && (len(intPart)-i)%3 == 0 {
			b.WriteString(NBSP)
		}
		b.WriteRune(d)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// NumberPtr is Number of *v, « — » for nil.
func NumberPtr(v *float64, decimals int) string {
	if v == nil {
		return None
	}
	return Number(*v, decimals)
}

// Signed is Number with a « + » before a positive figure: a change.
func Signed(v float64, decimals int) string {
	s := Number(v, decimals)
	if v > 0 && !isZero(round(v, decimals)) {
		return "+" + s
	}
	return s
}

// Short writes v with as few decimals as it needs, at most decimals:
// « 1 », « 2,5 ».
func Short(v float64, decimals int) string {
	s := Number(v, decimals)
	if strings.Contains(s, ",") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ",")
	}
	return s
}

// Percent writes a share (0..1) as a whole percentage: « 62 % ».
func Percent(share float64) string {
	if math.IsNaN(share) || math.IsInf(share, 0) {
		return None
	}
	return Number(100*share, 0) + NBSP + "%"
}

// PercentPtr is Percent of *share, « — » for nil.
func PercentPtr(share *float64) string {
	if share == nil {
		return None
	}
	return Percent(*share)
}

// PercentOf writes n out of total as a whole percentage, « — » for none.
func PercentOf(n, total int) string {
	if total == 0 {
		return None
	}
	return Percent(float64(n) / float64(total))
}

// P writes a p-value as readers expect it: « < 0,001 », « 0,003 », « 0,25 »,
// and never « 0,05 » for a p below 0,05.
func P(p float64) string {
	switch {
	case math.IsNaN(p):
		return None
	case p < 0.001:
		return "<" + NBSP + "0,001"
	case p < 0.01:
		return Number(p, 3)
	case p >= 0.995:
		// « 1,00 » would read as a certainty that nothing changed.
		return ">" + NBSP + "0,99"
	case p < 0.05 && Number(p, 2) == "0,05":
		// 0,0497 is below the 5 % threshold: « 0,05 » would read as on it.
		d := 3
		for ; d < 8 && strings.TrimRight(Number(p, d), "0") == "0,05"; d++ {
		}
		return Number(p, d)
	}
	return Number(p, 2)
}

// PText writes a p-value in a sentence: « p = 0,03 », « p < 0,001 », with
// no-break spaces, so that a line never ends on « p ».
func PText(p float64) string {
	s := P(p)
	if strings.HasPrefix(s, "<") {
		return "p" + NBSP + s
	}
	return "p" + NBSP + "=" + NBSP + s
}

// Decimal writes v for a spreadsheet cell a French Excel reads as a number:
// « -1,25 », an ASCII minus, no thousands separator, at most four decimals
// and no trailing zeros; "" for no figure. It rounds as Number does.
func Decimal(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	s := round(v, 4)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if v < 0 && !isZero(s) {
		s = "-" + s
	}
	return strings.Replace(s, ".", ",", 1)
}

// Plural picks the singular for 0 and 1, as French does, else the plural.
func Plural(n int, one, many string) string {
	if n == 0 || n == 1 {
		return one
	}
	return many
}

// PluralOf picks the noun after v written with decimals decimals: French
// puts the plural from 2 on (« 1,9 point », « 2,0 points »).
func PluralOf(v float64, decimals int, one, many string) string {
	r, _ := strconv.ParseFloat(round(v, decimals), 64)
	if r >= 2 {
		return many
	}
	return one
}

// Count writes a number and its noun: « 1 jeune », « 12 jeunes », « 0 atelier ».
func Count(n int, one, many string) string {
	return Number(float64(n), 0) + " " + Plural(n, one, many)
}

var months = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// Months lists the months' names, January first.
func Months() []string { return months[:] }

// Month is month m's name (1-12), "" otherwise.
func Month(m int) string {
	if m < 1 || m > 12 {
		return ""
	}
	return months[m-1]
}

// Day writes a day of the month: « 1er », « 2 », « 31 ».
func Day(d int) string {
	if d == 1 {
		return "1er"
	}
	return strconv.Itoa(d)
}

// Date writes a YYYY-MM-DD day in full: « 1er septembre 2026 ». Anything
// else is returned as it is.
func Date(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return DateOf(d)
}

// DateOf writes t's day in full: « 1er septembre 2026 ».
func DateOf(t time.Time) string {
	return fmt.Sprintf("%s %s %d", Day(t.Day()), months[t.Month()-1], t.Year())
}

// Period writes a span of days: « du 1er septembre 2025 au 30 juin 2026 »,
// « depuis le 1er septembre 2025 », « jusqu'au 30 juin 2026 », « le 3 mars
// 2026 » when both ends are the same day, "" when neither is given.
func Period(from, to string) string {
	switch {
	case from != "" && to != "" && from == to:
		return "le " + Date(from)
	case from != "" && to != "":
		return "du " + Date(from) + " au " + Date(to)
	case from != "":
		return "depuis le " + Date(from)
	case to != "":
		return "jusqu'au " + Date(to)
	}
	return ""
}

// punctuation is French spacing made unbreakable: a line never starts
// with « ; », « : », « ? », « ! » or a closing guillemet, nor ends with an
// opening one.
var punctuation = strings.NewReplacer(" ;", NBSP+";", " :", NBSP+":", " ?", NBSP+"?", " !", NBSP+"!", " »", NBSP+"»", "« ", "«"+NBSP)

// Punctuate keeps French punctuation on the line of the word before it.
func Punctuate(s string) string { return punctuation.Replace(s) }
