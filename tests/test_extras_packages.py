"""Extra OS packages work the same way in every ecosystem (generator/extras.py + ospackages)."""

from __future__ import annotations

import pytest

import dockgen
from dockgen.detectors.errors import UsageError
from dockgen.generator.render import parse_dockerfile_full
from support import examples as ex
from support.lint import assert_clean

EXAMPLES = ["python-flask-pip", "node-express-npm", "java-maven-plain", "go-static"]


@pytest.mark.parametrize("name", EXAMPLES)
def test_packages_render_clean_in_the_right_places(name):
    p = dockgen.plan(ex.EXAMPLES / name, packages=("libpq5=15.*",), build_packages=("make=4.*",),
                     **ex.expect(name).get("options", {}))
    assert_clean(p.dockerfile)
    assert p.plan.runner == "slim", "the default runner must be one that can install packages"
    cmds = parse_dockerfile_full(p.dockerfile)
    froms = [i for i, c in enumerate(cmds) if c[0] == "FROM"]
    final = cmds[froms[-1]:]
    runtime_install = [i for i, c in enumerate(final) if c[0] == "RUN" and "'libpq5=15.*'" in c[2][0]]
    user = [i for i, c in enumerate(final) if c[0] == "USER"]
    assert runtime_install and user and runtime_install[-1] < user[-1], "packages install as root, before USER"
    builder = cmds[froms[0]:froms[1]]
    assert any(c[0] == "RUN" and "'make=4.*'" in c[2][0] for c in builder)
    assert not any("'make=4.*'" in c[2][0] for c in final if c[0] == "RUN"), "build packages stay in the builder"


@pytest.mark.parametrize("name", EXAMPLES)
def test_distroless_with_packages_is_refused(name):
    with pytest.raises(UsageError):
        dockgen.plan(ex.EXAMPLES / name, packages=("libpq5=15.*",), runner="distroless",
                     **ex.expect(name).get("options", {}))


def test_unpinned_package_is_refused():
    with pytest.raises(UsageError, match="not pinned"):
        dockgen.plan(ex.EXAMPLES / "go-static", packages=("libpq5",))
