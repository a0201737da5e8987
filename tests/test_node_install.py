"""Node installs (issue 12): lifecycle scripts, native modules, package-manager settings, secrets, Prisma,
the container build script."""

from __future__ import annotations

import json

import pytest

from dockgen.detectors import node_script_graph
from dockgen.generator import models as m
from support.lint import assert_clean
from support.node_projects import SERVER, facts, npm_lock, npm_project, pkg, plan, pnpm_lock, write

TOKEN = "npm_secretvalue0123456789"


def _lock_with(package: dict, scripted: dict[str, dict]) -> str:
    """package-lock.json whose packages carry hasInstallScript (and dev/os flags) as given."""
    data = json.loads(npm_lock(package))
    for name, flags in scripted.items():
        data["packages"][f"node_modules/{name}"] = {"version": "1.0.0", "hasInstallScript": True, **flags}
    return json.dumps(data, indent=2)


def _project(tmp_path, package: dict, scripted: dict[str, dict] | None = None, extra: dict | None = None):
    files = {"package.json": package, "package-lock.json": _lock_with(package, scripted or {}), "server.js": SERVER}
    files.update(extra or {})
    return write(tmp_path, files)


def _stage(planned, name):
    return next(st for st in planned.plan.stages if st.name == name)


def _runs(planned, stage=None):
    return [i.command for st in planned.plan.stages if stage is None or st.name == stage
            for i in st.instructions if isinstance(i, m.Run)]


# ---- scripts ------------------------------------------------------------------------------------------


def test_composite_scripts_are_followed():
    scripts = {"build": "npm-run-all clean build:*", "clean": "rimraf dist", "build:ts": "tsc -p .",
               "build:sass": "sass src:public && npm run copy", "copy": "cp -r assets public", "prebuild": "echo hi"}
    got = node_script_graph.expand(scripts, "build")
    assert [n for n, _ in got] == ["prebuild", "clean", "build:ts", "build:sass", "copy"]
    assert node_script_graph.words("cross-env NODE_ENV=production FOO=1 tsc -p .") == ["tsc", "-p", "."]
    assert node_script_graph.commands("is-ci || husky; echo 'a && b'") == ["is-ci", "husky", "echo 'a && b'"]


def test_script_cycles_end():
    assert node_script_graph.expand({"build": "npm run build"}, "build") == []


# ---- lifecycle strategy -------------------------------------------------------------------------------


def test_husky_prepare_is_kept_out_by_a_scripts_off_install(tmp_path):
    package = pkg(scripts={"start": "node server.js", "prepare": "is-ci || husky"},
                  devDependencies={"husky": "9.1.7", "is-ci": "4.1.0"})
    p = plan(_project(tmp_path, package, {"bcrypt": {}, "esbuild": {"dev": True}, "fsevents": {"os": ["darwin"]}}))
    f = facts(tmp_path).install
    assert (f.lifecycle_kind, f.lifecycle_tools) == ("hooks", ("is-ci", "husky"))
    assert _runs(p, "deps")[-1] == "npm ci --omit=dev --ignore-scripts && npm rebuild bcrypt"
    assert ("HUSKY", "0") in next(i for i in _stage(p, "deps").instructions if isinstance(i, m.Env)).pairs
    assert "scripts.prepare (is-ci, husky) does not run in the image" in p.dockerfile
    assert "fsevents" not in p.dockerfile  # never installed on Linux
    assert_clean(p.dockerfile)


def test_no_lifecycle_and_no_install_scripts_keeps_the_plain_install(tmp_path):
    p = plan(npm_project(tmp_path))
    assert _runs(p, "deps") == ["npm ci --omit=dev"]
    assert "HUSKY" not in p.dockerfile and "nodedir" not in p.dockerfile


def test_patch_package_gets_full_install_then_prune(tmp_path):
    package = pkg(scripts={"start": "node server.js", "postinstall": "patch-package"},
                  devDependencies={"patch-package": "8.0.1"})
    p = plan(_project(tmp_path, package, extra={"patches/express+4.21.2.patch": "diff\n"}))
    build = _stage(p, "build")
    kinds = [(type(i).__name__, getattr(i, "sources", None) or getattr(i, "command", None)) for i in build.instructions]
    assert ("Copy", ("patches",)) in kinds
    assert kinds.index(("Copy", ("patches",))) < kinds.index(("Run", "npm ci && npm prune --omit=dev"))
    assert not any(st.name == "deps" for st in p.plan.stages)
    assert 'COPY --from=build ["/app/node_modules", "./node_modules"]' in p.dockerfile
    assert "needs devDependencies and patches/" in p.dockerfile
    assert_clean(p.dockerfile)


