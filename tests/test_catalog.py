"""The version catalog (generator/catalog.toml) and `dockgen catalog`: coverage, images, end of life."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from importlib import resources

import pytest

from dockgen.cmd_catalog import catalog_data
from dockgen.generator import stacks
from dockgen.generator.catalog import image, load_catalog, parse_catalog

COVERAGE = {
    "python": ("3.14", ["3.15", "3.14", "3.13", "3.12", "3.11", "3.10", "3.9"]),
    "node": ("26", ["26", "24", "22", "20", "18"]),
    "java": ("25", ["25", "21", "17", "11", "8"]),
    "go": ("1.27", ["1.27", "1.26", "1.25", "1.24", "1.23", "1.22", "1.21"]),
}
#: As of the catalog's reviewed date (2026-12-01).
EOL = {"python": {"3.10", "3.9"}, "node": {"20", "18"}, "java": {"8"},
       "go": {"1.25", "1.24", "1.23", "1.22", "1.21"}}


def _all_images():
    cat = load_catalog()
    for name in cat.sections():
        rt = cat.section(name)
        for v, entry in rt.versions.items():
            for field in ("builder", "slim", "distroless", "alpine", "jdk"):
                ref = getattr(entry, field)
                if ref is not None:
                    yield name, v, field, ref
        for field, ref in rt.runners.items():
            if ref != "scratch":
                yield name, None, field, ref


def test_coverage_defaults_and_status():
    cat = load_catalog()
    assert sorted(cat.sections()) == sorted(stacks.names())
    for name, (default, versions) in COVERAGE.items():
        rt = cat.section(name)
        assert rt.default == default and rt.ordered() == versions
        assert {v for v in versions if rt.status(v) == "eol"} == EOL[name]
        assert rt.status(default) == "default"


def test_every_image_has_an_explicit_version_and_distro_tag():
    for name, v, field, ref in _all_images():
        ref_ = image(ref)
        bare = re.fullmatch(r"\d+(\.\d+)?", ref_.tag) and ref_.name != "alpine"  # alpine:3.22 is the distro
        assert ref_.tag not in ("latest", "") and not bare, (name, v, field, ref)


def _debian(ref: str) -> int | None:
    """Debian release of an image tag (None: not Debian, e.g. Ubuntu-based Temurin or alpine)."""
    if "bookworm" in ref or "debian12" in ref:
        return 12
    if "trixie" in ref or "debian13" in ref:
        return 13
    return None


def test_builder_glibc_is_never_newer_than_the_runner():
    """Binaries cross builder → runner (native wheels, node-gyp, cgo): trixie builders only with
    debian13 runners; bookworm builders with debian12 (or, for node, the newer debian13)."""
    cat = load_catalog()
    for name in ("python", "node"):
        for v, entry in cat.section(name).versions.items():
            for runner in (entry.distroless, entry.slim):
                if runner is not None and _debian(runner) is not None:
                    assert _debian(entry.builder) <= _debian(runner), (name, v, entry.builder, runner)
            if name == "python" and entry.distroless:  # the venv's site-packages must match exactly
                assert _debian(entry.builder) == _debian(entry.distroless)
    go = cat.section("go")
    builders = {_debian(e.builder) for e in go.versions.values()}
    assert builders == {12}  # the lab has only golang:*-bookworm
    assert _debian(go.runners["distroless_cgo"]) == 12 and _debian(go.runners["slim"]) == 12


def test_runners_on_debian13_where_upstream_publishes_them():
    cat = load_catalog()
    assert cat.section("python").versions["3.13"].distroless == "gcr.io/distroless/python3-debian13:nonroot"
    assert cat.section("python").versions["3.11"].distroless == "gcr.io/distroless/python3-debian12:nonroot"
    node = cat.section("node").versions
    assert node["26"].distroless == "gcr.io/distroless/nodejs26-debian13:nonroot"
    assert node["24"].distroless == "gcr.io/distroless/nodejs24-debian13:nonroot"
    assert node["26"].ships == ("npm",)
    java = cat.section("java").versions
    assert java["25"].distroless == "gcr.io/distroless/java25-debian13:nonroot"
    assert (java["8"].slim, java["11"].slim) == ("eclipse-temurin:8-jre", "eclipse-temurin:11-jre")
    assert cat.section("go").runners["distroless"] == "gcr.io/distroless/static-debian13:nonroot"
    for minor in ("3.14", "3.15"):
        entry = cat.section("python").versions[minor]
        assert entry.distroless is None and "no Python" in entry.no_distroless


def test_end_of_life_is_judged_against_the_reviewed_date_not_the_clock():
    text = resources.files("dockgen.generator").joinpath("catalog.toml").read_text("utf-8")
    assert 'reviewed = "2026-12-01"' in text
    later = parse_catalog(text.replace('reviewed = "2026-12-01"', 'reviewed = "2027-05-01"'))
    assert later.section("node").status("22") == "eol"
    assert load_catalog().section("node").status("22") == "supported"
    for name, v, *_ in _all_images():
        if v is not None:
            date.fromisoformat(load_catalog().section(name).versions[v].eol)


def test_catalog_data_follows_the_registry():
    data = catalog_data()
    assert [s["name"] for s in data["stacks"]] == list(stacks.names())
    assert data["reviewed"] == "2026-12-01"
    py = next(s for s in data["stacks"] if s["name"] == "python")
    v314 = next(v for v in py["versions"] if v["version"] == "3.14")
    assert v314["status"] == "default" and v314["builder"] == "python:3.14-slim-trixie"
    assert "distroless" not in v314["runners"] and v314["no_distroless"]
    go = next(s for s in data["stacks"] if s["name"] == "go")
    assert go["versions"][0]["runners"]["scratch"] == "scratch"


def _dockgen(*args):
    return subprocess.run([sys.executable, "-m", "dockgen", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "200"})


def test_catalog_command_text():
    r = _dockgen("catalog")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "as of 2026-12-01" in out
    for title, flag, default in (("Python", "--python-version", "3.14"), ("Node.js", "--node-version", "26"),
                                 ("Java (Maven)", "--java-version", "25"), ("Go", "--go-version", "1.27")):
        assert f"{title} ({flag}; default {default})" in out
    assert re.search(r"^  20 +eol +eol 2026-04-30 +builder node:20-bookworm-slim$", out, re.M)
    assert re.search(r"^  3\.14 +default +eol 2030-10-31 +builder python:3\.14-slim-trixie$", out, re.M)
    assert "distroless gcr.io/distroless/java25-debian13:nonroot" in out


@pytest.mark.parametrize("args", [("catalog", "--json")])
def test_catalog_command_json(args):
    r = _dockgen(*args)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data == json.loads(json.dumps(catalog_data()))
    statuses = {(s["name"], v["version"]): v["status"] for s in data["stacks"] for v in s["versions"]}
    assert statuses[("java", "8")] == "eol" and statuses[("go", "1.26")] == "supported"
    assert statuses[("go", "1.27")] == "default"
