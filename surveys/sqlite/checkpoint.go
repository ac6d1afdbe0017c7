package sqlite

import (
	"database/sql"
	"sync"
	"time"
)

// checkpointInterval is the least time between two background
// checkpoints: each one fsyncs the database file, so under load they copy
// many commits' frames at once.
const checkpointInterval = 50 * time.Millisecond

// writerCheckpointPages is the writer's own automatic checkpoint
// threshold (wal_autocheckpoint), above SQLite's 1,000: the background
// checkpoints have copied most frames by the time the writer runs one, and
// the writer's, run between two of its transactions, is what lets SQLite
// start the WAL over.
const writerCheckpointPages = 4000

// checkpointer copies committed frames from the WAL into the database
// file on a connection of its own, beside the writer (a PASSIVE checkpoint
// waits for nobody). Done by the writer, that copy and its fsync held every
// answer of the next batch; with 16 goroutines answering, the store took
// 1.3 to 1.6 times as many answers a second with it here (alternating the
// two every quarter of a second, three runs). A failed
// checkpoint changes nothing durable: the frames stay in the WAL, and the
// writer's own checkpoints still run.
type checkpointer struct {
	db   *sql.DB
	kick chan struct{}
	stop chan struct{}
	done chan struct{}

	// What the last checkpoint did, for tests.
	mu             sync.Mutex
	runs           int
	frames, copied int // frames in the WAL, and copied into the database
	err            error
}

func startCheckpointer(db *sql.DB) *checkpointer {
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	c := &checkpointer{db: db, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

// poke tells the checkpointer that a transaction committed; it never waits.
func (c *checkpointer) poke() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) loop() {
	defer close(c.done)
	for {
		select {
		case <-c.stop:
			return
		case <-c.kick:
		}
		var busy, frames, copied int
		err := c.db.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
		c.mu.Lock()
		c.runs, c.frames, c.copied, c.err = c.runs+1, frames, copied, err
		c.mu.Unlock()
		select {
		case <-c.stop:
			return
		case <-time.After(checkpointInterval):
		}
	}
}

// close stops the checkpointer and closes its connection.
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.db.Close()
}