def test_postinstall_that_builds_gets_the_sources_first(tmp_path):
    package = pkg(scripts={"start": "node server.js", "postinstall": "npm run assets", "assets": "sass in:out"})
    p = plan(_project(tmp_path, package))
    steps = _stage(p, "build").instructions
    copy_all = next(i for i, s in enumerate(steps) if isinstance(s, m.Copy) and s.sources == (".",))
    install = next(i for i, s in enumerate(steps) if isinstance(s, m.Run) and s.command.startswith("npm ci"))
    assert copy_all < install
    assert 'COPY --from=build ["/app/", "./"]' in p.dockerfile  # what the postinstall made comes along


def test_prune_runs_after_the_build(tmp_path):
    package = pkg(scripts={"start": "node server.js", "build": "tsc", "postinstall": "patch-package"})
    p = plan(_project(tmp_path, package))
    assert _runs(p, "build")[-2:] == ["npm run build", "npm prune --omit=dev"]


def test_npmrc_ignore_scripts_is_honoured(tmp_path):
    package = pkg(scripts={"start": "node server.js", "prepare": "husky"})
    p = plan(_project(tmp_path, package, {"bcrypt": {}}, {".npmrc": "ignore-scripts=true\n"}))
    assert _runs(p, "deps") == ["npm ci --omit=dev"]
    assert "ignore-scripts=true" in p.dockerfile and "apt-get" not in p.dockerfile


# ---- native modules -----------------------------------------------------------------------------------


def test_toolchain_only_when_something_compiles(tmp_path):
    package = pkg(devDependencies={"esbuild": "0.25.0"})
    p = plan(_project(tmp_path, package, {"esbuild": {"dev": True}, "protobufjs": {}}))
    assert "apt-get" not in p.dockerfile  # both only run JavaScript


def test_toolchain_in_deps_stage_for_a_production_native_module(tmp_path):
    p = plan(_project(tmp_path, pkg(), {"bcrypt": {}}))
    deps = _stage(p, "deps")
    env = next(i for i in deps.instructions if isinstance(i, m.Env))
    assert ("npm_config_nodedir", "/usr/local") in env.pairs
    apt = next(r for r in _runs(p, "deps") if "apt-get" in r)
    assert "'g++=4:14.2.*' 'make=4.4.*' 'python3=3.13.*'" in apt  # node 26: trixie builder
    assert "apt-get" not in p.dockerfile.rsplit("\nFROM ", 1)[1]  # never in the runner
    assert_clean(p.dockerfile)


def test_dev_native_module_toolchain_only_in_build_stage(tmp_path):
    package = pkg(scripts={"start": "node dist/server.js", "build": "tsc"}, devDependencies={"cpu-features": "0.0.10"})
    p = plan(_project(tmp_path, package, {"cpu-features": {"dev": True}}))
    assert not any("apt-get" in r for r in _runs(p, "deps"))
    assert any("apt-get" in r for r in _runs(p, "build"))


def test_pnpm_known_native_dependency_gets_the_toolchain(tmp_path):
    package = pkg(dependencies={"better-sqlite3": "^12.0.0"}, packageManager=None)
    write(tmp_path, {"package.json": package, "pnpm-lock.yaml": pnpm_lock({"better-sqlite3": "^12.0.0"}),
                     "server.js": SERVER, ".nvmrc": "24\n"})
    p = plan(tmp_path)
    assert "'g++=4:12.2.*'" in p.dockerfile  # node 24: bookworm builder


# ---- settings and credentials -------------------------------------------------------------------------


def test_npmrc_settings_join_the_manifests(tmp_path):
    p = plan(npm_project(tmp_path, extra={".npmrc": "legacy-peer-deps=true\n"}))
    assert 'COPY [".npmrc", "package-lock.json", "package.json", "./"]' in p.dockerfile
    assert "!.npmrc" in p.dockerignore.splitlines()
    assert "(legacy-peer-deps) copied with the manifests" in p.dockerfile


@pytest.mark.parametrize("line", [f"//registry.npmjs.org/:_authToken={TOKEN}", f"_auth={TOKEN}",
                                  f"//npm.corp.example/:_password={TOKEN}"])
def test_npmrc_with_credentials_is_a_build_secret(tmp_path, line):
    p = plan(npm_project(tmp_path, extra={".npmrc": f"legacy-peer-deps=true\n{line}\n"}))
    assert TOKEN not in p.dockerfile and TOKEN not in p.dockerignore
    assert ".npmrc" in p.dockerignore.splitlines() and "!.npmrc" not in p.dockerignore
    assert '".npmrc"' not in p.dockerfile  # never COPYed
    install = [i for st in p.plan.stages for i in st.instructions if isinstance(i, m.Run) and i.step == "deps"]
    secret = m.Mount(options=(("type", "secret"), ("id", "npmrc"), ("target", "/root/.npmrc")))
    assert install and all(secret in r.mounts for r in install)
    assert p.plan.secrets == (("npmrc", ".npmrc"),)
    assert "docker build --secret id=npmrc,src=.npmrc -t IMAGE ." in p.dockerfile
    assert_clean(p.dockerfile)


