"""Go planner: versions → builder tags, main selection, static vs cgo builds, runners, deps layer."""

from __future__ import annotations

from pathlib import Path

import pytest

import dockgen
from dockgen.detectors.errors import InvalidInputError, UsageError
from dockgen.generator import go_plan
from dockgen.generator import models as m
from support.lint import assert_clean
from support.tree import write_tree

MAIN = 'package main\n\nimport "net/http"\n\nfunc main() { _ = http.ListenAndServe(":8080", nil) }\n'
CGO_MAIN = 'package main\n\n// int f(void) { return 1; }\nimport "C"\n\nfunc main() { _ = C.f() }\n'


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    return write_tree(tmp_path, files)


def gomod(go_line: str = "go 1.22", extra: str = "", module: str = "example.com/app") -> str:
    return f"module {module}\n\n{go_line}\n{extra}"


def plan(tmp_path, files, **opts):
    return dockgen.plan(project(tmp_path, files), **opts)


def build_stage(planned) -> m.Stage:
    return planned.plan.stages[0]


def runs(stage: m.Stage) -> list[m.Run]:
    return [i for i in stage.instructions if i.kind == "run"]


# ---- versions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("go_line,extra,builder", [
    ("go 1.26", "", "golang:1.26-bookworm"),
    ("go 1.26.2", "", "golang:1.26-bookworm"),
    ("go 1.27.0", "", "golang:1.27-bookworm"),
    ("go 1.26", "toolchain go1.27.1\n", "golang:1.27-bookworm"),
    ("go 1.27", "toolchain go1.26.1\n", "golang:1.27-bookworm"),
])
def test_go_line_to_builder_tag(tmp_path, go_line, extra, builder):
    p = plan(tmp_path, {"go.mod": gomod(go_line, extra), "main.go": MAIN})
    assert build_stage(p).image.ref == builder
    assert p.plan.warnings == ()


@pytest.mark.parametrize("minor", ["21", "22", "23", "24", "25", "26", "27"])
def test_every_minor_selects_its_own_image(tmp_path, minor):
    p = plan(tmp_path, {"go.mod": gomod(f"go 1.{minor}"), "main.go": MAIN})
    assert build_stage(p).image.ref == f"golang:1.{minor}-bookworm"
    eol = [w for w in p.plan.warnings if "reached end of life" in w]
    assert bool(eol) == (int(minor) <= 25)  # as of catalog.toml's reviewed date, 2026-12-01
    assert ("END OF LIFE" in p.plan.reasons[1]) == (int(minor) <= 25)


def test_go_1_26_is_not_built_with_1_27(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod("go 1.26"), "main.go": MAIN})
    assert build_stage(p).image.ref == "golang:1.26-bookworm"
    assert "Go 1.26: golang:1.26-bookworm (from go.mod go 1.26)" in p.plan.reasons


@pytest.mark.parametrize("files,builder,source", [
    ({".tool-versions": "golang 1.27.1\n"}, "golang:1.27-bookworm", ".tool-versions golang (line 1)"),
    ({"mise.toml": '[tools]\ngo = "1.27"\n'}, "golang:1.27-bookworm", "mise.toml [tools] go"),
])
def test_version_manager_pin_newer_than_go_line_wins(tmp_path, files, builder, source):
    p = plan(tmp_path, {"go.mod": gomod("go 1.26"), "main.go": MAIN, **files})
    assert build_stage(p).image.ref == builder
    assert f"(from {source} " in p.plan.reasons[1]


def test_version_manager_pin_older_than_go_line_is_reported(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod("go 1.27"), "main.go": MAIN, ".tool-versions": "golang 1.26.1\n"})
    assert build_stage(p).image.ref == "golang:1.27-bookworm"
    assert any(".tool-versions golang (line 1) pins Go 1.26.1, older than go.mod's 1.27" in w for w in p.plan.warnings)


@pytest.mark.parametrize("go_line,extra", [
    ("go 1.28", ""),
    ("go 1.22", "toolchain go1.30.0\n"),
    ("go 1.22.99", ""),  # newer than the catalog's golang:1.22 image (GOTOOLCHAIN=local refuses it)
])
def test_go_newer_than_catalog_is_an_error_naming_go_mod(tmp_path, go_line, extra):
    with pytest.raises(InvalidInputError) as e:
        plan(tmp_path, {"go.mod": gomod(go_line, extra), "main.go": MAIN})
    msg = str(e.value)
    assert msg.startswith("go.mod: ") and "1.27" in msg and "1.22" in msg
    assert e.value.exit_code == 5


