"""Scaffolding: the real cookiecutter and copier generate a project from tests/scaffold/, their hook
or task calls `dockgen.generate(".")`, and the Dockerfile they leave is exactly what `dockgen init`
writes for that project."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import regen as rg
from support.lint import assert_clean

SCAFFOLD = Path(__file__).parent / "scaffold"

def _tool(name: str) -> str:
    exe = Path(sys.executable).parent / name
    if exe.is_file():
        return str(exe)
    found = shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[test]'"
    return found


def _assert_matches_init(project: Path, tmp_path: Path, port: int) -> None:
    text = (project / "Dockerfile").read_text()
    assert f"EXPOSE {port}" in text
    assert 'LABEL org.opencontainers.image.vendor="hello-service"' in text
    assert_clean(text)
    # What `dockgen init` writes for the same project, from scratch:
    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("Dockerfile", ".dockerignore", ".dockgen"))
    r = rg.run("init", str(fresh))
    assert r.returncode == 0, r.stderr
    assert (fresh / "Dockerfile").read_text() == text
    assert (fresh / ".dockerignore").read_text() == (project / ".dockerignore").read_text()
    # and a later plain `dockgen init` / `dockgen check` in the generated project agree with it
    again = rg.run("init", str(project))
    assert again.returncode == 0 and again.stdout.split() == ["identical", "Dockerfile", "identical", ".dockerignore",
                                                            "identical", "compose.yaml"]
    assert rg.run("check", str(project), "--no-pins").returncode == 0


@pytest.mark.parametrize("port", [8000, 9000])
def test_cookiecutter_post_gen_hook(tmp_path, port):
    out = tmp_path / "out"
    r = subprocess.run([_tool("cookiecutter"), "--no-input", "-o", str(out), str(SCAFFOLD / "cookiecutter"),
                        f"port={port}"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "dockgen: create Dockerfile" in r.stdout
    _assert_matches_init(out / "hello-service", tmp_path, port)


def test_cookiecutter_hook_failure_is_reported(tmp_path):
    out = tmp_path / "out"
    r = subprocess.run([_tool("cookiecutter"), "--no-input", "-o", str(out), str(SCAFFOLD / "cookiecutter"),
                        "port=0"], capture_output=True, text=True, timeout=300)
    assert r.returncode != 0
    assert "dockgen: dockgen.toml: port: Input should be greater than or equal to 1" in r.stdout + r.stderr


@pytest.mark.parametrize("port", [8000, 9000])
def test_copier_task(tmp_path, port):
    out = tmp_path / "hello-service"
    r = subprocess.run([_tool("copier"), "copy", "--trust", "--defaults", "--data", f"port={port}",
                        str(SCAFFOLD / "copier"), str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "dockgen: create Dockerfile" in r.stdout + r.stderr
    _assert_matches_init(out, tmp_path, port)


def test_cookiecutter_and_copier_agree(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    subprocess.run([_tool("cookiecutter"), "--no-input", "-o", str(a), str(SCAFFOLD / "cookiecutter")],
                   check=True, capture_output=True, timeout=300)
    subprocess.run([_tool("copier"), "copy", "--trust", "--defaults", str(SCAFFOLD / "copier"), str(b / "hello-service")],
                   check=True, capture_output=True, timeout=300)
    assert (a / "hello-service" / "Dockerfile").read_text() == (b / "hello-service" / "Dockerfile").read_text()
