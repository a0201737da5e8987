"""What builds (issue 12, Python): locked wheels decide the interpreter and the compiler; native
packages get their Debian build packages and runtime libraries; nested requirements keep their paths;
an unlocked app that runs from its tree is not built; Django's static files are collected."""

from __future__ import annotations

import pytest

import dockgen
from dockgen.detectors.errors import DockgenError
from dockgen.detectors.python_wheels import classify
from support.lint import assert_clean
from support.tree import write_tree

WSGI = "def app(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n"
PROCFILE = "web: gunicorn --bind 0.0.0.0:8000 app:app\n"
ARCHES = ("x86_64", "aarch64")


def wheels(name: str, version: str, cps: list[str], arches=ARCHES, glibc: str = "2_17", sdist: bool = True) -> list[str]:
    out = [f"{name}-{version}-cp{cp}-cp{cp}-manylinux_{glibc}_{arch}.whl" for cp in cps for arch in arches]
    out += [f"{name}-{version}-cp{cp}-cp{cp}-win_amd64.whl" for cp in cps]
    return out + ([f"{name}-{version}.tar.gz"] if sdist else [])


def pure(name: str, version: str) -> list[str]:
    return [f"{name}-{version}-py3-none-any.whl", f"{name}-{version}.tar.gz"]


def poetry_lock(pkgs: list[tuple[str, str, list[str]]], groups: bool = True, deps: dict | None = None) -> str:
    out = []
    for name, version, files in pkgs:
        out.append(f'[[package]]\nname = "{name}"\nversion = "{version}"\noptional = false\n')
        if groups:
            out.append('groups = ["main"]\n')
        out.append("files = [\n" + "".join(f'    {{file = "{f}", hash = "sha256:00"}},\n' for f in files) + "]\n")
        for dep, value in (deps or {}).get(name, {}).items():
            out.append(f"\n[package.dependencies]\n{dep} = {value}\n")
        out.append("\n")
    return "".join(out) + '[metadata]\nlock-version = "2.1"\npython-versions = ">=3.9"\ncontent-hash = "00"\n'


def pyproject(deps: list[str], rp: str = ">=3.9") -> str:
    listed = ", ".join(f'"{d}"' for d in deps)
    return (f'[project]\nname = "app"\nversion = "1.0"\nrequires-python = "{rp}"\ndependencies = [{listed}]\n\n'
            "[tool.poetry]\npackage-mode = false\n")


def locked(tmp_path, pkgs, extra=None, deps=("gunicorn==23.0.0",), **opts):
    names = [p[0] for p in pkgs]
    files = {"pyproject.toml": pyproject([*deps, *(f"{n}=={v}" for n, v, _ in pkgs if n != "gunicorn")]),
             "poetry.lock": poetry_lock([("gunicorn", "23.0.0", pure("gunicorn", "23.0.0")), *pkgs]),
             "app.py": WSGI, "Procfile": PROCFILE, **(extra or {})}
    assert "gunicorn" not in names
    return dockgen.plan(write_tree(tmp_path, files), **opts)


def header(p) -> str:
    return "\n".join(p.plan.reasons)


def images(p) -> list[str]:
    return [st.image.tagged for st in p.plan.stages]


# ---- reading the lock ----------------------------------------------------------------------------


def test_classify_keeps_linux_glibc_wheels_only():
    files = ["x-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
             "x-1-cp311-cp311-manylinux_2_28_x86_64.whl", "x-1-cp311-cp311-musllinux_1_1_x86_64.whl",
             "x-1-cp311-cp311-win_amd64.whl", "x-1-cp311-cp311-macosx_11_0_arm64.whl",
             "x-1-cp37-abi3-manylinux1_x86_64.whl", "x-1-pp310-pypy310_pp73-manylinux_2_17_x86_64.whl", "x-1.tar.gz"]
    is_pure, tags, sdist = classify(files)
    assert not is_pure and sdist
    assert tags == ("cp37-abi3-manylinux_2_5_x86_64", "cp311-cp311-manylinux_2_17_x86_64")
    assert classify(["y-1-py2.py3-none-any.whl"])[0] is True


