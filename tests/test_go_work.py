"""go.work: the go.work directory above a module is its build context, the workspace is on, the download
layer copies every used module's go.mod/go.sum, and a go.work directory without a module is refused."""

from __future__ import annotations

import pytest

import dockgen
from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.go_work import members, workspace_root
from support.lint import assert_clean
from support.tree import write_tree

WORK = "go 1.26\n\n// the services and their library\nuse (\n\t./svc\n\t./lib // shared code\n\t./tools\n)\nuse ./gone\n"
MAIN = ('package main\n\nimport (\n\t"net/http"\n\n\t"example.com/lib"\n)\n\n'
        'func main() { http.ListenAndServe(":9000", http.HandlerFunc(lib.Handle)) }\n')


def tree(tmp_path, work: str = WORK, svc_requires: str = "require example.com/lib v0.0.0\n"):
    return write_tree(tmp_path, {
        "go.work": work,
        "svc/go.mod": f"module example.com/svc\n\ngo 1.24\n\n{svc_requires}",
        "svc/main.go": MAIN,
        "lib/go.mod": "module example.com/lib\n\ngo 1.24\n\nrequire github.com/google/uuid v1.6.0\n",
        "lib/go.sum": "github.com/google/uuid v1.6.0 h1:x\n",
        "lib/lib.go": 'package lib\n\nimport "net/http"\n\nfunc Handle(w http.ResponseWriter, r *http.Request) {}\n',
        "tools/go.mod": "module example.com/tools\n\ngo 1.24\n",
        "tools/gen.go": "package tools\n",
        "web/package.json": "{}\n",
    })


def test_members_are_the_used_modules_with_a_go_mod(tmp_path):
    root = tree(tmp_path)
    assert members(root) == ("svc", "lib", "tools")  # ./gone has no go.mod
    assert workspace_root(root / "svc") == root.resolve()
    assert workspace_root(root / "web") is None


def test_module_not_used_by_the_nearest_go_work_is_a_module_of_its_own(tmp_path):
    root = tree(tmp_path)
    write_tree(root, {"other/go.mod": "module example.com/other\n\ngo 1.24\n", "other/main.go": MAIN})
    assert workspace_root(root / "other") is None
    p = dockgen.plan(root / "other")
    assert p.plan.context is None and p.facts.workspace is None


def test_member_builds_from_the_go_work_directory(tmp_path):
    root = tree(tmp_path)
    p = dockgen.plan(root / "svc")
    w = p.facts.workspace.value
    assert (w.dir, w.uses, w.go, w.external) == ("svc", ("svc", "lib", "tools"), "1.26", ("github.com/google/uuid",))
    # go.work's go line is newer than svc/go.mod's: the toolchain must satisfy it
    assert p.facts.go_version.value == "1.26" and p.facts.go_version.source.file == "../go.work"
    assert p.facts.manifests == ("go.work", "svc/go.mod", "lib/go.mod", "lib/go.sum", "tools/go.mod")
    build = p.plan.stages[-2]
    copies = [(c.sources, c.dest) for c in build.instructions if c.kind == "copy"]
    assert copies == [(("go.work",), "./"), (("svc/go.mod",), "./svc/"), (("lib/go.mod", "lib/go.sum"), "./lib/"),
                      (("tools/go.mod",), "./tools/"), (("svc",), "./svc/"), (("lib",), "./lib/"),
                      (("tools",), "./tools/")]
    runs = [i.command for i in build.instructions if i.kind == "run"]
    # named downloads: a bare `go mod download` also looks up example.com/lib v0.0.0, which no proxy has
    assert "go mod download github.com/google/uuid" in runs
    assert runs[-1].endswith("-o /out/svc ./svc")
    assert "go.work" not in p.plan.ignore and "**/go.work" not in p.plan.ignore and "**/bin" in p.plan.ignore
    assert "# Build (BuildKit):  DOCKER_BUILDKIT=1 docker build -f svc/Dockerfile -t IMAGE .\n" in p.dockerfile
    assert p.plan.port == 9000
    assert_clean(p.dockerfile)


def test_nothing_outside_the_workspace_downloads_nothing(tmp_path):
    root = tree(tmp_path, work="go 1.24\nuse ./svc\nuse ./lib\n")
    (root / "lib/go.mod").write_text("module example.com/lib\n\ngo 1.24\n")
    p = dockgen.plan(root / "svc")
    runs = [i.command for i in p.plan.stages[-2].instructions if i.kind == "run"]
    assert not any("go mod download" in r for r in runs)
    assert not p.facts.has_requires.value
    assert not any("go.sum is missing" in w for w in p.warnings)  # svc requires only a workspace module
    assert p.facts.go_version.source.file == "go.mod"  # go.work asks for no newer Go than svc/go.mod


def test_go_work_directory_without_a_module_is_refused_naming_the_mains(tmp_path):
    root = tree(tmp_path)
    with pytest.raises(InvalidInputError) as e:
        dockgen.plan(root)
    assert e.value.exit_code == 5 and e.value.file == "go.work"
    assert "its modules with a main package: svc" in e.value.message  # lib and tools have none
    assert e.value.hint.startswith("run `dockgen init svc`")


def test_single_module_still_ignores_go_work(tmp_path):
    write_tree(tmp_path, {"go.mod": "module example.com/one\n\ngo 1.24\n", "main.go": MAIN.replace(
        '\n\t"example.com/lib"\n', "").replace("lib.Handle", "nil")})
    p = dockgen.plan(tmp_path)
    assert "go.work" in p.plan.ignore and p.plan.context is None


def test_replace_to_a_used_sibling_builds_and_an_unused_one_is_refused(tmp_path):
    root = tree(tmp_path)
    (root / "svc/go.mod").write_text("module example.com/svc\n\ngo 1.24\n\nrequire example.com/lib v0.0.0\n"
                                     "replace example.com/lib => ../lib\n")
    assert dockgen.plan(root / "svc").facts.workspace is not None
    (root / "svc/go.mod").write_text("module example.com/svc\n\ngo 1.24\n\nreplace example.com/x => ../x\n")
    with pytest.raises(InvalidInputError) as e:
        dockgen.plan(root / "svc")
    assert "replace points outside the module (../x)" in e.value.message and "go.work" in e.value.hint
