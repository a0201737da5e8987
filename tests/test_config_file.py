"""dockgen.toml / [tool.dockgen]: validation (unknown keys and bad values name the file and key),
layering (default < recorded < file < cli) and where each option came from (`plan --json`)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import regen as rg
from support.lint import assert_clean

import dockgen
from dockgen.detectors.errors import InvalidInputError
from dockgen.generator import config
from dockgen.generator.config import option_keys


@pytest.fixture
def proj(tmp_path):
    name = rg.EXAMPLE
    root = rg.copy_example(name, tmp_path / "proj")
    opts = rg.example_options(name)
    if opts:
        (root / "dockgen.toml").write_text("".join(f'{k} = "{v}"\n' for k, v in opts.items()))
    return root


def _plan_json(root, *args) -> dict:
    r = rg.run("plan", str(root), "--json", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _append(root, text: str) -> None:
    p = root / "dockgen.toml"
    p.write_text((p.read_text() if p.exists() else "") + text)


def test_file_options_reach_the_dockerfile_with_their_source(proj):
    _append(proj, '# the port our platform routes to\nport = 8123\nhealthcheck = false\n'
                  '[env]\nAPP_ENV = "production"\nGREETING = "a \\"quoted\\" $HOME value"\n'
                  '[labels]\n"org.example.team" = "platform"\n')
    data = _plan_json(proj)
    src = data["option_sources"]
    assert set(src) == set(option_keys()) and "versions.python" in src
    assert src["port"] == src["env"] == src["labels"] == "dockgen.toml"
    assert src["runner"] == "default"
    text = dockgen.plan(proj).dockerfile
    assert "EXPOSE 8123" in text
    assert 'ENV APP_ENV="production" \\' in text or 'APP_ENV="production"' in text
    assert 'GREETING="a \\"quoted\\" \\$HOME value"' in text
    assert 'LABEL org.example.team="platform"' in text
    assert_clean(text)


def test_cli_wins_over_the_file(proj):
    _append(proj, "port = 8123\n")
    data = _plan_json(proj, "--port", "9001")
    assert data["option_sources"]["port"] == "cli"
    assert data["options"]["port"] == 9001


def test_pyproject_tool_section(tmp_path):
    name = rg.EXAMPLE
    root = rg.copy_example(name, tmp_path / "p")
    eco = dockgen.plan(rg.copy_example(name, tmp_path / "q"), **rg.example_options(name)).facts.ecosystem
    extra = "".join(f'{k} = "{v}"\n' for k, v in rg.example_options(name).items())
    (root / "pyproject.toml").write_text(
        f'[tool.other]\nx = 1\n\n[tool.dockgen]\nstack = "{eco}"\nbuild-packages = ["git=1:2.*"]\nport = 8124\n{extra}')
    data = _plan_json(root)
    assert data["option_sources"]["port"] == "pyproject.toml [tool.dockgen]"
    assert data["options"]["build_packages"] == ["git=1:2.*"]
    assert "EXPOSE 8124" in dockgen.plan(root).dockerfile


def test_init_records_cli_options_and_a_plain_rerun_reproduces_them(proj):
    toml_before = (proj / "dockgen.toml").read_bytes() if (proj / "dockgen.toml").exists() else None
    r = rg.run("init", str(proj), "--port", "9002", "--env", "MODE=fast", "--label", "org.example.tier=web")
    assert r.returncode == 0, r.stderr
    first = (proj / "Dockerfile").read_text()
    assert "EXPOSE 9002" in first and 'ENV MODE="fast"' in first and 'org.example.tier="web"' in first
    assert_clean(first)
    # the user's dockgen.toml (and its comments) is never rewritten
    now = (proj / "dockgen.toml").read_bytes() if (proj / "dockgen.toml").exists() else None
    assert now == toml_before
    data = _plan_json(proj)
    assert data["option_sources"]["port"] == "recorded" and data["options"]["port"] == 9002
    r = rg.run("init", str(proj))
    assert r.returncode == 0 and r.stdout.split()[0] == "identical"
    # a later flag adds to the recorded ones
    r = rg.run("init", str(proj), "--env", "MODE=slow")
    assert r.returncode == 0, r.stderr
    text = (proj / "Dockerfile").read_text()
    assert "EXPOSE 9002" in text and 'MODE="slow"' in text
    # --reset-options forgets them
    r = rg.run("init", str(proj), "--reset-options")
    assert r.returncode == 0, r.stderr
    assert "EXPOSE 9002" not in (proj / "Dockerfile").read_text()
    assert _plan_json(proj)["option_sources"]["port"] == "default"


def test_file_overrides_a_recorded_option_with_a_warning(proj):
    assert rg.run("init", str(proj), "--port", "9003").returncode == 0
    _append(proj, "port = 9004\n")
    assert _plan_json(proj)["option_sources"]["port"] == "dockgen.toml"
    r = rg.run("init", str(proj))
    assert r.returncode == 0, r.stderr
    assert "dockgen.toml sets port = 9004, replacing the recorded 9003" in r.stderr
    assert "EXPOSE 9004" in (proj / "Dockerfile").read_text()
    state = json.loads((proj / ".dockgen/state.json").read_text())
    assert "port" not in state["recorded_options"]


BAD = [
    ("prot = 80\n", "unknown key 'prot'"),
    ('port = "80"\n', "port: Input should be a valid integer"),
    ("port = 0\n", "port: Input should be greater than or equal to 1"),
    ("[versions]\nrust = \"1.80\"\n", "unknown key 'versions.rust'"),
    ('[versions]\npython = "3.12; rm -rf /"\n', "versions.python"),
    ('[env]\n"BAD KEY" = "x"\n', "'BAD KEY' is not an environment variable name"),
    ('[env]\nA = "two\\nlines"\n', "must be one line"),
    ('[labels]\n"Team" = "x"\n', "'Team' is not a label key"),
    ('[labels]\n"com.docker.x" = "x"\n', "'com.docker.x' is not a label key"),
    ('command = ["sh", "-c", "a;b"]\n', "command"),
    ("healthcheck = true\n", "healthcheck: use an HTTP path"),
    ('healthcheck = "health"\n', "is not an HTTP path"),
    ('runner = "ubuntu"\n', "runner: Input should be"),
    ('packages = ["curl; rm"]\n', "packages"),
    ('ignore = ["a\\nb"]\n', "one-line ignore pattern"),
    ('skip = ["Makefile"]\n', "skip"),
    ('main = "../outside"\n', "main"),
    ("env = 3\n", "env: Input should be a valid dictionary"),
    ("port = \n", "invalid TOML"),
]


@pytest.mark.parametrize("text,needle", BAD, ids=[b[1][:30] for b in BAD])
def test_bad_config_is_exit_5_naming_file_and_key(tmp_path, text, needle):
    name = rg.EXAMPLE
    root = rg.copy_example(name, tmp_path / "p")
    (root / "dockgen.toml").write_text(text)
    r = rg.run("init", str(root))
    assert r.returncode == 5, r.stdout + r.stderr
    line = r.stderr.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in r.stderr
    assert line.startswith("dockgen: error: dockgen.toml: ") and needle in line, line
    assert not (root / "Dockerfile").exists()


def test_pyproject_errors_name_the_section(tmp_path):
    name = rg.EXAMPLE
    root = rg.copy_example(name, tmp_path / "p")
    (root / "pyproject.toml").write_text("[tool.dockgen]\nrunnr = \"slim\"\n")
    r = rg.run("plan", str(root))
    assert r.returncode == 5
    assert "pyproject.toml [tool.dockgen]: unknown key 'runnr'" in r.stderr


def test_both_config_places_is_an_error(tmp_path):
    name = rg.EXAMPLE
    root = rg.copy_example(name, tmp_path / "p")
    (root / "pyproject.toml").write_text("[tool.dockgen]\nport = 1\n")
    (root / "dockgen.toml").write_text("port = 2\n")
    r = rg.run("plan", str(root))
    assert r.returncode == 5 and "configured twice" in r.stderr


def test_kebab_and_snake_case_keys_are_the_same(tmp_path):
    a = config.validate({"build-packages": ["git=1:2.*"], "allow-unlocked": True}, "dockgen.toml")
    b = config.validate({"build_packages": ["git=1:2.*"], "allow_unlocked": True}, "dockgen.toml")
    assert a.options == b.options == {"build_packages": ("git=1:2.*",), "allow_unlocked": True}


def test_config_is_read_through_the_repo_view(tmp_path):
    """A dockgen.toml symlinked outside the repository is refused like any manifest."""
    name = rg.EXAMPLE
    root = rg.copy_example(name, tmp_path / "p")
    outside = tmp_path / "secret.toml"
    outside.write_text("port = 1\n")
    (root / "dockgen.toml").symlink_to(outside)
    r = rg.run("plan", str(root))
    assert r.returncode == 5 and "outside the repository" in r.stderr


_KNOWN = set(config.ConfigFile.model_fields) | {k.replace("_", "-") for k in config.ConfigFile.model_fields}


@settings(max_examples=60, deadline=None)
@given(st.from_regex(r"[a-z][a-z_-]{0,15}", fullmatch=True).filter(lambda k: k not in _KNOWN))
def test_any_unknown_key_is_refused_by_name(key):
    with pytest.raises(InvalidInputError) as info:
        config.validate({key: 1}, "dockgen.toml")
    assert f"unknown key {key!r}" in str(info.value)
