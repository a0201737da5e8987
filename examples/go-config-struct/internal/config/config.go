// Package config holds the service's settings: defaults in a struct literal, each overridable by
// an environment variable named in keys.go.
package config

import (
	"fmt"
	"os"
	"strconv"
)

// SSL is the optional TLS listener.
type SSL struct {
	Enabled bool
	Port    int
}

// Server is the HTTP listener.
type Server struct {
	ListenAddr string
	Port       int
	SSL        SSL
}

// Configuration is everything the service reads.
type Configuration struct {
	Server   Server
	Greeting string
}

// Get returns the defaults with the environment's overrides applied.
func Get() (*Configuration, error) {
	c := &Configuration{
		Server: Server{
			Port: 8070,
			SSL: SSL{
				Port: 8443,
			},
		},
		Greeting: "hello from go-config-struct",
	}
	for _, err := range []error{
		parseString(&c.Server.ListenAddr, EnvServerListenAddr),
		parseInt(&c.Server.Port, EnvServerPort),
		parseInt(&c.Server.SSL.Port, EnvServerSSLPort),
		parseString(&c.Greeting, EnvGreeting),
	} {
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

func parseString(dst *string, env string) error {
	if v, ok := os.LookupEnv(env); ok {
		*dst = v
	}
	return nil
}

func parseInt(dst *int, env string) error {
	v, ok := os.LookupEnv(env)
	if !ok {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return fmt.Errorf("%s: %w", env, err)
	}
	*dst = n
	return nil
}
