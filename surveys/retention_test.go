package surveys_test

import (
	"testing"
	"time"

	"declic/surveys"
)

func TestDay(t *testing.T) {
	tests := []struct {
		in   time.Time
		want time.Time
	}{
		{time.Date(2026, 3, 11, 23, 59, 59, 999, time.UTC), time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)},
		// 00:30 in Paris (UTC+1) is still the 11th in UTC.
		{time.Date(2026, 3, 12, 0, 30, 0, 0, time.FixedZone("Paris", 3600)), time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := surveys.Day(tt.in); !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("Day(%v) = %v, want %v in UTC", tt.in, got, tt.want)
		}
	}
}

func TestRetentionCutoff(t *testing.T) {
	now := time.Date(2026, 9, 15, 17, 4, 5, 0, time.UTC)
	tests := []struct {
		months int
		want   time.Time
	}{
		{0, time.Time{}},
		{-1, time.Time{}},
		{1, time.Date(2026, 8, 15, 0, 0, 0, 0, time.UTC)},
		{6, time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)},
		{24, time.Date(2024, 9, 15, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := surveys.RetentionCutoff(now, tt.months); !got.Equal(tt.want) {
			t.Errorf("RetentionCutoff(%v, %d) = %v, want %v", now, tt.months, got, tt.want)
		}
	}
}
