// go-config-required: a dashboard that will not start without its config file. --config defaults
// to app.yml in the working directory; the repository ships the starting one as docs/app.yml.
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
	Server struct {
		Host string
		Port int
	}
	Title string
}

func load(path string) (*config, error) {
	var cfg config
	cfg.Server.Port = 8075
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || strings.HasPrefix(strings.TrimSpace(key), "#") {
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "title":
			cfg.Title = value
		case "port":
			n, err := strconv.Atoi(value)
			if err != nil {
				return nil, fmt.Errorf("port: %w", err)
			}
			cfg.Server.Port = n
		}
	}
	return &cfg, sc.Err()
}

func main() {
	configPath := flag.String("config", "app.yml", "Set config path")
	flag.Parse()
	cfg, err := load(*configPath)
	if err != nil {
		log.Fatalf("config: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s (uid %d)\n", cfg.Title, os.Getuid())
	})
	mux.HandleFunc("GET /api/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	addr := net.JoinHostPort(cfg.Server.Host, strconv.Itoa(cfg.Server.Port))
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("listening on %s", addr)
	log.Fatal(srv.ListenAndServe())
}
