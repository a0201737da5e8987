// go-sibling-ui: a standard-library-only server in server/ whose web UI is compiled into the binary.
// web/dist is written by the build of ../ui (a sibling folder, not inside this module), never
// committed: without that build, `go build` fails ("pattern web/dist: no matching files found").
package main

import (
	"embed"
	"io/fs"
	"log"
	"net/http"
	"os"
	"time"
)

//go:embed web/dist
var built embed.FS

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	ui, err := fs.Sub(built, "web/dist")
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"hello":"go-sibling-ui"}` + "\n"))
	})
	mux.Handle("/", http.FileServer(http.FS(ui)))
	srv := &http.Server{Addr: ":" + port, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("go-sibling-ui listening on :%s", port)
	log.Fatal(srv.ListenAndServe())
}
