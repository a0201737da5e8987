"""Go detector: every fact and its source (go.mod, go.sum, vendor/, main packages, cgo, port)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockgen.detectors import go
from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.facts import DEFAULT
from dockgen.detectors.repo import RepoView
from support.tree import write_tree

MAIN = 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n'
LIB = "package lib\n\nfunc X() int { return 1 }\n"
CGO_MAIN = 'package main\n\n// int f(void) { return 1; }\nimport "C"\n\nfunc main() { _ = C.f() }\n'


def make(tmp_path: Path, files: dict[str, str]) -> RepoView:
    return RepoView(write_tree(tmp_path, files))


def detect(tmp_path: Path, files: dict[str, str]) -> go.GoFacts:
    facts = go.detect(make(tmp_path, files))
    assert facts is not None
    return facts


def gomod(extra: str = "", go_line: str = "go 1.22") -> str:
    return f"module example.com/app\n\n{go_line}\n{extra}"


def test_no_go_mod_is_not_go(tmp_path):
    assert go.detect(make(tmp_path, {"main.go": MAIN})) is None


def test_module_and_go_directive_with_sources(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod(go_line="go 1.22.3"), "main.go": MAIN})
    assert (f.module.value, str(f.module.source)) == ("example.com/app", "go.mod module")
    assert (f.go_directive.value, str(f.go_directive.source)) == ("1.22.3", "go.mod go")
    assert (f.go_version.value, str(f.go_version.source)) == ("1.22.3", "go.mod go")
    assert f.toolchain is None
    assert f.ecosystem == "go" and f.manifests == ("go.mod",)


def test_toolchain_wins_over_go(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod("toolchain go1.25.1\n", "go 1.22.3"), "main.go": MAIN})
    assert (f.toolchain.value, str(f.toolchain.source)) == ("1.25.1", "go.mod toolchain")
    assert (f.go_version.value, str(f.go_version.source)) == ("1.25.1", "go.mod toolchain")


def test_older_toolchain_does_not_lower_the_go_line(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod("toolchain go1.21.0\n", "go 1.25"), "main.go": MAIN})
    assert (f.go_version.value, str(f.go_version.source)) == ("1.25", "go.mod go")


def test_toolchain_default_is_ignored(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod("toolchain default\n"), "main.go": MAIN})
    assert f.toolchain is None and str(f.go_version.source) == "go.mod go"


def test_missing_go_directive_is_a_none_fact(tmp_path):
    f = detect(tmp_path, {"go.mod": "module example.com/app\n", "main.go": MAIN})
    assert f.go_version is None and f.go_directive is None


@pytest.mark.parametrize("text", [
    "module example.com/app\ngo 1.22; rm -rf /\n",
    "module example.com/app\ngo 2.0\n",
    "module example.com/app\ngo latest\n",
    "module example.com/app\ntoolchain 1.25.1\n",
    'module "example.com/a b"\ngo 1.22\n',
    "module example.com/$(id)\ngo 1.22\n",
    "module example.com/app\ngo 1.22\nrequire (\nexample.com/x v1.0.0\n",
    "go 1.22\n",
    "module example.com/app\ngo 1.22\nreplace example.com/x => ../x\n",
])
def test_bad_go_mod_is_refused_naming_the_file(tmp_path, text):
    with pytest.raises(InvalidInputError) as e:
        go.detect(make(tmp_path, {"go.mod": text, "main.go": MAIN}))
    assert str(e.value).startswith("go.mod: ")


def test_go_sum_present(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod("require example.com/x v1.0.0\n"), "go.sum": "x\n", "main.go": MAIN})
    assert (f.go_sum.value, str(f.go_sum.source)) == (True, "go.sum")
    assert (f.has_requires.value, str(f.has_requires.source)) == (True, "go.mod require")
    assert f.manifests == ("go.mod", "go.sum") and f.warnings == ()


def test_go_sum_missing_with_requires_warns(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod("require (\n\texample.com/x v1.0.0 // indirect\n)\n"), "main.go": MAIN})
    assert (f.go_sum.value, str(f.go_sum.source)) == (False, DEFAULT)
    assert len(f.warnings) == 1 and "go.sum is missing" in f.warnings[0]


def test_go_sum_missing_without_requires_is_fine(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod(), "main.go": MAIN})
    assert f.warnings == () and (f.has_requires.value, str(f.has_requires.source)) == (False, DEFAULT)


def test_vendored(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod("require example.com/x v1.0.0\n"), "main.go": MAIN,
                          "vendor/modules.txt": "# example.com/x v1.0.0\n## explicit\nexample.com/x\n",
                          "vendor/example.com/x/x.go": 'package x\n\nimport "C"\n'})
    assert (f.vendored.value, str(f.vendored.source)) == (True, "vendor/modules.txt")
    assert f.warnings == ()  # vendor mode does not read go.sum
    assert f.cgo.value is False  # vendored sources are not the module's own


def test_not_vendored_without_modules_txt(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod(), "main.go": MAIN, "vendor/README": "x"})
    assert (f.vendored.value, str(f.vendored.source)) == (False, DEFAULT)


def test_root_main(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod(), "main.go": MAIN, "lib/lib.go": LIB, "main_test.go": "package main\n"})
    assert (f.mains.value, str(f.mains.source)) == ((".",), "main.go package main")


def test_cmd_mains_sorted_and_nested_dirs_ignored(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod(), "cmd/worker/main.go": MAIN, "cmd/api/main.go": MAIN,
                          "cmd/api/handlers/h.go": "package handlers\n", "tools/gen/main.go": MAIN,
                          "internal/x/x.go": LIB})
    assert f.mains.value == ("cmd/api", "cmd/worker")
    assert str(f.mains.source) == "cmd/api/main.go package main, cmd/worker/main.go package main"


def test_root_and_cmd_mains(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod(), "server.go": MAIN, "cmd/cli/main.go": MAIN})
    assert f.mains.value == (".", "cmd/cli")


def test_no_main(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod(), "lib.go": LIB})
    assert (f.mains.value, str(f.mains.source)) == ((), DEFAULT)


def test_build_ignored_main_is_skipped(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod(), "gen.go": "//go:build ignore\n\npackage main\n", "lib.go": LIB})
    assert f.mains.value == ()


def test_cmd_dir_with_unsafe_name_is_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="main package directory"):
        go.detect(make(tmp_path, {"go.mod": gomod(), "cmd/a b/main.go": MAIN}))


def test_cgo_from_import_c(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod(), "main.go": CGO_MAIN})
    assert (f.cgo.value, str(f.cgo.source)) == (True, 'main.go import "C"')


def test_cgo_from_import_c_in_a_package_and_in_a_block(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod(), "main.go": MAIN,
                          "internal/c/c.go": 'package c\n\nimport (\n\t"fmt"\n\t"C"\n)\n'})
    assert (f.cgo.value, str(f.cgo.source)) == (True, 'internal/c/c.go import "C"')


def test_cgo_from_go_sqlite3_require(tmp_path):
    mod = gomod("require (\n\tgithub.com/mattn/go-sqlite3 v1.14.22\n\tgolang.org/x/text v0.14.0\n)\n")
    f = detect(tmp_path, {"go.mod": mod, "go.sum": "x\n", "main.go": MAIN})
    assert (f.cgo.value, str(f.cgo.source)) == (True, "go.mod require github.com/mattn/go-sqlite3")


def test_no_cgo(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod("require golang.org/x/text v0.14.0\n"), "main.go": MAIN,
                          "c_test.go": 'package main\n\nimport "C"\n',
                          "gen.go": '//go:build ignore\n\npackage main\n\nimport "C"\n',
                          "doc.go": '// import "C" in a comment\npackage main\n',
                          "testdata/x.go": 'package x\n\nimport "C"\n',
                          "term_darwin.go": 'package main\n\nimport "C"\n',
                          "term_windows_amd64.go": 'package main\n\nimport "C"\n'})
    assert (f.cgo.value, str(f.cgo.source)) == (False, DEFAULT)


def test_port_from_listen_address(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod(), "main.go": MAIN.replace(":8080", ":9000")})
    assert (f.port.value, str(f.port.source)) == (9000, "main.go line 5")


def test_port_from_default_variable(tmp_path):
    src = 'package main\n\nimport "os"\n\nfunc main() {\n\tport := os.Getenv("PORT")\n\tif port == "" {\n\t\tport = "3000"\n\t}\n}\n'
    f = detect(tmp_path, {"go.mod": gomod(), "cmd/api/main.go": src})
    assert (f.port.value, str(f.port.source)) == (3000, "cmd/api/main.go line 6 PORT")


def test_port_default(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod(), "main.go": "package main\n\nfunc main() {}\n"})
    assert (f.port.value, str(f.port.source)) == (8080, DEFAULT)


def test_out_of_range_port_is_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="main.go"):
        go.detect(make(tmp_path, {"go.mod": gomod(), "main.go": MAIN.replace(":8080", ":99999")}))


def test_local_replace(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod("require example.com/lib v0.0.0\nreplace example.com/lib => ./lib\n"),
                          "go.sum": "", "lib/go.mod": "module example.com/lib\n\ngo 1.22\n", "lib/lib.go": LIB,
                          "lib/cmd/x/main.go": 'package main\n\nimport "C"\n', "main.go": MAIN})
    assert (f.local_replaces.value, str(f.local_replaces.source)) == (("lib",), "go.mod replace")
    assert f.cgo.value is False  # a nested module's sources are not scanned


def test_local_replace_without_go_mod_is_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="replace target"):
        go.detect(make(tmp_path, {"go.mod": gomod("replace example.com/lib => ./lib\n"), "main.go": MAIN}))


def test_remote_replace_is_not_local(tmp_path):
    f = detect(tmp_path, {"go.mod": gomod("replace example.com/a v1.0.0 => example.com/b v1.1.0\n"), "main.go": MAIN})
    assert f.local_replaces.value == ()


def test_bundled_examples(tmp_path):
    from support import examples as ex

    f = go.detect(RepoView(ex.EXAMPLES / "go-cmd-layout"))
    assert f.mains.value == ("cmd/api", "cmd/migrate") and str(f.go_version.source) == "go.mod toolchain"
    assert f.port.value == 9090
    f = go.detect(RepoView(ex.EXAMPLES / "go-cgo"))
    assert f.cgo.value is True
    f = go.detect(RepoView(ex.EXAMPLES / "go-vendored"))
    assert f.vendored.value is True and f.cgo.value is False
