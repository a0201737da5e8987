"""Frontends in a subfolder: the runtime's embedded or served folders, the subfolder build's output
folder, and the registry's verdict (built in the assets stage, refused, or classified and ignored)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import dockgen
from dockgen.detectors import go_embed, node_outdir, python_static
from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.repo import RepoView
from dockgen.generator import frontends, stacks
from dockgen.generator import models as m
from support.lint import assert_clean
from support.node_projects import pnpm_lock, write

GOMOD = "module example.com/app\n\ngo 1.26\n"
SERVER = ('package main\n\nimport (\n\t"embed"\n\t"net/http"\n)\n\n//go:embed {pattern}\nvar ui embed.FS\n\n'
          'func main() {{ _ = http.ListenAndServe(":8080", http.FileServer(http.FS(ui))) }}\n')


def ui_pkg(build: str | None = "vite build", **more) -> dict:
    scripts = {"build": build} if build else {"lint": "eslint ."}
    return {"name": "ui", "version": "1.0.0", "private": True, "scripts": {**scripts, **more},
            "devDependencies": {"vite": "^7.0.0"}}


def npm_lock(pkg: dict) -> str:
    root = {"name": pkg["name"], "version": pkg["version"], "devDependencies": pkg["devDependencies"]}
    return json.dumps({"name": pkg["name"], "lockfileVersion": 3, "requires": True,
                       "packages": {"": root, "node_modules/vite": {"version": "7.0.0", "dev": True}}})


def go_repo(tmp_path: Path, pattern: str = "ui/build", *, ui: dict | None = None, lock: bool = True,
            extra: dict | None = None) -> Path:
    pkg = ui if ui is not None else ui_pkg()
    files: dict = {"go.mod": GOMOD, "main.go": SERVER.format(pattern=pattern), "ui/package.json": pkg,
                   "ui/src/main.js": "console.log(1)\n", **(extra or {})}
    if lock:
        files["ui/package-lock.json"] = npm_lock(pkg)
    return write(tmp_path, files)


# ---- readers ----------------------------------------------------------------------------------


def test_vite_out_dir_is_read_and_defaults_to_dist(tmp_path):
    write(tmp_path, {"vite.config.ts": "export default defineConfig({ build: { outDir: 'build' } })\n"})
    outs = node_outdir.build_outputs(RepoView(tmp_path), ui_pkg())
    assert [(o.value, str(o.source)) for o in outs] == [(("build", "build"), "vite.config.ts build.outDir")]
    (tmp_path / "vite.config.ts").write_text("export default {}\n")
    assert node_outdir.build_outputs(RepoView(tmp_path), ui_pkg())[0].value == ("build", "dist")


def test_output_flags_tools_and_unknown_builds(tmp_path):
    repo = RepoView(write(tmp_path, {"angular.json": {"projects": {"web": {"architect": {"build": {
        "options": {"outputPath": {"base": "../server/static"}}}}}}}}))
    outs = lambda **scripts: [o.value for o in node_outdir.build_outputs(repo, {"scripts": scripts})]
    assert outs(build="tsc && react-scripts build") == [("build", "build")]
    assert outs(build="ng build") == [("build", "../server/static/browser")]
    assert outs(build="vite build", release="vite build --outDir=../srv/dist --emptyOutDir") == [
        ("build", "dist"), ("release", "../srv/dist")]
    assert outs(build="esbuild src/a.js --bundle --outdir ./public/js/") == [("build", "public/js")]
    assert outs(build="node build.mjs") == []
    assert outs(build="vite build --outDir /etc") == []  # an absolute path is no folder of the project


def test_go_embed_folders_are_relative_to_their_file(tmp_path):
    repo = write(tmp_path, {"go.mod": GOMOD, "web/serve.go": "package web\n\n//go:embed build/* spec.json\nvar f int\n",
                            "web/spec.json": "{}", "main.go": '//go:embed "all:static"\npackage main\n'})
    view = RepoView(repo)
    found = go_embed.embedded_dirs(view, {".": ["main.go"], "web": ["web/serve.go"]}, view.read_text)
    assert [(f.value, str(f.source)) for f in found] == [
        ("static", 'main.go line 1 (//go:embed "all:static")'),
        ("web/build", "web/serve.go line 3 (//go:embed build/* spec.json)")]


def test_python_static_folders():
    files = [("app/main.py", 'app.mount("/", StaticFiles(directory="frontend/dist", html=True))\n'
                             'other = StaticFiles(directory=Path(__file__).resolve().parent.parent / "web" / "out")\n'),
             ("site/app.py", 'app = Flask(__name__, static_folder="../ui/build")\nx = Flask(__name__, static_folder=cfg.dir)\n'),
             ("proj/settings.py", 'STATICFILES_DIRS = [\n    BASE_DIR / "client" / "dist",\n]\n')]
    assert [(f.value, str(f.source)) for f in python_static.static_dirs(files)] == [
        ("frontend/dist", "app/main.py line 1 StaticFiles directory"),
        ("web/out", "app/main.py line 2 StaticFiles directory"),
        ("ui/build", "site/app.py line 1 static_folder"),
        ("client/dist", "proj/settings.py line 1 STATICFILES_DIRS")]


# ---- verdicts ---------------------------------------------------------------------------------


def test_go_embed_of_a_ui_build_is_built_before_go_build(tmp_path):
    repo = go_repo(tmp_path, extra={"ui/vite.config.ts": "export default { build: { outDir: 'build' } }\n"})
    planned = dockgen.plan(repo)
    assert planned.facts.assets_folder == "ui" and planned.facts.assets_build.value == ("build", "ui/build")
    assets, build = planned.plan.stages[0], planned.plan.stages[1]
    assert assets.name == "assets" and m.Workdir(path="/app/ui") in assets.instructions
    copies = [i for i in build.instructions if isinstance(i, m.Copy)]
    built = m.Copy(from_stage="assets", sources=("/app/ui/build/",), dest="./ui/build/")
    assert built in copies and copies.index(built) == len(copies) - 1  # after the sources, before go build
    assert "go build" in [i for i in build.instructions if isinstance(i, m.Run)][-1].command
    assert "ui/node_modules" in planned.plan.ignore and "ui/build" in planned.plan.ignore
    assert any("ui/package.json builds ui/build (ui/vite.config.ts build.outDir), which main.go line 8" in r
               for r in planned.plan.reasons)
    assert_clean(planned.dockerfile_body)


def test_a_served_frontend_without_lockfile_is_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="no lockfile") as err:
        dockgen.plan(go_repo(tmp_path, pattern="ui/dist", lock=False))
    assert err.value.file == "ui/package.json" and "commit the lockfile" in err.value.hint


def test_a_missing_embed_in_a_frontend_with_an_unknown_output_is_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="cannot tell where that build writes") as err:
        dockgen.plan(go_repo(tmp_path, pattern="ui/build/*", ui=ui_pkg("node build.mjs")))
    assert err.value.file == "ui/package.json" and "build.outDir 'build'" in err.value.hint


def test_an_unreadable_frontend_with_its_output_committed_is_a_note(tmp_path):
    """pocketbase: ui/package.json's name is not an npm name, and ui/dist is committed (so `go build`
    needs no Node): the committed files are used; without them the error stands."""
    bad = {**ui_pkg(), "name": "PocketBase Superuser UI"}
    repo = go_repo(tmp_path, pattern="ui/dist", ui=bad, extra={"ui/dist/index.html": "<p>ui</p>\n"})
    planned = dockgen.plan(repo)
    assert planned.facts.assets is None
    assert "the committed ui/dist is used as it is" in planned.facts.others[0]
    with pytest.raises(InvalidInputError, match="not a valid npm package name"):
        dockgen.plan(go_repo(tmp_path / "bare", pattern="ui/dist", ui=bad))


def test_a_committed_embed_with_an_unrelated_frontend_is_classified(tmp_path):
    repo = go_repo(tmp_path, pattern="templates", extra={"templates/index.html": "<p>hi</p>\n"})
    planned = dockgen.plan(repo)
    assert planned.facts.assets is None and planned.plan.stages[0].name != "assets"
    assert planned.facts.others == (
        "ui/package.json builds files but its build writes ui/dist, which the go app neither serves nor embeds: ignored",)
    assert planned.facts.others[0] in planned.plan.reasons


def test_dev_tooling_and_server_subfolders_are_ignored(tmp_path):
    repo = go_repo(tmp_path, pattern="templates", ui=ui_pkg(None), extra={
        "templates/a.html": "x", "api/package.json": {"name": "api", "version": "1.0.0",
                                                      "scripts": {"start": "node server.js"}},
        "api/server.js": "require('http').createServer().listen(3000)\n"})
    others = dockgen.plan(repo).facts.others
    assert others[0].startswith("api/package.json starts its own server") and "run dockgen in api/" in others[0]
    assert others[1].startswith("ui/package.json is dev tooling only")


def test_python_static_folder_built_into_the_runtime_image(tmp_path):
    pkg = ui_pkg("vite build")
    repo = write(tmp_path, {"requirements.txt": "flask==3.1.2\ngunicorn==23.0.0\n",
                            "app.py": 'from flask import Flask\napp = Flask(__name__, static_folder="frontend/dist")\n',
                            "frontend/package.json": pkg, "frontend/package-lock.json": npm_lock(pkg)})
    planned = dockgen.plan(repo)
    runner = planned.plan.stages[-1]
    copies = [i for i in runner.instructions if isinstance(i, m.Copy)]
    at = copies.index(m.Copy(sources=(".",), dest="."))
    assert copies[at + 1] == m.Copy(from_stage="assets", sources=("/app/frontend/dist/",), dest="./frontend/dist/")
    assert_clean(planned.dockerfile_body)


def test_a_release_script_writing_beside_the_server_is_the_one_run(tmp_path):
    pkg = ui_pkg("vite build", release="vite build --mode release --outDir=../server/web/dist --emptyOutDir")
    repo = go_repo(tmp_path, pattern="dist/*", ui=pkg, extra={
        "main.go": SERVER.format(pattern="server/web/dist/*"), "server/web/dist/index.html": "placeholder\n"})
    planned = dockgen.plan(repo)
    assert planned.facts.assets_build.value == ("release", "server/web/dist")
    assert "npm run release && rm -rf node_modules" in planned.dockerfile_body
    # Outside the frontend's folder the served folder may hold committed files: copied over, not ignored.
    assert "server/web/dist" not in planned.plan.ignore
    assert 'COPY --from=assets ["/app/server/web/dist/", "./server/web/dist/"]' in planned.dockerfile_body


PLUGIN = """
      <plugin>
        <groupId>com.github.eirslett</groupId>
        <artifactId>frontend-maven-plugin</artifactId>
        <version>1.15.1</version>
        <configuration><workingDirectory>${project.basedir}/frontend</workingDirectory></configuration>
      </plugin>
    </plugins>"""


def spring_repo(tmp_path: Path, plugin: bool) -> Path:
    src = Path(__file__).parent.parent / "examples" / "java-spring-frontend"
    files = {str(p.relative_to(src)): p.read_text() for p in src.rglob("*") if p.is_file()}
    if plugin:
        files["pom.xml"] = files["pom.xml"].replace("\n    </plugins>", PLUGIN, 1)
    return write(tmp_path, files)


def test_spring_static_folder_is_built_before_mvn_package(tmp_path):
    planned = dockgen.plan(spring_repo(tmp_path, plugin=False))
    assert planned.facts.assets_build.value == ("build", "src/main/resources/static")
    build = next(s for s in planned.plan.stages if s.name == "build")
    copies = [i for i in build.instructions if isinstance(i, m.Copy)]
    assert copies[-1] == m.Copy(from_stage="assets", sources=("/app/src/main/resources/static/",),
                                dest="./src/main/resources/static/")
    assert "src/main/resources/static" not in planned.plan.ignore  # it holds committed resources too


def test_frontend_maven_plugin_builds_the_frontend_itself(tmp_path):
    planned = dockgen.plan(spring_repo(tmp_path, plugin=True))
    assert planned.facts.assets is None and all(s.name != "assets" for s in planned.plan.stages)
    assert planned.facts.others == (
        "frontend/package.json is built by the java build itself (pom.xml <build><plugins> frontend-maven-plugin): "
        "no separate stage; the plugin downloads Node.js and runs the install during that build, so it needs "
        "nodejs.org and the npm registry",)
    assert planned.facts.others[0] in planned.plan.reasons


def test_a_top_level_link_leaving_the_repository_is_no_frontend(tmp_path):
    # The Go detector refuses such a link itself; the frontend scan alone skips it instead.
    outside = tmp_path / "outside"
    write(outside, {"package.json": ui_pkg()})
    repo = go_repo(tmp_path / "repo", pattern="templates", extra={"templates/a.html": "x"})
    facts = dockgen.plan(repo).facts.model_copy(update={"others": ()})
    (repo / "elsewhere").symlink_to(outside, target_is_directory=True)
    again = frontends.attach(RepoView(repo), facts, tuple(s for s in stacks.all_stacks() if s.assets))
    assert again.others and not any("elsewhere" in note for note in again.others)


def test_test_browsers_are_not_downloaded_by_the_assets_install(tmp_path):
    pkg = ui_pkg("vite build")
    pkg["devDependencies"] = {**pkg["devDependencies"], "puppeteer": "^25.0.0"}
    planned = dockgen.plan(go_repo(tmp_path, pattern="ui/dist", ui=pkg))
    assets = planned.plan.stages[0]
    env = next(i for i in assets.instructions if isinstance(i, m.Env))
    assert dict(env.pairs) == {"PUPPETEER_SKIP_DOWNLOAD": "1"}
    assert assets.instructions.index(env) < next(i for i, x in enumerate(assets.instructions) if getattr(x, "step", None) == "deps")
    assert_clean(planned.dockerfile_body)


# ---- a frontend beside the project (its build writes into the project from a sibling folder) -----


def sibling_repo(tmp_path: Path, build: str = "vite build --outDir ../server/web/dist", *, lock: bool = True,
                 extra: dict | None = None) -> Path:
    """A repository (``.git`` at its root) with the Go module in server/ and the UI in ui/ beside it."""
    pkg = ui_pkg(build)
    files: dict = {".git/HEAD": "ref: refs/heads/main\n", "server/go.mod": GOMOD,
                   "server/main.go": SERVER.format(pattern="web/dist"), "ui/package.json": pkg,
                   "ui/src/main.js": "console.log(1)\n", **(extra or {})}
    if lock:
        files["ui/package-lock.json"] = npm_lock(pkg)
    return write(tmp_path, files)


def test_a_sibling_frontend_is_built_from_the_parent_directory(tmp_path):
    planned = dockgen.plan(sibling_repo(tmp_path) / "server")
    facts, plan = planned.facts, planned.plan
    assert (facts.assets_context, facts.assets_folder, facts.assets_build.value) == (
        "server", "ui", ("build", "server/web/dist"))
    assert facts.model_dump(mode="json")["assets_context"] == "server"
    assert plan.context == m.BuildContext(root="..", dockerfile="server/Dockerfile", what=plan.context.what)
    assets, build = plan.stages[0], plan.stages[1]
    assert m.Copy(sources=("ui/package-lock.json", "ui/package.json"), dest="./") in assets.instructions
    copies = [i for i in build.instructions if isinstance(i, m.Copy)]
    assert copies[0].sources == ("server/go.mod",)
    built = m.Copy(from_stage="assets", sources=("/app/server/web/dist/",), dest="./web/dist/")
    assert copies[-2:] == [m.Copy(sources=("server",), dest="./"), built]  # after the sources, before go build
    assert "server/web/dist" in plan.ignore and "**/dist" in plan.ignore and "**/Dockerfile" in plan.ignore
    assert any(line.startswith("../ui/package.json (a sibling of server/) builds server/web/dist") for line in
               plan.reasons)
    assert "docker build -f server/Dockerfile -t IMAGE ." in "\n".join(plan.build_lines)
    assert_clean(planned.dockerfile_body)


def test_a_project_with_its_embed_folder_gets_no_sibling_build(tmp_path):
    """remark42's shape: the served folder is committed (a placeholder page), so no sibling build is
    claimed, even one that writes elsewhere; and no search passes the repository's .git."""
    repo = sibling_repo(tmp_path, "vite build --outDir ../public", extra={"server/web/dist/index.html": "<p/>\n"})
    planned = dockgen.plan(repo / "server")
    assert planned.facts.assets is None and planned.plan.context is None
    write(tmp_path / "server", {".git/HEAD": "ref: refs/heads/main\n"})
    (tmp_path / "server/web/dist/index.html").unlink()
    assert dockgen.plan(tmp_path / "server").facts.assets is None  # server/ is the repository: not searched


