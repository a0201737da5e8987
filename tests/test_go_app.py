"""Go: reading the chosen main package — port, bind, subcommand, config files; --main anywhere."""

from __future__ import annotations

import pytest

import dockgen
from dockgen.detectors.errors import UsageError
from support.lint import assert_clean
from support.tree import write_tree


def gomod(module: str = "example.com/app") -> str:
    return f"module {module}\n\ngo 1.22\n"


def plan(tmp_path, files, **opts):
    write_tree(tmp_path, files)
    return dockgen.plan(tmp_path, stack="go", **opts)


def runner(p):
    return p.plan.stages[-1].instructions


def env(p) -> dict[str, str]:
    return dict(next(i for i in runner(p) if i.kind == "env").pairs)


def cmd(p):
    return next((i.argv for i in runner(p) if i.kind == "cmd"), None)


FLAG_MAIN = '''package main

import (
	"flag"
	"net/http"
)

func main() {
	port := flag.Int("port", 8090, "port")
	flag.Parse()
	_ = port
	_ = http.ListenAndServe(":1234", nil)
}
'''


def test_flag_default_beats_listen_literal_and_port_is_set(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": FLAG_MAIN})
    assert p.plan.port == 8090 and env(p)["PORT"] == "8090"
    assert "port 8090 (from main.go line 9 flag --port)" in p.dockerfile
    assert cmd(p) is None
    assert_clean(p.dockerfile)


def test_port_option_is_passed_to_the_port_flag(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": FLAG_MAIN}, port=9000)
    assert cmd(p) == ("--port", "9000") and env(p)["PORT"] == "9000"


def test_viper_default_in_an_imported_internal_package(tmp_path):
    files = {"go.mod": gomod(),
             "cmd/app/main.go": 'package main\n\nimport "example.com/app/internal/config"\n\nfunc main() { config.Load() }\n',
             "internal/config/config.go": 'package config\n\nimport "github.com/spf13/viper"\n\n'
                                          'func Load() { viper.SetDefault("server.port", 9898) }\n'}
    p = plan(tmp_path, files)
    assert p.plan.port == 9898 and "internal/config/config.go line 5 SetDefault server.port" in p.dockerfile


def test_port_comes_from_the_chosen_main_only(tmp_path):
    files = {"go.mod": gomod(),
             "cmd/server/main.go": 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":9898", nil) }\n',
             "cmd/cli/check.go": 'package main\n\nconst target = "localhost:443"\n\nfunc main() {}\n'}
    assert plan(tmp_path, files, main="cmd/server").plan.port == 9898


