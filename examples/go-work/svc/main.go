package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

	"example.com/greet"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, greet.Hello("svc"))
	})
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
