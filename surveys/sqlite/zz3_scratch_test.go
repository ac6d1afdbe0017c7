package sqlite

import (
	"testing"
)

func BenchmarkZZWorkshopByCode(b *testing.B) {
	s := openTest(b, b.TempDir())
	w := seed(b, s)
	b.Run("full", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.WorkshopByCode(ctx, w.Code); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("nosub", func(b *testing.B) {
		b.ReportAllocs()
		q := `SELECT w.id, w.code, w.questionnaire_id, w.title, w.date, w.partner, w.group_name, w.place,
	w.attendance, w.phase, w.owner_id, w.created_at, w.updated_at, w.version, '[]', '[]' FROM workshops w WHERE w.code = ?`
		for b.Loop() {
			row, err := s.queryRow(ctx, q, w.Code)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := scanWorkshop(row); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("idonly", func(b *testing.B) {
		b.ReportAllocs()
		q := `SELECT w.id FROM workshops w WHERE w.code = ?`
		for b.Loop() {
			row, err := s.queryRow(ctx, q, w.Code)
			if err != nil {
				b.Fatal(err)
			}
			var id string
			if err := row.Scan(&id); err != nil {
				b.Fatal(err)
			}
		}
	})
}
