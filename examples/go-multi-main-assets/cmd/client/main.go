// Command client is a CLI for the server: it fetches a URL and prints the status. It is a second
// main package, and it does not serve, so dockgen builds cmd/server.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	target := flag.String("target", "localhost:443", "host:port of the server to check")
	flag.Parse()
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("https://" + *target + "/healthz")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status)
}
