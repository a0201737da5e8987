// Package applib is a small application framework: a program built on it runs `serve` to start the
// HTTP server. Without a subcommand it prints usage. Its data directory sits next to the
// executable, like frameworks that ship one self-contained binary.
package applib

import (
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/go-library-example/internal/router"
)

// App is one application: its data directory and its routes.
type App struct {
	DataDir string
	Routes  *router.Router
}

// New returns an App whose data directory is app_data next to the executable.
func New() *App {
	return &App{DataDir: filepath.Join(filepath.Dir(os.Args[0]), "app_data"), Routes: router.New()}
}

// Start runs the subcommand named on the command line.
func (a *App) Start() error {
	if len(os.Args) < 2 {
		return errors.New("usage: " + filepath.Base(os.Args[0]) + " serve|version")
	}
	switch os.Args[1] {
	case "serve":
		return a.serve(os.Args[2:])
	case "version":
		fmt.Println("1.0.0")
		return nil
	}
	return fmt.Errorf("unknown command %q", os.Args[1])
}

func (a *App) serve(argv []string) error {
	var httpAddr string
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&httpAddr, "http", "", "TCP address to listen on (default 127.0.0.1:8090, or 0.0.0.0:80 with domain arguments)")
	if err := fs.Parse(argv); err != nil {
		return err
	}
	args := fs.Args()
	if len(args) > 0 {
		if httpAddr == "" {
			httpAddr = "0.0.0.0:80"
		}
	} else {
		if httpAddr == "" {
			httpAddr = "127.0.0.1:8090"
		}
	}
	if err := os.MkdirAll(a.DataDir, 0o755); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	a.Routes.Handle("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, "hello from go-library-example (data in %s)\n", a.DataDir)
	})
	a.Routes.Handle("GET /api/health", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	srv := &http.Server{Addr: httpAddr, Handler: a.Routes.Mux, ReadHeaderTimeout: 5 * time.Second}
	fmt.Printf("listening on %s, data in %s\n", httpAddr, a.DataDir)
	return srv.ListenAndServe()
}
