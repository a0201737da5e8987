"""Options know where they came from: the header names the flag or the file and key, and a bad value
is refused naming that same place (a flag: exit 2; dockgen.toml, [tool.dockgen] or the recorded
state: exit 5 with the file). One set of validated types serves the CLI, the file and the plan.
"""

from __future__ import annotations

import json

import pytest
from support import regen as rg

import dockgen
from dockgen.generator import config, stacks
from dockgen.generator.options import Options


@pytest.fixture
def go_app(tmp_path):
    """A Go module with two main packages (cmd/api, cmd/migrate) and no dockgen.toml."""
    root = rg.copy_example("go-cmd-layout", tmp_path / "app")
    (root / "dockgen.toml").unlink(missing_ok=True)
    return root


@pytest.fixture
def flask(tmp_path):
    return rg.copy_example("python-flask-pip", tmp_path / "flask")


def _header(root, *flags) -> str:
    r = rg.run("init", "--stdout", str(root), *flags)
    assert r.returncode == 0, r.stderr
    return r.stdout


# ---- the header names the real source, per source ----------------------------------------------


def test_port_from_each_source_is_named(flask):
    assert "# port 8000 (from gunicorn's default; dockgen passes it on the command line)" in _header(flask)
    assert "(from --port)" in _header(flask, "--port", "9000")
    (flask / "dockgen.toml").write_text("port = 9001\n")
    assert "# port 9001 (from dockgen.toml port)" in _header(flask)
    (flask / "dockgen.toml").unlink()
    (flask / "pyproject.toml").write_text("[tool.dockgen]\nport = 9002\n")
    assert "# port 9002 (from pyproject.toml [tool.dockgen] port)" in _header(flask)


def test_recorded_option_renders_like_its_flag_and_plan_says_recorded(flask):
    assert rg.run("init", str(flask), "--port", "9003").returncode == 0
    first = (flask / "Dockerfile").read_text()
    assert "(from --port)" in first
    r = rg.run("init", str(flask))
    assert r.returncode == 0 and r.stdout.split()[0] == "identical", r.stdout + r.stderr
    shown = rg.run("plan", str(flask))
    assert "port: 9003  (--port, recorded in .dockgen/state.json)" in shown.stdout


@pytest.mark.parametrize("where", ["flag", "dockgen.toml", "pyproject"])
def test_version_option_from_each_source(flask, where):
    flags: tuple[str, ...] = ()
    if where == "flag":
        flags = ("--python-version", "3.13")
        expect = "(from --python-version: 3.13)"
    elif where == "dockgen.toml":
        (flask / "dockgen.toml").write_text('[versions]\npython = "3.13"\n')
        expect = "(from dockgen.toml versions.python: 3.13)"
    else:
        (flask / "pyproject.toml").write_text('[tool.dockgen.versions]\npython = "3.13"\n')
        expect = "(from pyproject.toml [tool.dockgen] versions.python: 3.13)"
    assert f"# python 3.13 {expect}" in _header(flask, *flags)


def test_main_from_the_file_is_named(go_app):
    (go_app / "dockgen.toml").write_text('main = "cmd/api"\n')
    assert "main package ./cmd/api (from dockgen.toml main)" in _header(go_app)


# ---- bad values are refused naming their source -------------------------------------------------


def test_bad_main_in_the_file_is_exit_5_naming_the_file(go_app):
    (go_app / "dockgen.toml").write_text('main = "cmd/nope"\n')
    r = rg.run("init", "--stdout", str(go_app))
    assert r.returncode == 5, r.stderr
    assert r.stderr.startswith("dockgen: error: dockgen.toml: main = 'cmd/nope': not a main package")
    assert "--main" not in r.stderr


def test_bad_main_flag_is_exit_2_naming_the_flag(go_app):
    r = rg.run("init", "--stdout", str(go_app), "--main", "cmd/nope")
    assert r.returncode == 2
    assert "--main cmd/nope: not a main package" in r.stderr


def test_bad_recorded_value_names_the_state_file(go_app):
    assert rg.run("init", str(go_app), "--main", "cmd/api").returncode == 0
    state = go_app / ".dockgen" / "state.json"
    data = json.loads(state.read_text())
    data["recorded_options"]["main"] = "cmd/gone"
    state.write_text(json.dumps(data))
    r = rg.run("plan", str(go_app))
    assert r.returncode == 5
    assert r.stderr.startswith("dockgen: error: .dockgen/state.json: main = 'cmd/gone' (recorded from --main)")
    assert "--reset-options" in r.stderr


def test_runner_packages_conflict_from_the_file_names_the_file(go_app):
    (go_app / "dockgen.toml").write_text('main = "cmd/api"\nrunner = "scratch"\npackages = ["curl=7.*"]\n')
    r = rg.run("init", "--stdout", str(go_app))
    assert r.returncode == 5
    assert "dockgen.toml: packages = ['curl=7.*']: the scratch runner (from dockgen.toml runner)" in r.stderr
    assert "--package" not in r.stderr


def test_unknown_version_key_in_the_file_is_exit_5(flask):
    (flask / "dockgen.toml").write_text('[versions]\ncobol = "85"\n')
    r = rg.run("plan", str(flask))
    assert r.returncode == 5
    assert "dockgen.toml: unknown key 'versions.cobol'" in r.stderr


