"""Pure checks behind verify and the e2e suite: progress parsing, layer tarballs, junk, shells, users."""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from dockgen import imagecheck as ic

LOG = """\
#1 [internal] load build definition from Dockerfile
#1 DONE 0.0s

#7 [build 3/5] RUN python -m venv /opt/venv
#7 sha256:4b2e
#7 CACHED

#10 [build 5/5] RUN --mount=type=cache,target=/root/.cache/pip     pip install -r requirements.txt
#10 sha256:5bd5
#10 0.815 Collecting click>=8.1.3
#10 DONE 1.7s

#12 [stage-1 4/5] RUN make
#12 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2
"""


def test_parse_progress_statuses():
    steps = {s.number: s for s in ic.parse_progress(LOG)}
    assert steps[7].cached and steps[7].stage == "[build 3/5]"
    assert steps[10].status == "DONE" and not steps[10].cached
    assert steps[12].status == "ERROR"
    assert steps[1].stage == "[internal]" and not ic.find_run_steps(list(steps.values()), "load build definition")


def test_find_run_steps_ignores_mount_flags_and_whitespace():
    steps = ic.parse_progress(LOG)
    assert [s.number for s in ic.find_run_steps(steps, "pip install  -r requirements.txt")] == [10]
    assert ic.find_run_steps(steps, "pip install -r other.txt") == []
    assert [s.number for s in ic.deps_steps_by_heuristic(steps)] == [10]


def _saved(tmp_path, layers):
    path = tmp_path / "img.tar"
    with tarfile.open(path, "w") as outer:
        names = []
        for i, files in enumerate(layers):
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w") as layer:
                for f in files:
                    ti = tarfile.TarInfo(f)
                    ti.size = 1
                    layer.addfile(ti, io.BytesIO(b"x"))
            ti = tarfile.TarInfo(f"{i}/layer.tar")
            ti.size = len(buf.getvalue())
            outer.addfile(ti, io.BytesIO(buf.getvalue()))
            names.append(f"{i}/layer.tar")
        man = json.dumps([{"Layers": names}]).encode()
        ti = tarfile.TarInfo("manifest.json")
        ti.size = len(man)
        outer.addfile(ti, io.BytesIO(man))
    return path


def test_layer_members_keep_leading_dots(tmp_path):
    members = ic.layer_members(_saved(tmp_path, [["./.env", "./app/.git/HEAD", "/etc/passwd"]]))
    assert [m.path for m in members] == [".env", "app/.git/HEAD", "etc/passwd"]


def test_find_junk_context_items_only_in_own_layers(tmp_path):
    base = ["usr/share/npm/.npmrc", "etc/ssl/private/ssl-cert-snakeoil.key", "usr/bin/node",
            "usr/local/lib/node_modules/npm/.npmrc"]
    own = ["app/server.js", "app/node_modules/x/index.js"]
    members = ic.layer_members(_saved(tmp_path, [base, own]))
    ctx = [".npmrc", ".env", "id_rsa", ".git"]
    assert ic.find_junk(members, ctx, first_own_layer=1) == []
    leaked = ic.layer_members(_saved(tmp_path, [base, own + ["app/.npmrc", "app/.git/config", "app/.git/HEAD"]]))
    assert ic.find_junk(leaked, ctx, first_own_layer=1) == ["app/.git", "app/.npmrc"]
    # Without the base-layer boundary the base image's own config would be a (false) hit.
    assert ic.find_junk(members, ctx, first_own_layer=0) == ["usr/share/npm/.npmrc"]


@pytest.mark.parametrize("path", ["root/.ssh/id_ed25519", "srv/.env.production", "app/certs/server.key",
                                  "home/app/.aws/credentials", "work/.git/config"])
def test_find_junk_patterns_anywhere(tmp_path, path):
    members = ic.layer_members(_saved(tmp_path, [[path]]))
    assert ic.find_junk(members) != []


def test_shells_honour_whiteouts(tmp_path):
    members = ic.layer_members(_saved(tmp_path, [["bin/sh", "bin/bash", "usr/bin/env"], ["bin/.wh.sh"]]))
    assert ic.shells_in(members) == ["bin/bash"]


@pytest.mark.parametrize("user,ok", [("10001", True), ("65532:65532", True), ("", False), ("0", False),
                                     ("0:0", False), ("root", False), ("app", False), ("1000:app", False)])
def test_user_problem(user, ok):
    assert (ic.user_problem(user) is None) is ok


def test_read_dockerfile_resolves_args_and_stages():
    info = ic.read_dockerfile("ARG BASE=gcr.io/distroless/base-debian12:nonroot\nFROM golang:1.22 AS build\n"
                              "RUN go mod download\nFROM ${BASE} AS rt\nFROM rt\nCOPY --from=build /x /x\n")
    assert info.final_base == "gcr.io/distroless/base-debian12:nonroot"
    assert not ic.shell_expected(info.final_base)
    assert ic.shell_expected("python:3.11-slim-bookworm") and not ic.shell_expected("scratch")