# ---- prisma and the build script ----------------------------------------------------------------------


def test_prisma_client_generated_and_carried(tmp_path):
    package = pkg(scripts={"start": "node dist/server.js", "build": "tsc"}, dependencies={"@prisma/client": "6.0.0"},
                  devDependencies={"prisma": "6.0.0", "typescript": "5.9.3"})
    schema = 'generator client {\n  provider = "prisma-client-js"\n  output   = "../src/generated/client"\n}\n'
    p = plan(_project(tmp_path, package, extra={"prisma/schema.prisma": schema,
                                                "tsconfig.json": '{"compilerOptions": {"outDir": "dist"}}'}))
    runs = _runs(p, "build")
    assert runs.index("npx --no-install prisma generate") < runs.index("npm run build") < runs.index(
        "npm prune --omit=dev")
    assert 'COPY ["prisma", "./prisma/"]' in p.dockerfile
    assert 'COPY --from=build ["/app/src/generated/client", "./src/generated/client"]' in p.dockerfile
    assert 'COPY --from=build ["/app/node_modules", "./node_modules"]' in p.dockerfile


@pytest.mark.parametrize("where", ["schema", "config"])
def test_prisma_database_url_is_a_build_only_placeholder(tmp_path, where):
    # prisma generate reads the URL's variable (Prisma 7: prisma.config.ts env('…')); it needs it set, not reachable.
    package = pkg(scripts={"start": "node server.js", "postinstall": "prisma generate"},
                  dependencies={"@prisma/client": "7.0.0"}, devDependencies={"prisma": "7.0.0"})
    schema = 'datasource db {\n  provider = "mysql"\n' + ('  url = env("SHOP_DB_URL")\n' if where == "schema" else "") + "}\n"
    extra = {"prisma/schema.prisma": schema}
    if where == "config":
        extra["prisma.config.ts"] = "export default defineConfig({ datasource: { url: env('SHOP_DB_URL') } });\n"
    p = plan(_project(tmp_path, package, extra=extra))
    *builders, runner = p.plan.stages
    envs = [dict(i.pairs) for st in builders for i in st.instructions if i.kind == "env"]
    assert envs and all(e.get("SHOP_DB_URL") == "mysql://build:build@localhost:3306/build" for e in envs)
    assert "SHOP_DB_URL" not in p.dockerfile.split("\nFROM ")[-1]  # the runner stage
    assert any(r.startswith("SHOP_DB_URL is a placeholder in the build stages") for r in p.plan.reasons)


def test_no_placeholder_without_an_env_url(tmp_path):
    package = pkg(scripts={"start": "node server.js", "postinstall": "prisma generate"},
                  dependencies={"@prisma/client": "7.0.0"}, devDependencies={"prisma": "7.0.0"})
    p = plan(_project(tmp_path, package, extra={"prisma/schema.prisma": 'datasource db {\n  provider = "sqlite"\n}\n'}))
    assert "build:build@" not in p.dockerfile and "file:./build.db" not in p.dockerfile


def test_prisma_generate_in_postinstall_reads_the_schema_first(tmp_path):
    package = pkg(scripts={"start": "node server.js", "postinstall": "prisma generate"},
                  dependencies={"@prisma/client": "6.0.0"}, devDependencies={"prisma": "6.0.0"}, prisma={
                      "schema": "db/schema.prisma"})
    p = plan(_project(tmp_path, package, extra={"db/schema.prisma": "generator client {}\n"}))
    assert 'COPY ["db/schema.prisma", "./db/"]' in p.dockerfile
    assert "prisma generate" not in " ".join(_runs(p))  # the postinstall does it


def test_docker_build_script_preferred_over_build(tmp_path):
    package = pkg(scripts={"start": "node server.js", "build": "npm-run-all check-db build-app",
                           "build-docker": "npm-run-all build-app", "build-app": "node build.js",
                           "check-db": "node check.js", "docker:build": "docker build -t x ."})
    p = plan(_project(tmp_path, package))
    assert _runs(p, "build")[-1].startswith("npm run build-docker")
    assert "preferred over scripts.build" in p.dockerfile


def test_script_that_runs_docker_is_not_a_build(tmp_path):
    package = pkg(scripts={"start": "node server.js", "docker:build": "docker build -t x ."})
    assert facts(_project(tmp_path, package)).install.docker_build is None


