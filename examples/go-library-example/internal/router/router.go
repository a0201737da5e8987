// Package router wraps the standard library's ServeMux.
package router

import "net/http"

// Router holds the routes of an App.
type Router struct {
	Mux *http.ServeMux
}

// New returns an empty Router.
func New() *Router {
	return &Router{Mux: http.NewServeMux()}
}

// Handle registers a handler for a pattern ("GET /api/health", "/").
func (r *Router) Handle(pattern string, h http.HandlerFunc) {
	r.Mux.HandleFunc(pattern, h)
}
