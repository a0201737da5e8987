"""A stack change is picked up: after the change `dockgen check` fails with the reason, a plain
`dockgen init` updates the files to exactly what a fresh init of the changed project writes, and
`check` passes again. One case per ecosystem change named in the issue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import examples as ex
from support import regen as rg
from support.lint import assert_clean

E = ex.EXAMPLES


def _req_to_uv(root: Path) -> None:
    root.mkdir()
    shutil.copy(E / "python-fastapi-uv" / "main.py", root)
    (root / "requirements.txt").write_text("fastapi==0.121.3\nuvicorn==0.38.0\n")
    (root / ".python-version").write_text("3.11\n")


def _to_uv(root: Path) -> None:
    (root / "requirements.txt").unlink()
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(E / "python-fastapi-uv" / name, root)


def _copy(name: str):
    return lambda root: shutil.copytree(E / name, root)


def _py313(root: Path) -> None:
    (root / ".python-version").write_text("3.13\n")


def _to_cmd(root: Path) -> None:
    (root / "cmd" / "hello").mkdir(parents=True)
    (root / "main.go").rename(root / "cmd" / "hello" / "main.go")


def _express_to_nest(root: Path) -> None:
    for name in ("server.js", "package.json", "package-lock.json"):
        (root / name).unlink()
    shutil.copytree(E / "node-nestjs", root, dirs_exist_ok=True)


CASES = {
    # id: (example whose ecosystem must work, make A, change A → B, reasons check must give, text in B's Dockerfile)
    "requirements.txt→uv.lock": ("python-fastapi-uv", _req_to_uv, _to_uv,
                                 ["uv.lock appeared", "requirements.txt disappeared", "manager changed: pip → uv"],
                                 "uv sync"),
    "python 3.11→3.13": ("python-flask-pip", _copy("python-flask-pip"), _py313,
                         ["python_version changed: 3.11 → 3.13 (from .python-version)"], "3.13"),
    "new cmd/ main": ("go-static", _copy("go-static"), _to_cmd,
                      ["mains changed: [.] → [cmd/hello]"], "./cmd/hello"),
    "Express→NestJS": ("node-nestjs", _copy("node-express-npm"), _express_to_nest,
                       ["package.json changed", "package-lock.json changed"], "dist/main.js"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_stack_change_is_picked_up(case, tmp_path):
    example, make, change, reasons, new_text = CASES[case]
    root = tmp_path / "proj"
    make(root)
    r = rg.run("init", str(root))
    assert r.returncode == 0, r.stderr
    before = (root / "Dockerfile").read_text()
    assert rg.run("check", str(root), "--no-pins").returncode == 0

    change(root)
    c = rg.run("check", str(root), "--no-pins")
    assert c.returncode == 1, c.stdout
    assert "drift      Dockerfile" in c.stdout
    for reason in reasons:
        assert f"  reason: {reason}" in c.stdout, c.stdout
    assert "edited by hand" not in c.stdout

    r = rg.run("init", str(root))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[:2] == ["updated", "Dockerfile"]
    after = (root / "Dockerfile").read_text()
    assert new_text in after and new_text not in before
    assert_clean(after)

    # exactly what a fresh init of the changed project writes
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns(".dockgen", "Dockerfile", ".dockerignore"))
    assert rg.run("init", str(fresh)).returncode == 0
    assert (fresh / "Dockerfile").read_text() == after
    assert (fresh / ".dockerignore").read_text() == (root / ".dockerignore").read_text()
    assert rg.run("check", str(root), "--no-pins").returncode == 0
