package stats

import "math"

// Paired compares the PRE and POST scores of the same participants.
// Differences are POST - PRE. Means are 0 when N == 0.
type Paired struct {
	N                             int
	MeanPre, MeanPost, MeanDiff   float64
	SDDiff                        *float64    // nil when N < 2
	CI95                          *[2]float64 // of MeanDiff; nil when T is
	T                             *TTest      // nil where R's t.test stops or gives NaN
	Wilcoxon                      *Wilcoxon   // nil when every difference is zero
	EffectSizeDz                  *float64    // MeanDiff / SDDiff; nil when T is
	Improved, Unchanged, Declined int
}

// ComparePaired compares pre[i] with post[i], like R's
// t.test(post, pre, paired = TRUE) and wilcox.test(post, pre, paired = TRUE).
// Pairs with a missing (non-finite) side are left out, and so are the extra
// values of the longer slice. Differences within a tolerance of 1e-9 count
// as zero, and absolute differences within it as tied.
func ComparePaired(pre, post []float64) Paired {
	n := min(len(pre), len(post))
	pr, po, d := make([]float64, 0, n), make([]float64, 0, n), make([]float64, 0, n)
	for i := range n {
		if isFinite(pre[i]) && isFinite(post[i]) {
			pr = append(pr, pre[i])
			po = append(po, post[i])
			d = append(d, post[i]-pre[i])
		}
	}
	p := Paired{N: len(d)}
	if p.N == 0 {
		return p
	}
	p.MeanPre, p.MeanPost, p.MeanDiff = mean(pr), mean(po), mean(d)
	for i := range d {
		switch {
		case near(d[i], 0): // the zeros signedRank drops
			p.Unchanged++
		case d[i] > 0:
			p.Improved++
		default:
			p.Declined++
		}
	}
	p.Wilcoxon = signedRank(d)
	if p.N < 2 {
		return p
	}
	sd := sampleSD(d, p.MeanDiff)
	p.SDDiff = &sd
	p.T = oneSampleT(p.N, p.MeanDiff, sd)
	if p.T != nil {
		p.CI95 = tInterval(p.MeanDiff, sd/math.Sqrt(float64(p.N)), p.T.DF)
		p.EffectSizeDz = ptr(p.MeanDiff / sd)
	}
	return p
}

// Unpaired compares every PRE score with every POST score, pairs or not.
type Unpaired struct {
	Welch       *TTest
	MannWhitney *MannWhitney
}

// CompareUnpaired is R's t.test(post, pre) (Welch) and wilcox.test(post, pre)
// on the finite values of each sample.
func CompareUnpaired(pre, post []float64) Unpaired {
	pre, post = finite(pre), finite(post)
	welch, _ := welchT(post, pre)
	return Unpaired{Welch: welch, MannWhitney: rankSum(post, pre)}
}

func isFinite(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}