def test_a_sibling_frontend_that_cannot_be_built_is_refused_by_name(tmp_path):
    with pytest.raises(InvalidInputError, match="no lockfile") as err:
        dockgen.plan(sibling_repo(tmp_path / "a", lock=False) / "server")
    assert err.value.file == "../ui/package.json" and "commit the lockfile" in err.value.hint
    with pytest.raises(InvalidInputError, match="cannot tell where") as err:
        dockgen.plan(sibling_repo(tmp_path / "b", "node build.mjs") / "server")
    assert err.value.file == "../ui/package.json" and "--outDir ../server/web/dist" in err.value.hint
    # A folder of unrelated projects (no .git, no workspace): an unknown output there is no one's.
    (tmp_path / "b/.git/HEAD").unlink()
    (tmp_path / "b/.git").rmdir()
    assert dockgen.plan(tmp_path / "b/server").facts.assets is None


def test_sveltekit_adapter_static_pages_is_the_output(tmp_path):
    cfg = ("import adapter from '@sveltejs/adapter-static';\n// pages: 'not-this'\nexport default { kit: {"
           " adapter: adapter({ fallback: 'index.html', pages: process.env.OUT ?? '../backend/frontend/dist' }) } };\n")
    write(tmp_path, {"svelte.config.js": cfg, "vite.config.ts": "export default { build: { outDir: 'x' } }\n"})
    outs = node_outdir.build_outputs(RepoView(tmp_path), ui_pkg())
    assert [(o.value, str(o.source)) for o in outs] == [(("build", "../backend/frontend/dist"),
                                                         "svelte.config.js adapter-static pages")]
    (tmp_path / "svelte.config.js").write_text("import adapter from '@sveltejs/adapter-static';\n"
                                               "export default { kit: { adapter: adapter() } };\n")
    assert node_outdir.build_outputs(RepoView(tmp_path), ui_pkg())[0].value == ("build", "build")
    (tmp_path / "svelte.config.js").write_text("import adapter from '@sveltejs/adapter-node';\n")
    assert node_outdir.build_outputs(RepoView(tmp_path), ui_pkg())[0].value == ("build", "x")