def test_loopback_env_address_is_overridden(tmp_path):
    main = ('package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\nfunc main() {\n\taddr := os.Getenv("LISTEN_ADDR")\n'
            '\tif addr == "" {\n\t\taddr = "127.0.0.1:8080"\n\t}\n\t_ = http.ListenAndServe(addr, nil)\n}\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": main})
    assert env(p) == {"PORT": "8080", "LISTEN_ADDR": "0.0.0.0:8080"}


def test_a_name_that_only_contains_port_is_not_the_port_variable(tmp_path):
    # wakapi: WAKAPI_IMPORT_HOSTS_WHITELIST holds "PORT" inside "IMPORT" and "HOST" inside "HOSTS";
    # setting it to the port would silently change the app's settings.
    main = ('package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\nfunc main() {\n'
            '\t_ = os.Getenv("APP_IMPORT_HOSTS_WHITELIST")\n\tport := os.Getenv("APP_PORT")\n'
            '\tif port == "" {\n\t\tport = "3000"\n\t}\n\t_ = http.ListenAndServe(":"+port, nil)\n}\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": main})
    assert env(p) == {"PORT": "3000", "APP_PORT": "3000"}
    assert p.plan.port == 3000


def test_a_tagged_loopback_address_field_is_overridden_through_its_variable(tmp_path):
    # wakapi (configor): the listen address defaults to loopback in a struct tag that names its variable.
    cfg = ('package main\n\ntype Server struct {\n\tPort int `default:"3000" env:"APP_PORT"`\n'
           '\tListenIpV4 string `yaml:"listen_ipv4" default:"127.0.0.1" env:"APP_LISTEN_IPV4"`\n'
           '\tMetricsHost string `default:"127.0.0.1" env:"APP_METRICS_HOST"`\n}\n')
    main = ('package main\n\nimport "net/http"\n\nfunc main() {\n\tvar s Server\n'
            '\t_ = http.ListenAndServe(s.ListenIpV4, nil)\n}\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": main, "config.go": cfg})
    assert env(p) == {"PORT": "3000", "APP_PORT": "3000", "APP_LISTEN_IPV4": "0.0.0.0"}


def test_loopback_flag_address_gets_the_flag(tmp_path):
    main = ('package main\n\nimport "github.com/spf13/cobra"\n\nvar addr string\n\nfunc main() {\n'
            '\troot := &cobra.Command{Use: "fb", RunE: func(c *cobra.Command, a []string) error { return nil }}\n'
            '\troot.Flags().StringVarP(&addr, "address", "a", "127.0.0.1", "address")\n'
            '\troot.Flags().IntP("port", "p", 8080, "port")\n\t_ = root.Execute()\n}\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": main})
    assert cmd(p) == ("--address", "0.0.0.0") and p.plan.port == 8080


COBRA = '''package main

import "github.com/spf13/cobra"

var rootCmd = &cobra.Command{Use: "app", Short: "does things"}

var serveCmd = &cobra.Command{
	Use:   "serve",
	RunE: func(cmd *cobra.Command, args []string) error { return nil },
}

var migrateCmd = &cobra.Command{Use: "migrate", Run: func(cmd *cobra.Command, args []string) {}}

func main() {
	rootCmd.AddCommand(serveCmd, migrateCmd)
	serveCmd.Flags().Int("port", 8090, "port")
	_ = rootCmd.Execute()
}
'''


def test_cobra_root_without_run_gets_serve(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": COBRA})
    assert cmd(p) == ("serve",) and "subcommand serve" in p.dockerfile and p.plan.port == 8090


def test_several_serving_subcommands_are_refused_with_the_choices(tmp_path):
    src = COBRA.replace('Use: "migrate"', 'Use: "run"')
    with pytest.raises(UsageError, match="several could serve: serve, run"):
        plan(tmp_path, {"go.mod": gomod(), "main.go": src})
    p = dockgen.plan(tmp_path, stack="go", command=["/usr/local/bin/app", "run"])
    assert cmd(p) is None


def test_urfave_app_without_action(tmp_path):
    main = ('package main\n\nimport (\n\t"os"\n\t"github.com/urfave/cli/v2"\n)\n\nfunc main() {\n'
            '\tapp := &cli.App{\n\t\tName: "svc",\n\t\tCommands: []*cli.Command{\n'
            '\t\t\t{Name: "server", Action: func(c *cli.Context) error { return nil }},\n'
            '\t\t\t{Name: "version", Action: func(c *cli.Context) error { return nil }},\n\t\t},\n\t}\n'
            '\t_ = app.Run(os.Args)\n}\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": main})
    assert cmd(p) == ("server",)


GOFLAGS_MAIN = ('package main\n\nimport (\n\t"os"\n\t"github.com/jessevdk/go-flags"\n)\n\n'
                'type Opts struct {\n\tServerCmd ServerCommand `command:"server" description:"run"`\n'
                '\tBackupCmd BackupCommand `command:"backup"`\n\tDbg bool `long:"dbg"`\n}\n\n'
                'func main() {\n\tvar opts Opts\n\tp := flags.NewParser(&opts, flags.Default)\n%s'
                '\tif _, err := p.Parse(); err != nil {\n\t\tos.Exit(1)\n\t}\n}\n')


def test_go_flags_commands_need_the_serving_one(tmp_path):
    """remark42: an options struct with `command:"server"` fields; go-flags requires a command."""
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": GOFLAGS_MAIN % ""})
    assert cmd(p) == ("server",)
    optional = plan(tmp_path / "o", {"go.mod": gomod(), "main.go": GOFLAGS_MAIN % "\tp.SubcommandsOptional = true\n"})
    assert cmd(optional) is None


def test_config_file_from_cwd_is_copied_and_its_port_read(tmp_path):
    main = ('package main\n\nimport "os"\n\nfunc main() {\n\t_, _ = os.ReadFile("config.yaml")\n'
            '\t_, _ = os.ReadFile(".env.example")\n}\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": main, "config.yaml": "name: x\nport: 7070\n",
                        ".env.example": "PORT=1\n"})
    copies = [i for i in runner(p) if i.kind == "copy" and i.from_stage is None]
    assert [(c.sources, c.dest) for c in copies] == [(("config.yaml",), "./config.yaml")]
    assert p.plan.port == 7070 and "from config.yaml line 2" in p.dockerfile
    assert_clean(p.dockerfile)


def test_main_may_be_any_package_main_directory(tmp_path):
    files = {"go.mod": gomod(), "main.go": "package app\n",
             "examples/base/main.go": 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8090", nil) }\n'}
    p = plan(tmp_path, files, main="examples/base")
    assert p.plan.port == 8090 and "./examples/base" in p.dockerfile
    with pytest.raises(UsageError, match=r"found: \./examples/base"):
        plan(tmp_path, files, main="nope")


def test_optional_version_switch_needs_no_subcommand(tmp_path):
    main = ('package main\n\nimport (\n\t"fmt"\n\t"net/http"\n\t"os"\n)\n\nfunc main() {\n'
            '\tif len(os.Args) > 1 {\n\t\tswitch os.Args[1] {\n\t\tcase "version":\n\t\t\tfmt.Println("1")\n'
            '\t\t\treturn\n\t\t}\n\t}\n\t_ = http.ListenAndServe(":8080", nil)\n}\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": main})
    assert cmd(p) is None


# ---- several main packages: the one that serves -------------------------------------------------

SERVER = ('package main\n\nimport (\n\t"flag"\n\t"net/http"\n)\n\nfunc main() {\n'
          '\tport := flag.Int("port", 9898, "port")\n\tflag.Parse()\n\t_ = port\n'
          '\tmux := http.NewServeMux()\n\t_ = http.ListenAndServe(":9898", mux)\n}\n')
CLIENT = ('package main\n\nimport (\n\t"flag"\n\t"net/http"\n)\n\nfunc main() {\n'
          '\ttarget := flag.String("target", "localhost:443", "server")\n\tflag.Parse()\n'
          '\t_, _ = http.Get("https://" + *target)\n}\n')


def test_of_several_mains_the_one_that_serves_is_built(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(), "cmd/podcli/main.go": CLIENT, "cmd/server/main.go": SERVER})
    assert "./cmd/server" in p.dockerfile and p.plan.port == 9898
    assert "the one that serves (cmd/server/main.go line 12 http.NewServeMux); not ./cmd/podcli" in p.dockerfile


def test_several_serving_mains_are_refused_listing_them(tmp_path):
    files = {"go.mod": gomod(), "cmd/a/main.go": SERVER, "cmd/b/main.go": SERVER, "cmd/c/main.go": CLIENT}
    with pytest.raises(UsageError, match=r"several main packages: \./cmd/a, \./cmd/b all serve; the others do not: "
                                         r"\./cmd/c"):
        plan(tmp_path, files)


def test_mains_that_do_not_serve_are_refused(tmp_path):
    with pytest.raises(UsageError, match=r"\./cmd/a, \./cmd/b, and none of them serves"):
        plan(tmp_path, {"go.mod": gomod(), "cmd/a/main.go": CLIENT, "cmd/b/main.go": CLIENT})


# A library module (pocketbase's shape, written with cobra): no main in the root or cmd/; the app in
# examples/base imports the root package, whose RootCmd field has no Run; `serve` lives in cmd/.
LIB_ROOT = '''package app

import (
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"example.com/app/cmd"
)

type App struct{ RootCmd *cobra.Command }

func New() *App {
	a := &App{RootCmd: &cobra.Command{Use: filepath.Base(os.Args[0])}}
	a.RootCmd.AddCommand(cmd.NewServeCommand())
	a.RootCmd.AddCommand(cmd.NewAdminCommand())
	return a
}

func (a *App) Start() error { return a.RootCmd.Execute() }
'''
LIB_SERVE = '''package cmd

import (
	"net/http"

	"github.com/spf13/cobra"
)

func NewServeCommand() *cobra.Command {
	var httpAddr string
	command := &cobra.Command{
		Use: "serve [domain(s)]",
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				if httpAddr == "" {
					httpAddr = "0.0.0.0:80"
				}
			} else {
				if httpAddr == "" {
					httpAddr = "127.0.0.1:8090"
				}
			}
			srv := &http.Server{Addr: httpAddr}
			return srv.ListenAndServe()
		},
	}
	command.PersistentFlags().StringVar(&httpAddr, "http", "", "TCP address to listen on")
	return command
}

func NewAdminCommand() *cobra.Command {
	command := &cobra.Command{Use: "admin"}
	command.AddCommand(&cobra.Command{Use: "run", Run: func(c *cobra.Command, a []string) {}})
	return command
}
'''
LIB_FILES = {"go.mod": gomod(), "app.go": LIB_ROOT, "cmd/serve.go": LIB_SERVE,
             "examples/base/main.go": 'package main\n\nimport app "example.com/app"\n\nfunc main() { _ = app.New().Start() }\n',
             "tools/gen/main.go": 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("generated") }\n'}


def test_library_module_app_found_anywhere_runs_serve_bound_to_all(tmp_path):
    p = plan(tmp_path, LIB_FILES)
    assert "main package ./examples/base (from examples/base package main, the one that serves" in p.dockerfile
    assert cmd(p) == ("serve", "--http", "0.0.0.0:8090") and p.plan.port == 8090
    assert "subcommand serve: the root command only prints help (from app.go line 14 cobra command without Run; " \
           "subcommands: serve, admin)" in p.dockerfile
    assert_clean(p.dockerfile)


def test_fallback_only_taken_outside_the_positional_arguments_branch(tmp_path):
    src = LIB_SERVE.replace('httpAddr = "127.0.0.1:8090"', 'httpAddr = "127.0.0.1:7000"')
    p = plan(tmp_path, {**LIB_FILES, "cmd/serve.go": src})
    assert p.plan.port == 7000 and cmd(p) == ("serve", "--http", "0.0.0.0:7000")


def test_main_option_still_accepts_a_non_serving_package(tmp_path):
    p = plan(tmp_path, LIB_FILES, main="tools/gen")
    assert "./tools/gen" in p.dockerfile and cmd(p) is None


# shiori's shape: `serve` is a deprecated copy of `server` (the same handler); both could serve.
SHIORI = '''package main

import "github.com/spf13/cobra"

func RootCmd() *cobra.Command {
	rootCmd := &cobra.Command{Use: "app", Short: "bookmarks"}
	rootCmd.AddCommand(addCmd(), serveCmd(), newServerCommand())
	return rootCmd
}

func addCmd() *cobra.Command {
	return &cobra.Command{Use: "add url", Run: func(c *cobra.Command, a []string) {}}
}

func serveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:        "serve",
		Deprecated: "use server instead",
		Run:        newServerCommandHandler(),
	}
	cmd.Flags().IntP("port", "p", 8080, "Port used by the server")
	return cmd
}

func newServerCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use: "server",
		Run: newServerCommandHandler(),
	}
	cmd.Flags().IntP("port", "p", 8080, "Port used by the server")
	return cmd
}

func newServerCommandHandler() func(*cobra.Command, []string) { return nil }

func main() { _ = RootCmd().Execute() }
'''


def test_deprecated_serve_next_to_server_leaves_server(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": SHIORI})
    assert cmd(p) == ("server",)
    assert "not serve: deprecated (main.go line 16 cobra command serve)" in p.dockerfile


def test_same_handler_counts_once_and_aliases_collapse(tmp_path):
    same = SHIORI.replace('\t\tDeprecated: "use server instead",\n', "")
    assert cmd(plan(tmp_path / "a", {"go.mod": gomod(), "main.go": same})) == ("serve",)
    alias = same.replace('Use: "server",', 'Use: "server",\n\t\tAliases: []string{"serve"},').replace(
        "Run:        newServerCommandHandler(),", "Run: func(c *cobra.Command, a []string) {},")
    p = plan(tmp_path / "b", {"go.mod": gomod(), "main.go": alias})
    assert cmd(p) == ("server",) and "serve: an alias of another subcommand" in p.dockerfile


# filebrowser's shape: the root (rootCmd, RunE, executed) serves; a `users` group without Run is
# added to it from another file.
FB_ROOT = '''package cmd

import "github.com/spf13/cobra"

func init() {
	rootCmd.Flags().StringP("address", "a", "127.0.0.1", "address to listen on")
	rootCmd.Flags().StringP("port", "p", "8080", "port to listen on")
}

var rootCmd = &cobra.Command{
	Use:  "fb",
	RunE: withStore(func(c *cobra.Command, a []string) error { return nil }),
}

func Execute() error { return rootCmd.Execute() }
'''
FB_USERS = '''package cmd

import "github.com/spf13/cobra"

func init() { rootCmd.AddCommand(usersCmd) }

var usersCmd = &cobra.Command{Use: "users", Short: "Users management utility"}
'''


def test_root_command_is_the_executed_one(tmp_path):
    files = {"go.mod": gomod(), "main.go": 'package main\n\nimport "example.com/app/cmd"\n\nfunc main() { _ = cmd.Execute() }\n',
             "cmd/root.go": FB_ROOT, "cmd/users.go": FB_USERS}
    p = plan(tmp_path, files)
    assert cmd(p) == ("--address", "0.0.0.0") and p.plan.port == 8080


def test_root_whose_run_only_prints_help_needs_a_subcommand(tmp_path):
    src = COBRA.replace('Short: "does things"}', 'Run: func(cmd *cobra.Command, args []string) { cmd.Help() }}')
    assert cmd(plan(tmp_path, {"go.mod": gomod(), "main.go": src})) == ("serve",)


# ---- configuration defaults ---------------------------------------------------------------------

GOTIFY_CONFIG = '''package config

const (
	EnvServerPort    = "SVC_SERVER_PORT"
	EnvServerSSLPort = "SVC_SERVER_SSL_PORT"
)

func Get() *Configuration {
	c := &Configuration{
		Server: Server{
			Port: 80,
			SSL: SSL{
				Port: 443,
			},
		},
	}
	parseInt(&c.Server.SSL.Port, EnvServerSSLPort)
	parseInt(&c.Server.Port, EnvServerPort)
	return c
}
'''
IMPORTS_CONFIG = ('package main\n\nimport (\n\t"net/http"\n\n\t"example.com/app/config"\n)\n\n'
                  'func main() { _ = config.Get(); _ = http.ListenAndServe("", nil) }\n')


def test_config_literal_default_and_its_variable(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": IMPORTS_CONFIG, "config/config.go": GOTIFY_CONFIG})
    assert p.plan.port == 80 and env(p) == {"PORT": "80", "SVC_SERVER_PORT": "80"}
    assert "port 80 (from config/config.go line 11 Port: 80)" in p.dockerfile
    assert any("below 1024" in w and "--port 8080" in w for w in p.plan.warnings)
    moved = plan(tmp_path, {}, port=8080)
    assert env(moved) == {"PORT": "8080", "SVC_SERVER_PORT": "8080"}
    assert not any("below 1024" in w for w in moved.plan.warnings)


def test_config_literal_default_in_a_string_field(tmp_path):
    """pocket-id: `Port string `env:"PORT"`` with its default in a constructor: `Port: "1411",`."""
    cfg = ('package config\n\ntype Schema struct {\n\tPort string `env:"PORT"`\n\tActorsPort string `env:"ACTORS_PORT"`\n}\n\n'
           'func Get() Schema {\n\treturn Schema{\n\t\tPort:       "1411",\n\t\tActorsPort: "1414",\n\t}\n}\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": IMPORTS_CONFIG, "config/config.go": cfg})
    assert p.plan.port == 1411 and "config/config.go line 10 Port: 1411" in p.dockerfile


def test_struct_tag_default_gets_the_loaders_prefix(tmp_path):
    cfg = ('package config\n\nimport "github.com/sethvargo/go-envconfig"\n\ntype Http struct {\n'
           '\tPort    int    `env:"HTTP_PORT,default=8070"`\n\tDBPort  int    `env:"DB_PORT,default=5432"`\n}\n\n'
           'var l = envconfig.PrefixLookuper("APP_", envconfig.OsLookuper())\n\nfunc Get() *Http { return nil }\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": IMPORTS_CONFIG, "config/config.go": cfg})
    assert p.plan.port == 8070 and env(p) == {"PORT": "8070", "APP_HTTP_PORT": "8070"}


def test_other_listeners_ports_and_variables_are_not_the_servers(tmp_path):
    main = ('package main\n\nimport (\n\t"flag"\n\t"net/http"\n\t"os"\n)\n\nfunc main() {\n'
            '\tflag.Int("metrics-port", 9100, "")\n\tflag.Int("grpc-port", 9000, "")\n'
            '\t_ = os.Getenv("APP_PG_PORT")\n\tflag.String("metrics-addr", "127.0.0.1:9101", "")\n'
            '\tflag.Int("port", 8000, "")\n\t_ = http.ListenAndServe("", nil)\n}\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": main})
    assert p.plan.port == 8000 and env(p) == {"PORT": "8000"} and cmd(p) is None


# ---- files next to the binary, health route, writable home --------------------------------------


def test_asset_dirs_are_copied_and_not_ignored(tmp_path):
    main = ('package main\n\nimport (\n\t"flag"\n\t"net/http"\n)\n\nfunc main() {\n'
            '\tflag.String("ui-path", "./ui", "templates")\n'
            '\thttp.Handle("/", http.FileServer(http.Dir("./dist")))\n\t_ = http.ListenAndServe(":8080", nil)\n}\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": main, "ui/index.html": "x", "dist/app.js": "x"})
    copies = [(c.sources, c.dest) for c in runner(p) if c.kind == "copy" and c.from_stage is None]
    assert copies == [(("ui",), "./ui"), (("dist",), "./dist")]
    assert "dist" not in p.dockerignore.splitlines() and "bin" in p.dockerignore.splitlines()
    assert_clean(p.dockerfile)


def test_missing_assets_are_not_copied(tmp_path):
    main = ('package main\n\nimport (\n\t"flag"\n\t"net/http"\n)\n\nfunc main() {\n'
            '\tflag.String("data-dir", "./data", "")\n\t_ = http.ListenAndServe(":8080", nil)\n}\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": main})
    assert not [c for c in runner(p) if c.kind == "copy" and c.from_stage is None]


CONFIG_FLAG = ('package main\n\nimport (\n\t"flag"\n\t"net/http"\n\t"os"\n)\n\nfunc main() {\n'
               '\tpath := flag.String("config", "app.yml", "config")\n\tflag.Parse()\n'
               '\t_, _ = os.ReadFile(*path)\n\t_ = http.ListenAndServe(":8080", nil)\n}\n')


def test_config_flag_default_found_elsewhere_is_copied_with_a_warning(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": CONFIG_FLAG, "docs/app.yml": "server:\n  port: 8075\n"})
    copies = [(c.sources, c.dest) for c in runner(p) if c.kind == "copy" and c.from_stage is None]
    assert copies == [(("docs/app.yml",), "./app.yml")] and p.plan.port == 8075
    assert any("/home/nonroot/app.yml:ro" in w and "docs/app.yml" in w for w in p.plan.warnings)


def test_config_flag_default_found_nowhere_is_a_warning(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": CONFIG_FLAG})
    assert any("./app.yml" in w and "the repository has none" in w for w in p.plan.warnings)
    optional = CONFIG_FLAG.replace("\t_, _ = os.ReadFile(*path)\n",
                                   '\tif _, err := os.Stat(viper.GetString("config")); err == nil {}\n')
    q = plan(tmp_path / "b", {"go.mod": gomod(), "main.go": optional})
    assert not any("app.yml" in w for w in q.plan.warnings)


def test_health_route_is_probed_unless_the_option_says_otherwise(tmp_path):
    main = ('package main\n\nimport "net/http"\n\nfunc main() {\n\tmux := http.NewServeMux()\n'
            '\tmux.HandleFunc("GET /api/ping", nil)\n\tmux.HandleFunc(prefixed("/healthz"), nil)\n'
            '\t_ = http.ListenAndServe(":8080", mux)\n}\n')
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": main})
    assert "GET /healthz HTTP/1.0" in p.dockerfile and "the app's health route (from main.go line 8)" in p.dockerfile
    q = dockgen.plan(tmp_path, stack="go", healthcheck="/")
    assert "GET / HTTP/1.0" in q.dockerfile and "health route" not in q.dockerfile


def test_binary_that_writes_beside_itself_lives_in_its_home(tmp_path):
    main = ('package main\n\nimport (\n\t"net/http"\n\t"os"\n\t"path/filepath"\n)\n\nfunc main() {\n'
            '\t_ = os.MkdirAll(filepath.Join(filepath.Dir(os.Args[0]), "data"), 0o755)\n'
            '\t_ = http.ListenAndServe(":8080", nil)\n}\n')
    for r, home in (("scratch", "/home/nonroot"), ("slim", "/home/app")):
        p = plan(tmp_path / r, {"go.mod": gomod(), "main.go": main}, runner=r)
        assert p.plan.stages[-1].instructions[-1].argv == (f"{home}/app",)
        assert f"-> {home}/app" in p.dockerfile and "builds paths from its executable's location" in p.dockerfile
        assert_clean(p.dockerfile)
