"""dockgen.lock, applying pins to a plan, and the OS-packages policy (hand-built plans)."""

from __future__ import annotations

import pytest

from dockgen.detectors.errors import InvalidInputError, UsageError
from dockgen.detectors.facts import Source, Unpinned
from dockgen.detectors.repo import RepoView
from dockgen.generator import models as m
from dockgen.generator import ospackages
from dockgen.generator.pins import LOCKFILE, Lock, apply_lock, describe, load_lock, missing, parse_lock, unpinned
from dockgen.generator.render import render_dockerfile_body, with_marker
from support.lint import assert_clean

D1 = "sha256:" + "1" * 64
D2 = "sha256:" + "2" * 64


def hand_plan(*, runner_instructions: tuple = (), builder_instructions: tuple = ()) -> m.BuildPlan:
    build = m.Stage(name="build", image=m.ImageRef(name="python", tag="3.11-slim-bookworm"),
                    instructions=(m.Workdir(path="/src"), *builder_instructions,
                                  m.Copy(sources=("app.py",), dest="/src/")))
    final = m.Stage(name=None, image=m.ImageRef(name="gcr.io/distroless/python3-debian12", tag="nonroot"),
                    instructions=(*runner_instructions,
                                  m.Label(pairs=(("org.opencontainers.image.base.name",
                                                  "gcr.io/distroless/python3-debian12:nonroot"),)),
                                  m.Copy(sources=("/src/app.py",), dest="/app/", from_stage="build"),
                                  m.User(uid=65532, gid=65532),
                                  m.Cmd(argv=("/app/app.py",))))
    return m.BuildPlan(ecosystem="python", runner="distroless", reasons=("hand-built",), stages=(build, final),
                       ignore=(), port=None, user=65532)


# -- the lock -----------------------------------------------------------------------------------

def test_lock_round_trip_is_sorted_and_deterministic():
    lock = Lock(images={"python:3.11-slim-bookworm": D1, "gcr.io/distroless/python3-debian12:nonroot": D2},
                mirror="127.0.0.1:5000")
    text = lock.dumps()
    assert text == Lock(images=dict(reversed(list(lock.images.items()))), mirror="127.0.0.1:5000").dumps()
    assert text.index('"gcr.io/') < text.index('"python:')
    again = parse_lock(text)
    assert again.images == lock.images and again.mirror == "127.0.0.1:5000"
    assert "version = 1" in text


@pytest.mark.parametrize("text,match", [
    ("version = 2\n", "version must be 1"),
    ("version = 1\nextra = 1\n", "unknown key 'extra'"),
    ('version = 1\n[images]\n"python" = "%s"\n' % D1, "is not an image name:tag"),
    ('version = 1\n[images]\n"python:3" = "sha256:abc"\n', "is not sha256"),
    ('version = 1\nmirror = "not a host"\n', "HOST"),
    ("version = \n", "invalid TOML"),
])
def test_bad_lock_is_one_line_error_naming_the_file(text, match):
    with pytest.raises(InvalidInputError, match=match) as e:
        parse_lock(text)
    assert str(e.value).startswith(f"{LOCKFILE}: ") and "\n" not in str(e.value)


def test_load_lock_through_the_repo_view(tmp_path):
    assert load_lock(RepoView(tmp_path)) is None
    (tmp_path / LOCKFILE).write_text(Lock(images={"python:3.11-slim-bookworm": D1}).dumps())
    assert load_lock(RepoView(tmp_path)).images == {"python:3.11-slim-bookworm": D1}


# -- applying pins ------------------------------------------------------------------------------

def test_apply_lock_pins_from_lines_and_adds_base_digest_label():
    plan = hand_plan()
    lock = Lock(images={"python:3.11-slim-bookworm": D1, "gcr.io/distroless/python3-debian12:nonroot": D2})
    pinned = apply_lock(plan, lock)
    assert [s.image.ref for s in pinned.stages] == [
        f"python:3.11-slim-bookworm@{D1}", f"gcr.io/distroless/python3-debian12:nonroot@{D2}"]
    label = next(i for i in pinned.stages[1].instructions if i.kind == "label")
    assert ("org.opencontainers.image.base.digest", D2) in label.pairs
    text = with_marker(render_dockerfile_body(pinned))
    assert f"FROM python:3.11-slim-bookworm@{D1} AS build" in text
    assert_clean(text)
    assert apply_lock(plan, None) == plan and apply_lock(plan, Lock()) == plan


def test_apply_lock_with_mirror_names_the_mirror_repository():
    lock = Lock(images={"python:3.11-slim-bookworm": D1, "gcr.io/distroless/python3-debian12:nonroot": D2},
                mirror="127.0.0.1:5000")
    pinned = apply_lock(hand_plan(), lock)
    assert [s.image.ref for s in pinned.stages] == [
        f"127.0.0.1:5000/library/python:3.11-slim-bookworm@{D1}",
        f"127.0.0.1:5000/distroless/python3-debian12:nonroot@{D2}"]
    assert_clean(with_marker(render_dockerfile_body(pinned)))


