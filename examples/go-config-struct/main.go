// go-config-struct: a service whose port is a default in its config package (8070), overridden by
// SVC_SERVER_PORT; the TLS port (8443) belongs to a listener that is off by default. It serves by
// default; `serve` says so explicitly and `version` prints the version.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"example.com/go-config-struct/internal/config"
)

func main() {
	fs := flag.NewFlagSet("svc", flag.ExitOnError)
	_ = fs.Parse(os.Args[1:])
	switch fs.Arg(0) {
	case "serve", "":
		serve()
	case "version":
		fmt.Println("1.0.0")
	default:
		log.Fatalf("unknown command %q", fs.Arg(0))
	}
}

func serve() {
	cfg, err := config.Get()
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s (uid %d)\n", cfg.Greeting, os.Getuid())
	})
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, `{"health":"green"}`)
	})
	addr := net.JoinHostPort(cfg.Server.ListenAddr, strconv.Itoa(cfg.Server.Port))
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("listening on %s", addr)
	log.Fatal(srv.ListenAndServe())
}
