// Command migrate is a one-shot job next to the API: a second main package that does not serve, so
// dockgen builds cmd/api even without --main (dockgen.toml names it anyway).
package main

import (
	"fmt"

	"github.com/dockgen-examples/go-cmd-layout/internal/greeting"
)

func main() {
	fmt.Println(greeting.Message("migrate"), "- nothing to migrate")
}