def test_old_lock_gets_the_newest_python_its_wheels_cover(tmp_path):
    p = locked(tmp_path, [("markupsafe", "2.1.2", wheels("MarkupSafe", "2.1.2", ["39", "310", "311"]))])
    assert images(p) == ["python:3.11-slim-bookworm", "gcr.io/distroless/python3-debian12:nonroot"]
    assert ("python 3.11 (>=3.9 from pyproject.toml [project] requires-python: the newest catalog version "
            "poetry.lock has wheels for; python 3.12 has none for markupsafe 2.1.2)") in header(p)
    assert "for every binary package (markupsafe): no compiler" in header(p)
    assert "apt-get" not in p.dockerfile
    assert_clean(p.dockerfile)


def test_an_exact_pin_is_kept_and_what_lacks_a_wheel_compiles(tmp_path):
    p = locked(tmp_path, [("markupsafe", "2.1.2", wheels("MarkupSafe", "2.1.2", ["39", "310", "311"]))],
               extra={".python-version": "3.13\n"})
    assert images(p)[0] == "python:3.13-slim-trixie"
    builder = p.dockerfile.split("# Runtime stage")[0]
    assert "build-essential=12.12" in builder and "apt-get" not in p.dockerfile.split("# Runtime stage")[1]
    assert p.plan.runner == "distroless"  # markupsafe links nothing beyond libc
    assert "native code: markupsafe 2.1.2 builds from source for python 3.13" in header(p)
    assert_clean(p.dockerfile)


def test_markers_that_exclude_a_package_do_not_hold_the_interpreter_back(tmp_path):
    deps = {"flask": {"greenlet": '{version = "*", markers = "python_version < \\"3.13\\""}'}}
    files = {"pyproject.toml": pyproject(["gunicorn==23.0.0", "flask==3.1.2"]),
             "poetry.lock": poetry_lock([("gunicorn", "23.0.0", pure("gunicorn", "23.0.0")),
                                         ("flask", "3.1.2", pure("flask", "3.1.2")),
                                         ("greenlet", "3.0.3", wheels("greenlet", "3.0.3", ["311", "312"]))],
                                        groups=True, deps=deps),
             "app.py": WSGI, "Procfile": PROCFILE}
    p = dockgen.plan(write_tree(tmp_path, files))
    assert images(p)[0] == "python:3.14-slim-trixie"
    assert "apt-get" not in p.dockerfile
    greenlet = next(d for d in p.facts.binary_dists.value if d.name == "greenlet")
    assert greenlet.marker == 'python_version < "3.13"'


def test_abi3_wheels_cover_every_newer_python(tmp_path):
    files = [f"cryptography-44.0.0-cp39-abi3-manylinux_2_28_{a}.whl" for a in ARCHES]
    p = locked(tmp_path, [("cryptography", "44.0.0", files)])
    assert images(p)[0] == "python:3.14-slim-trixie"
    assert "apt-get" not in p.dockerfile


def test_a_missing_architecture_installs_the_compiler_and_says_which(tmp_path):
    p = locked(tmp_path, [("asyncpg", "0.26.0", wheels("asyncpg", "0.26.0", ["39", "310"], arches=("x86_64",)))])
    assert images(p)[0] == "python:3.10-slim-trixie"
    assert "asyncpg 0.26.0 (on aarch64) builds from source" in header(p)
    assert "build-essential=12.12" in p.dockerfile


def test_glibc_newer_than_the_builder_does_not_count(tmp_path):
    # manylinux_2_39 wheels do not install on bookworm (glibc 2.36): 3.11 would compile, 3.13 does not.
    p = locked(tmp_path, [("fastlib", "1.0", wheels("fastlib", "1.0", ["311", "313"], glibc="2_39"))],
               deps=("gunicorn==23.0.0",), python_version=None)
    assert images(p)[0] == "python:3.13-slim-trixie"


# ---- native packages: build stage and runner ----------------------------------------------------