def test_script_that_wraps_docker_is_not_a_build(tmp_path):
    """dockge's build:docker is `node ./extra/env2arg.js docker buildx build …`: run from outside."""
    package = pkg(scripts={"start": "node server.js",
                           "build:docker": "node ./extra/env2arg.js docker buildx build -t x --push ."})
    assert facts(_project(tmp_path, package)).install.docker_build is None


def test_the_only_build_part_script_is_the_build(tmp_path):
    """dockge: no `build`, but `build:frontend` next to container builds and a watcher."""
    scripts = {"start": "node server.js", "build:frontend": "node make-ui.js", "build:watch": "node make-ui.js -w",
               "build:docker": "docker buildx build --push ."}
    p = plan(_project(tmp_path, pkg(scripts=scripts)))
    assert _runs(p, "build")[-1].startswith("npm run build:frontend")
    two = plan(_project(tmp_path / "two", pkg(scripts={**scripts, "build:server": "node make-server.js"})))
    assert not _runs(two, "build")  # two candidates: nothing guessed


def test_composite_build_copies_the_whole_project(tmp_path):
    package = pkg(scripts={"start": "node dist/server.js", "build": "npm run build:ts && npm run build:sass",
                           "build:ts": "tsc", "build:sass": "sass src/style.scss public/style.css"})
    p = plan(_project(tmp_path, package, extra={"tsconfig.json": '{"compilerOptions": {"outDir": "dist"}}'}))
    assert 'COPY --from=build ["/app/dist", "./dist"]' not in p.dockerfile
    assert "it runs build:ts, build:sass" in p.dockerfile


def test_layer_scan_finds_a_secret_value(tmp_path):
    """The e2e and `dockgen verify` secret check reads `docker save` output; here on a hand-made one."""
    import io
    import tarfile

    from dockgen import imagecheck as ic

    def tar_bytes(files: dict[str, bytes]) -> bytes:
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as t:
            for name, data in files.items():
                ti = tarfile.TarInfo(name)
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
        return buf.getvalue()

    needles = ic.npmrc_secret_values(f"legacy-peer-deps=true\n//r.example/:_authToken={TOKEN}\n")
    assert needles == [TOKEN.encode()]
    for leaked, expect in ((b"nothing here", []), (f"x {TOKEN} y".encode(), ["layer 1: root/.npm/_logs/x.log"])):
        saved = tmp_path / "image.tar"
        layers = {"l0/layer.tar": tar_bytes({"app/server.js": b"ok"}),
                  "l1/layer.tar": tar_bytes({"root/.npm/_logs/x.log": leaked})}
        outer = {"manifest.json": json.dumps([{"Config": "c.json", "Layers": list(layers)}]).encode(),
                 "c.json": b"{}", **layers}
        saved.write_bytes(tar_bytes(outer))
        assert ic.layers_containing(saved, needles) == expect


def test_yarn_with_install_work_is_a_warning(tmp_path):
    from support.node_projects import yarn_classic_lock

    package = pkg(scripts={"start": "node server.js", "postinstall": "patch-package"},
                  devDependencies={"patch-package": "8.0.1"})
    write(tmp_path, {"package.json": package, "server.js": SERVER, "patches/x.patch": "diff\n",
                     "yarn.lock": yarn_classic_lock({"express": "^4.21.2", "patch-package": "8.0.1"})})
    p = plan(tmp_path)
    assert any("yarn has no prune step" in w for w in p.plan.warnings)
    assert "install scripts run as they are" in p.dockerfile


def test_pnpm_hooks_only_scripts_off_and_rebuild_from_the_same_store(tmp_path):
    package = pkg(scripts={"start": "node server.js", "prepare": "husky"}, dependencies={"unix-dgram": "2.0.7"},
                  devDependencies={"husky": "9.1.7"})
    write(tmp_path, {"package.json": package, "server.js": SERVER,
                     "pnpm-lock.yaml": pnpm_lock({"unix-dgram": "2.0.7"}, {"husky": "9.1.7"})})
    p = plan(tmp_path)
    assert _runs(p, "deps")[-1] == ("pnpm install --frozen-lockfile --store-dir /pnpm/store --prod --ignore-scripts"
                                    " && pnpm rebuild --store-dir /pnpm/store unix-dgram")


def test_hostile_script_text_never_reaches_the_header(tmp_path):
    package = pkg(scripts={"start": "node server.js", "postinstall": "ev\u202eil$(id) --x", "build": "a\x07b && tsc"})
    p = plan(_project(tmp_path, package))
    assert "\u202e" not in p.dockerfile and "\x07" not in p.dockerfile and "$(id)" not in p.dockerfile