def test_a_sibling_pnpm_workspace_member_installs_from_the_root_lockfile(tmp_path):
    """pocket-id's shape: frontend/ is a member of the root's pnpm workspace and backend/ is not."""
    cfg = ("import adapter from '@sveltejs/adapter-static';\n"
           "export default { kit: { adapter: adapter({ pages: '../backend/frontend/dist' }) } };\n")
    files = {".git/HEAD": "ref: refs/heads/main\n", "backend/go.mod": GOMOD,
             "backend/frontend/embed.go": SERVER.format(pattern="all:dist/*").replace("package main", "package frontend"),
             "backend/main.go": SERVER.format(pattern="static/x.txt"), "backend/static/x.txt": "x\n",
             "package.json": {"name": "root", "private": True}, "pnpm-workspace.yaml": "packages:\n  - frontend\n",
             "pnpm-lock.yaml": pnpm_lock({}, {"vite": "^7.0.0"}), "frontend/package.json": ui_pkg(),
             "frontend/svelte.config.js": cfg}
    planned = dockgen.plan(write(tmp_path, files) / "backend")
    assert planned.facts.assets_build.value == ("build", "backend/frontend/dist")
    assets = planned.plan.stages[0]
    runs = [i.command for i in assets.instructions if isinstance(i, m.Run)]
    assert any(r.startswith("pnpm install --frozen-lockfile") and r.endswith("--filter ui...") for r in runs)
    assert any(r.startswith("pnpm --filter ui run build") for r in runs)
    assert m.Copy(sources=("package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml"), dest="./") in assets.instructions
    build = planned.plan.stages[1]
    assert m.Copy(from_stage="assets", sources=("/app/backend/frontend/dist/",), dest="./frontend/dist/") in \
        build.instructions
    assert_clean(planned.dockerfile_body)
