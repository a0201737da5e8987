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
