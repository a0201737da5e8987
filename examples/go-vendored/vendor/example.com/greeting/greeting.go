// Package greeting is a small module vendored into go-vendored (vendor/modules.txt).
package greeting

import "strings"

// Hello greets name in a fixed format.
func Hello(name string) string {
	return "hello from " + strings.TrimSpace(name) + " (vendored greeting v0.3.0)"
}
