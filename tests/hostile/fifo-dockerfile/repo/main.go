// go-static: a standard-library-only HTTP server, built as a static binary for scratch.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	// The working directory must be writable by the (non-root) user: record the start time there.
	if err := os.WriteFile("started.txt", []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		log.Fatalf("working directory is not writable: %v", err)
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, "hello from go-static (uid %d)\n", os.Getuid())
	})
	srv := &http.Server{Addr: ":" + port, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("go-static listening on :%s", port)
	log.Fatal(srv.ListenAndServe())
}
