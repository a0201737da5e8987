// The application: the framework with its defaults. Run `base serve`.
package main

import (
	"log"

	applib "example.com/go-library-example"
)

func main() {
	app := applib.New()
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
