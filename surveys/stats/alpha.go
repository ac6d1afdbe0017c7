package stats

// CronbachAlpha is k/(k-1) * (1 - sum of item variances / variance of the
// total), with items[j][i] the score of item j for respondent i.
// Respondents missing any item (non-finite score) are left out. It is nil
// with fewer than 2 items or 2 respondents, items of unequal lengths, or a
// constant total.
func CronbachAlpha(items [][]float64) *float64 {
	k := len(items)
	if k < 2 {
		return nil
	}
	n := len(items[0])
	for _, it := range items {
		if len(it) != n {
			return nil
		}
	}
	cols := make([][]float64, k)
	var total []float64
	for i := range n {
		complete := true
		for _, it := range items {
			complete = complete && isFinite(it[i])
		}
		if !complete {
			continue
		}
		var sum float64
		for j, it := range items {
			cols[j] = append(cols[j], it[i])
			sum += it[i]
		}
		total = append(total, sum)
	}
	if len(total) < 2 {
		return nil
	}
	mt := mean(total)
	if sampleSD(total, mt) == 0 {
		return nil // a constant total leaves alpha undefined
	}
	vt := variance(total, mt)
	var sumVar float64
	for _, c := range cols {
		sumVar += variance(c, mean(c))
	}
	fk := float64(k)
	return ptr(fk / (fk - 1) * (1 - sumVar/vt))
}
