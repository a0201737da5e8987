"""Node: a static frontend (a single-page app that only builds files) served by the nginx runner."""

from __future__ import annotations

import json

import pytest

import dockgen
from dockgen.detectors.errors import InvalidInputError, UsageError
from dockgen.generator import node_static
from dockgen.generator.catalog import load_catalog
from support.lint import assert_clean
from support.node_projects import npm_lock
from support.tree import write_tree

VITE = {"name": "web", "version": "1.0.0", "private": True, "scripts": {"dev": "vite", "build": "vite build"},
        "devDependencies": {"vite": "^7.1.0"}}


def spa(tmp_path, package: dict | None = None, **files: str):
    package = package or VITE
    return write_tree(tmp_path, {"package.json": json.dumps(package), "package-lock.json": npm_lock(package),
                                 "index.html": "<h1>hi</h1>\n", **{k.replace("__", "/").replace("_", "."): v
                                                                    for k, v in files.items()}})


def test_a_vite_spa_is_served_by_nginx_on_8080_as_a_numeric_user(tmp_path):
    p = dockgen.plan(spa(tmp_path))
    df = p.dockerfile
    assert p.plan.runner == "nginx" and p.plan.port == 8080 and p.plan.user == 65532
    assert_clean(df)
    runner = df.split("# Runtime stage (nginx)")[1]
    assert "FROM debian:trixie-slim\n" in runner
    pinned = load_catalog().section("node").static_packages
    assert pinned and all("=" in s for s in pinned)
    assert f"--no-install-recommends -o Dir::Cache::Archives=/var/cache/dockgen-apt/ '{pinned[0]}'" in runner
    assert "--mount=type=cache,target=/var/cache/dockgen-apt,sharing=locked" in runner
    assert 'COPY --from=build ["/app/dist", "/app"]' in runner  # root-owned: no --chown
    for directive in ("'listen 8080;'", "'root /app;'", "'pid /tmp/nginx.pid;'", "'error_log stderr;'",
                      "'access_log /dev/stdout;'", "'client_body_temp_path /tmp/nginx-client-body;'",
                      '"location / { try_files \\$uri \\$uri/ /index.html; }"'):
        assert directive in runner, directive
    assert "<<" not in df  # no heredoc: Docker 20.10's built-in frontend has none
    assert 'CMD ["nginx", "-c", "/etc/nginx/dockgen.conf", "-e", "stderr", "-g", "daemon off;"]' in runner
    assert "USER 65532:65532\nEXPOSE 8080\n" in runner
    assert 'CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080' in runner and '-lt 500' in runner
    # Node stays in the build stage; the runner gets no node_modules.
    assert "FROM node:26-trixie-slim AS build" in df and "node_modules" not in runner
    assert "RUN npm run build" in df
    assert "static frontend: package.json builds files (package.json scripts.build) and starts no server; its " \
           "build writes dist/ (from vite's default dist (no vite.config.*))" in df
    assert "# port 8080 (from dockgen's nginx runner: a port a non-root user can bind; the maintainers' own image " \
           "may use 80)" in df
    assert p.warnings == ()


@pytest.mark.parametrize(("package", "files", "out"), [
    ({**VITE}, {"vite.config.ts": "export default { build: { outDir: 'public_html' } }\n"}, "public_html"),
    ({**VITE, "scripts": {"start": "react-scripts start", "build": "react-scripts build"}}, {}, "build"),
    ({**VITE, "scripts": {"start": "ng serve", "build": "ng build"}},
     {"angular.json": json.dumps({"projects": {"web": {"architect": {"build": {"options": {
         "outputPath": {"base": "dist/web"}}}}}}})}, "dist/web/browser"),
    # excalidraw-app's shape: build → `yarn build:app` → `cross-env X=1 vite build`, the outDir in vite.config.
    ({**VITE, "scripts": {"build": "yarn build:app && yarn build:version", "build:version": "node v.js",
                          "build:app": "cross-env VITE_APP_X=1 vite build"}},
     {"vite.config.mts": "export default defineConfig({ build: { outDir: 'build' } })\n"}, "build"),
    ({**VITE, "scripts": {"build": "vite build --outDir site"}}, {}, "site"),
])
def test_the_folder_the_build_writes_is_what_nginx_serves(tmp_path, package, files, out):
    root = write_tree(tmp_path, {"package.json": json.dumps(package), "package-lock.json": npm_lock(package),
                                 **files})
    p = dockgen.plan(root)
    assert p.plan.runner == "nginx"
    assert f'COPY --from=build ["/app/{out}", "/app"]' in p.dockerfile


def test_an_unknown_output_folder_is_refused_with_the_reason(tmp_path):
    package = {**VITE, "scripts": {"build": "node scripts/build.js"}}
    with pytest.raises(InvalidInputError) as e:
        dockgen.plan(spa(tmp_path, package))
    assert e.value.exit_code == 5 and e.value.file == "package.json"
    assert "starts no server: a static frontend, but dockgen cannot tell where its build writes" in e.value.message
    assert "--outDir" in e.value.hint and "--command" in e.value.hint


def test_a_build_that_writes_outside_the_project_is_refused(tmp_path):
    package = {**VITE, "scripts": {"build": "vite build --outDir ../server/static"}}
    with pytest.raises(InvalidInputError) as e:
        dockgen.plan(spa(tmp_path, package))
    assert "its build writes ../server/static (package.json scripts.build (--outDir ../server/static)), outside " \
           "the build context" in e.value.message


def test_another_runner_for_a_static_frontend_and_nginx_for_a_server_are_refused(tmp_path):
    with pytest.raises(UsageError) as e:
        dockgen.plan(spa(tmp_path / "spa"), runner="distroless")
    assert e.value.exit_code == 2 and "served by the nginx runner; the distroless runner would run Node.js" in str(e.value)
    server = {"name": "api", "version": "1.0.0", "scripts": {"start": "node server.js"}}
    root = write_tree(tmp_path / "api", {"package.json": json.dumps(server), "package-lock.json": npm_lock(server),
                                         "server.js": "require('http').createServer().listen(3000)\n"})
    with pytest.raises(UsageError) as e:
        dockgen.plan(root, runner="nginx")
    assert "the nginx runner serves only a static frontend's build output" in str(e.value)
    assert dockgen.plan(spa(tmp_path / "spa2"), runner="nginx").plan.runner == "nginx"


def test_a_command_names_a_server_instead(tmp_path):
    p = dockgen.plan(spa(tmp_path), command=["node", "server.js"])
    assert p.plan.runner != "nginx" and 'CMD ["server.js"]' in p.dockerfile


def test_port_healthcheck_and_packages_options(tmp_path):
    root = spa(tmp_path)
    p = dockgen.plan(root, port=80, healthcheck="")
    assert "'listen 80;'" in p.dockerfile and "EXPOSE 80\n" in p.dockerfile
    assert "# No HEALTHCHECK: disabled by the healthcheck option" in p.dockerfile
    assert any("port 80 is below 1024" in w for w in p.warnings)
    p = dockgen.plan(root, packages=["ca-certificates=20250419"])
    runner = p.dockerfile.split("# Runtime stage (nginx)")[1]
    assert "ca-certificates=20250419" in runner
    assert_clean(p.dockerfile)


def test_compose_needs_no_init_for_nginx(tmp_path):
    p = dockgen.plan(spa(tmp_path))
    assert node_static.compose_init(p.plan) == (False, "nginx's master process stops on SIGTERM and reaps its own workers")
    compose = p.compose_body or ""
    assert "init: true" not in compose and "app: init: false (nginx's master process" in compose
