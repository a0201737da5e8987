"""Node planner: install commands, versions, runners, start commands, build outputs, errors."""

from __future__ import annotations

import pytest

from dockgen.detectors.errors import InvalidInputError, UsageError
from dockgen.generator import models as m
from support.lint import assert_clean
from support.node_projects import (SERVER, npm_lock, npm_project, pkg, plan, pnpm_lock, write, yarn_berry_lock,
                                   yarn_classic_lock)


def _runs(planned, step=None):
    return [i for st in planned.plan.stages for i in st.instructions
            if isinstance(i, m.Run) and (step is None or i.step == step)]


def _deps_commands(planned):
    return [r.command for r in _runs(planned, "deps")]


# ---- lockfile → install ---------------------------------------------------------------------------


def test_npm_ci(tmp_path):
    p = plan(npm_project(tmp_path))
    assert _deps_commands(p) == ["npm ci --omit=dev"]
    (deps,) = _runs(p, "deps")
    assert deps.mounts == (m.cache_mount("/root/.npm"),)
    assert 'COPY ["package-lock.json", "package.json", "./"]' in p.dockerfile
    # manifests are copied before the install, the sources after it (in the runner)
    assert p.dockerfile.index("COPY [\"package-lock.json\"") < p.dockerfile.index("    npm ci --omit=dev")
    assert_clean(p.dockerfile)


def test_yarn_classic_frozen_lockfile(tmp_path):
    write(tmp_path, {"package.json": pkg(), "yarn.lock": yarn_classic_lock({"express": "^4.21.2"}), "server.js": SERVER})
    p = plan(tmp_path)
    (cmd,) = _deps_commands(p)
    assert cmd.startswith("yarn install --frozen-lockfile ") and cmd.endswith("--production")
    # node 26 (the default) ships no yarn: yarn 1.x from npm at the catalog pin, in the build stages only
    assert [r.command for r in _runs(p, "setup")] == ["npm install --global yarn@1.22.22"]
    assert "corepack" not in p.dockerfile
    assert "npm install" not in p.dockerfile.rsplit("\nFROM ", 1)[1]  # not in the runner
    # yarn 1.x's cache breaks under two installs at once (the deps and build stages run in parallel)
    mounts = [line for line in p.dockerfile.splitlines() if "/usr/local/share/.cache/yarn" in line and "--mount" in line]
    assert mounts and all("sharing=locked" in line for line in mounts)
    assert_clean(p.dockerfile)


def test_yarn_classic_uses_the_image_yarn_before_node_26(tmp_path):
    write(tmp_path, {"package.json": pkg(), "yarn.lock": yarn_classic_lock({"express": "^4.21.2"}), "server.js": SERVER,
                     ".nvmrc": "24\n"})
    p = plan(tmp_path)
    assert not _runs(p, "setup")
    assert "the yarn 1.x that the node image ships" in "\n".join(p.plan.reasons)


def test_yarn_berry_immutable_via_corepack(tmp_path):
    write(tmp_path, {"package.json": pkg(), "yarn.lock": yarn_berry_lock({"express": "^4.21.2"}),
                     ".yarnrc.yml": "nodeLinker: node-modules\n", "server.js": SERVER})
    p = plan(tmp_path)
    assert _deps_commands(p) == ["yarn install --immutable && yarn workspaces focus --all --production"]
    (setup,) = _runs(p, "setup")
    # node 26 has no corepack: it is installed with npm at the catalog's pin, then used as before
    assert setup.command.startswith("npm install --global corepack@0.36.0 && corepack enable yarn && ")
    assert "corepack install -g yarn@4.9.2+sha512." in setup.command  # catalog pin with its hash
    assert "YARN_NODE_LINKER" not in p.dockerfile
    assert "this node image has no corepack" in "\n".join(p.plan.reasons)
    runner = p.dockerfile.rsplit("\nFROM ", 1)[1]
    assert "corepack" not in runner and "npm install" not in runner  # build stages only
    assert_clean(p.dockerfile)


@pytest.mark.parametrize("nvmrc,prefix", [("24", "corepack enable "), ("22", "corepack enable "),
                                          ("26", "npm install --global corepack@0.36.0 && corepack enable ")])
