package stats

// McNemar is R's mcnemar.test with its continuity correction on 0/1 scores.
type McNemar struct {
	B, C      int      // B: 0 at PRE then 1 at POST; C: 1 then 0
	Statistic *float64 // chi-square, 1 df; nil when B + C == 0
	P         *float64
}

// McNemarTest counts the changes between pre[i] and post[i]; pairs where
// either score is not 0 or 1 are left out.
func McNemarTest(pre, post []float64) McNemar {
	var m McNemar
	for i := range min(len(pre), len(post)) {
		switch {
		case pre[i] == 0 && post[i] == 1:
			m.B++
		case pre[i] == 1 && post[i] == 0:
			m.C++
		}
	}
	if m.B+m.C == 0 {
		return m
	}
	// R corrects only when the table is asymmetric; B == C gives 0.
	diff := float64(m.B - m.C)
	if diff < 0 {
		diff = -diff
	}
	if diff > 0 {
		diff--
	}
	stat := diff * diff / float64(m.B+m.C)
	m.Statistic = &stat
	m.P = ptr(pChisq1Upper(stat))
	return m
}
