// Command api serves the HTTP API of go-cmd-layout.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/dockgen-examples/go-cmd-layout/internal/greeting"
)

func main() {
	port := "9090"
	if p := os.Getenv("PORT"); p != "" {
		port = p
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintln(w, greeting.Message("api"))
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	srv := &http.Server{Addr: ":" + port, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("api listening on :%s", port)
	log.Fatal(srv.ListenAndServe())
}
