"""Node: which program runs (devDependency tools, pre-scripts, `npm run` chains, Nx build output,
dotenv wrappers), the port from a default chain, and the directories the app writes."""

from __future__ import annotations

import pytest

from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.node_scripts import parse_start
from support.lint import assert_clean
from support.node_projects import facts, npm_project, pkg, plan

TSCONFIG = '{"compilerOptions": {"outDir": "./dist"}}'
HTTP = "require('http').createServer((q, r) => r.end('ok')).listen(process.env.PORT || 3000);\n"


def _runner(p):
    return p.plan.stages[-1].instructions


def _argv(p) -> tuple[str, ...]:
    return _runner(p)[-1].argv


def _stage(p, name):
    return next(s for s in p.plan.stages if s.name == name)


def _runs(stage) -> list[str]:
    return [i.command for i in stage.instructions if i.kind == "run"]


# --- devDependency tools and the built entry ------------------------------------------------------------------

def test_entry_that_needs_ts_node_is_skipped_for_start_prod_and_its_pre_build(tmp_path):
    """The nestjs-realworld shape: start/main run index.js (ts-node/register, a devDependency); start:prod
    runs dist/main.js, which npm's prestart:prod (tsc) builds."""
    scripts = {"start": "node index.js", "prestart:prod": "tsc", "start:prod": "node dist/main.js"}
    root = npm_project(tmp_path, pkg(main="index.js", scripts=scripts, devDependencies={"ts-node": "^10", "typescript": "^5"}),
                       {"index.js": "require('ts-node/register');\nrequire('./src/main');\n", "tsconfig.json": TSCONFIG,
                        "src/main.ts": "const port = Number(process.env.PORT ?? 3100);\n"})
    (root / "server.js").unlink()
    f = facts(root)
    assert [c.value for c in f.app.start] == [("node", "dist/main.js")]
    assert f.devdep_start.value == "ts-node/register" and f.start_build.value == ("run", "prestart:prod")
    assert any("index.js, which loads ts-node/register, a devDependency" in w for w in f.warnings)
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (3100, "src/main.ts line 1")
    p = plan(root)
    assert _runs(_stage(p, "build"))[-1] == "npm run prestart:prod"
    assert _argv(p) == ("dist/main.js",) and p.plan.runner == "distroless"
    assert 'COPY --from=build ["/app/dist", "./dist"]' in p.dockerfile
    assert_clean(p.dockerfile)


def test_fallback_entry_that_needs_a_devdependency_is_not_run(tmp_path):
    root = npm_project(tmp_path, pkg(scripts={}, devDependencies={"@babel/register": "^7"}),
                       {"server.js": "require('@babel/register');\nrequire('./app');\n"})
    with pytest.raises(InvalidInputError, match="no start command"):
        plan(root)


@pytest.mark.parametrize("start,tool", [("ts-node src/main.ts", "ts-node"), ("npx tsx src/main.ts", "tsx"),
                                        ("cross-env NODE_ENV=production ts-node src/main.ts", "ts-node")])
def test_start_that_runs_a_devdependency_tool_is_refused_not_npm_started(tmp_path, start, tool):
    root = npm_project(tmp_path, pkg(scripts={"start": start}, devDependencies={tool: "^1"}))
    (root / "server.js").unlink()
    assert facts(root).devdep_start.value == tool
    with pytest.raises(InvalidInputError, match=f"needs {tool}, a devDependency.*start:prod"):
        plan(root)


def test_tool_from_the_dependencies_is_still_npm_start(tmp_path):
    root = npm_project(tmp_path, pkg(scripts={"start": "pm2-runtime app.js"}, dependencies={"pm2": "^5"}))
    (root / "server.js").unlink()
    p = plan(root)
    assert _argv(p) == ("npm", "start") and p.plan.runner == "slim"


def test_nest_start_without_a_build_script_builds_with_nest_build(tmp_path):
    root = npm_project(tmp_path, pkg(scripts={"start": "nest start"}, dependencies={"@nestjs/core": "^11"},
                                     devDependencies={"@nestjs/cli": "^11"}),
                       {"tsconfig.json": TSCONFIG, "src/main.ts": "await app.listen(process.env.PORT ?? 3000);\n"})
    p = plan(root)
    assert _runs(_stage(p, "build"))[-1] == "npx --no-install nest build"
    assert _argv(p) == ("dist/main.js",)


