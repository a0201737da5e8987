"""npm, yarn and pnpm workspaces: the root above a member, its members, the member build from the root,
and the refusal at a root that has no app of its own."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import dockgen
from dockgen import api, workspace_all
from dockgen.detectors import node
from dockgen.detectors import node_workspace as nw
from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.repo import RepoView
from dockgen.generator import stacks
from support.lint import assert_clean
from support.tree import write_tree

LOCK = json.dumps({"name": "mono", "lockfileVersion": 3, "packages": {"": {"name": "mono"}}})
SERVER = "require('http').createServer((q, s) => s.end('hi')).listen(process.env.PORT || 3000);\n"


def pkg(name: str, **more) -> str:
    return json.dumps({"name": name, "version": "1.0.0", **more})


def mono(tmp_path, root: dict | None = None, extra: dict[str, str] | None = None, lock: tuple[str, str] = (
        "package-lock.json", LOCK)):
    """apps/api (a server using @m/lib), apps/web (a build only), packages/lib (a library with a build)."""
    return write_tree(tmp_path, {
        "package.json": json.dumps({"name": "mono", "private": True, "workspaces": ["apps/*", "packages/*"],
                                    **(root or {})}),
        lock[0]: lock[1],
        "apps/api/package.json": pkg("@m/api", scripts={"start": "node server.js"},
                                     dependencies={"@m/lib": "*", "ms": "^2.1.3"}, devDependencies={"@m/tools": "*"}),
        "apps/api/server.js": SERVER,
        "apps/web/package.json": pkg("@m/web", scripts={"build": "vite build"}),
        "packages/lib/package.json": pkg("@m/lib", main="dist/index.js", scripts={"build": "tsc"},
                                         dependencies={"@m/util": "workspace:*"}),
        "packages/util/package.json": pkg("@m/util", main="index.js"),
        "packages/tools/package.json": pkg("@m/tools", scripts={"build": "node b.js"}),
        **(extra or {})})


# ---- finding the root and the members --------------------------------------------------------------


def test_patterns_from_package_json_array_object_and_pnpm_yaml(tmp_path):
    a = write_tree(tmp_path / "a", {"package.json": json.dumps({"workspaces": ["apps/*"]})})
    b = write_tree(tmp_path / "b", {"package.json": json.dumps({"workspaces": {"packages": ["libs/**"]}})})
    c = write_tree(tmp_path / "c", {"package.json": "{}", "pnpm-workspace.yaml": (
        "# members\npackages:\n  - 'apps/*'   # the apps\n  - \"!apps/legacy\"\ncatalog:\n  react: ^19\n")})
    d = write_tree(tmp_path / "d", {"package.json": "{}", "pnpm-workspace.yaml": "packages: [apps/*, 'libs/x']\n"})
    assert nw.patterns(RepoView(a)) == (["apps/*"], "package.json workspaces")
    assert nw.patterns(RepoView(b)) == (["libs/**"], "package.json workspaces")
    assert nw.patterns(RepoView(c)) == (["apps/*", "!apps/legacy"], "pnpm-workspace.yaml packages")
    assert nw.patterns(RepoView(d))[0] == ["apps/*", "libs/x"]
    assert nw.patterns(RepoView(write_tree(tmp_path / "e", {"package.json": "{}"}))) is None


def test_members_expand_globs_skip_dirs_without_package_json_and_exclusions(tmp_path):
    root = write_tree(tmp_path, {
        "package.json": json.dumps({"workspaces": ["apps/*", "libs/**", "tools", "!apps/old", "../x"]}),
        "apps/a/package.json": pkg("a"), "apps/old/package.json": pkg("old"), "apps/notes/README": "",
        "libs/group/deep/package.json": pkg("deep"), "libs/node_modules/n/package.json": pkg("n"),
        "tools/package.json": json.dumps({"private": True})})
    found = nw.members(RepoView(root))
    assert [(p.dir, p.name) for p in found] == [("apps/a", "a"), ("libs/group/deep", "deep"), ("tools", "tools")]
    assert nw.workspace_members(root) == ("apps/a", "libs/group/deep", "tools")
    assert nw.workspace_members(root / "apps") == ()


def test_workspace_root_is_the_nearest_root_listing_the_member(tmp_path):
    root = mono(tmp_path, extra={"loose/package.json": pkg("loose")})
    assert nw.workspace_root(root / "apps" / "api") == root.resolve()
    assert nw.workspace_root(root / "loose") is None  # not matched by a pattern: a project of its own
    assert nw.workspace_root(root) is None
    assert nw.workspace_root(root / "apps") is None  # no package.json: not a member
    repo = stacks.open_repo(root / "apps" / "api")
    assert repo.context.root == root.resolve() and repo.member == "apps/api"


def test_workspace_dependencies_transitive_dependencies_first_dev_only_for_the_build(tmp_path):
    listed = nw.members(RepoView(mono(tmp_path)))
    assert [p.dir for p in nw.workspace_deps(listed, "apps/api", dev=True)] == [
        "packages/util", "packages/lib", "packages/tools"]
    assert [p.dir for p in nw.workspace_deps(listed, "apps/api", dev=False)] == ["packages/util", "packages/lib"]
    assert nw.workspace_deps(listed, "packages/util", dev=True) == []


def test_a_same_named_dependency_from_the_registry_is_not_the_member(tmp_path):
    root = mono(tmp_path, extra={"apps/api/package.json": pkg("@m/api", scripts={"start": "node server.js"},
                                                             dependencies={"@m/lib": "npm:@other/lib@1"})})
    assert nw.workspace_deps(nw.members(RepoView(root)), "apps/api", dev=False) == []


# ---- the member build ------------------------------------------------------------------------------


def test_npm_member_builds_from_the_root_limited_to_what_it_uses(tmp_path):
    root = mono(tmp_path)
    p = dockgen.plan(root / "apps" / "api")
    assert p.plan.context.root == "../.." and p.plan.context.dockerfile == "apps/api/Dockerfile"
    assert p.output_paths[".dockerignore"] == "Dockerfile.dockerignore"
    df = p.dockerfile
    assert "npm ci --omit=dev --workspace apps/api && mkdir -p node_modules packages/util/node_modules " \
           "packages/lib/node_modules apps/api/node_modules" in df
    assert "npm ci --workspace apps/api --workspace packages/util --workspace packages/lib --workspace " \
           "packages/tools\n" in df  # no --include-workspace-root: the root declares no dependencies
    # Dependencies' builds first; util has no build script; the member has none either.
    assert "RUN npm run build --workspace packages/lib && npm run build --workspace packages/tools && rm -rf" in df
    for d in ("apps/web", "apps/api", "packages/lib"):
        assert f'COPY ["{d}/package.json", "{d}/"]' in df  # every member's manifest: npm ci checks them all
    assert 'COPY --from=build ["/app/packages/lib", "/app/packages/lib"]' in df
    assert "/app/apps/web" not in df and "/app/packages/tools\"" not in df  # not in the runner
    assert "WORKDIR /app/apps/api" in df and 'CMD ["server.js"]' in df
    assert "# Build (BuildKit):  DOCKER_BUILDKIT=1 docker build -f apps/api/Dockerfile -t IMAGE ." in df
    assert "**/node_modules" in p.dockerignore and "**/Dockerfile" in p.dockerignore
    assert_clean(df)


def test_root_dependencies_join_the_build_install(tmp_path):
    root = mono(tmp_path, root={"devDependencies": {"typescript": "^5"}},
                lock=("package-lock.json", json.dumps({"lockfileVersion": 3, "packages": {"": {
                    "devDependencies": {"typescript": "^5"}}}})))
    df = dockgen.plan(root / "apps" / "api").dockerfile
    assert "--workspace packages/tools --include-workspace-root\n" in df
    assert "npm ci --omit=dev --workspace apps/api &&" in df  # the runner never gets the root's


def test_pnpm_member_filters_the_member_and_its_dependencies(tmp_path):
    root = mono(tmp_path, root={"packageManager": "pnpm@9.15.9"}, lock=("pnpm-lock.yaml", (
        "lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n")),
                extra={"pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n"})
    df = dockgen.plan(root / "apps" / "api").dockerfile
    assert "pnpm install --frozen-lockfile --store-dir /pnpm/store --prod --filter @m/api... &&" in df
    assert "pnpm install --frozen-lockfile --store-dir /pnpm/store --filter @m/api...\n" in df
    assert "pnpm --filter @m/lib run build && pnpm --filter @m/tools run build" in df
    assert 'COPY ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", "./"]' in df


def test_yarn_classic_member_installs_the_whole_workspace_and_says_so(tmp_path):
    root = mono(tmp_path, lock=("yarn.lock", "# THIS IS AN AUTOGENERATED FILE.\n# yarn lockfile v1\n\n"))
    p = dockgen.plan(root / "apps" / "api", node_version="24")
    df = p.dockerfile
    assert "yarn install --frozen-lockfile --non-interactive --cache-folder /usr/local/share/.cache/yarn " \
           "--production &&" in df
    assert "workspaces focus" not in df
    assert "yarn 1.x has no workspace focus: the whole workspace is installed" in df
    assert "yarn workspace @m/lib run build && yarn workspace @m/tools run build" in df


def test_member_of_a_workspace_without_builds_copies_from_the_context(tmp_path):
    root = write_tree(tmp_path, {
        "package.json": json.dumps({"workspaces": ["svc", "lib"]}), "package-lock.json": LOCK,
        "svc/package.json": pkg("svc", scripts={"start": "node index.js"}, dependencies={"lib": "1.0.0"}),
        "svc/index.js": SERVER, "lib/package.json": pkg("lib", main="index.js")})
    p = dockgen.plan(root / "svc")
    assert [s.name for s in p.plan.stages][:-1] == ["deps"]
    assert 'COPY ["lib", "/app/lib"]' in p.dockerfile and 'COPY ["svc", "/app/svc"]' in p.dockerfile
    assert p.plan.context.root == ".."


def test_cli_init_inside_the_member(tmp_path):
    root = mono(tmp_path)
    cp = subprocess.run([sys.executable, "-m", "dockgen", "init", "--stdout"], cwd=root / "apps" / "api",
                        capture_output=True, text=True, timeout=120)
    assert cp.returncode == 0, cp.stderr
    assert cp.stdout == dockgen.plan(root / "apps" / "api").dockerfile


# ---- the root --------------------------------------------------------------------------------------


def test_root_without_an_app_is_refused_naming_the_members_that_serve(tmp_path):
    root = mono(tmp_path, root={"scripts": {"start": "npm start --workspace apps/api"}})
    with pytest.raises(InvalidInputError) as e:
        dockgen.plan(root)
    assert e.value.exit_code == 5 and e.value.file == "package.json"
    # lib and util are libraries (main only), web builds files and starts nothing, tools has no start.
    assert "the members that start a server: apps/api; apps/web, packages/tools only build files" in e.value.message
    assert "dockgen init apps/api" in e.value.hint
    assert api.inspect(root).found["node"].deployable == ("apps/api",)


def test_exported_files_and_dev_servers_do_not_make_a_member_serve(tmp_path):
    # karakeep / create-t3-turbo: a shared prettier config whose exports name its index.js, and an
    # Expo app whose start script is the Expo dev server.
    root = mono(tmp_path, root={"scripts": {"start": "npm start --workspace apps/api"}}, extra={
        "packages/prettier/package.json": pkg("@m/prettier-config", exports={".": "./index.js"}),
        "packages/prettier/index.js": "export default {};\n",
        "apps/mobile/package.json": pkg("@m/mobile", main="index.ts", scripts={"start": "expo start"}),
        "packages/util/index.js": "module.exports = {};\n",
    })
    assert api.inspect(root).found["node"].deployable == ("apps/api",)
    mobile = node.detect(RepoView(root / "apps/mobile", context=RepoView(root)))
    assert "development server (expo start)" in mobile.library_reason()
    prettier = node.detect(RepoView(root / "packages/prettier", context=RepoView(root)))
    assert prettier.entry_files == () and prettier.library_reason() is not None
    util = node.detect(RepoView(root / "packages/util", context=RepoView(root)))  # main: index.js
    assert util.entry_files == () and util.library_reason() is not None
    # outside a workspace the same file is an entry file
    alone = write_tree(tmp_path / "alone", {"package.json": pkg("x", exports={".": "./index.js"}), "index.js": SERVER})
    assert node.detect(RepoView(alone)).entry_files == ("index.js",)


def test_root_whose_members_serve_nothing_says_so(tmp_path):
    root = write_tree(tmp_path, {"package.json": json.dumps({"workspaces": ["frontend"]}), "package-lock.json": LOCK,
                                 "frontend/package.json": pkg("frontend", scripts={"build": "vite build"})})
    with pytest.raises(InvalidInputError) as e:
        dockgen.plan(root)
    assert "none of its members (frontend) starts a server dockgen can see; frontend only builds files and " \
        "starts no server: a static frontend, served by dockgen's nginx runner" in e.value.message
    assert "dockgen init frontend" in e.value.hint


def test_root_with_an_app_of_its_own_is_built_with_every_member(tmp_path):
    root = mono(tmp_path, extra={"server.js": SERVER})
    p = dockgen.plan(root)
    assert p.plan.context is None and "npm ci --omit=dev" in p.dockerfile
    # npm ci at a workspace root installs (and checks) every member: their manifests come first.
    assert 'COPY ["packages/tools/package.json", "packages/tools/"]' in p.dockerfile
    assert 'COPY --from=deps ["/app/node_modules", "./node_modules"]' in p.dockerfile  # members' dependencies
    assert_clean(p.dockerfile)


def test_pnpm_workspace_yaml_for_settings_only_is_not_a_workspace(tmp_path):
    root = write_tree(tmp_path, {"package.json": pkg("solo", scripts={"start": "node server.js"}),
                                 "server.js": SERVER, "pnpm-lock.yaml": "lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n",
                                 "pnpm-workspace.yaml": "onlyBuiltDependencies:\n  - esbuild\n"})
    p = dockgen.plan(root)
    assert p.plan.context is None and not p.facts.workspaces


def test_nextjs_member_runs_next_start_with_a_writable_cache(tmp_path):
    root = mono(tmp_path, extra={"apps/site/package.json": pkg(
        "@m/site", scripts={"build": "next build", "start": "next start"},
        dependencies={"next": "15.0.0", "@m/lib": "*"})})
    p = dockgen.plan(root / "apps" / "site")
    df = p.dockerfile
    assert "npm run build --workspace packages/lib && npm run build --workspace apps/site && rm -rf node_modules " \
           "packages/util/node_modules packages/lib/node_modules apps/site/node_modules apps/site/.next/cache && " \
           "mkdir -p /opt/next-cache" in df
    assert 'COPY --from=build --chown=65532:65532 ["/opt/next-cache", "/app/apps/site/.next/cache"]' in df
    assert "WORKDIR /app/apps/site" in df
    assert_clean(df)


def test_member_dependencies_are_checked_against_its_lockfile_entry(tmp_path):
    lock = json.dumps({"lockfileVersion": 3, "packages": {"": {}, "apps/api": {
        "dependencies": {"@m/lib": "*", "ms": "^2.1.2"}, "devDependencies": {"@m/tools": "*"}}}})
    p = dockgen.plan(mono(tmp_path / "npm", lock=("package-lock.json", lock)) / "apps" / "api")
    assert p.facts.lockfile_problems == ("apps/api: ms: package.json asks for '^2.1.3', package-lock.json has "
                                         "'^2.1.2'",)
    assert any("out of sync" in w for w in p.warnings)
    pnpm = ("lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n\n  apps/api:\n    dependencies:\n"
            "      '@m/lib':\n        specifier: '*'\n        version: link:../../packages/lib\n"
            "      ms:\n        specifier: ^2.1.3\n        version: 2.1.3\n    devDependencies:\n"
            "      '@m/tools':\n        specifier: '*'\n        version: link:../../packages/tools\n")
    root = mono(tmp_path / "pnpm", lock=("pnpm-lock.yaml", pnpm),
                extra={"pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n"})
    assert dockgen.plan(root / "apps" / "api").facts.lockfile_problems == ()
    (root / "pnpm-lock.yaml").write_text(pnpm.replace("  apps/api:", "  apps/other:"))
    assert dockgen.plan(root / "apps" / "api").facts.lockfile_problems == (
        "pnpm-lock.yaml has no entry for the workspace member apps/api",)


def test_member_that_only_builds_files_is_served_by_nginx(tmp_path):
    """apps/web builds with vite and starts nothing: a static frontend, built from the workspace root and
    served by the nginx runner; a build-only member whose output dockgen cannot locate is refused."""
    root = mono(tmp_path)
    p = dockgen.plan(root / "apps" / "web")
    assert p.plan.runner == "nginx" and p.plan.context is not None and p.plan.context.root == "../.."
    assert "RUN npm run build --workspace apps/web && rm -rf" in p.dockerfile
    assert 'COPY --from=build ["/app/apps/web/dist", "/app"]' in p.dockerfile
    assert_clean(p.dockerfile)
    with pytest.raises(InvalidInputError) as e:
        dockgen.plan(root / "packages" / "tools")
    assert e.value.exit_code == 5 and e.value.file == "packages/tools/package.json"
    assert "builds files (package.json scripts.build) and starts no server: a static frontend, but dockgen cannot " \
        "tell where its build writes" in e.value.message
    assert "--outDir" in e.value.hint


def test_yarn_berry_member_focuses_the_root_when_the_build_needs_its_dependencies(tmp_path):
    berry = "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\"typescript@npm:^5\":\n  version: 5.9.3\n"
    root = mono(tmp_path, root={"packageManager": "yarn@4.9.2", "devDependencies": {"typescript": "^5"}},
                lock=("yarn.lock", berry), extra={".yarnrc.yml": "nodeLinker: node-modules\n"})
    df = dockgen.plan(root / "apps" / "api").dockerfile
    assert "yarn workspaces focus @m/api @m/util @m/lib @m/tools mono\n" in df
    assert "yarn install --immutable --mode=skip-build && yarn workspaces focus --production @m/api &&" in df
    assert "the build focuses the root (mono) too" in df


def test_a_standalone_next_member_copies_the_workspace_shaped_output(tmp_path):
    """karakeep: output: 'standalone' in apps/web; the output mirrors the workspace, so it lands in
    /app and the runner starts apps/web/server.js; no production-deps stage."""
    import shutil

    import dockgen
    from support.examples import EXAMPLES

    repo = shutil.copytree(EXAMPLES / "node-next-workspace", tmp_path / "w")
    p = dockgen.plan(repo / "apps/web")
    names = [s.name for s in p.plan.stages]
    assert "deps" not in names and names[0] == "build"
    assert 'COPY --from=build --chown=65532:65532 ["/app/apps/web/.next/standalone", "/app"]' in p.dockerfile
    assert "WORKDIR /app/apps/web" in p.dockerfile and 'CMD ["server.js"]' in p.dockerfile


def test_a_member_keeps_the_roots_credential_free_npmrc(tmp_path):
    """excalidraw: the root's .npmrc (legacy-peer-deps, no credentials) is copied for the install, so the
    member's ignore file re-includes it as the root's file (`!.npmrc`, not `**/!.npmrc`, which matches
    nothing and left BuildKit without the file: `"/.npmrc" not found`)."""
    root = mono(tmp_path, extra={".npmrc": "legacy-peer-deps=true\n"})
    for member in ("apps/api", "apps/web"):
        p = dockgen.plan(root / member)
        assert '".npmrc"' in p.dockerfile.split("RUN --mount=type=cache")[0]
        assert "!.npmrc" in p.plan.ignore and not any(i.startswith("**/!") for i in p.plan.ignore)


def test_a_frontend_whose_build_writes_into_another_project_is_not_served_on_its_own(tmp_path):
    """pocket-id: the frontend member's adapter-static writes ../backend/frontend/dist, which the Go
    server in backend/ embeds: neither a static site of its own nor an `--all` target."""
    root = mono(tmp_path, extra={
        "apps/web/package.json": pkg("@m/web", scripts={"build": "vite build"},
                                     devDependencies={"vite": "^7.0.0"}),
        "apps/web/vite.config.js": "export default { build: { outDir: '../../backend/web/dist' } };\n",
    })
    with pytest.raises(InvalidInputError) as e:
        dockgen.plan(root / "apps" / "web")
    assert e.value.exit_code == 5 and "a folder of another project" in e.value.message
    assert "backend/web/dist" in e.value.hint
    reason = workspace_all.skip_reason(root / "apps" / "web", {}, None)
    assert reason is not None and "another project's folder" in reason