@pytest.mark.parametrize("manager", ["yarn", "pnpm"])
def test_corepack_is_installed_only_where_the_image_lacks_it(tmp_path, nvmrc, prefix, manager):
    lock = ({"yarn.lock": yarn_berry_lock({"express": "^4.21.2"}), ".yarnrc.yml": "nodeLinker: node-modules\n"}
            if manager == "yarn" else {"pnpm-lock.yaml": pnpm_lock({"express": "^4.21.2"})})
    write(tmp_path, {"package.json": pkg(), **lock, "server.js": SERVER, ".nvmrc": f"{nvmrc}\n"})
    p = plan(tmp_path)
    (setup,) = _runs(p, "setup")
    assert setup.command.startswith(prefix + manager)
    assert_clean(p.dockerfile)


def test_yarn_berry_pnp_switches_to_node_modules(tmp_path):
    write(tmp_path, {"package.json": pkg(), "yarn.lock": yarn_berry_lock({"express": "^4.21.2"}), "server.js": SERVER})
    p = plan(tmp_path)
    assert 'YARN_NODE_LINKER="node-modules"' in p.dockerfile
    assert any("Plug'n'Play" in r for r in p.plan.reasons)


def test_yarn_berry_build_uses_immutable_install(tmp_path):
    package = pkg(scripts={"start": "node dist/server.js", "build": "tsc"})
    write(tmp_path, {"package.json": package, "yarn.lock": yarn_berry_lock({"express": "^4.21.2"}),
                     ".yarnrc.yml": "nodeLinker: node-modules\n"})
    p = plan(tmp_path)
    assert "yarn install --immutable" in _deps_commands(p)


def test_pnpm_frozen_lockfile_with_field_pin(tmp_path):
    digest = "sha512." + "ab" * 64
    write(tmp_path, {"package.json": pkg(packageManager=f"pnpm@9.12.0+{digest}"),
                     "pnpm-lock.yaml": pnpm_lock({"express": "^4.21.2"}), "server.js": SERVER})
    p = plan(tmp_path)
    assert _deps_commands(p) == ["pnpm install --frozen-lockfile --store-dir /pnpm/store --prod"]
    (setup,) = _runs(p, "setup")
    assert setup.command.endswith(f"corepack install -g pnpm@9.12.0+{digest}")
    assert "COREPACK_NPM_REGISTRY" in setup.command and "npm config get registry" in setup.command
    assert any("from package.json packageManager, integrity-pinned" in r for r in p.plan.reasons)
    assert_clean(p.dockerfile)


def test_pnpm_catalog_pin_without_field(tmp_path):
    write(tmp_path, {"package.json": pkg(), "pnpm-lock.yaml": pnpm_lock({"express": "^4.21.2"}), "server.js": SERVER})
    (setup,) = _runs(plan(tmp_path), "setup")
    assert "corepack install -g pnpm@9.15.9+sha512." in setup.command


def test_bun_frozen_lockfile(tmp_path):
    write(tmp_path, {"package.json": pkg(), "bun.lockb": "\x00", "server.js": SERVER})
    p = plan(tmp_path)
    assert _deps_commands(p) == ["bun install --frozen-lockfile --production"]
    assert [r.command for r in _runs(p, "setup")] == ["npm install --global bun@1.2.23"]
    assert_clean(p.dockerfile)


def test_no_lockfile_is_an_error_naming_package_json(tmp_path):
    write(tmp_path, {"package.json": pkg(), "server.js": SERVER})
    with pytest.raises(InvalidInputError) as exc:
        plan(tmp_path)
    msg = str(exc.value)
    assert msg.startswith("package.json: no lockfile") and "--allow-unlocked" in msg and "\n" not in msg
    assert exc.value.exit_code == 5


def test_no_lockfile_allowed_uses_npm_install(tmp_path):
    write(tmp_path, {"package.json": pkg(), "server.js": SERVER})
    p = plan(tmp_path, allow_unlocked=True)
    assert _deps_commands(p) == ["npm install --omit=dev"]
    assert any("no lockfile" in w for w in p.plan.warnings)
    assert_clean(p.dockerfile)