def test_npm_run_of_a_node_script_runs_that_script(tmp_path):
    """The uptime-kuma shape: start = npm run start-server, start-server = node server/server.js."""
    scripts = {"start": "npm run start-server", "start-server": "node server/server.js"}
    root = npm_project(tmp_path, pkg(scripts=scripts), {"server/server.js": HTTP})
    f = facts(root)
    assert f.app.start[0].value == ("node", "server/server.js")
    assert str(f.app.start[0].evidence) == "package.json scripts.start-server (run by scripts.start)"
    assert _argv(plan(root)) == ("server/server.js",)
    loop = npm_project(tmp_path / "loop", pkg(scripts={"start": "npm run a", "a": "npm run start"}))
    assert facts(loop).app.start == ()


def test_pre_script_that_is_not_a_build_is_ignored():
    st = parse_start("node dist/a.js", {"prestart": "node check-env.js"}, "start")
    assert st.build is None
    st = parse_start("node dist/a.js", {"prestart": "npm run build", "build": "tsc"}, "start")
    assert st.build == ("run", "prestart")


# --- dotenv wrappers ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("start,file,loader", [("dotenv -e .env.local -- node server.js", ".env.local", "dotenv -e .env.local"),
                                               ("dotenv -- node server.js", ".env", "dotenv"),
                                               ("env-cmd -f .env node server.js", ".env", "env-cmd -f .env"),
                                               ("npx env-cmd node server.js", ".env", "env-cmd")])
def test_dotenv_wrappers_are_dropped_with_a_warning(tmp_path, start, file, loader):
    root = npm_project(tmp_path, pkg(scripts={"start": start}), {"server.js": HTTP})
    f = facts(root)
    assert (f.env_file.value, f.env_loader) == (file, loader) and f.app.start[0].value == ("node", "server.js")
    p = plan(root)
    assert _argv(p) == ("server.js",) and p.plan.runner == "distroless"
    assert any(f"({loader})" in w and "dropped" in w for w in p.plan.warnings)
    assert f"{loader} dropped" in p.dockerfile


def test_dotenv_wrapper_as_the_only_port_config_is_refused(tmp_path):
    root = npm_project(tmp_path, pkg(scripts={"start": "dotenv -e .env -- node server.js"}),
                       {"server.js": "require('http').createServer().listen(process.env.APP_PORT);\n"})
    with pytest.raises(InvalidInputError, match=r"loads .env \(dotenv -e .env\).*APP_PORT.*no default"):
        plan(root)


# --- port from a default chain --------------------------------------------------------------------------------

def test_port_from_a_list_of_variables_and_a_default(tmp_path):
    config = ("const args = require('./args');\n/* the first one set wins\n   (flags, then variables) */\n"
              "const port = [args.port, process.env.KUMA_PORT, process.env.PORT, 3001]\n"
              "    .map((v) => parseInt(v)).find((v) => !isNaN(v));\nmodule.exports = { port };\n")
    root = npm_project(tmp_path, pkg(), {"server.js": "const { port } = require('./config');\nrequire('http').createServer().listen(port);\n",
                                          "config.js": config, "args.js": "module.exports = {};\n"})
    f = facts(root)
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (3001, "config.js line 4")
    assert [c.value for c in f.app.port_env] == ["KUMA_PORT", "PORT"]
    env = dict(next(i for i in _runner(plan(root)) if i.kind == "env").pairs)
    assert env["PORT"] == "3001" and env["KUMA_PORT"] == "3001"


def test_port_default_after_a_conversion_in_a_file_a_tool_runs(tmp_path):
    """dockge: `tsx ./backend/index.ts` (tsx a dependency) and, one import down,
    `args.port || Number(process.env.DOCKGE_PORT) || 5001`."""
    package = pkg(scripts={"start": "tsx ./backend/index.ts"}, dependencies={"tsx": "4.19.3"})
    root = npm_project(tmp_path, package, {
        "backend/index.ts": 'import { Server } from "./server";\nnew Server().serve();\n',
        "backend/server.ts": "export class Server { port = 0; serve() {\n"
                             "  this.port = args.port || Number(process.env.DOCKGE_PORT) || 5001;\n} }\n"})
    f = facts(root)
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (5001, "backend/server.ts line 2")
    assert [c.value for c in f.app.port_env] == ["DOCKGE_PORT"]


@pytest.mark.parametrize("expr", ["parseInt(process.env.APP_PORT, 10) || 4100", "Number(process.env.APP_PORT) ?? 4100"])
def test_port_default_after_parse(tmp_path, expr):
    root = npm_project(tmp_path, pkg(), {"server.js": f"const port = {expr};\nrequire('http').createServer().listen(port);\n"})
    assert facts(root).app.port[0].value == 4100


# --- Nx -------------------------------------------------------------------------------------------------------

