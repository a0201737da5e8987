// Command gen prints the route table the router package registers by default: a build-time tool,
// a second main package of the module that does not serve.
package main

import (
	"fmt"

	"example.com/go-library-example/internal/router"
)

func main() {
	r := router.New()
	fmt.Printf("%T\n", r.Mux)
}