def test_psycopg2_binary_from_source_takes_libpq_dev_and_runs_on_slim_with_libpq(tmp_path):
    p = locked(tmp_path, [("psycopg2-binary", "2.9.9", wheels("psycopg2_binary", "2.9.9", ["311", "312"]))],
               extra={".python-version": "3.13\n"})
    builder, runner = p.dockerfile.split("# Runtime stage")
    assert "build-essential=12.12 'libpq-dev=17.*'" in builder
    assert "'libpq5=17.*'" in runner and "libpq-dev" not in runner and "build-essential" not in runner
    assert p.plan.runner == "slim"
    assert "runner slim: psycopg2-binary needs libpq5, which distroless lacks" in header(p)
    assert "runtime libraries in the runner: libpq5=17.* (for psycopg2-binary)" in header(p)
    assert_clean(p.dockerfile)


def test_distroless_is_refused_when_a_library_must_be_installed(tmp_path):
    with pytest.raises(DockgenError, match="distroless cannot install the libraries the app loads"):
        locked(tmp_path, [("psycopg2-binary", "2.9.9", wheels("psycopg2_binary", "2.9.9", ["311", "312"]))],
               extra={".python-version": "3.13\n"}, runner="distroless")


def test_requirements_psycopg2_always_compiles_and_bookworm_gets_its_own_pins(tmp_path):
    files = {"requirements.txt": "gunicorn==23.0.0\npsycopg2==2.9.13\n", "runtime.txt": "python-3.11\n",
             "app.py": WSGI, "Procfile": PROCFILE}
    p = dockgen.plan(write_tree(tmp_path, files))
    assert "build-essential=12.9 'libpq-dev=15.*'" in p.dockerfile and "'libpq5=15.*'" in p.dockerfile
    assert "psycopg2 builds from source for python 3.11 (no Linux wheel is published)" in header(p)
    assert not [w for w in p.plan.warnings if "names no wheel files" in w]


def test_pure_psycopg_loads_libpq_unless_a_bundled_copy_is_installed(tmp_path):
    p = locked(tmp_path, [("psycopg", "3.2.3", pure("psycopg", "3.2.3"))])
    assert "'libpq5=17.*'" in p.dockerfile and "build-essential" not in p.dockerfile
    assert "native code: psycopg loads libpq5=17.* at run time (neither psycopg-binary nor psycopg-c" in header(p)
    p2 = locked(tmp_path / "b", [("psycopg", "3.2.3", pure("psycopg", "3.2.3")),
                                 ("psycopg-binary", "3.2.3", wheels("psycopg_binary", "3.2.3", ["312", "313", "314"]))])
    assert "apt-get" not in p2.dockerfile


def test_an_unknown_package_that_must_compile_gets_the_compiler_and_a_warning(tmp_path):
    p = locked(tmp_path, [("fastthing", "1.0", wheels("fastthing", "1.0", ["39"]))],
               extra={".python-version": "3.13\n"})
    assert "build-essential=12.12" in p.dockerfile
    assert any(w.startswith("fastthing 1.0 builds from source for python 3.13") for w in p.plan.warnings)


def test_an_unknown_sdist_only_package_is_a_warning_naming_it(tmp_path):
    p = locked(tmp_path, [("pypika", "0.48.9", ["PyPika-0.48.9.tar.gz"])])
    assert "apt-get" not in p.dockerfile
    assert any(w.startswith("pypika 0.48.9 has no wheel in poetry.lock") for w in p.plan.warnings)


def test_rust_extensions_take_cargo_and_say_debian_may_be_too_old(tmp_path):
    p = locked(tmp_path, [("pydantic-core", "2.14.5", wheels("pydantic_core", "2.14.5", ["311", "312"]))],
               extra={".python-version": "3.13\n"})
    assert "'cargo=1.85.*'" in p.dockerfile and "'rustc=1.85.*'" in p.dockerfile
    assert any("Rust extension" in w for w in p.plan.warnings)


def test_alpine_gets_no_apt_and_a_warning(tmp_path):
    p = locked(tmp_path, [("psycopg2-binary", "2.9.9", wheels("psycopg2_binary", "2.9.9", ["311", "312"]))],
               extra={".python-version": "3.13\n"}, runner="alpine")
    assert "apt-get" not in p.dockerfile
    assert any("dockgen maps for the Debian images only" in w for w in p.plan.warnings)


