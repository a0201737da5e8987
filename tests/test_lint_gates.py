"""Lint gates on every golden Dockerfile (issue 6): hadolint, trivy config and checkov.

hadolint must report nothing at all. trivy and checkov must report no failed check except those
in tests/lint-allowlist.toml (one line of reason each, and only where the Dockerfile carries the
entry's explanation). Each tool runs once over all golden files; see tests/support/gates.py for the
exact command lines, why they need no network, and where checkov's separate virtualenv lives.
"""

from __future__ import annotations

import pytest

from support import gates

FILES = gates.golden_dockerfiles()
IDS = [gates.rel(p) for p in FILES]


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    tree = tmp_path_factory.mktemp("lint-gates") / "tree"
    tree.mkdir()
    return tree, gates.stage(tree, FILES)


@pytest.fixture(scope="module")
def trivy_report(staged, tmp_path_factory):
    tree, back = staged
    return gates.trivy(tree, back, tmp_path_factory.mktemp("trivy-cache"))


@pytest.fixture(scope="module")
def checkov_report(staged):
    tree, back = staged
    return gates.checkov(tree, back)


@pytest.fixture(scope="module")
def hadolint_report():
    return gates.hadolint(FILES)


def test_there_are_golden_dockerfiles():
    assert len(FILES) >= 4, "no golden Dockerfiles found under tests/golden/*/"


def test_allowlist_entries_have_reasons():
    entries = gates.allowlist()
    for a in entries:
        assert a.tool in ("trivy", "checkov"), f"{a.check}: hadolint findings are never allowed"
        assert a.reason.strip() and "\n" not in a.reason, f"{a.check}: one-line reason required"
        assert a.requires.strip(), f"{a.check}: `requires` must name dockgen's explanation in the file"
    assert len({(a.tool, a.check) for a in entries}) == len(entries), "duplicate allow-list entries"


def _unexcused(findings, path):
    text = path.read_text("utf-8")
    entries = gates.allowlist()
    return [f for f in findings if f.file == gates.rel(path) and gates.allowed_by(f, text, entries) is None]


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_hadolint_zero_findings(path, hadolint_report):
    mine = [f for f in hadolint_report if f.file == gates.rel(path)]
    assert mine == [], "\n".join(f"{f.check}: {f.title}" for f in mine)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_trivy_config_no_failed_checks(path, trivy_report):
    findings, seen = trivy_report
    assert gates.rel(path) in seen, "trivy did not scan this file as a Dockerfile"
    bad = _unexcused(findings, path)
    assert bad == [], "\n".join(f"{f.check}: {f.title}" for f in bad)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_checkov_no_failed_checks(path, checkov_report):
    findings, seen = checkov_report
    assert gates.rel(path) in seen, "checkov did not scan this file as a Dockerfile"
    bad = _unexcused(findings, path)
    assert bad == [], "\n".join(f"{f.check}: {f.title}" for f in bad)


def test_every_allowlist_entry_is_used(trivy_report, checkov_report):
    used = set()
    texts = {gates.rel(p): p.read_text("utf-8") for p in FILES}
    entries = gates.allowlist()
    for f in [*trivy_report[0], *checkov_report[0]]:
        a = gates.allowed_by(f, texts[f.file], entries)
        if a is not None:
            used.add((a.tool, a.check))
    stale = [f"{a.tool} {a.check}" for a in entries if (a.tool, a.check) not in used]
    assert not stale, f"allow-list entries no golden file needs any more: {stale}"


def test_gates_catch_a_bad_dockerfile(tmp_path):
    """The gates can fail: a root, unpinned, healthcheck-less Dockerfile trips all three."""
    bad = tmp_path / "bad" / "Dockerfile"
    bad.parent.mkdir()
    bad.write_text("FROM python:latest\nRUN apt-get update && apt-get install -y curl\nADD . /app\n"
                   'CMD ["python", "/app/app.py"]\n')
    tree = tmp_path / "tree"
    tree.mkdir()
    back = gates.stage(tree, [bad])
    assert gates.hadolint([bad])
    t, _ = gates.trivy(tree, back, tmp_path / "cache")
    assert {f.check for f in t} >= {"DS-0002"}  # runs as root
    c, _ = gates.checkov(tree, back)
    assert {f.check for f in c} >= {"CKV_DOCKER_3"}  # no USER
    text = bad.read_text()
    assert all(gates.allowed_by(f, text, gates.allowlist()) is None for f in [*t, *c])
