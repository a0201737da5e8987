// go-vendored: an HTTP server whose one dependency is vendored, so it builds without a module proxy.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/greeting"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintln(w, greeting.Hello("go-vendored"))
	})
	srv := &http.Server{Addr: ":" + port, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("go-vendored listening on :%s", port)
	log.Fatal(srv.ListenAndServe())
}
