// go-serve-config: a standard-library server with subcommands. The root command only prints usage;
// `serve` listens on --host (127.0.0.1 by default) and the port from config.yaml, else --port.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

type config struct {
	Greeting string
	Port     int
}

// loadConfig reads key: value lines from a file in the working directory.
func loadConfig(path string, cfg *config) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "greeting":
			cfg.Greeting = value
		case "port":
			n, err := strconv.Atoi(value)
			if err != nil {
				return fmt.Errorf("port: %w", err)
			}
			cfg.Port = n
		}
	}
	return sc.Err()
}

func serve(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	port := fs.Int("port", 8090, "port to listen on (config.yaml port wins)")
	host := fs.String("host", "127.0.0.1", "address to listen on")
	_ = fs.Parse(args)
	cfg := config{Greeting: "hello", Port: *port}
	if err := loadConfig("config.yaml", &cfg); err != nil {
		log.Fatalf("config.yaml: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s (uid %d)\n", cfg.Greeting, os.Getuid())
	})
	// Everything else, the root included, is 404: a HEALTHCHECK must still count the app as up.
	addr := net.JoinHostPort(*host, strconv.Itoa(cfg.Port))
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("go-serve-config listening on %s", addr)
	log.Fatal(srv.ListenAndServe())
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go-serve-config serve|version")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2:])
	case "version":
		fmt.Println("go-serve-config 1.0.0")
	default:
		fmt.Fprintln(os.Stderr, "usage: go-serve-config serve|version")
		os.Exit(2)
	}
}
