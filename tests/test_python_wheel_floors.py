"""Plain requirements pins and the catalog's wheel floors (python_wheel_floors.toml): with no lock
naming files, an exact ``==`` pin at or above a minor's floor has wheels there, so dockgen picks the
newest catalog Python every pinned binary package has wheels for, as it does from a lock."""

from __future__ import annotations

import tomllib
from importlib import resources

from packaging.version import Version

import dockgen
from dockgen.generator.catalog import load_catalog, native_table, wheel_floors
from support.tree import write_tree

WSGI = "def app(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n"
PROCFILE = "web: gunicorn --bind 0.0.0.0:8000 app:app\n"


def _plan(tmp_path, requirements: str, **extra):
    files = {"requirements.txt": "gunicorn==23.0.0\n" + requirements, "app.py": WSGI, "Procfile": PROCFILE, **extra}
    return dockgen.plan(write_tree(tmp_path, files))


def _floor(name: str, minor: str) -> Version:
    return Version(wheel_floors()[name][minor])


def test_an_old_pin_gets_the_newest_python_it_has_wheels_for(tmp_path):
    # A pin just below the 3.12 floor and at the 3.11 one: 3.11, and the header names the package.
    below = wheel_floors()["multidict"]["3.11"]
    assert Version(below) < _floor("multidict", "3.12")
    p = _plan(tmp_path, f"multidict=={below}\n")
    head = "\n".join(p.plan.reasons)
    assert head.startswith("python 3.11 (the project names no version: the newest catalog version requirements.txt "
                           "(== pins, by the catalog's wheel floors) has wheels for; python 3.12 has none for "
                           f"multidict {below})")
    assert "FROM python:3.11-" in p.dockerfile
    assert not [w for w in p.warnings if "names no wheel files" in w]


def test_current_pins_keep_the_default(tmp_path):
    latest = wheel_floors()["markupsafe"]["3.14"]
    p = _plan(tmp_path, f"markupsafe=={latest}\n")
    assert "\n".join(p.plan.reasons).startswith("python 3.14 (dockgen catalog default")
    assert any(r.startswith("native code: requirements.txt (== pins, by the catalog's wheel floors) names python 3.14 "
                            "wheels") for r in p.plan.reasons)


def test_an_exact_python_is_never_moved_and_the_old_pin_builds(tmp_path):
    old = wheel_floors()["psycopg2-binary"]["3.11"]
    p = _plan(tmp_path, f"psycopg2-binary=={old}\n", **{".python-version": "3.14\n"})
    head = "\n".join(p.plan.reasons)
    assert head.startswith("python 3.14 (from .python-version")
    assert f"psycopg2-binary {old} builds from source for python 3.14" in head
    assert "libpq-dev" in p.dockerfile and "build-essential" in p.dockerfile


def test_ranges_and_unknown_packages_are_not_pins(tmp_path):
    # >= is no pin, and a package the table does not know decides nothing: the warning stays.
    p = _plan(tmp_path, "multidict>=6.0\nsomething-native==1.0\n")
    assert "\n".join(p.plan.reasons).startswith("python 3.14 (dockgen catalog default")


def test_the_floors_table_is_well_formed():
    text = resources.files("dockgen.generator").joinpath("python_wheel_floors.toml").read_text("utf-8")
    data = tomllib.loads(text)
    minors = set(load_catalog().section("python").versions)
    table = native_table().packages
    assert data and set(data) <= {n for n, e in table.items() if e.linux_wheels}
    for name, floors in data.items():
        assert floors and set(floors) <= minors, name
        ordered = [Version(floors[m]) for m in sorted(floors, key=lambda v: tuple(map(int, v.split("."))))]
        assert ordered == sorted(ordered), f"{name}: a newer Python's floor is older than an older one's"


def test_only_exact_pins_are_recorded(tmp_path):
    from dockgen.detectors import python
    from dockgen.detectors.repo import RepoView

    reqs = ("gunicorn==23.0.0\nMarkupSafe==2.1.3\nmultidict==6.*\ngreenlet>=3\nyarl==1.9.4 ; python_version > '3.8'\n"
            "sqlalchemy~=2.0\n")
    root = write_tree(tmp_path, {"requirements.txt": reqs, "app.py": WSGI, "Procfile": PROCFILE})
    facts = python.detect(RepoView(root))
    assert facts.pins.value == (("gunicorn", "23.0.0"), ("markupsafe", "2.1.3"), ("yarl", "1.9.4"))
    assert str(facts.pins.source) == "requirements.txt == pins"