def test_missing_go_directive_is_an_error_listing_versions(tmp_path):
    with pytest.raises(InvalidInputError, match=r"^go\.mod: no `go` directive.*1\.27, 1\.26, 1\.25, 1\.24, 1\.23, 1\.22, 1\.21"):
        plan(tmp_path, {"go.mod": "module example.com/app\n", "main.go": MAIN})


def test_go_line_older_than_the_catalog_is_assumed_and_an_older_option_is_an_error(tmp_path):
    # The module's `go` line is a minimum: the oldest supported line, assumed, with a loud warning
    # (more in tests/test_version_assumed.py); a --go-version the catalog lacks is the user's: an error.
    p = plan(tmp_path, {"go.mod": gomod("go 1.19"), "main.go": MAIN})
    assert build_stage(p).image.ref == "golang:1.26-bookworm"
    assert any(w.startswith("Go '1.19' (from go.mod go) is older than every line") for w in p.plan.warnings)
    with pytest.raises(UsageError) as e:
        plan(tmp_path, {"go.mod": gomod("go 1.19"), "main.go": MAIN}, go_version="1.19")
    assert "is older than every Go in dockgen's catalog" in str(e.value) and "--go-version 1.21" in str(e.value)
    p = plan(tmp_path, {"go.mod": gomod("go 1.19"), "main.go": MAIN}, go_version="1.21")
    assert build_stage(p).image.ref == "golang:1.21-bookworm"


def test_go_version_option_overrides_go_mod(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod("go 1.22"), "main.go": MAIN}, go_version="1.27")
    assert build_stage(p).image.ref == "golang:1.27-bookworm"


def test_go_version_option_older_than_go_line_is_a_warning(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod("go 1.27"), "main.go": MAIN}, go_version="1.26")
    assert build_stage(p).image.ref == "golang:1.26-bookworm"
    assert any("older than the module's Go 1.27" in w for w in p.plan.warnings)


# ---- main packages ----------------------------------------------------------------------------


def test_several_mains_require_main_and_list_them(tmp_path):
    files = {"go.mod": gomod(), "cmd/api/main.go": MAIN, "cmd/worker/main.go": MAIN}
    with pytest.raises(UsageError, match=r"several main packages: \./cmd/api, \./cmd/worker"):
        plan(tmp_path, files)


def test_main_option_chooses(tmp_path):
    files = {"go.mod": gomod(), "cmd/api/main.go": MAIN, "cmd/worker/main.go": MAIN}
    p = plan(tmp_path, files, main="cmd/worker")
    build = runs(build_stage(p))[-1].command
    assert build.endswith("-o /out/worker ./cmd/worker")
    assert p.plan.stages[-1].instructions[-1].argv == ("/usr/local/bin/worker",)


@pytest.mark.parametrize("given,target", [("./cmd/api/", "./cmd/api"), (".", "."), ("./", ".")])
def test_main_option_spellings(tmp_path, given, target):
    files = {"go.mod": gomod(), "main.go": MAIN, "cmd/api/main.go": MAIN}
    assert runs(build_stage(plan(tmp_path, files, main=given)))[-1].command.endswith(f" {target}")


def test_main_option_must_be_a_main_package(tmp_path):
    files = {"go.mod": gomod(), "cmd/api/main.go": MAIN, "cmd/worker/main.go": MAIN}
    with pytest.raises(UsageError, match=r"not a main package.*\./cmd/api, \./cmd/worker"):
        plan(tmp_path, files, main="cmd/nope")


def test_no_main_package_is_an_error(tmp_path):
    with pytest.raises(UsageError, match="no main package"):
        plan(tmp_path, {"go.mod": gomod(), "lib.go": "package lib\n"})


@pytest.mark.parametrize("main,module,name", [
    (".", "example.com/app", "app"),
    (".", "github.com/acme/server/v2", "server"),
    (".", "example.com/we~ird", "app"),
    ("cmd/api", "example.com/app", "api"),
])
def test_binary_name(main, module, name):
    assert go_plan.binary_name(main, module) == name


