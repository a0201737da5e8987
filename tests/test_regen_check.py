"""`dockgen check`: 0 when the files are exactly what init writes now, 1 with reasons and a diff
otherwise; read-only; the base-image pin check (issue 4) is part of it unless --no-pins."""

from __future__ import annotations

import shutil

import pytest
from support import regen as rg

import dockgen
from dockgen import drift_check
from dockgen.generator.render import split_marker, with_marker


@pytest.fixture
def proj(tmp_path):
    name = rg.EXAMPLE
    root = rg.copy_example(name, tmp_path / "proj")
    args = [f"--{k.replace('_', '-')}={v}" for k, v in rg.example_options(name).items()]
    assert rg.run("init", str(root), *args).returncode == 0
    return root


def _check(root, *args):
    return rg.run("check", str(root), "--no-pins", *args)


def test_fresh_output_passes_and_check_writes_nothing(proj):
    before = rg.snapshot(proj)
    r = _check(proj)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines() == ["ok         Dockerfile", "ok         .dockerignore", "ok         compose.yaml"]
    assert rg.snapshot(proj) == before


def test_missing_file(proj):
    (proj / ".dockerignore").unlink()
    r = _check(proj)
    assert r.returncode == 1
    assert "drift      .dockerignore\n  reason: .dockerignore is missing" in r.stdout
    assert "+++ b/.dockerignore" in r.stdout


def test_hand_edit_is_reported_with_a_diff(proj):
    df = proj / "Dockerfile"
    df.write_text(df.read_text() + "RUN echo hi\n")
    r = _check(proj)
    assert r.returncode == 1
    assert "  reason: Dockerfile edited by hand" in r.stdout
    assert "-RUN echo hi" in r.stdout
    assert "not what `dockgen init` writes now" in r.stderr
    q = _check(proj, "--quiet")
    assert q.returncode == 1 and "-RUN echo hi" not in q.stdout


def test_foreign_dockerfile(proj):
    (proj / "Dockerfile").write_text("FROM scratch\n")
    r = _check(proj)
    assert r.returncode == 1 and "Dockerfile was not written by dockgen" in r.stdout


def test_config_change_reason(proj):
    with (proj / "dockgen.toml").open("a") as fh:
        fh.write("port = 8123\n")
    r = _check(proj)
    assert r.returncode == 1
    assert "  reason: option port = 8123 set in dockgen.toml" in r.stdout


def test_no_state_reason(proj):
    shutil.rmtree(proj / ".dockgen")
    assert _check(proj).returncode == 0  # state is only needed to explain a drift
    with (proj / "dockgen.toml").open("a") as fh:
        fh.write('[env]\nX = "1"\n')
    r = _check(proj)
    assert r.returncode == 1 and "no .dockgen/state.json records" in r.stdout


def test_same_project_new_dockgen_output_reason(proj):
    """A file an older dockgen wrote (marker matches its body) but today's render differs."""
    df = proj / "Dockerfile"
    _, body = split_marker(df.read_text())
    df.write_text(with_marker(body.replace("\n", "\n# older dockgen comment\n", 1)))
    r = _check(proj)
    assert r.returncode == 1
    assert "edited by hand" not in r.stdout
    assert "dockgen's own output changed" in r.stdout


def test_skipped_file_is_not_checked(proj):
    with (proj / "dockgen.toml").open("a") as fh:
        fh.write('skip = [".dockerignore"]\n')
    (proj / ".dockerignore").write_text("anything\n")
    r = _check(proj)
    assert r.returncode == 0 and "skipped    .dockerignore" in r.stdout


def test_pin_findings_fail_the_check(proj):
    r = rg.run("check", str(proj))
    assert r.returncode == 1
    pins = [ln for ln in r.stdout.splitlines() if ln.startswith("pin: ")]
    assert pins and all("no digest" in ln for ln in pins), r.stdout
    assert "ok         Dockerfile" in r.stdout  # drift itself is fine


def test_online_and_offline_exclude_each_other(proj):
    r = rg.run("check", str(proj), "--online", "--offline")
    assert r.returncode == 2 and "exclude each other" in r.stderr


def test_api_report(proj):
    report = drift_check.check_files(proj)
    assert report.ok and [f.status for f in report.files] == ["ok", "ok", "ok"]
    assert dockgen.plan(proj).dockerfile == (proj / "Dockerfile").read_text()