def test_plain_requirements_warn_when_dockgen_chose_the_python(tmp_path):
    # A range names no version to check against the wheel floors (an == pin does: test_python_wheel_floors).
    files = {"requirements.txt": "gunicorn==23.0.0\ngreenlet>=3.0.1\n", "app.py": WSGI, "Procfile": PROCFILE}
    p = dockgen.plan(write_tree(tmp_path, files))
    assert any(w.startswith("requirements.txt names no wheel files: dockgen cannot check that greenlet has a "
                            "wheel for python 3.14") for w in p.plan.warnings)
    pinned = dockgen.plan(write_tree(tmp_path / "pinned", {**files, ".python-version": "3.12\n"}))
    assert not [w for w in pinned.plan.warnings if "names no wheel files" in w]
    exact = dockgen.plan(write_tree(tmp_path / "exact", {**files, "requirements.txt": "gunicorn==23.0.0\ngreenlet==3.0.1\n"}))
    assert "FROM python:3.12-" in exact.dockerfile  # 3.0.1 is below greenlet's 3.13 floor
    assert not [w for w in exact.plan.warnings if "names no wheel files" in w]


# ---- lock formats -------------------------------------------------------------------------------


def test_uv_lock_wheels_and_markers(tmp_path):
    lock = ('version = 1\nrequires-python = ">=3.9"\n\n'
            '[[package]]\nname = "app"\nversion = "1.0"\nsource = { virtual = "." }\n'
            'dependencies = [{ name = "gunicorn" }, { name = "tomli", marker = "python_full_version < \'3.11\'" }, '
            '{ name = "ujson" }]\n\n'
            '[[package]]\nname = "gunicorn"\nversion = "23.0.0"\nsource = { registry = "https://pypi.org/simple" }\n'
            'wheels = [{ url = "https://files.example/gunicorn-23.0.0-py3-none-any.whl", hash = "sha256:00" }]\n\n'
            '[[package]]\nname = "tomli"\nversion = "2.0.1"\nsource = { registry = "https://pypi.org/simple" }\n'
            'sdist = { url = "https://files.example/tomli-2.0.1.tar.gz", hash = "sha256:00" }\n'
            'wheels = [' + ", ".join(f'{{ url = "https://files.example/{f}", hash = "sha256:00" }}'
                                     for f in wheels("tomli", "2.0.1", ["39", "310"], sdist=False)) + ']\n\n'
            '[[package]]\nname = "ujson"\nversion = "5.10.0"\nsource = { registry = "https://pypi.org/simple" }\n'
            'wheels = [' + ", ".join(f'{{ url = "https://files.example/{f}", hash = "sha256:00" }}'
                                     for f in wheels("ujson", "5.10.0", ["311", "312", "313"], sdist=False)) + ']\n')
    files = {"pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\nrequires-python = ">=3.9"\n'
                               'dependencies = ["gunicorn==23.0.0", "tomli==2.0.1; python_version < \'3.11\'", "ujson"]\n',
             "uv.lock": lock, "app.py": WSGI, "Procfile": PROCFILE}
    p = dockgen.plan(write_tree(tmp_path, files))
    dists = {d.name: d for d in p.facts.binary_dists.value}
    assert set(dists) == {"tomli", "ujson"} and dists["tomli"].marker == "python_full_version < '3.11'"
    assert images(p)[0] == "python:3.13-slim-trixie"  # ujson's newest wheel; tomli is not installed there
    assert "python 3.14 has none for ujson 5.10.0" in header(p)


