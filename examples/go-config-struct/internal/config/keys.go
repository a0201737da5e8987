package config

// The environment variables that override the defaults.
const (
	EnvServerListenAddr = "SVC_SERVER_LISTENADDR"
	EnvServerPort       = "SVC_SERVER_PORT"
	EnvServerSSLPort    = "SVC_SERVER_SSL_PORT"
	EnvGreeting         = "SVC_GREETING"
)
