// go-embed-ui: a standard-library-only server whose web UI is compiled into the binary.
// ui/dist is written by the UI's own build (`npm run build` in ui/, esbuild), never committed:
// without that build, `go build` fails ("pattern ui/dist: no matching files found").
package main

import (
	"embed"
	"io/fs"
	"log"
	"net/http"
	"os"
	"time"
)

//go:embed ui/dist
var built embed.FS

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	ui, err := fs.Sub(built, "ui/dist")
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"hello":"go-embed-ui"}` + "\n"))
	})
	mux.Handle("/", http.FileServer(http.FS(ui)))
	srv := &http.Server{Addr: ":" + port, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("go-embed-ui listening on :%s", port)
	log.Fatal(srv.ListenAndServe())
}