def test_pdm_lock_files_and_dependency_markers(tmp_path):
    lock = ('[metadata]\ngroups = ["default"]\nlock_version = "4.4"\n\n'
            '[[package]]\nname = "gunicorn"\nversion = "23.0.0"\ngroups = ["default"]\nfiles = [\n'
            '    {file = "gunicorn-23.0.0-py3-none-any.whl", hash = "sha256:00"},\n]\n\n'
            '[[package]]\nname = "orjson"\nversion = "3.9.10"\ngroups = ["default"]\nfiles = [\n'
            + "".join(f'    {{file = "{f}", hash = "sha256:00"}},\n' for f in wheels("orjson", "3.9.10", ["310", "311", "312"]))
            + ']\n')
    files = {"pyproject.toml": '[project]\nname = "app"\nversion = "1.0"\nrequires-python = ">=3.10"\n'
                               'dependencies = ["gunicorn==23.0.0", "orjson==3.9.10"]\n',
             "pdm.lock": lock, "app.py": WSGI, "Procfile": PROCFILE}
    p = dockgen.plan(write_tree(tmp_path, files))
    assert images(p)[0] == "python:3.12-slim-trixie"
    assert "python 3.13 has none for orjson 3.9.10" in header(p)


def test_poetry_lock_without_groups_counts_the_main_dependencies_only(tmp_path):
    # poetry 1.5-1.8 write no groups: dev tools (coverage here) must not hold the interpreter back.
    files = {"pyproject.toml": ('[tool.poetry]\nname = "app"\nversion = "1.0"\npackage-mode = false\n\n'
                                '[tool.poetry.dependencies]\npython = "^3.9"\ngunicorn = "23.0.0"\n'
                                'ujson = {version = "5.10.0", optional = true}\n\n'
                                '[tool.poetry.group.dev.dependencies]\ncoverage = "7.2.0"\n'),
             "poetry.lock": poetry_lock([("gunicorn", "23.0.0", pure("gunicorn", "23.0.0")),
                                         ("coverage", "7.2.0", wheels("coverage", "7.2.0", ["39", "310", "311"])),
                                         ("ujson", "5.10.0", wheels("ujson", "5.10.0", ["39"]))], groups=False),
             "app.py": WSGI, "Procfile": PROCFILE}
    p = dockgen.plan(write_tree(tmp_path, files))
    assert p.facts.installed.value == ("gunicorn",)
    assert images(p)[0] == "python:3.14-slim-trixie"


def test_old_poetry_metadata_files_table(tmp_path):
    lock = ('[[package]]\nname = "gunicorn"\nversion = "20.1.0"\ncategory = "main"\noptional = false\n\n'
            '[[package]]\nname = "psycopg2-binary"\nversion = "2.9.3"\ncategory = "main"\noptional = false\n\n'
            '[metadata]\nlock-version = "1.1"\npython-versions = "^3.9"\ncontent-hash = "00"\n\n[metadata.files]\n'
            'gunicorn = [\n    {file = "gunicorn-20.1.0-py3-none-any.whl", hash = "sha256:00"},\n]\n'
            'psycopg2-binary = [\n' + "".join(f'    {{file = "{f}", hash = "sha256:00"}},\n' for f in
                                                wheels("psycopg2_binary", "2.9.3", ["39", "310"])) + ']\n')
    files = {"pyproject.toml": ('[tool.poetry]\nname = "app"\nversion = "1.0"\n\n[tool.poetry.dependencies]\n'
                                'python = "^3.9"\ngunicorn = "20.1.0"\npsycopg2-binary = "2.9.3"\n'),
             "poetry.lock": lock, "app.py": WSGI, "Procfile": PROCFILE}
    p = dockgen.plan(write_tree(tmp_path, files))
    assert images(p)[0] == "python:3.10-slim-trixie"
    assert "END OF LIFE" in header(p)


# ---- install shape: nested requirements, unlocked pyproject -------------------------------------


def test_nested_requirements_keep_their_paths(tmp_path):
    files = {"requirements.txt": "-r requirements/prod.txt\n", "requirements/prod.txt": "-r common.txt\ngunicorn==23.0.0\n",
             "requirements/common.txt": "packaging==26.4\n", "app.py": WSGI, "Procfile": PROCFILE}
    p = dockgen.plan(write_tree(tmp_path, files))
    copies = [i for i in p.plan.stages[0].instructions if i.kind == "copy"]
    assert [(c.sources, c.dest) for c in copies[:2]] == [
        (("requirements.txt",), "./"), (("requirements/prod.txt", "requirements/common.txt"), "requirements/")]
    assert_clean(p.dockerfile)


