from __future__ import annotations

import os

import pytest

from dockgen.generator import writer
from dockgen.generator.render import with_marker


def test_create_identical_updated(tmp_path):
    target = tmp_path / "Dockerfile"
    p = writer.decide(target, "FROM a:1\n", display="Dockerfile")
    assert p.result.status == "create"
    writer.apply([p])
    assert target.read_text() == with_marker("FROM a:1\n")
    assert writer.decide(target, "FROM a:1\n", display="Dockerfile").result.status == "identical"
    p = writer.decide(target, "FROM a:2\n", display="Dockerfile")
    assert p.result.status == "updated" and "+FROM a:2" in p.result.diff
    writer.apply([p])
    assert target.read_text().endswith("FROM a:2\n")


def test_hand_edit_is_a_conflict_and_force_keeps_a_backup(tmp_path):
    target = tmp_path / "Dockerfile"
    writer.apply([writer.decide(target, "FROM a:1\n", display="Dockerfile")])
    target.write_text(target.read_text() + "RUN echo mine\n")
    p = writer.decide(target, "FROM a:2\n", display="Dockerfile")
    assert p.result.status == "conflict" and p.content is None and p.result.reason == "edited by hand"
    assert p.result.conflict_kind == "hand-edited"
    p = writer.decide(target, "FROM a:2\n", display="Dockerfile", merge=True)
    assert p.result.status == "conflict" and p.result.conflict_kind == "no-merge-base"
    p = writer.decide(target, "FROM a:2\n", display="Dockerfile", force=True)
    assert p.result.status == "forced" and p.result.conflict_kind == "hand-edited"
    writer.apply([p])
    assert "RUN echo mine" in (tmp_path / "Dockerfile.dockgen-backup").read_text()


def test_foreign_file_is_a_conflict(tmp_path):
    target = tmp_path / "Dockerfile"
    target.write_text("FROM mine\n")
    p = writer.decide(target, "FROM a:1\n", display="Dockerfile")
    assert p.result.status == "conflict" and p.result.reason == "not written by dockgen"
    assert p.result.conflict_kind == "not-dockgen"
    assert writer.decide(target, "FROM a:1\n", display="Dockerfile", merge=True).result.conflict_kind == "not-dockgen"


def test_atomic_write_leaves_old_file_when_replace_fails(tmp_path, monkeypatch):
    target = tmp_path / "Dockerfile"
    target.write_text("old\n")

    def boom(src, dst):
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        writer.atomic_write(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Dockerfile"]