def test_out_of_sync_lock_is_a_warning_or_strict_error(tmp_path):
    package = pkg(dependencies={"express": "^4.21.2", "zod": "^3.0.0"})
    write(tmp_path, {"package.json": package, "package-lock.json": npm_lock(pkg()), "server.js": SERVER})
    p = plan(tmp_path)
    assert any("package-lock.json is out of sync with package.json: zod" in w and "npm install" in w
               for w in p.plan.warnings)
    with pytest.raises(InvalidInputError, match=r"^package-lock.json: out of sync with package.json: zod"):
        plan(tmp_path, strict=True)


# ---- Node version ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("files,package_fields,image,source", [
    ({".nvmrc": "22\n"}, {}, "node:22-bookworm-slim", ".nvmrc"),
    ({".nvmrc": "v20.18.0\n"}, {}, "node:20-bookworm-slim", ".nvmrc"),
    ({".nvmrc": "lts/*\n"}, {}, "node:26-trixie-slim", ".nvmrc"),
    ({".nvmrc": "lts/krypton\n"}, {}, "node:24-bookworm-slim", ".nvmrc"),
    ({".nvmrc": "v22.11.0\n"}, {}, "node:22-bookworm-slim", ".nvmrc"),
    ({".nvmrc": "26\n"}, {}, "node:26-trixie-slim", ".nvmrc"),
    ({".nvmrc": "18\n"}, {}, "node:18-bookworm-slim", ".nvmrc"),
    ({".tool-versions": "nodejs 22.11.0\n"}, {}, "node:22-bookworm-slim", ".tool-versions nodejs (line 1)"),
    ({"mise.toml": '[tools]\nnode = "24"\n'}, {}, "node:24-bookworm-slim", "mise.toml [tools] node"),
    ({"mise.toml": '[tools]\nnode = "lts"\n'}, {}, "node:26-trixie-slim", "mise.toml [tools] node"),
    ({".nvmrc": "lts/jod\n"}, {}, "node:22-bookworm-slim", ".nvmrc"),
    ({".node-version": "20"}, {}, "node:20-bookworm-slim", ".node-version"),
    ({}, {"volta": {"node": "22.20.0"}}, "node:22-bookworm-slim", "package.json volta.node"),
    ({}, {"engines": {"node": ">=20 <23"}}, "node:22-bookworm-slim", "package.json engines.node"),
    ({}, {"engines": {"node": ">=20"}}, "node:26-trixie-slim", "package.json engines.node"),
    ({}, {"engines": {"node": "^20.10.0"}}, "node:20-bookworm-slim", "package.json engines.node"),
    ({}, {"engines": {"node": "20.x || 22.x"}}, "node:22-bookworm-slim", "package.json engines.node"),
    ({}, {}, "node:26-trixie-slim", None),
])
def test_node_version(tmp_path, files, package_fields, image, source):
    p = plan(npm_project(tmp_path, pkg(**package_fields), files))
    assert p.plan.stages[0].image.tagged == image
    if source:
        assert f"from {source}" in p.plan.reasons[0]
    else:
        assert "dockgen default" in p.plan.reasons[0]


def test_version_precedence_nvmrc_wins_and_conflict_warns(tmp_path):
    p = plan(npm_project(tmp_path, pkg(engines={"node": ">=24"}), {".nvmrc": "22", ".node-version": "24"}))
    assert p.plan.stages[0].image.tagged == "node:22-bookworm-slim"
    assert any(".node-version (24) does not match node 22" in w for w in p.plan.warnings)
    assert any("package.json engines.node (>=24) does not match node 22" in w for w in p.plan.warnings)


def test_node_version_option_wins(tmp_path):
    p = plan(npm_project(tmp_path, extra={".nvmrc": "22"}), node_version="24")
    assert p.plan.stages[0].image.tagged == "node:24-bookworm-slim"


# Older than every line (16) is built on the oldest supported line, assumed: tests/test_version_assumed.py.
@pytest.mark.parametrize("files,package_fields,file", [
    ({".nvmrc": "19\n"}, {}, ".nvmrc"),
    ({".node-version": "v27.1.0"}, {}, ".node-version"),
    ({}, {"engines": {"node": "^19.0.0"}}, "package.json"),
    ({}, {"engines": {"node": ">=27"}}, "package.json"),
])
def test_unsupported_version_names_file_and_supported(tmp_path, files, package_fields, file):
    with pytest.raises(InvalidInputError) as exc:
        plan(npm_project(tmp_path, pkg(**package_fields), files))
    assert str(exc.value).startswith(f"{file}: ")
    assert "supported: 26, 24, 22, 20, 18" in str(exc.value)
    assert exc.value.hint == "require one of 26, 24, 22, 20, 18, or pass --node-version 26 (or another of them)"