def test_partial_lock_pins_what_it_has_and_reports_the_rest():
    plan = hand_plan()
    lock = Lock(images={"python:3.11-slim-bookworm": D1})
    assert missing(plan, lock) == ["gcr.io/distroless/python3-debian12:nonroot"]
    desc = describe(plan, lock)
    assert desc[0] == {"image": "python", "tag": "3.11-slim-bookworm", "digest": D1, "source": LOCKFILE,
                       "from": f"python:3.11-slim-bookworm@{D1}"}
    assert desc[1]["digest"] is None and desc[1]["source"] == "catalog"

    class Facts:
        unpinned = (Unpinned(source=Source.of("requirements.txt", "line 3"), spec="flask>=2", name="flask"),)

    items = unpinned(plan, lock, Facts())
    assert items == [
        {"kind": "base image", "item": "gcr.io/distroless/python3-debian12:nonroot", "source": "catalog",
         "fix": "run `dockgen pin`"},
        {"kind": "dependency", "item": "flask>=2", "source": "requirements.txt line 3",
         "fix": "pin it in its manifest"}]


def test_scratch_is_never_pinned():
    plan = hand_plan()
    scratch = m.Stage(name=None, image=m.ImageRef(name="scratch", tag=""), instructions=(m.Cmd(argv=("/app",)),))
    plan = plan.model_copy(update={"stages": (plan.stages[0], scratch)})
    assert missing(plan, Lock()) == ["python:3.11-slim-bookworm"]
    pinned = apply_lock(plan, Lock(images={"python:3.11-slim-bookworm": D1}))
    assert pinned.stages[1].image.ref == "scratch"


# -- OS packages policy -------------------------------------------------------------------------

def test_apt_install_is_pinned_sorted_cached_and_hadolint_clean():
    runs = ospackages.runner_install(["libpq5=15.*", "curl=7.88.1-10+deb12u12", "libpq5=15.*"], "slim")
    assert len(runs) == 1
    cmd = runs[0].command
    assert cmd.startswith("apt-get update && apt-get install -y --no-install-recommends ")
    assert cmd.index("curl=") < cmd.index("'libpq5=15.*'") and cmd.endswith("rm -rf /var/lib/apt/lists/*")
    assert runs[0].mounts[0].flag == "--mount=type=cache,target=/var/cache/dockgen-apt,sharing=locked"
    build = ospackages.builder_install(["gcc=4:12.2.0-3", "libc6-dev=2.36-9+deb12u10"])
    plan = hand_plan(builder_instructions=build)
    slim = plan.stages[1].model_copy(update={
        "image": m.ImageRef(name="python", tag="3.11-slim-bookworm"),
        "instructions": (*runs, *plan.stages[1].instructions)})
    plan = plan.model_copy(update={"stages": (plan.stages[0], slim), "runner": "slim"})
    assert_clean(with_marker(render_dockerfile_body(plan)))


def test_apk_install_is_pinned_and_hadolint_clean():
    runs = ospackages.runner_install(["libpq=17.5-r0"], "alpine")
    assert runs[0].command == "apk add --no-cache libpq=17.5-r0"
    stage = m.Stage(name=None, image=m.ImageRef(name="alpine", tag="3.22", digest=D1),
                    instructions=(*runs, m.User(uid=10001, gid=10001), m.Cmd(argv=("/app",))))
    plan = m.BuildPlan(ecosystem="go", runner="alpine", reasons=(), stages=(stage,), ignore=(), port=None,
                       user=10001)
    assert_clean(with_marker(render_dockerfile_body(plan)))


def test_unpinned_package_is_refused_and_the_linter_agrees():
    with pytest.raises(UsageError, match=r"--package 'curl': not pinned to a version.*NAME=VERSION"):
        ospackages.runner_install(["curl"], "slim")
    # Without the policy hadolint would flag it: the gate can fail.
    from support.lint import hadolint_findings
    bad = "FROM debian:12-slim@" + D1 + "\nRUN apt-get update && apt-get install -y --no-install-recommends curl" \
          " && rm -rf /var/lib/apt/lists/*\n"
    assert [f["code"] for f in hadolint_findings(bad)] == ["DL3008"]


@pytest.mark.parametrize("specs,match", [
    (["Curl=1"], "not a valid debian package name"),
    (["curl=1;rm"], "is not a version"),
    (["curl=*"], "is not a version"),
    (["curl=1", "curl=2"], "two versions"),
    (["curl=$(id)"], "is not a version"),
])
def test_bad_package_specs(specs, match):
    with pytest.raises(UsageError, match=match):
        ospackages.apt_install(specs)


def test_distroless_and_scratch_cannot_install_packages():
    with pytest.raises(UsageError, match="distroless runner has no package manager.*--runner slim"):
        ospackages.runner_install(["curl=7.88.*"], "distroless")
    assert ospackages.runner_install([], "scratch") == ()
