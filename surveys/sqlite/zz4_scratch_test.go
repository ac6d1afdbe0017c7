package sqlite

import (
	"runtime"
	"testing"

	"declic/surveys"
)

func BenchmarkZZLive(b *testing.B) {
	s := pooledStore(b)
	for b.Loop() {
		rb := surveys.NewResultsBuilder(pooled.q)
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		s.EachResponse(ctx, pooled.workshops, func(r *surveys.Response) error { rb.Add(r); return nil })
		runtime.GC()
		runtime.ReadMemStats(&m1)
		b.Logf("live builder after Add: %d MB (heap %d→%d MB)", (int64(m1.HeapAlloc)-int64(m0.HeapAlloc))>>20, m0.HeapAlloc>>20, m1.HeapAlloc>>20)
		rb.Results()
		runtime.KeepAlive(rb)
	}
}