@pytest.mark.parametrize("major,eol", [("20", "2026-04-30"), ("18", "2025-04-30")])
def test_eol_version_is_built_with_a_loud_warning(tmp_path, major, eol):
    p = plan(npm_project(tmp_path, extra={".nvmrc": major}))
    assert any(f"node {major} reached end of life on {eol}" in w for w in p.plan.warnings)
    assert f"END OF LIFE since {eol}" in p.plan.reasons[0]


def test_node_18_has_no_distroless_so_slim(tmp_path):
    p = plan(npm_project(tmp_path, extra={".nvmrc": "18"}))
    assert p.plan.runner == "slim" and p.plan.stages[-1].image.tagged == "node:18-bookworm-slim"
    assert any("distroless no longer publishes a Node.js 18 image" in r for r in p.plan.reasons)


def test_patch_pin_is_not_reproduced_and_the_header_says_so(tmp_path):
    p = plan(npm_project(tmp_path, extra={".nvmrc": "v22.11.0"}))
    assert p.plan.reasons[0] == ("node 'v22.11.0' → 22 (from .nvmrc; image node 22.20.0: the patch release "
                                 "22.11.0 is not reproduced, only its major line)")
    assert not p.plan.warnings


def test_version_option_outside_engines_is_a_warning(tmp_path):
    p = plan(npm_project(tmp_path, pkg(engines={"node": ">=24"})), node_version="20")
    assert p.plan.stages[0].image.tagged == "node:20-bookworm-slim"
    assert any("engines.node (>=24) does not match node 20" in w for w in p.plan.warnings)


# ---- runners and start command -------------------------------------------------------------------------


def test_distroless_default_for_plain_node_start(tmp_path):
    p = plan(npm_project(tmp_path))
    final = p.plan.stages[-1]
    assert p.plan.runner == "distroless"
    assert final.image.tagged == "gcr.io/distroless/nodejs26-debian13:nonroot"
    kinds = [i.kind for i in final.instructions]
    assert kinds[-2:] == ["entrypoint", "cmd"]
    assert final.instructions[-2].argv == ("/nodejs/bin/node",)
    assert final.instructions[-1].argv == ("server.js",)
    user = next(i for i in final.instructions if i.kind == "user")
    assert (user.uid, user.gid) == (65532, 65532)
    env = dict(next(i for i in final.instructions if i.kind == "env").pairs)
    assert env["NODE_ENV"] == "production" and env["PORT"] == "3000"
    hc = next(i for i in final.instructions if i.kind == "healthcheck")
    assert hc.argv[0] == "/nodejs/bin/node"
    assert "EXPOSE 3000" in p.dockerfile


@pytest.mark.parametrize("runner,image,uid,cmd", [
    ("slim", "node:26-trixie-slim", 1000, ("node", "server.js")),
    ("alpine", "node:26-alpine3.23", 1000, ("node", "server.js")),
])
def test_slim_and_alpine(tmp_path, runner, image, uid, cmd):
    p = plan(npm_project(tmp_path), runner=runner)
    final = p.plan.stages[-1]
    assert final.image.tagged == image
    assert final.instructions[-1].argv == cmd
    assert p.plan.user == uid
    if runner == "alpine":  # native addons must be built against musl
        assert p.plan.stages[0].image.tagged == "node:26-alpine3.23"
    assert_clean(p.dockerfile)


@pytest.mark.parametrize("script", ["node a.js && node server.js", "NODE_OPTIONS=--max-old-space-size=256 node server.js"])
def test_shell_start_forces_slim(tmp_path, script):
    p = plan(npm_project(tmp_path, pkg(scripts={"start": script})))
    assert p.plan.runner == "slim"
    assert p.plan.stages[-1].instructions[-1].argv == ("npm", "start")
    assert any("needs a shell" in r and "distroless has no shell" in r for r in p.plan.reasons)
    with pytest.raises(UsageError, match="--runner distroless: distroless has no shell"):
        plan(tmp_path, runner="distroless")
    assert_clean(p.dockerfile)


def test_scratch_is_refused(tmp_path):
    with pytest.raises(UsageError, match="--runner scratch: cannot run a Node.js app"):
        plan(npm_project(tmp_path), runner="scratch")


