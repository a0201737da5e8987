"""Node: reading the app — start candidates, port and its variable, bind and the bind-all variable."""

from __future__ import annotations

import pytest

from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.node_app import dev_tool, parse_start
from support.lint import assert_clean
from support.node_projects import facts, npm_project, pkg, plan


def _runner(p):
    return p.plan.stages[-1].instructions


def _env(p) -> dict[str, str]:
    return dict(next(i for i in _runner(p) if i.kind == "env").pairs)


def _argv(p) -> tuple[str, ...]:
    return _runner(p)[-1].argv


def test_env_var_port_default_sets_both_variables(tmp_path):
    code = "const express = require('express');\nconst app = express();\napp.listen(process.env.APP_PORT || 4000);\n"
    root = npm_project(tmp_path, pkg(), {"server.js": code})
    f = facts(root)
    assert [(c.value, str(c.evidence), c.confidence) for c in f.app.port] == [(4000, "server.js line 3", "read")]
    assert [c.value for c in f.app.port_env] == ["APP_PORT"]
    p = plan(root)
    assert _env(p) == {"NODE_ENV": "production", "PORT": "4000", "APP_PORT": "4000"}
    assert "EXPOSE 4000" in p.dockerfile and "port 4000 (from server.js line 3)" in p.dockerfile
    assert_clean(p.dockerfile)


def test_port_read_from_a_required_config_file(tmp_path):
    root = npm_project(tmp_path, pkg(), {"server.js": "const c = require('./lib/config');\nrequire('http').createServer().listen(c.port);\n",
                                          "lib/config.js": "module.exports = { port: Number(process.env.WEB_PORT ?? 7001) };\n"})
    f = facts(root)
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (7001, "lib/config.js line 1")
    assert f.app.port_env[0].value == "WEB_PORT"


def test_port_option_wins_and_assumed_port_warns(tmp_path):
    root = npm_project(tmp_path, pkg(), {"server.js": "require('http').createServer().listen(process.env.PORT);\n"})
    p = plan(root)
    assert p.plan.port == 3000 and any("port 3000 is assumed" in w and "--port" in w for w in p.plan.warnings)
    assert "assumed" in p.dockerfile
    assert plan(root, port=9000).plan.port == 9000
    with pytest.raises(InvalidInputError, match="--strict refuses assumed"):
        plan(root, strict=True)


def test_fastify_loopback_with_host_variable_binds_all(tmp_path):
    code = ("const f = require('fastify')();\nconst host = process.env.LISTEN_HOST ?? '127.0.0.1';\n"
            "f.listen({ port: Number(process.env.PORT ?? 3030), host });\n")
    root = npm_project(tmp_path, pkg(dependencies={"fastify": "^5.0.0"}), {"server.js": code})
    f = facts(root)
    assert f.app.bind[0].value == "127.0.0.1" and f.app.bind_env[0].value == ("LISTEN_HOST", "0.0.0.0")
    assert not any("cannot publish" in w for w in f.warnings)
    env = _env(plan(root))
    assert env["LISTEN_HOST"] == "0.0.0.0" and env["PORT"] == "3030"


def test_fastify_without_host_is_a_derived_loopback_warning(tmp_path):
    root = npm_project(tmp_path, pkg(dependencies={"fastify": "^5.0.0"}),
                       {"server.js": "const f = require('fastify')();\nf.listen({ port: 3000 });\n"})
    f = facts(root)
    assert (f.app.bind[0].value, f.app.bind[0].confidence) == ("127.0.0.1", "derived")
    assert any("cannot publish" in w for w in f.warnings)


def test_build_then_run_start_builds_at_image_build_time(tmp_path):
    scripts = {"build": "tsc", "start": "npm run build && node dist/server.js"}
    root = npm_project(tmp_path, pkg(scripts=scripts), {"tsconfig.json": '{"compilerOptions": {"outDir": "dist"}}',
                                                        "src/server.ts": "const port = process.env.PORT || 5000;\n"})
    f = facts(root)
    assert f.start_build.value == ("run", "build") and f.app.start[0].value == ("node", "dist/server.js")
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (5000, "src/server.ts line 1")
    p = plan(root)
    build = next(s for s in p.plan.stages if s.name == "build")
    assert any(getattr(i, "command", "") == "npm run build" for i in build.instructions)
    assert _argv(p) == ("dist/server.js",) and p.plan.runner == "distroless"
    assert "npm run build &&" not in p.dockerfile.split("FROM gcr.io")[1]
    assert_clean(p.dockerfile)


