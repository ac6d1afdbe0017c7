package sqlite

import (
	"testing"

	"declic/surveys"
)

// BenchmarkWorkshopResults is one workshop's results page among 100,000
// stored responses: its 250 responses read through the index, free texts
// kept, every statistic computed (the results cache is the handlers', not
// used here).
func BenchmarkWorkshopResults(b *testing.B) {
	s := pooledStore(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w := pooled.workshops[i%pooledWorkshops]
		rb := surveys.NewResultsBuilder(pooled.q)
		rb.CollectTexts = true
		if err := s.EachResponse(ctx, []string{w}, func(r *surveys.Response) error {
			rb.Add(r)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		if res := rb.Results(); res.NPre+res.NPost != perWorkshop {
			b.Fatalf("%d responses, want %d", res.NPre+res.NPost, perWorkshop)
		}
		i += 37
	}
	b.ReportMetric(b.Elapsed().Seconds()*1000/float64(b.N), "ms/workshop")
}