def test_start_with_node_flags(tmp_path):
    p = plan(npm_project(tmp_path, pkg(scripts={"start": "node --enable-source-maps server.js"})))
    assert p.plan.stages[-1].instructions[-1].argv == ("--enable-source-maps", "server.js")


def test_main_when_start_is_a_tool(tmp_path):
    p = plan(npm_project(tmp_path, pkg(main="lib/app.js", scripts={"start": "nodemon lib/app.js"}),
                         {"lib/app.js": "require('http').createServer().listen(3000);\n"}))
    assert p.plan.stages[-1].instructions[-1].argv == ("lib/app.js",)
    assert p.plan.runner == "distroless"


def test_main_that_does_not_exist_is_not_run(tmp_path):
    """A main that is neither in the repo nor built is skipped with a warning (server.js runs)."""
    p = plan(npm_project(tmp_path, pkg(main="lib/app.js", scripts={"start": "nodemon lib/app.js"})))
    assert p.plan.stages[-1].instructions[-1].argv == ("server.js",)
    assert any("lib/app.js, which does not exist in the image" in w for w in p.plan.warnings)


def test_tool_start_without_main_uses_npm_start_on_slim(tmp_path):
    write(tmp_path, {"package.json": pkg(scripts={"start": "ts-node src/main.ts"}),
                     "package-lock.json": npm_lock(pkg())})
    p = plan(tmp_path)
    assert (p.plan.runner, p.plan.stages[-1].instructions[-1].argv) == ("slim", ("npm", "start"))


def test_npm_default_server_js(tmp_path):
    package = pkg(scripts=None)
    p = plan(npm_project(tmp_path, package))
    assert p.plan.stages[-1].instructions[-1].argv == ("server.js",)


def test_no_start_command_is_an_error(tmp_path):
    package = pkg(scripts=None)
    write(tmp_path, {"package.json": package, "package-lock.json": npm_lock(package)})
    with pytest.raises(InvalidInputError, match="package.json: no start command"):
        plan(tmp_path)


def test_command_option(tmp_path):
    p = plan(npm_project(tmp_path), command=("node", "other.js"))
    assert p.plan.stages[-1].instructions[-1].argv == ("other.js",)
    with pytest.raises(UsageError):
        plan(tmp_path, command=("sh", "-c", "x"), runner="distroless")


def test_port_option_and_no_healthcheck(tmp_path):
    p = plan(npm_project(tmp_path), port=8081, healthcheck="")
    assert "EXPOSE 8081" in p.dockerfile and "\nHEALTHCHECK" not in p.dockerfile
    assert 'PORT="8081"' in p.dockerfile


# ---- builds -----------------------------------------------------------------------------------------------


NEST = pkg(scripts={"build": "nest build", "start": "nest start"},
           dependencies={"@nestjs/core": "^11.0.0", "@nestjs/common": "^11.0.0"},
           devDependencies={"typescript": "^5.0.0"})


def test_nestjs_dist_main(tmp_path):
    write(tmp_path, {"package.json": NEST, "package-lock.json": npm_lock(NEST),
                     "tsconfig.json": '{"compilerOptions": {"outDir": "./dist"}}', "src/main.ts": "app.listen(3000);"})
    p = plan(tmp_path)
    assert [s.name for s in p.plan.stages] == ["deps", "build", None]
    assert _deps_commands(p) == ["npm ci --omit=dev", "npm ci"]
    assert [r.command for r in _runs(p, "build")] == ["npm run build"]
    final = p.plan.stages[-1]
    assert final.instructions[-1].argv == ("dist/main.js",)
    copies = [(c.from_stage, c.sources) for c in final.instructions if c.kind == "copy"]
    assert copies == [("deps", ("/app/node_modules",)), ("build", ("/app/package.json",)), ("build", ("/app/dist",))]
    assert_clean(p.dockerfile)


def test_build_with_unknown_output_copies_project_without_node_modules(tmp_path):
    package = pkg(scripts={"build": "webpack", "start": "node server.js"})
    p = plan(npm_project(tmp_path, package))
    assert [r.command for r in _runs(p, "build")] == ["npm run build && rm -rf node_modules"]
    final = p.plan.stages[-1]
    copies = [(c.from_stage, c.sources) for c in final.instructions if c.kind == "copy"]
    assert copies == [("deps", ("/app/node_modules",)), ("build", ("/app/",))]