def _nx_project(root, build: dict, *, scripts=None, name="api", path="project.json"):
    serve = {"executor": "@nx/js:node", "options": {"buildTarget": f"{name}:build"}}
    package = pkg(scripts=scripts if scripts is not None else {"start": "nx serve", "build": "nx build"},
                  devDependencies={"nx": "21.6.0", "@nx/esbuild": "21.6.0"})
    return npm_project(root, package, {"nx.json": "{}", path: {"name": name, "targets": {"build": build, "serve": serve}},
                                       "src/main.ts": "const port = Number(process.env.PORT ?? 3333);\n"})


def _esbuild(**options) -> dict:
    return {"executor": "@nx/esbuild:esbuild", "defaultConfiguration": "production",
            "options": {"outputPath": "dist/api", "main": "src/main.ts", "tsConfig": "tsconfig.app.json", **options},
            "configurations": {"production": {}}}


def test_nx_serve_runs_the_esbuild_output(tmp_path):
    """The node-express-realworld shape: bundle false, cjs, outExtension .js → dist/api/main.js."""
    root = _nx_project(tmp_path, _esbuild(format=["cjs"], bundle=False, esbuildOptions={"outExtension": {".js": ".js"}}))
    (root / "server.js").unlink()
    f = facts(root)
    assert f.dev_start.value == "nx serve"
    assert (f.app.start[0].value, f.app.start[0].confidence) == (("node", "dist/api/main.js"), "derived")
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (3333, "src/main.ts line 1")
    p = plan(root)
    assert _runs(_stage(p, "build"))[-1] == "npm run build"
    assert _argv(p) == ("dist/api/main.js",) and p.plan.runner == "distroless"
    assert 'COPY --from=build ["/app/dist/api", "./dist/api"]' in p.dockerfile
    assert "project.json targets.build (@nx/esbuild:esbuild) outputPath + main" in p.dockerfile
    assert_clean(p.dockerfile)


@pytest.mark.parametrize("build,entry", [
    (_esbuild(), "dist/api/main.js"),                                      # esm (the default): .js
    (_esbuild(format=["cjs"]), "dist/api/main.cjs"),                       # cjs: .cjs unless outExtension says .js
    (_esbuild(format=["cjs"], outputFileName="server.js"), "dist/api/server.cjs"),
    ({"executor": "@nx/webpack:webpack", "options": {"outputPath": "dist/apps/api", "main": "src/main.ts"}},
     "dist/apps/api/main.js"),
    ({"executor": "@nx/js:tsc", "options": {"outputPath": "dist/api", "main": "src/main.ts"}}, "dist/api/src/main.js"),
    ({"executor": "@nx/esbuild:esbuild", "options": {"outputPath": "dist/api", "main": "src/main.ts"},
      "defaultConfiguration": "production", "configurations": {"production": {"outputPath": "dist/prod"}}},
     "dist/prod/main.js"),
])
def test_nx_build_output_per_executor(tmp_path, build, entry):
    root = _nx_project(tmp_path, build)
    assert facts(root).app.start[0].value == ("node", entry)


def test_nx_project_named_by_serve_under_apps_and_built_without_a_script(tmp_path):
    build = {"executor": "@nx/js:tsc", "options": {"outputPath": "dist/apps/web", "main": "apps/web/src/main.ts"}}
    root = _nx_project(tmp_path, build, scripts={"start": "nx run web:serve"}, name="web", path="apps/web/project.json")
    (root / "server.js").unlink()
    p = plan(root)
    assert _argv(p) == ("dist/apps/web/src/main.js",)
    assert _runs(_stage(p, "build"))[-1] == "npx --no-install nx build web"


def test_nx_executor_dockgen_does_not_know_is_refused_with_the_choices(tmp_path):
    root = _nx_project(tmp_path, {"executor": "@acme/builder:build", "options": {"outputPath": "dist/api", "main": "src/main.ts"}})
    (root / "server.js").unlink()
    with pytest.raises(InvalidInputError, match=r"nx serve.*@acme/builder:build.*does not know") as e:
        plan(root)
    assert "dist/api/main.js" in e.value.hint and "--command" in e.value.hint


def test_nx_start_prod_script_wins_over_the_derived_entry(tmp_path):
    scripts = {"start": "nx serve", "build": "nx build", "start:prod": "node dist/api/main.js"}
    root = _nx_project(tmp_path, _esbuild(format=["cjs"]), scripts=scripts)
    f = facts(root)
    assert [c.value[-1] for c in f.app.start] == ["dist/api/main.js", "dist/api/main.cjs"]


# --- writable directories -------------------------------------------------------------------------------------