# ---- static vs cgo, runners -------------------------------------------------------------------


def test_static_build_defaults_to_scratch_with_ca_passwd_and_numeric_user(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(module="github.com/acme/app"), "main.go": MAIN})
    assert p.plan.runner == "scratch" and p.plan.user == 65532
    text = p.dockerfile
    assert 'CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags="-s -w" -o /out/app .' in text
    assert "FROM scratch\n" in text
    assert "printf 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\\n' > /out/rootfs/etc/passwd" in text
    assert "cp /etc/ssl/certs/ca-certificates.crt /out/rootfs/etc/ssl/certs/ca-certificates.crt" in text
    assert "USER 65532:65532\n" in text and 'ENTRYPOINT ["/usr/local/bin/app"]' in text
    assert 'CMD ["/usr/local/bin/dockgen-healthcheck"]' in text
    assert 'COPY --from=build ["/out/dockgen-healthcheck", "/usr/local/bin/dockgen-healthcheck"]' in text
    assert 'org.opencontainers.image.source="https://github.com/acme/app"' in text
    assert "EXPOSE 8080\n" in text
    assert_clean(text)


def test_cgo_defaults_to_distroless_base(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": CGO_MAIN})
    assert p.plan.runner == "distroless"
    assert p.plan.stages[-1].image.ref == "gcr.io/distroless/base-debian12:nonroot"
    assert "CGO_ENABLED=1 go build" in p.dockerfile
    assert "CGO_ENABLED=0 go build -mod" not in p.dockerfile  # only the (static) health probe is built without cgo
    assert_clean(p.dockerfile)


def test_go_sqlite3_require_means_cgo(tmp_path):
    files = {"go.mod": gomod(extra="require github.com/mattn/go-sqlite3 v1.14.22\n"), "go.sum": "x\n",
             "main.go": MAIN}
    p = plan(tmp_path, files)
    assert p.plan.runner == "distroless" and "CGO_ENABLED=1" in p.dockerfile
    assert "go.mod require github.com/mattn/go-sqlite3" in p.dockerfile  # the header names the reason


@pytest.mark.parametrize("runner", ["scratch", "alpine"])
def test_cgo_refuses_runners_without_glibc(tmp_path, runner):
    with pytest.raises(UsageError, match=rf"--runner {runner}: cannot run this project: it needs cgo") as e:
        plan(tmp_path, {"go.mod": gomod(), "main.go": CGO_MAIN}, runner=runner)
    assert e.value.exit_code == 2 and 'main.go import "C"' in str(e.value)


def test_cgo_on_slim(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": CGO_MAIN}, runner="slim")
    assert p.plan.stages[-1].image.ref == "debian:bookworm-slim" and p.plan.user == 10001
    assert_clean(p.dockerfile)


@pytest.mark.parametrize("runner,image", [
    ("distroless", "gcr.io/distroless/static-debian13:nonroot"),
    ("slim", "debian:bookworm-slim"),
    ("alpine", "alpine:3.22"),
])
def test_static_runners(tmp_path, runner, image):
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": MAIN}, runner=runner)
    assert p.plan.stages[-1].image.ref == image and p.plan.runner == runner
    assert "/out/rootfs" not in p.dockerfile  # the scratch file system is only built for scratch
    assert_clean(p.dockerfile)


def test_healthchecks_per_runner(tmp_path):
    files = {"go.mod": gomod(), "main.go": MAIN}
    root = project(tmp_path, files)
    hc = {r: dockgen.plan(root, runner=r).plan.stages[-1].instructions for r in ("distroless", "slim", "alpine")}
    distroless = next(i for i in hc["distroless"] if i.kind == "healthcheck")
    assert distroless.argv == ("/usr/local/bin/dockgen-healthcheck",)
    slim = next(i for i in hc["slim"] if i.kind == "healthcheck")
    assert slim.argv[:2] == ("bash", "-c") and "/dev/tcp/127.0.0.1/8080" in slim.argv[2]
    alpine = next(i for i in hc["alpine"] if i.kind == "healthcheck")
    # busybox wget fails on a 4xx: alpine uses the compiled probe too (any status below 500 is healthy).
    assert alpine.argv == ("/usr/local/bin/dockgen-healthcheck",)
    off = dockgen.plan(root, runner="slim", healthcheck="").plan.stages[-1].instructions
    assert not any(i.kind == "healthcheck" for i in off)


def test_probe_source_carries_port_and_path_and_is_omitted_when_disabled(tmp_path):
    files = {"go.mod": gomod(), "main.go": MAIN}
    root = project(tmp_path, files)
    text = dockgen.plan(root, healthcheck="/healthz", port=9000).dockerfile
    assert "SockaddrInet4{Port:9000," in text and "GET /healthz HTTP/1.0" in text
    off = dockgen.plan(root, healthcheck="").dockerfile
    assert "dockgen-healthcheck" not in off and "\nHEALTHCHECK" not in off
    assert "# No HEALTHCHECK: disabled by the healthcheck option (from --healthcheck)." in off
    assert "# no health check: disabled by the healthcheck option (from --healthcheck)" in off
    assert_clean(text)
    assert_clean(off)


def test_port_option_wins(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": MAIN}, port=9999)
    assert p.plan.port == 9999 and "EXPOSE 9999" in p.dockerfile


# ---- dependencies -----------------------------------------------------------------------------


def test_manifests_then_cached_download_then_sources(tmp_path):
    files = {"go.mod": gomod(extra="require golang.org/x/text v0.14.0\n"), "go.sum": "x\n", "main.go": MAIN}
    stage = build_stage(plan(tmp_path, files))
    kinds = [(i.kind, getattr(i, "step", None)) for i in stage.instructions if i.kind in ("copy", "run")]
    assert kinds == [("run", "setup"), ("run", "setup"), ("copy", None), ("run", "deps"), ("copy", None),
                     ("run", "build")]
    copies = [i for i in stage.instructions if i.kind == "copy"]
    assert copies[0].sources == ("go.mod", "go.sum") and copies[1].sources == (".",)
    deps, build = [r for r in runs(stage) if r.step in ("deps", "build")]
    assert deps.command == "go mod download"
    assert [dict(mt.options)["target"] for mt in deps.mounts] == ["/go/pkg/mod"]
    assert [dict(mt.options)["target"] for mt in build.mounts] == ["/go/pkg/mod", "/root/.cache/go-build"]
    assert "-mod=readonly" in build.command


def test_vendored_has_no_download(tmp_path):
    files = {"go.mod": gomod(extra="require example.com/x v1.0.0\n"), "main.go": MAIN,
             "vendor/modules.txt": "# example.com/x v1.0.0\n## explicit\nexample.com/x\n"}
    p = plan(tmp_path, files)
    assert "go mod download" not in p.dockerfile
    assert not any(r.step == "deps" for r in runs(build_stage(p)))
    build = runs(build_stage(p))[-1]
    assert "-mod=vendor" in build.command
    assert [dict(mt.options)["target"] for mt in build.mounts] == ["/root/.cache/go-build"]
    assert_clean(p.dockerfile)


def test_missing_go_sum_is_a_plan_warning(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(extra="require golang.org/x/text v0.14.0\n"), "main.go": MAIN})
    assert any("go.sum is missing" in w for w in p.plan.warnings)
    assert 'COPY ["go.mod", "./"]' in p.dockerfile


def test_local_replace_go_mod_is_copied_before_download(tmp_path):
    files = {"go.mod": gomod(extra="require example.com/lib v0.0.0\nreplace example.com/lib => ./lib\n"),
             "go.sum": "", "lib/go.mod": "module example.com/lib\n\ngo 1.22\n", "main.go": MAIN}
    text = plan(tmp_path, files).dockerfile
    assert text.index('COPY ["lib/go.mod", "./lib/"]') < text.index("go mod download")


def test_unsafe_healthcheck_path_is_refused(tmp_path):
    with pytest.raises(UsageError):
        plan(tmp_path, {"go.mod": gomod(), "main.go": MAIN}, runner="slim", healthcheck="/x'; rm -rf /")


def test_go_ignore_patterns_keep_vendor(tmp_path):
    p = plan(tmp_path, {"go.mod": gomod(), "main.go": MAIN})
    lines = p.dockerignore.splitlines()
    assert "vendor" not in lines and "*.test" in lines and ".git" in lines
