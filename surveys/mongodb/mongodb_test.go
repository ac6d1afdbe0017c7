package mongodb_test

import (
	"testing"
	"time"

	"declic/surveys"
	"declic/surveys/mongodb/mongotest"
	"declic/surveys/storetest"
)

// TestConformance runs the suite every store passes, on a FerretDB this
// test starts (MongoDB's wire protocol on SQLite files), or on a real
// MongoDB when TEST_MONGODB_URI is set; each subtest gets a new database.
func TestConformance(t *testing.T) {
	srv := mongotest.Start(t)
	storetest.Run(t, func(t *testing.T, now func() time.Time) surveys.Store {
		return mongotest.Open(t, srv, now)
	})
}
