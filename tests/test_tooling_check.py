"""imagecheck.find_tooling: installers, build backends, caches and dev tooling in a runner's own layers."""

from __future__ import annotations

import json

from dockgen import imagecheck as ic


def _m(layer: int, path: str, size: int = 10) -> ic.Member:
    return ic.Member(layer, path, size, path.endswith("/"))


SP = "opt/venv/lib/python3.11/site-packages"


def test_pip_setuptools_and_caches_in_own_layers_are_found():
    members = [_m(0, "usr/local/lib/python3.11/site-packages/pip/__init__.py"),  # the base image's own pip
               _m(3, f"{SP}/flask/__init__.py"), _m(3, f"{SP}/pip/__init__.py"), _m(3, f"{SP}/pip/_internal/x.py"),
               _m(3, f"{SP}/pip-24.0.dist-info/RECORD"), _m(3, f"{SP}/pkg_resources/__init__.py"),
               _m(3, f"{SP}/distutils-precedence.pth"), _m(3, "opt/venv/bin/pip3.11"),
               _m(4, "root/.cache/pip/http/ab"), _m(4, "app/node_modules/.cache/x")]
    assert ic.find_tooling(members, first_own_layer=2) == [
        "installer command: opt/venv/bin/pip3.11",
        "package-manager cache: app/node_modules/.cache",
        "package-manager cache: root/.cache/pip",
        f"python installer or build backend: {SP}/distutils-precedence",
        f"python installer or build backend: {SP}/pip",
        f"python installer or build backend: {SP}/pkg_resources",
    ]


def test_a_clean_runner_has_none():
    members = [_m(3, f"{SP}/flask/__init__.py"), _m(3, f"{SP}/packaging/version.py"),
               _m(3, f"{SP}/gunicorn-23.0.0.dist-info/RECORD"), _m(3, "app/node_modules/express/index.js"),
               _m(3, "app/lib/pipeline.jar"), _m(3, "app/.yarn/cache/left-pad.zip")]
    assert ic.find_tooling(members) == []


def test_a_runtime_dependency_on_setuptools_is_kept():
    class Facts:
        class installed:
            value = ("flask", "setuptools")

    allowed = ic.runtime_tools(Facts)
    assert allowed == ("_distutils_hack", "distutils-precedence", "pkg_resources", "setuptools")
    members = [_m(1, f"{SP}/pkg_resources/__init__.py"), _m(1, f"{SP}/setuptools/__init__.py"), _m(1, f"{SP}/pip/x.py")]
    assert ic.find_tooling(members, allowed=allowed) == [f"python installer or build backend: {SP}/pip"]


def test_node_dev_only_tooling():
    pkg = json.dumps({"dependencies": {"express": "5"}, "devDependencies": {"typescript": "5", "@types/node": "22",
                                                                              "express": "5", "left-pad": "1"}})
    dev = ic.node_dev_only(pkg)
    assert dev == ("@types/node", "left-pad", "typescript")
    members = [_m(1, "app/node_modules/typescript/package.json"), _m(1, "app/node_modules/@types/node/index.d.ts"),
               _m(1, "app/node_modules/left-pad/index.js"), _m(1, "app/node_modules/express/index.js")]
    # left-pad may also be a transitive runtime package: only known tooling counts.
    assert ic.find_tooling(members, dev_only=dev) == ["dev dependency: app/node_modules/@types/node",
                                                      "dev dependency: app/node_modules/typescript"]
