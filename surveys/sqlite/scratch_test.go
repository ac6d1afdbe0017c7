package sqlite

import (
	"encoding/json"
	"testing"
	"strings"
)

func BenchmarkScratch(b *testing.B) {
	s := pooledStore(b)
	list, _ := json.Marshal(pooled.workshops)
	where := " FROM responses WHERE workshop_id IN (SELECT value FROM json_each(?)) ORDER BY workshop_id, id"
	for _, q := range []string{
		"SELECT length(answers)" + where,
		"SELECT answers" + where,
		"SELECT answers, texts" + where,
		strings.TrimSuffix(responseRead, "\nFROM responses") + " " + where,
		"SELECT " + responseColumns + where,
		"SELECT answers, texts, concat_ws(char(31), workshop_id, id, phase, participant, ifnull(code_parts, ''), ifnull(device, ''), source, day, ifnull(flags, ''), excluded, submission_id)" + where,
		"SELECT answers, texts, concat_ws('\x1f', workshop_id, id, phase, participant, code_parts, device, source, day, flags, excluded, submission_id)" + where,
		"SELECT answers, texts, participant, code_parts, device, flags, phase, excluded, day, workshop_id, id, submission_id" + where,
	} {
		b.Run(q[:30], func(b *testing.B) {
			for b.Loop() {
				rows, err := s.rdb.Query(q, string(list))
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				cols, _ := rows.Columns()
				dest := make([]any, len(cols))
				for i := range dest {
					var x any
					dest[i] = &x
				}
				for rows.Next() {
					rows.Scan(dest...)
					n++
				}
				rows.Close()
				if n != 100000 {
					b.Fatal(n)
				}
			}
		})
	}
}