WRITES = {
    "lib/store.js": ("const fs = require('fs');\nconst path = require('path');\n"
                     "const dataDir = process.env.DATA_DIR || './data/';\nfs.mkdirSync(dataDir, { recursive: true });\n"
                     "fs.mkdirSync(path.join(__dirname, 'cache'), { recursive: true });\n"),
    "lib/upload.js": "const multer = require('multer');\nmodule.exports = multer({ dest: 'uploads/' });\n",
    "lib/db.js": "const sqlite3 = require('sqlite3');\nmodule.exports = new sqlite3.Database('./db/app.sqlite');\n",
    "lib/log.js": "require('fs').createWriteStream('logs/access.log', { flags: 'a' });\n",
}


def _writes_project(tmp_path):
    server = ("require('./lib/store');\nrequire('./lib/upload');\nrequire('./lib/db');\nrequire('./lib/log');\n" + HTTP)
    return npm_project(tmp_path, pkg(), {"server.js": server, **WRITES})


def test_writable_directories_are_read_with_evidence(tmp_path):
    f = facts(_writes_project(tmp_path))
    assert [(c.value, str(c.evidence)) for c in f.app.writable] == [
        ("data", "lib/store.js line 3"), ("lib/cache", "lib/store.js line 5"), ("uploads", "lib/upload.js line 2"),
        ("db", "lib/db.js line 2"), ("logs", "lib/log.js line 1")]


def test_writable_directories_are_owned_by_the_user_and_persistent_ones_are_volumes(tmp_path):
    p = plan(_writes_project(tmp_path))
    deps = _stage(p, "deps")
    assert _runs(deps)[-1] == "mkdir -p /opt/writable/0 /opt/writable/1 /opt/writable/2 /opt/writable/3 /opt/writable/4"
    df = p.dockerfile
    for i, d in enumerate(["data", "db", "lib/cache", "logs", "uploads"]):
        assert f'COPY --from=deps --chown=65532:65532 ["/opt/writable/{i}", "/app/{d}"]' in df
    assert 'VOLUME ["/app/data", "/app/db", "/app/uploads"]' in df  # cache and logs are scratch
    assert df.index('COPY [".", "."]') < df.index("/opt/writable/0\", \"/app/data")
    assert "writable at run time: data (from lib/store.js line 3)" in df
    assert {"data", "uploads", "db"} <= set(p.dockerignore.splitlines())
    assert_clean(df)


def test_app_writing_next_to_its_code_owns_the_app_directory_only(tmp_path):
    root = npm_project(tmp_path, pkg(), {"server.js": "const Database = require('better-sqlite3');\nnew Database('visits.db');\n" + HTTP})
    f = facts(root)
    assert [c.value for c in f.app.writable] == ["."]
    df = plan(root).dockerfile
    own = 'COPY --from=deps --chown=65532:65532 ["/opt/writable/0", "/app"]'
    assert own in df and df.index(own) < df.index("WORKDIR /app\n", df.index("FROM gcr.io"))
    assert 'COPY [".", "."]' in df and "VOLUME" not in df


def test_paths_dockgen_cannot_map_are_warnings(tmp_path):
    root = npm_project(tmp_path, pkg(scripts={"build": "tsc", "start": "node dist/server.js"}),
                       {"tsconfig.json": TSCONFIG,
                        "src/server.ts": "import fs from 'fs';\nimport path from 'path';\n"
                                         "fs.mkdirSync(path.join(__dirname, 'uploads'));\nfs.mkdirSync('../shared');\n"
                                         "fs.mkdirSync('/var/lib/app');\n"})
    f = facts(root)
    assert f.app.writable == ()
    assert sum("cannot map to a directory" in w for w in f.warnings) == 2


def test_no_writes_no_mkdir(tmp_path):
    p = plan(npm_project(tmp_path))
    assert "/opt/writable" not in p.dockerfile and "VOLUME" not in p.dockerfile



def test_a_guarded_devdependency_import_does_not_disqualify_the_entry(tmp_path):
    """Only require hooks (ts-node/register, @babel/register …) make an entry need its devDependencies."""
    code = "if (process.env.NODE_ENV !== 'production') require('dotenv').config();\n" + HTTP
    root = npm_project(tmp_path, pkg(devDependencies={"dotenv": "^16"}), {"server.js": code})
    assert facts(root).app.start[0].value == ("node", "server.js")
    hooked = npm_project(tmp_path / "b", pkg(scripts={"start": "node -r tsconfig-paths/register server.js"},
                                             devDependencies={"tsconfig-paths": "^4"}))
    assert facts(hooked).devdep_start.value == "tsconfig-paths/register"
