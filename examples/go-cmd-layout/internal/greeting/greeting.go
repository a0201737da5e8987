// Package greeting holds the text both commands share.
package greeting

import "fmt"

// Message is the body the API serves on /.
func Message(service string) string {
	return fmt.Sprintf("hello from go-cmd-layout/%s", service)
}