UNLOCKED = {"pyproject.toml": ('[project]\nname = "svc"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
                               'dependencies = ["gunicorn>=23,<24"]\n\n[build-system]\nrequires = ["hatchling"]\n'
                               'build-backend = "hatchling.build"\n\n'
                               '[tool.hatch.build.targets.wheel.force-include]\n"dist/app.js" = "svc/app.js"\n'),
            "app.py": WSGI, "Procfile": PROCFILE}


def test_an_unlocked_app_that_runs_from_its_tree_installs_its_dependencies_only(tmp_path):
    p = dockgen.plan(write_tree(tmp_path, UNLOCKED))
    builder = p.plan.stages[0]
    runs = [i.command for i in builder.instructions if i.kind == "run"]
    assert not any("install ." in r for r in runs)
    deps = next(i for i in builder.instructions if i.kind == "run" and i.step == "deps")
    assert "import tomllib" in deps.command and "pip --python /opt/venv/bin/python install -r /tmp/requirements.txt" in deps.command
    first_copy = next(i for i in builder.instructions if i.kind == "copy")
    assert first_copy.sources == ("pyproject.toml",)  # dependencies before sources
    assert "the project itself is not built: the app runs from its sources" in header(p)
    assert_clean(p.dockerfile)


def test_an_unlocked_project_whose_start_needs_it_installed_gets_it_after_its_dependencies(tmp_path):
    files = {"pyproject.toml": ('[project]\nname = "svc"\nversion = "1.0"\nrequires-python = ">=3.11"\n'
                                'dependencies = ["waitress==3.0.2"]\n\n[project.scripts]\nsvc = "svc.main:run"\n\n'
                                '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n'),
             "svc/__init__.py": "", "svc/main.py": "import waitress\n\ndef run():\n    waitress.serve(app, port=8080)\n"}
    p = dockgen.plan(write_tree(tmp_path, files))
    runs = [i for i in p.plan.stages[0].instructions if i.kind == "run"]
    assert runs[0].step == "deps" and "tomllib" in runs[0].command
    assert runs[-1].command.endswith("pip --python /opt/venv/bin/python install --no-deps .")


def test_dynamic_dependencies_or_an_old_python_fall_back_to_installing_the_project(tmp_path):
    dyn = UNLOCKED["pyproject.toml"].replace('dependencies = ["gunicorn>=23,<24"]', 'dynamic = ["dependencies"]')
    p = dockgen.plan(write_tree(tmp_path, {**UNLOCKED, "pyproject.toml": dyn, "Procfile": "web: python app.py\n"}))
    assert "install ." in p.dockerfile
    old = dockgen.plan(write_tree(tmp_path / "old", UNLOCKED), python_version="3.10")
    assert "install ." in old.dockerfile and "tomllib" not in old.dockerfile


# ---- Django static files ------------------------------------------------------------------------


def django_files(settings: str) -> dict[str, str]:
    return {"requirements.txt": "django==5.2.19\ngunicorn==23.0.0\nwhitenoise==6.12.0\n",
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site1.settings')\n",
            "site1/__init__.py": "", "site1/wsgi.py": "application = None\n",
            "site1/settings.py": "from pathlib import Path\nimport os\nBASE_DIR = Path(__file__).resolve().parent.parent\n"
                                 "INSTALLED_APPS = ['django.contrib.staticfiles']\n" + settings}


def test_collectstatic_runs_at_build_time_with_a_throwaway_key_and_the_runner_gets_the_files(tmp_path):
    settings = 'SECRET_KEY = os.environ.get(\n    "DJANGO_SECRET_KEY",\n    default="x",\n)\nSTATIC_ROOT = BASE_DIR / "staticfiles"\n'
    p = dockgen.plan(write_tree(tmp_path, {**django_files(settings), ".python-version": "3.13\n"}))
    builder, runner = p.plan.stages[0], p.plan.stages[-1]
    run = next(i for i in builder.instructions if i.kind == "run" and "collectstatic" in i.command)
    assert run.command == ("DJANGO_SECRET_KEY=dockgen-build-only-not-a-secret /opt/venv/bin/python manage.py "
                           "collectstatic --noinput")
    kinds = [i.kind for i in builder.instructions]
    assert kinds.index("copy", kinds.index("run")) < builder.instructions.index(run)  # sources first
    assert any(i.kind == "copy" and i.sources == ("/app/staticfiles",) and i.from_stage == "builder"
               for i in runner.instructions)
    assert "DJANGO_SECRET_KEY" not in "".join(str(i.pairs) for i in runner.instructions if i.kind == "env")
    assert "DJANGO_SECRET_KEY" not in p.dockerfile.split("# Runtime stage")[1]
    assert "static files: manage.py collectstatic --noinput at build time into staticfiles/" in header(p)
    assert_clean(p.dockerfile)


