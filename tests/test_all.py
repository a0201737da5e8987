"""``dockgen init --all`` (and ``plan``/``check``/``pin --all``) on the two-service Maven fixture.

Golden files: tests/golden/java-maven-services/all/ (rewrite with ``--update-golden``, then read the
diff). The bake file's quoting is property-tested with python-hcl2 (a test-only dependency).
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

import dockgen
from dockgen import workspace_all
from dockgen.detectors.errors import InvalidInputError, RefusedError, UsageError
from dockgen.generator import bake
from support import examples as ex
from support.lint import assert_clean
from support.regen import run, snapshot

NAME = "java-maven-services"
GOLDEN_ALL = ex.GOLDEN / NAME / "all"
WRITTEN = ("docker-bake.hcl", "compose.yaml", "orders/Dockerfile", "orders/Dockerfile.dockerignore", "billing/Dockerfile",
           "billing/Dockerfile.dockerignore")


@pytest.fixture
def repo(tmp_path):
    return shutil.copytree(ex.EXAMPLES / NAME, tmp_path / NAME)


def test_golden_files(repo, update_golden):
    r = run("init", "--all", str(repo))
    assert r.returncode == 0, r.stderr
    for rel in WRITTEN:
        golden = GOLDEN_ALL / rel.replace("/", "__")
        text = (repo / rel).read_text("utf-8")
        if update_golden:
            golden.write_text(text, encoding="utf-8")
        assert text == golden.read_text("utf-8"), rel
        if rel.endswith("/Dockerfile"):
            assert_clean(text)
    # The member's Dockerfile is the one `dockgen init orders` writes (tests/golden/<name>/Dockerfile).
    assert (repo / "orders/Dockerfile").read_text("utf-8") == (ex.GOLDEN / NAME / "Dockerfile").read_text("utf-8")
    assert not (repo / "common/Dockerfile").exists()
    # One compose.yaml at the root, each member built from its bake target's context; none in the members.
    services = __import__("yaml").safe_load((repo / "compose.yaml").read_text())["services"]
    assert {k: v["build"] for k, v in services.items()} == {
        "orders": {"context": ".", "dockerfile": "orders/Dockerfile"},
        "billing": {"context": ".", "dockerfile": "billing/Dockerfile"}}
    assert not (repo / "orders/compose.yaml").exists()


def test_library_skipped_with_a_note(repo):
    r = run("init", "--all", str(repo))
    assert "note: skipped common: common/pom.xml builds a library jar" in r.stderr
    text = (repo / "docker-bake.hcl").read_text("utf-8")
    assert "# skipped common: common/pom.xml builds a library jar" in text
    assert re.search(r'targets = \["orders", "billing"\]', text)
    assert "create     docker-bake.hcl" in r.stdout


def test_rerun_is_identical(repo):
    assert run("init", "--all", str(repo)).returncode == 0
    before = snapshot(repo)
    r = run("init", "--all", str(repo))
    assert r.returncode == 0, r.stderr
    assert [ln.split()[0] for ln in r.stdout.splitlines()] == ["identical"] * len(WRITTEN)
    assert snapshot(repo) == before


def test_refused_member_fails_the_run_and_writes_nothing(repo):
    pom = repo / "billing/pom.xml"
    pom.write_text(pom.read_text("utf-8").replace("<name>billing</name>", "<packaging>war</packaging>"), "utf-8")
    before = snapshot(repo)
    with pytest.raises(InvalidInputError) as err:
        workspace_all.generate_all(repo)
    assert "member billing refused" in err.value.message and "war" in err.value.message
    assert snapshot(repo) == before
    r = run("init", "--all", str(repo))
    assert r.returncode == 5 and "member billing refused" in r.stderr
    assert snapshot(repo) == before


def test_conflict_in_the_bake_file_writes_nothing(repo):
    assert run("init", "--all", str(repo)).returncode == 0
    bake_file = repo / "docker-bake.hcl"
    bake_file.write_text(bake_file.read_text("utf-8") + "# my note\n", "utf-8")
    (repo / "orders/Dockerfile").unlink()
    before = snapshot(repo)
    r = run("init", "--all", str(repo))
    assert r.returncode == 4 and "docker-bake.hcl" in r.stderr
    assert "conflict   docker-bake.hcl" in r.stdout
    assert snapshot(repo) == before  # orders/Dockerfile was not re-created either
    r = run("init", "--all", "--merge", str(repo))
    assert r.returncode == 0, r.stderr
    assert bake_file.read_text("utf-8").endswith("# my note\n")
    assert (repo / "orders/Dockerfile").is_file()
    r = run("init", "--all", "--force", str(repo))
    assert r.returncode == 0 and (repo / "docker-bake.hcl.dockgen-backup").is_file()
    assert "# my note" not in bake_file.read_text("utf-8")


def test_check_all_and_drift(repo):
    assert run("check", "--all", "--no-pins", str(repo)).returncode == 1  # nothing written yet
    assert run("init", "--all", str(repo)).returncode == 0
    r = run("check", "--all", "--no-pins", str(repo))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("ok ") == len(WRITTEN)
    pom = repo / "pom.xml"
    pom.write_text(pom.read_text("utf-8").replace("<module>billing</module>", ""), "utf-8")
    r = run("check", "--all", "--no-pins", "-q", str(repo))
    assert r.returncode == 1
    assert "drift      docker-bake.hcl" in r.stdout and "reason: member billing is gone" in r.stdout
    assert "dockgen init --all" in r.stderr


def test_check_all_covers_pins(repo):
    assert run("init", "--all", str(repo)).returncode == 0
    r = run("check", "--all", str(repo))
    assert r.returncode == 1
    assert "pin: orders/Dockerfile:" in r.stdout and "pin: billing/Dockerfile:" in r.stdout
    r = run("pin", "--all", "--offline", str(repo))
    assert r.returncode == 1 and "missing    billing: " in r.stdout
    assert "\nskipped    dockgen.lock" not in "\n" + r.stdout  # no root lock with --all


def test_pin_all_pins_every_member(repo):
    from dockgen.cmd_pin import pin_all
    from dockgen.registry import Resolved

    class Fixed:
        def resolve(self, image):
            return Resolved(image=image, digest="sha256:" + "ab" * 32, media_type="x", registry="r", repository="p")

    assert run("init", "--all", str(repo)).returncode == 0
    report = pin_all(repo, client=Fixed())
    assert {f.path: f.status for f in report.files}["billing/dockgen.lock"] == "create"
    for member in ("orders", "billing"):
        assert (repo / member / "dockgen.lock").is_file()
        assert "@sha256:" + "ab" * 32 in (repo / member / "Dockerfile").read_text("utf-8")
    assert run("check", "--all", str(repo)).returncode == 0


def test_plan_all_json(repo):
    r = run("plan", "--all", "--json", str(repo))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["targets"] == ["orders", "billing"]
    by = {m["member"]: m for m in data["members"]}
    assert "library jar" in by["common"]["skipped"]
    assert by["orders"]["dockerfile"] == "orders/Dockerfile" and by["orders"]["context"] == "."
    assert by["orders"]["dockerignore"] == "orders/Dockerfile.dockerignore"
    assert by["billing"]["runner"] == "distroless" and by["billing"]["stack"] == "java"
    assert by["orders"]["plan"]["facts"]["upstream"]["value"] == ["common"]
    assert not list(repo.rglob("Dockerfile"))  # plan writes nothing


def test_not_a_workspace(tmp_path):
    shutil.copytree(ex.EXAMPLES / "java-maven-plain", tmp_path / "p")
    with pytest.raises(UsageError, match="not a workspace root"):
        workspace_all.plan_all(tmp_path / "p")
    r = run("init", "--all", str(tmp_path / "p"))
    assert r.returncode == 2 and "Java (Maven) (pom.xml)" in r.stderr


def test_conflicting_flags(repo):
    assert run("init", "--all", "--stdout", str(repo)).returncode == 2


def test_refused_run_lists_every_file(repo):
    (repo / "billing/Dockerfile").write_text("FROM scratch\n", "utf-8")
    with pytest.raises(RefusedError) as err:
        workspace_all.generate_all(repo)
    statuses = {f.path: f.status for f in err.value.result.files}
    assert statuses["billing/Dockerfile"] == "conflict" and statuses["orders/Dockerfile"] == "create"
    assert not (repo / "orders/Dockerfile").exists()


def test_java_library_members_are_skipped_not_refused(repo):
    from dockgen.generator import stacks

    def reason(member):
        return stacks.detect(stacks.open_repo(repo / member)).tooling_reason()

    assert "library jar" in reason("common")
    assert reason("orders") is None and reason("billing") is None
    # A Spring Boot library of a Boot build (no spring-boot-maven-plugin: never repackaged) is skipped too.
    pom = repo / "common/pom.xml"
    text = pom.read_text("utf-8")
    parent = text[text.index("<parent>"):text.index("</parent>") + len("</parent>")]
    pom.write_text(text.replace(parent, """<parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.3.0</version>
  </parent>
  <groupId>com.example.shop</groupId>
  <version>1.0.0</version>"""), "utf-8")
    facts = stacks.detect(stacks.open_repo(repo / "common"))
    assert facts.spring_boot is not None and "library jar" in facts.tooling_reason()
    assert [m.path for m in workspace_all.plan_all(repo).served] == ["orders", "billing"]


# ---- every stack that knows workspaces -------------------------------------------------------------

@pytest.mark.parametrize(("name", "served", "skipped"), [
    ("node-npm-workspace", "apps/api", {"apps/docs": "builds files", "packages/greeting": "workspace library"}),
    # A static frontend whose output folder is known is a target (nginx); apps/docs above writes `out`
    # from a node -e script, which dockgen cannot locate: still skipped.
    ("node-npm-spa-workspace", "spa-app", {"packages/greeting": "workspace library"}),
    ("node-pnpm-workspace", "apps/api", {"packages/greeting": "workspace library"}),
    ("python-uv-workspace", "backend", {"libs/greeting": "dev tooling only"}),
    ("go-work", "svc", {"greet": "workspace library"}),
])
def test_all_on_each_stacks_workspace(tmp_path, name, served, skipped):
    """The members that serve get the Dockerfile `dockgen init <member>` writes (its golden file);
    libraries and frontends are skipped with their reason, in the bake file too."""
    repo = shutil.copytree(ex.EXAMPLES / name, tmp_path / name)
    r = run("init", "--all", str(repo))
    assert r.returncode == 0, r.stderr
    assert (repo / served / "Dockerfile").read_text("utf-8") == (ex.GOLDEN / name / "Dockerfile").read_text("utf-8")
    bake_text = (repo / "docker-bake.hcl").read_text("utf-8")
    assert f'dockerfile = "{served}/Dockerfile"' in bake_text
    for member, why in skipped.items():
        assert not (repo / member / "Dockerfile").exists()
        assert f"note: skipped {member}: " in r.stderr and why in r.stderr.split(f"skipped {member}: ")[1].splitlines()[0]
        assert f"# skipped {member}: " in bake_text


def test_a_root_that_is_two_stacks_workspaces(tmp_path):
    """full-stack-fastapi's shape: the root is an npm workspace (a frontend that only builds) and a
    uv workspace (the backend serves). `init` at the root refuses and points at --all, which finds
    the Python member and the frontend, a Vite SPA served by nginx (as the project's own frontend
    Dockerfile does)."""
    repo = shutil.copytree(ex.EXAMPLES / "python-uv-workspace", tmp_path / "fs")
    (repo / "frontend").mkdir()
    (repo / "package.json").write_text('{"name": "root", "private": true, "workspaces": ["frontend"]}\n')
    (repo / "frontend/package.json").write_text('{"name": "frontend", "private": true, "scripts": {"build": "vite build"},'
                                                ' "devDependencies": {"vite": "7.0.0"}}\n')
    (repo / "package-lock.json").write_text(json.dumps({"name": "root", "lockfileVersion": 3, "requires": True, "packages": {
        "": {"name": "root", "workspaces": ["frontend"]}, "frontend": {"name": "frontend", "devDependencies": {"vite": "7.0.0"}},
        "node_modules/frontend": {"resolved": "frontend", "link": True}}}))
    r = run("init", str(repo))
    assert r.returncode == 5 and "dockgen init --all" in r.stderr and not (repo / "Dockerfile").exists()
    r = run("init", "--all", str(repo))
    assert r.returncode == 0, r.stderr
    assert "skipped frontend" not in r.stderr
    web = (repo / "frontend/Dockerfile").read_text("utf-8")
    assert "FROM debian:trixie-slim" in web and 'COPY --from=build ["/app/frontend/dist", "/app"]' in web
    assert 'target "frontend"' in (repo / "docker-bake.hcl").read_text("utf-8")
    assert (repo / "backend/Dockerfile").read_text("utf-8") == (ex.GOLDEN / "python-uv-workspace/Dockerfile").read_text("utf-8")