NEXT = pkg(scripts={"build": "next build", "start": "next start"}, dependencies={"next": "^15.0.0", "react": "^19.0.0"})


def test_next_standalone(tmp_path):
    write(tmp_path, {"package.json": NEXT, "package-lock.json": npm_lock(NEXT),
                     "next.config.js": "module.exports = { output: 'standalone' };\n", "public/x.txt": "x"})
    p = plan(tmp_path)
    assert [s.name for s in p.plan.stages] == ["build", None]
    final = p.plan.stages[-1]
    assert final.instructions[-1].argv == ("server.js",)
    copies = [(c.sources, c.dest, c.chown) for c in final.instructions if c.kind == "copy"]
    assert copies[0] == (("/app/.next/standalone",), "./", "65532:65532")
    assert (("/app/public",), "./public", None) in copies
    env = dict(next(i for i in final.instructions if i.kind == "env").pairs)
    assert env["HOSTNAME"] == "0.0.0.0"
    assert_clean(p.dockerfile)


@pytest.mark.parametrize("config", [None, "module.exports = { reactStrictMode: true };\n"])
def test_next_without_standalone_runs_next_start(tmp_path, config):
    files = {"package.json": NEXT, "package-lock.json": npm_lock(NEXT)}
    if config:
        files["next.config.js"] = config
    write(tmp_path, files)
    p = plan(tmp_path)
    assert [s.name for s in p.plan.stages] == ["deps", "build", None]
    final = p.plan.stages[-1]
    assert final.instructions[-1].argv == ("node_modules/next/dist/bin/next", "start")
    copies = [(c.from_stage, c.sources, c.dest, c.chown) for c in final.instructions if c.kind == "copy"]
    assert copies[0] == ("deps", ("/app/node_modules",), "./node_modules", None)
    assert copies[1] == ("build", ("/app/",), "./", None)  # the sources stay root-owned
    assert copies[2] == ("build", ("/opt/next-cache",), "./.next/cache", "65532:65532")
    build = next(i for i in p.plan.stages[1].instructions if getattr(i, "step", None) == "build")
    assert "rm -rf node_modules .next/cache" in build.command
    assert "port 3000 (from Next.js' default port)" in p.dockerfile  # derived, not assumed
    assert not [w for w in p.warnings if "assumed" in w]
    assert_clean(p.dockerfile)


def test_workspace_root_refused_unless_it_runs_an_app_of_its_own(tmp_path):
    # The root's start script runs a member: refused, naming the member (tests/test_node_workspace.py has more).
    member = {"packages/api/package.json": {"name": "api", "scripts": {"start": "node index.js"}},
              "packages/api/index.js": SERVER}
    root = npm_project(tmp_path / "a", pkg(workspaces=["packages/*"], scripts={"start": "npm start -w packages/api"}),
                       member)
    (root / "server.js").unlink()
    with pytest.raises(InvalidInputError, match="workspace root .*start a server: packages/api") as e:
        plan(root)
    assert e.value.exit_code == 5
    # server.js at the root: the root is an app of its own, built as before.
    assert plan(npm_project(tmp_path / "b", pkg(workspaces=["packages/*"]), member)).plan.context is None


def test_dockerignore_keeps_node_modules_and_secrets_out(tmp_path):
    ignore = plan(npm_project(tmp_path)).dockerignore.splitlines()
    for pattern in ("node_modules", ".env", ".npmrc", ".git", "dist", ".next"):
        assert pattern in ignore


def test_output_is_deterministic(tmp_path):
    root = npm_project(tmp_path, pkg(scripts={"build": "tsc", "start": "node dist/server.js"}))
    assert plan(root).dockerfile == plan(root).dockerfile


def test_committed_dist_without_build_is_not_ignored(tmp_path):
    ignore = plan(npm_project(tmp_path, pkg(main="dist/index.js", scripts=None),
                              {"dist/index.js": SERVER})).dockerignore.splitlines()
    assert "dist" not in ignore and "build" in ignore
    ignore = plan(npm_project(tmp_path, pkg(scripts={"build": "tsc", "start": "node dist/index.js"}))).dockerignore
    assert "dist" in ignore.splitlines()
