package surveys

import (
	"context"
	"time"
)

// Day is t's calendar day at UTC midnight: the only time kept with a
// pupil's answers.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// RetentionCutoff is the first day whose answers are still kept when answers
// are kept for months months: answers stored before it are purged.
// months <= 0 keeps everything and gives the zero time.
func RetentionCutoff(now time.Time, months int) time.Time {
	if months <= 0 {
		return time.Time{}
	}
	return Day(now).AddDate(0, -months, 0)
}

// PurgeExpired deletes the answers older than months months at now; with
// months <= 0 it keeps everything.
func PurgeExpired(ctx context.Context, s Store, now time.Time, months int) (int64, error) {
	if months <= 0 {
		return 0, nil
	}
	return s.PurgeResponses(ctx, RetentionCutoff(now, months).Format(time.DateOnly))
}
