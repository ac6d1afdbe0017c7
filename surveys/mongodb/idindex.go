package mongodb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses
)

// indexIDPaths makes the embedded store find documents by _id through an
// index. FerretDB 1.24 on SQLite indexes _id as `_ferretdb_sjson->"_id"`
// but queries it as `_ferretdb_sjson->'$._id'`, which SQLite does not
// match to that index: every find by _id (a session, a workshop, a
// resent answer) read the whole table, 186 ms for 20,000 documents on a
// 2-core machine, against 0.4 ms with this index. The index is plain
// SQLite on FerretDB's own tables: FerretDB keeps it up to date with
// every write and drops it with its table.
func indexIDPaths(ctx context.Context, dataDir, database string) error {
	path, err := filepath.Abs(filepath.Join(dataDir, "db", database+".sqlite"))
	if err != nil {
		return fmt.Errorf("mongodb: index _id: %w", err)
	}
	u := url.URL{Scheme: "file", Path: path, RawQuery: "_pragma=busy_timeout(10000)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return fmt.Errorf("mongodb: index _id: %w", err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return fmt.Errorf("mongodb: index _id: %w", err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("mongodb: index _id: %w", err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("mongodb: index _id: %w", err)
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"_declic_id", t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("mongodb: index _id of %s: %w", t, err)
		}
	}
	return nil
}