def test_unknown_stack_flag_is_exit_2_listing_the_stacks(flask):
    r = rg.run("plan", str(flask), "--stack", "cobol")
    assert r.returncode == 2
    assert "--stack cobol: not a stack dockgen knows" in r.stderr
    assert ", ".join(stacks.names()) in r.stderr


# ---- one set of validated types for every entry point ------------------------------------------


@pytest.mark.parametrize("key", ["com.docker.foo", "io.docker.x", "org.dockerproject.y"])
def test_reserved_label_keys_are_refused_by_flag_and_file(flask, key):
    r = rg.run("init", "--stdout", str(flask), "--label", f"{key}=bar")
    assert r.returncode == 2 and "--label" in r.stderr and "not a label key" in r.stderr
    (flask / "dockgen.toml").write_text(f'[labels]\n"{key}" = "bar"\n')
    r = rg.run("init", "--stdout", str(flask))
    assert r.returncode == 5 and r.stderr.startswith("dockgen: error: dockgen.toml: labels") and "not a label key" in r.stderr


@pytest.mark.parametrize("pair,why", [("1BAD=x", "not an environment variable name"),
                                      ("OK=a\\", "must not end with a backslash")])
def test_env_rules_are_the_same_for_flag_and_file(flask, pair, why):
    r = rg.run("init", "--stdout", str(flask), "--env", pair)
    assert r.returncode == 2 and why in r.stderr
    key, value = pair.split("=", 1)
    (flask / "dockgen.toml").write_text(f"[env]\n{json.dumps(key)} = {json.dumps(value)}\n")
    r = rg.run("init", "--stdout", str(flask))
    assert r.returncode == 5 and why in r.stderr


def test_options_sources_cover_every_key(flask):
    planned = dockgen.plan(flask, port=9000)
    assert set(planned.option_sources) == set(config.option_keys())
    assert planned.option_sources["port"] == "cli"
    assert planned.option_sources["versions.python"] == "default"
    assert str(planned.options.source("port")) == "--port"


def test_an_options_object_built_in_code_counts_as_the_callers_flag():
    opts = Options(port=9000, python_version="3.13")
    assert opts.versions == {"python": "3.13"}
    assert str(opts.source("port")) == "--port"
    assert str(opts.source("versions.python")) == "--python-version"
    assert opts.source("runner").kind == "default"


# ---- plan takes every option init takes, and shows refusals with the facts ----------------------


def test_plan_takes_the_same_options_as_init():
    from dockgen.cli import init, plan_cmd

    import inspect

    init_opts = {n for n, p in inspect.signature(init).parameters.items() if p.kind == p.KEYWORD_ONLY}
    plan_opts = {n for n, p in inspect.signature(plan_cmd).parameters.items() if p.kind == p.KEYWORD_ONLY}
    assert init_opts and init_opts <= plan_opts
    assert {f"{s}_version" for s in stacks.names()} <= plan_opts


def test_plan_json_with_command_and_node_version(tmp_path):
    root = rg.copy_example("node-express-npm", tmp_path / "n")
    r = rg.run("plan", "--json", "--command", '["node","server.js"]', "--node-version", "22", str(root))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["options"]["command"] == ["node", "server.js"]
    assert data["option_sources"]["versions.node"] == "cli"
    assert any("node 22 (from --node-version" in line for line in data["plan"]["reasons"])


def test_plan_json_shows_the_facts_next_to_a_refusal(go_app):
    # cmd/api serves and cmd/migrate does not (dockgen picks api); a second server makes it refuse.
    (go_app / "cmd" / "worker").mkdir()
    (go_app / "cmd" / "worker" / "main.go").write_text((go_app / "cmd" / "api" / "main.go").read_text())
    r = rg.run("plan", "--json", str(go_app))  # two main packages serve: init refuses
    assert r.returncode == 2
    data = json.loads(r.stdout)
    assert data["refusal"]["exit_code"] == 2 and "several main packages" in data["refusal"]["message"]
    assert data["facts"]["ecosystem"] == "go" and data["facts"]["mains"]["value"]
    assert "several main packages" in r.stderr


def test_plan_json_lists_every_stack_when_several_are_found(tmp_path):
    root = rg.copy_example("python-flask-pip", tmp_path / "mixed")
    (root / "package.json").write_text('{"name": "tools", "version": "1.0.0", "scripts": {"start": "node x.js"}}')
    r = rg.run("plan", "--json", str(root))
    assert r.returncode == 2
    data = json.loads(r.stdout)
    assert "several stacks found" in data["refusal"]["message"]
    assert set(data["stacks"]) == {"python", "node"}


def test_plan_json_prints_a_refusal_from_a_detector(tmp_path):
    root = tmp_path / "bad"
    root.mkdir()
    (root / "package.json").write_text('{"name": "x", "name": "y"}')  # duplicate keys: the detector refuses
    r = rg.run("plan", "--json", str(root))
    assert r.returncode == 5, r.stderr
    data = json.loads(r.stdout)
    assert data["refusal"]["exit_code"] == 5 and data["refusal"]["file"] == "package.json"
    assert data["facts"] is None


def test_plan_json_prints_a_refusal_before_detection(flask):
    (flask / "dockgen.toml").write_text("port = 0\n")
    r = rg.run("plan", "--json", str(flask))
    assert r.returncode == 5
    data = json.loads(r.stdout)
    assert data["refusal"]["file"] == "dockgen.toml" and data["facts"] is None
