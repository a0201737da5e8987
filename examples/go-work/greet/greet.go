// Package greet is a library module of the workspace: svc imports it through go.work.
package greet

import "fmt"

// Hello is the text the server answers with.
func Hello(who string) string {
	return fmt.Sprintf("Hello from %s, via the greet workspace module!", who)
}
