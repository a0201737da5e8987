"""Re-running dockgen: every status (create, identical, updated, conflict, forced, merged, skipped),
--dry-run/--diff, the recorded merge base, and the API's typed result. Real CLI in a subprocess."""

from __future__ import annotations

import pytest
from support import regen as rg
from support.lint import assert_clean

import dockgen
from dockgen.detectors.errors import RefusedError
from dockgen.generator.render import body_hash, split_marker

ENV_TOML = '[env]\nAPP_ENV = "production"\n'


@pytest.fixture
def proj(tmp_path):
    name = rg.EXAMPLE
    root = rg.copy_example(name, tmp_path / "proj")
    opts = rg.example_options(name)
    args = [f"--{k.replace('_', '-')}={v}" for k, v in opts.items()]
    r = rg.run("init", str(root), *args)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["create", "Dockerfile", "create", ".dockerignore", "create", "compose.yaml"]
    return root


def words(r) -> list[tuple[str, str]]:
    out = []
    for ln in r.stdout.splitlines():
        parts = ln.split()
        if len(parts) >= 2 and parts[1] in ("Dockerfile", ".dockerignore"):
            out.append((parts[0], parts[1]))
    return out


def test_plain_rerun_is_identical_and_writes_nothing(proj):
    assert (proj / ".dockgen" / "state.json").is_file()
    assert_clean((proj / "Dockerfile").read_text())
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in proj.rglob("*") if p.is_file()}
    r = rg.run("init", str(proj))  # no flags: the recorded options reproduce the first run
    assert r.returncode == 0, r.stderr
    assert words(r) == [("identical", "Dockerfile"), ("identical", ".dockerignore")]
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in proj.rglob("*") if p.is_file()}
    assert before == after


def test_project_change_updates_an_unedited_file_and_diff_shows_it(proj):
    (proj / "dockgen.toml").write_text(ENV_TOML)
    r = rg.run("init", str(proj), "--diff")
    assert r.returncode == 0, r.stderr
    assert words(r) == [("updated", "Dockerfile"), ("identical", ".dockerignore")]
    assert '+ENV APP_ENV="production"' in r.stdout
    text = (proj / "Dockerfile").read_text()
    assert 'ENV APP_ENV="production"' in text
    assert_clean(text)
    # The recorded merge base is the new body.
    marker, body = split_marker(text)
    assert (proj / ".dockgen/base/Dockerfile.body").read_text() == body
    assert marker == body_hash(body)


def test_hand_edit_is_a_conflict_exit_4_with_a_diff_and_nothing_written(proj):
    df = proj / "Dockerfile"
    df.write_text(df.read_text() + "# my note\n")
    (proj / "dockgen.toml").write_text(ENV_TOML)
    before = rg.snapshot(proj)
    r = rg.run("init", str(proj))
    assert r.returncode == 4, r.stderr
    assert ("conflict", "Dockerfile") in words(r)
    assert "edited by hand" in r.stdout
    assert "--- a/Dockerfile" in r.stdout and "-# my note" in r.stdout
    assert "--merge" in r.stderr and "--force" in r.stderr
    assert rg.snapshot(proj) == before  # not even .dockerignore or the state moved


def test_force_replaces_and_keeps_a_backup(proj):
    df = proj / "Dockerfile"
    edited = df.read_bytes() + b"# my note\n"
    df.write_bytes(edited)
    r = rg.run("init", str(proj), "--force")
    assert r.returncode == 0, r.stderr
    assert ("forced", "Dockerfile") in words(r)
    assert (proj / "Dockerfile.dockgen-backup").read_bytes() == edited
    assert b"# my note" not in df.read_bytes()
    assert rg.run("check", str(proj), "--no-pins").returncode == 0


def test_merge_keeps_hand_edits_and_takes_the_new_render(proj):
    df = proj / "Dockerfile"
    lines = df.read_text().splitlines(True)
    lines.insert(3, "# team note: owned by platform\n")  # inside the header comment block
    df.write_text("".join(lines))
    (proj / "dockgen.toml").write_text(ENV_TOML)
    r = rg.run("init", str(proj), "--merge")
    assert r.returncode == 0, r.stderr + r.stdout
    assert ("merged", "Dockerfile") in words(r)
    text = df.read_text()
    assert "# team note: owned by platform" in text and 'ENV APP_ENV="production"' in text
    assert "<<<<<<<" not in text
    assert_clean(text)
    # Marker = hash of the new render; the base = that render, so the next merge is 3-way again.
    marker, body = split_marker(text)
    base = (proj / ".dockgen/base/Dockerfile.body").read_text()
    assert marker == body_hash(base) and "# team note" not in base
    # Nothing new: --merge leaves the file alone; a plain run still calls it a conflict.
    again = rg.run("init", str(proj), "--merge")
    assert again.returncode == 0 and ("identical", "Dockerfile") in words(again)
    assert df.read_text() == text
    plain = rg.run("init", str(proj))
    assert plain.returncode == 4
    # check: not what init writes
    c = rg.run("check", str(proj), "--no-pins")
    assert c.returncode == 1 and "Dockerfile edited by hand" in c.stdout


