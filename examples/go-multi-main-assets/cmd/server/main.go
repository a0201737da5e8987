// Command server serves a page rendered from ./ui/index.html, a template read relative to the
// working directory at each request (without it, / answers 500), and /healthz.
package main

import (
	"flag"
	"fmt"
	"html/template"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

func main() {
	port := flag.Int("port", 9898, "HTTP port")
	host := flag.String("host", "", "address to bind (all by default)")
	uiPath := flag.String("ui-path", "./ui", "directory holding the page templates")
	flag.Parse()

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		page, err := template.ParseFiles(filepath.Join(*uiPath, "index.html"))
		if err != nil {
			http.Error(w, "no templates: "+err.Error(), http.StatusInternalServerError)
			return
		}
		_ = page.Execute(w, map[string]any{"UID": os.Getuid()})
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	addr := net.JoinHostPort(*host, strconv.Itoa(*port))
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("server listening on %s", addr)
	log.Fatal(srv.ListenAndServe())
}