def test_tsc_then_node_without_a_build_script(tmp_path):
    root = npm_project(tmp_path, pkg(scripts={"start": "tsc && node dist/index.js"}),
                       {"tsconfig.json": '{"compilerOptions": {"outDir": "dist"}}'})
    p = plan(root)
    build = next(s for s in p.plan.stages if s.name == "build")
    assert any(getattr(i, "command", "") == "npx --no-install tsc" for i in build.instructions)
    assert _argv(p) == ("dist/index.js",)


@pytest.mark.parametrize("script,tool", [("nodemon server.js", "nodemon"), ("ts-node-dev src/main.ts", "ts-node-dev"),
                                         ("node --watch server.js", "node --watch"), ("next dev", "next dev"),
                                         ("vite", "vite"), ("NODE_ENV=dev nodemon x.js", "nodemon")])
def test_dev_servers_are_recognised(script, tool):
    assert dev_tool(script) == tool


def test_dev_start_is_never_the_command(tmp_path):
    root = npm_project(tmp_path, pkg(scripts={"start": "nodemon server.js", "start:prod": "node server.js"}))
    p = plan(root)
    assert _argv(p) == ("server.js",) and "scripts.start:prod" in p.dockerfile
    root2 = npm_project(tmp_path / "b", pkg(scripts={"start": "node --watch src/app.js"}))
    (root2 / "server.js").unlink()  # no fallback entry either
    with pytest.raises(InvalidInputError, match="development server"):
        plan(root2)


def test_stale_ts_main_uses_start_prod(tmp_path):
    scripts = {"build": "tsc", "start": "ts-node src/main.ts", "start:prod": "node dist/main.js"}
    root = npm_project(tmp_path, pkg(main="src/main.ts", scripts=scripts),
                       {"tsconfig.json": '{"compilerOptions": {"outDir": "dist"}}', "src/main.ts": "x\n"})
    f = facts(root)
    assert f.app.start[0].value == ("node", "dist/main.js")
    assert any("src/main.ts" in w and "does not exist in the image" in w for w in f.warnings)
    assert _argv(plan(root)) == ("dist/main.js",)


def test_start_target_missing_after_build_is_skipped(tmp_path):
    root = npm_project(tmp_path, pkg(scripts={"start": "node lib/missing.js", "start:prod": "node server.js"}))
    f = facts(root)
    assert [c.value for c in f.app.start] == [("node", "server.js")]
    assert any("lib/missing.js" in w for w in f.warnings)


def test_env_file_is_dropped_with_a_warning(tmp_path):
    root = npm_project(tmp_path, pkg(scripts={"start": "node --env-file=.env server.js"}),
                       {"server.js": "require('http').createServer().listen(process.env.PORT || 8080);\n"})
    f = facts(root)
    assert f.env_file.value == ".env" and f.app.start[0].value == ("node", "server.js")
    p = plan(root)
    assert _argv(p) == ("server.js",) and "--env-file" not in _runner(p)[-1].render()
    assert any("--env-file=.env" in w and "dropped" in w for w in p.plan.warnings)


def test_env_file_as_the_only_config_is_refused(tmp_path):
    root = npm_project(tmp_path, pkg(scripts={"start": "node --env-file .env server.js"}),
                       {"server.js": "require('http').createServer().listen(process.env.PORT);\n"})
    with pytest.raises(InvalidInputError, match="env-file=.env.*no default"):
        plan(root)
    assert plan(root, port=8000).plan.port == 8000


def test_parse_start_refuses_shell_words():
    assert parse_start("node server.js | tee log", {}, "start") is None
    assert parse_start("rm -rf / && node x.js", {}, "start") is None
    st = parse_start("yarn build && node --enable-source-maps dist/a.js", {"build": "tsc"}, "start")
    assert st.args == ("--enable-source-maps", "dist/a.js") and st.build == ("run", "build")
