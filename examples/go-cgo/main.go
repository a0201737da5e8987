// go-cgo: an HTTP server that calls a C function through cgo, so it links against glibc.
package main

/*
#include <stdio.h>

static int answer(int x) { return x * 6; }

static int format_answer(char *buf, int size, int x) {
	return snprintf(buf, size, "the answer from C is %d", answer(x));
}
*/
import "C"

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
	"unsafe"
)

func answerFromC() string {
	buf := make([]byte, 64)
	n := C.format_answer((*C.char)(unsafe.Pointer(&buf[0])), C.int(len(buf)), 7)
	return string(buf[:n])
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if err := os.WriteFile("started.txt", []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644); err != nil {
		log.Fatalf("working directory is not writable: %v", err)
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, "hello from go-cgo: %s\n", answerFromC())
	})
	srv := &http.Server{Addr: ":" + port, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("go-cgo listening on :%s", port)
	log.Fatal(srv.ListenAndServe())
}