def test_compress_offline_and_an_absolute_static_root(tmp_path):
    settings = ('SECRET_KEY = "literal"\nSTATIC_ROOT = "/srv/static"\nINSTALLED_APPS += ["compressor"]\n'
                "COMPRESS_OFFLINE = True\n")
    p = dockgen.plan(write_tree(tmp_path, django_files(settings)))
    assert "manage.py collectstatic --noinput && /opt/venv/bin/python manage.py compress --force" in p.dockerfile
    assert 'COPY --from=builder ["/srv/static", "/srv/static"]' in p.dockerfile


def test_no_static_root_or_an_unreadable_one_collects_nothing(tmp_path):
    p = dockgen.plan(write_tree(tmp_path, django_files('SECRET_KEY = "x"\n')))
    assert "collectstatic" not in p.dockerfile
    odd = dockgen.plan(write_tree(tmp_path / "odd", django_files('STATIC_ROOT = get_static_root()\n')))
    assert "collectstatic" not in odd.dockerfile
    assert any("STATIC_ROOT: 'get_static_root()' is not a path dockgen can read" in w for w in odd.plan.warnings)


def test_psycopg_extras_in_requirements(tmp_path):
    binary = dockgen.plan(write_tree(tmp_path, {"requirements.txt": "gunicorn==23.0.0\npsycopg[binary]==3.2.3\n",
                                                "app.py": WSGI, "Procfile": PROCFILE}))
    assert "apt-get" not in binary.dockerfile
    c = dockgen.plan(write_tree(tmp_path / "c", {"requirements.txt": "gunicorn==23.0.0\npsycopg[c]==3.2.3\n",
                                                 "app.py": WSGI, "Procfile": PROCFILE}))
    assert "psycopg-c builds from source" in header(c) and "'libpq-dev=17.*'" in c.dockerfile


def test_a_direct_wheel_reference_in_requirements_is_read(tmp_path):
    url = "https://files.example/ujson-5.10.0-cp311-cp311-manylinux_2_17_x86_64.whl"
    files = {"requirements.txt": f"gunicorn==23.0.0\nujson @ {url}\n", "app.py": WSGI, "Procfile": PROCFILE}
    p = dockgen.plan(write_tree(tmp_path, files))
    assert [d.name for d in p.facts.binary_dists.value] == ["ujson"]
    assert images(p)[0] == "python:3.11-slim-bookworm"  # the one interpreter the named file fits
    assert "ujson 5.10.0 (on aarch64) builds from source for python 3.11" in header(p)


def test_variables_the_settings_fail_without_get_a_throwaway_value_too(tmp_path):
    settings = ('SECRET_KEY = os.environ.get("SECRET_KEY")\n'
                'ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS").split(" ")\n'
                'DB = os.environ["DATABASE_URL"]\nos.environ["FORCED"] = "1"\n'
                'SENTRY = os.environ.get("SENTRY_DSN")\nSTATIC_ROOT = BASE_DIR / "static"\n')
    p = dockgen.plan(write_tree(tmp_path, django_files(settings)))
    assert p.facts.collectstatic.value.build_env == ("DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "SECRET_KEY")
    assert ("DATABASE_URL=dockgen-build-only-not-a-secret DJANGO_ALLOWED_HOSTS=dockgen-build-only-not-a-secret "
            "SECRET_KEY=dockgen-build-only-not-a-secret /opt/venv/bin/python manage.py collectstatic") in p.dockerfile
