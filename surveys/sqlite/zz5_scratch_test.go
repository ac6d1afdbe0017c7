package sqlite

import (
	"testing"
)

func BenchmarkZZSize(b *testing.B) {
	s := pooledStore(b)
	rows, err := s.rdb.Query("SELECT name, count(*), sum(pgsize), sum(unused), sum(payload) FROM dbstat GROUP BY name ORDER BY 3 DESC")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var name string
		var n, size, unused, payload int64
		rows.Scan(&name, &n, &size, &unused, &payload)
		b.Logf("%-30s pages %6d  %6.1f MB  unused %5.1f MB payload %5.1f MB", name, n, float64(size)/1e6, float64(unused)/1e6, float64(payload)/1e6)
	}
	var avg float64
	s.rdb.QueryRow("SELECT avg(length(answers)), avg(length(participant)+length(code_parts)+ifnull(length(device),0)+length(id)+length(submission_id)+length(workshop_id)) FROM responses").Scan(&avg)
	b.Logf("avg answers blob %.0f bytes", avg)
	for b.Loop() {
	}
}
