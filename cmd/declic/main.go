// Command declic serves Déclic: the pupil form, the facilitator pages and
// the JSON API, on an embedded store or a real MongoDB.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "declic:", err)
		os.Exit(1)
	}
}
