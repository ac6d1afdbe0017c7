// Command declic-bench measures how many answers Déclic takes per second
// through its HTTP answering API, against how many response documents the
// store itself inserts per second at the same concurrency, and checks that
// every acknowledged answer is stored exactly once.
//
// By default it starts Déclic in-process on a temporary embedded store;
// -url and -mongodb point it at a Déclic already running on MongoDB.
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
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "declic-bench:", err)
		os.Exit(1)
	}
}