def test_merge_conflict_is_marked_and_exits_1(proj):
    df = proj / "Dockerfile"
    text = df.read_text()
    tail = text.rstrip("\n").splitlines()[-1]  # the ENTRYPOINT/CMD line
    df.write_text(text.replace(tail, tail + "\n# hand-written trailer"))
    (proj / "dockgen.toml").write_text('command = ["/bin/other", "--flag"]\n')
    r = rg.run("init", str(proj), "--merge")
    assert r.returncode == 1, r.stdout + r.stderr
    assert ("merged", "Dockerfile") in words(r) and "1 conflict" in r.stdout
    merged = df.read_text()
    for marker in ("<<<<<<< Dockerfile (your edits)", "||||||| Dockerfile (dockgen's last render)",
                   "=======", ">>>>>>> Dockerfile (dockgen's new render)"):
        assert marker in merged
    assert "# hand-written trailer" in merged and '"/bin/other", "--flag"' in merged
    c = rg.run("check", str(proj), "--no-pins")
    assert c.returncode == 1 and "unresolved merge conflict markers" in c.stdout


def test_merge_needs_the_recorded_base(proj):
    import shutil

    df = proj / "Dockerfile"
    df.write_text(df.read_text() + "# my note\n")
    shutil.rmtree(proj / ".dockgen")
    (proj / "dockgen.toml").write_text(ENV_TOML)
    r = rg.run("init", str(proj), "--merge")
    assert r.returncode == 4
    assert "cannot merge: no recorded base" in r.stdout


def test_foreign_file_cannot_be_merged(tmp_path):
    name = rg.EXAMPLE
    root = rg.copy_example(name, tmp_path / "p")
    (root / "Dockerfile").write_text("FROM scratch\n")
    r = rg.run("init", str(root), "--merge", *[f"--{k.replace('_', '-')}={v}" for k, v in rg.example_options(name).items()])
    assert r.returncode == 4
    assert "not written by dockgen; cannot merge" in r.stdout
    assert (root / "Dockerfile").read_text() == "FROM scratch\n"


def test_edit_matching_the_new_render_is_an_update(proj):
    (proj / "dockgen.toml").write_text(ENV_TOML)
    planned = dockgen.plan(proj)
    df = proj / "Dockerfile"
    marker_lines = df.read_text().split("\n", 2)[:2]
    df.write_text("\n".join(marker_lines) + "\n" + planned.dockerfile_body)  # old marker, new body
    r = rg.run("init", str(proj))
    assert r.returncode == 0, r.stderr
    assert ("updated", "Dockerfile") in words(r)
    assert df.read_text() == planned.dockerfile


def test_skip_leaves_a_hand_written_dockerignore_alone(proj):
    di = proj / ".dockerignore"
    di.write_text("node_modules\n")
    (proj / "dockgen.toml").write_text('skip = [".dockerignore"]\n')
    r = rg.run("init", str(proj))
    assert r.returncode == 0, r.stderr
    assert words(r) == [("identical", "Dockerfile"), ("skipped", ".dockerignore")]
    assert di.read_text() == "node_modules\n"
    assert rg.run("check", str(proj), "--no-pins").returncode == 0


def test_dry_run_and_diff_write_nothing(proj):
    (proj / "dockgen.toml").write_text(ENV_TOML)
    before = rg.snapshot(proj)
    r = rg.run("init", str(proj), "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "would updated" in r.stdout or "would update" in r.stdout
    assert '+ENV APP_ENV="production"' in r.stdout
    assert rg.snapshot(proj) == before


def test_merge_and_force_exclude_each_other(proj):
    r = rg.run("init", str(proj), "--merge", "--force")
    assert r.returncode == 2 and "exclude each other" in r.stderr


def test_api_returns_typed_statuses_and_refusal_carries_the_result(proj):
    res = dockgen.generate(proj, dry_run=True)
    assert [(f.path, f.status) for f in res.files] == [("Dockerfile", "identical"), (".dockerignore", "identical"),
                                                        ("compose.yaml", "identical")]
    assert res.ok and res.merge_conflicts == 0
    df = proj / "Dockerfile"
    df.write_text(df.read_text() + "# edit\n")
    with pytest.raises(RefusedError) as info:
        dockgen.generate(proj, env=(("A", "1"),))
    assert info.value.exit_code == 4
    refused = info.value.result
    assert [f.status for f in refused.files] == ["conflict", "identical", "identical"]
    assert "+# edit" not in refused.files[0].diff and "-# edit" in refused.files[0].diff
    res = dockgen.generate(proj, merge=True, env=(("A", "1"),))
    assert res.files[0].status == "merged" and res.ok
    assert "# edit" in df.read_text() and 'ENV A="1"' in df.read_text()
