"""Node detector: every fact and its source."""

from __future__ import annotations

import pytest

from dockgen.detectors import node
from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.facts import DEFAULT
from dockgen.detectors.node_start import classify_start, strip_jsonc
from dockgen.detectors.repo import RepoView
from support.node_projects import SERVER, facts, npm_project, pkg, write


def test_not_a_node_project(tmp_path):
    (tmp_path / "requirements.txt").write_text("flask\n")
    assert node.detect(RepoView(tmp_path)) is None


def test_metadata_facts_and_sources(tmp_path):
    f = facts(npm_project(tmp_path, pkg(name="@acme/api", version="2.3.4", description="An  API\nserver",
                                        license="MIT OR Apache-2.0")))
    assert (f.name.value, str(f.name.source)) == ("@acme/api", "package.json name")
    assert (f.version.value, str(f.version.source)) == ("2.3.4", "package.json version")
    assert f.description.value == "An API server"
    assert f.license.value == "MIT OR Apache-2.0"
    assert f.manifests == ("package-lock.json", "package.json")
    assert f.ecosystem == "node"


@pytest.mark.parametrize("bad", ["bad name", "app\nFROM x", "@scope/a/b", ""])
def test_unsafe_package_name_is_refused(tmp_path, bad):
    package = pkg(name=bad)
    if bad == "":
        f = facts(npm_project(tmp_path, package))
        assert f.name is None
        return
    with pytest.raises(InvalidInputError, match="package.json"):
        facts(npm_project(tmp_path, package))


def test_invalid_package_json(tmp_path):
    write(tmp_path, {"package.json": "{not json"})
    with pytest.raises(InvalidInputError, match="package.json: invalid JSON"):
        facts(tmp_path)
    write(tmp_path, {"package.json": "[1, 2]"})
    with pytest.raises(InvalidInputError, match="package.json: is not a JSON object"):
        facts(tmp_path)


# ---- package manager ------------------------------------------------------------------------------


def test_npm_from_package_lock(tmp_path):
    f = facts(npm_project(tmp_path))
    assert (f.package_manager.value, str(f.package_manager.source)) == ("npm", "package-lock.json")
    assert f.lockfile.value == "package-lock.json"
    assert f.lockfile_problems == ()


def test_npm_shrinkwrap(tmp_path):
    package = pkg()
    from support.node_projects import npm_lock
    write(tmp_path, {"package.json": package, "npm-shrinkwrap.json": npm_lock(package), "server.js": SERVER})
    f = facts(tmp_path)
    assert (f.package_manager.value, f.lockfile.value) == ("npm", "npm-shrinkwrap.json")


def test_yarn_classic(tmp_path):
    from support.node_projects import yarn_classic_lock
    write(tmp_path, {"package.json": pkg(), "yarn.lock": yarn_classic_lock({"express": "^4.21.2"}), "server.js": SERVER})
    f = facts(tmp_path)
    assert (f.package_manager.value, str(f.package_manager.source)) == ("yarn", "yarn.lock")
    assert (f.yarn_flavor.value, str(f.yarn_flavor.source)) == ("classic", "yarn.lock (# yarn lockfile v1)")
    assert f.lockfile_problems == ()


def test_yarn_berry_from_metadata_and_linker(tmp_path):
    from support.node_projects import yarn_berry_lock
    write(tmp_path, {"package.json": pkg(), "yarn.lock": yarn_berry_lock({"express": "^4.21.2"}),
                     ".yarnrc.yml": "nodeLinker: node-modules\n", "server.js": SERVER})
    f = facts(tmp_path)
    assert (f.yarn_flavor.value, str(f.yarn_flavor.source)) == ("berry", "yarn.lock __metadata")
    assert (f.yarn_node_linker.value, str(f.yarn_node_linker.source)) == ("node-modules", ".yarnrc.yml nodeLinker")
    assert ".yarnrc.yml" in f.manifests
    assert f.lockfile_problems == ()


def test_yarn_berry_default_linker_is_pnp(tmp_path):
    from support.node_projects import yarn_berry_lock
    write(tmp_path, {"package.json": pkg(), "yarn.lock": yarn_berry_lock({"express": "^4.21.2"}), "server.js": SERVER})
    f = facts(tmp_path)
    assert f.yarn_node_linker.value == "pnp"


def test_yarn_flavor_from_package_manager_field(tmp_path):
    from support.node_projects import yarn_classic_lock
    write(tmp_path, {"package.json": pkg(packageManager="yarn@4.9.2"),
                     "yarn.lock": yarn_classic_lock({"express": "^4.21.2"}), "server.js": SERVER})
    f = facts(tmp_path)
    assert (f.yarn_flavor.value, str(f.yarn_flavor.source)) == ("berry", "package.json packageManager")
    assert (f.package_manager_version.value, str(f.package_manager_version.source)) == ("4.9.2", "package.json packageManager")


def test_pnpm(tmp_path):
    from support.node_projects import pnpm_lock
    write(tmp_path, {"package.json": pkg(packageManager="pnpm@9.15.9+sha512." + "ab" * 64),
                     "pnpm-lock.yaml": pnpm_lock({"express": "^4.21.2"}), "server.js": SERVER})
    f = facts(tmp_path)
    assert (f.package_manager.value, f.lockfile.value) == ("pnpm", "pnpm-lock.yaml")
    assert f.package_manager_version.value == "9.15.9"
    assert f.package_manager_hash.value == "sha512." + "ab" * 64
    assert f.lockfile_problems == ()


@pytest.mark.parametrize("lock", ["bun.lock", "bun.lockb"])
def test_bun(tmp_path, lock):
    content = ('{\n  "lockfileVersion": 1,\n  "workspaces": {\n    "": {\n      "name": "app",\n'
               '      "dependencies": {\n        "express": "^4.21.2",\n      },\n    },\n  },\n}\n')
    write(tmp_path, {"package.json": pkg(), lock: content if lock == "bun.lock" else "\x00bun", "server.js": SERVER})
    f = facts(tmp_path)
    assert (f.package_manager.value, f.lockfile.value) == ("bun", lock)
    assert f.lockfile_problems == ()


def test_package_manager_field_without_lockfile(tmp_path):
    write(tmp_path, {"package.json": pkg(packageManager="pnpm@9.15.9"), "server.js": SERVER})
    f = facts(tmp_path)
    assert (f.package_manager.value, str(f.package_manager.source)) == ("pnpm", "package.json packageManager")
    assert f.lockfile is None
    assert any("no lockfile" in w for w in f.warnings)


@pytest.mark.parametrize("bad", ["pnpm", "pnpm@latest; rm -rf /", "npm@10 && x", "deno@1.0.0"])
def test_bad_package_manager_field(tmp_path, bad):
    write(tmp_path, {"package.json": pkg(packageManager=bad), "server.js": SERVER})
    with pytest.raises(InvalidInputError, match="package.json: packageManager"):
        facts(tmp_path)


def test_no_lockfile_warns(tmp_path):
    write(tmp_path, {"package.json": pkg(), "server.js": SERVER})
    f = facts(tmp_path)
    assert f.lockfile is None
    assert (f.package_manager.value, str(f.package_manager.source)) == ("npm", "no lockfile: npm, the default")
    assert any("no lockfile" in w and "package-lock.json" in w for w in f.warnings)


def test_several_lockfiles_warn(tmp_path):
    from support.node_projects import yarn_classic_lock
    npm_project(tmp_path, extra={"yarn.lock": yarn_classic_lock({"express": "^4.21.2"})})
    f = facts(tmp_path)
    assert f.package_manager.value == "npm"
    assert any("several lockfiles" in w for w in f.warnings)


# ---- lockfile sync ------------------------------------------------------------------------------------


def test_npm_lock_missing_dependency(tmp_path):
    package = pkg(dependencies={"express": "^4.21.2", "zod": "^3.0.0"})
    from support.node_projects import npm_lock
    write(tmp_path, {"package.json": package, "package-lock.json": npm_lock(pkg()), "server.js": SERVER})
    f = facts(tmp_path)
    assert f.lockfile_problems == ("zod is in package.json but not in package-lock.json",)


def test_npm_lock_changed_specifier_and_removed_dep(tmp_path):
    from support.node_projects import npm_lock
    package = pkg(dependencies={"express": "^5.0.0"})
    lock = npm_lock(pkg(dependencies={"express": "^4.21.2", "left-pad": "^1.0.0"}))
    write(tmp_path, {"package.json": package, "package-lock.json": lock, "server.js": SERVER})
    problems = facts(tmp_path).lockfile_problems
    assert "express: package.json asks for '^5.0.0', package-lock.json has '^4.21.2'" in problems
    assert "left-pad is in package-lock.json but no longer in package.json" in problems


def test_npm_lock_dev_dependency_counts(tmp_path):
    from support.node_projects import npm_lock
    package = pkg(devDependencies={"nodemon": "^3.0.0"})
    write(tmp_path, {"package.json": package, "package-lock.json": npm_lock(pkg()), "server.js": SERVER})
    assert facts(tmp_path).lockfile_problems == ("nodemon is in package.json but not in package-lock.json",)


def test_pnpm_lock_out_of_sync(tmp_path):
    from support.node_projects import pnpm_lock
    write(tmp_path, {"package.json": pkg(dependencies={"express": "^4.21.2", "hono": "^4.0.0"}),
                     "pnpm-lock.yaml": pnpm_lock({"express": "^4.21.2"}), "server.js": SERVER})
    assert facts(tmp_path).lockfile_problems == ("hono is in package.json but not in pnpm-lock.yaml",)


def test_pnpm_lock_scoped_names_in_sync(tmp_path):
    from support.node_projects import pnpm_lock
    deps = {"@hono/node-server": "^1.19.5", "hono": "^4.10.4"}
    write(tmp_path, {"package.json": pkg(dependencies=deps), "pnpm-lock.yaml": pnpm_lock(deps), "server.js": SERVER})
    assert facts(tmp_path).lockfile_problems == ()


def test_yarn_lock_out_of_sync(tmp_path):
    from support.node_projects import yarn_berry_lock, yarn_classic_lock
    write(tmp_path, {"package.json": pkg(dependencies={"express": "^5.1.0"}),
                     "yarn.lock": yarn_classic_lock({"express": "^4.21.2"}), "server.js": SERVER})
    assert facts(tmp_path).lockfile_problems == ("express@'^5.1.0' (package.json) has no entry in yarn.lock",)
    write(tmp_path, {"yarn.lock": yarn_berry_lock({"express": "^4.21.2"})})
    assert facts(tmp_path).lockfile_problems == ("express@'^5.1.0' (package.json) has no entry in yarn.lock",)


def test_examples_lockfiles_are_in_sync():
    from support import examples as ex
    for name in ("node-express-npm", "node-fastify-yarn", "node-pnpm", "node-nestjs"):
        f = facts(ex.EXAMPLES / name)
        assert f.lockfile_problems == (), name


# ---- Node version requests ------------------------------------------------------------------------------


def test_version_sources_in_precedence_order(tmp_path):
    npm_project(tmp_path, pkg(engines={"node": ">=20"}, volta={"node": "22.20.0"}),
                {".nvmrc": "v24\n", ".node-version": "22\n"})
    f = facts(tmp_path)
    assert [(v.value, str(v.source)) for v in f.node_versions] == [
        ("v24", ".nvmrc"), ("22", ".node-version"), ("22.20.0", "package.json volta.node"),
        (">=20", "package.json engines.node")]


@pytest.mark.parametrize("files,expected", [
    ({".nvmrc": "# comment\nlts/jod\n"}, ("lts/jod", ".nvmrc")),
    ({".node-version": "24.19.0"}, ("24.19.0", ".node-version")),
])
def test_version_files(tmp_path, files, expected):
    f = facts(npm_project(tmp_path, extra=files))
    assert (f.node_versions[0].value, str(f.node_versions[0].source)) == expected


@pytest.mark.parametrize("bad", ["22; rm -rf /", "$(id)", "22\"\nRUN x"])
def test_version_file_is_allow_listed(tmp_path, bad):
    with pytest.raises(InvalidInputError, match=r"\.nvmrc"):
        facts(npm_project(tmp_path, extra={".nvmrc": bad}))


def test_engines_range_is_allow_listed(tmp_path):
    with pytest.raises(InvalidInputError, match="package.json: engines.node"):
        facts(npm_project(tmp_path, pkg(engines={"node": ">=20; curl x"})))


# ---- start command, frameworks, port --------------------------------------------------------------------


@pytest.mark.parametrize("script,kind,args", [
    ("node server.js", "node", ("server.js",)),
    ("node --enable-source-maps -r dotenv/config dist/main.js", "node",
     ("--enable-source-maps", "-r", "dotenv/config", "dist/main.js")),
    ("node dist/main", "node", ("dist/main",)),
    ("node a.js && node b.js", "shell", None),
    ("NODE_OPTIONS=--max-old-space-size=512 node server.js", "shell", None),
    ("node server.js | tee log", "shell", None),
    ("node $ENTRY", "shell", None),
    ("nest start", "tool", None),
    ("ts-node src/main.ts", "tool", None),
    ("node --version", "tool", None),
])
def test_classify_start(script, kind, args):
    assert classify_start(script) == (kind, args)


def test_start_facts(tmp_path):
    f = facts(npm_project(tmp_path, pkg(main="lib/index.js", scripts={"start": "node server.js", "build": "tsc"})))
    assert (f.start_kind.value, str(f.start_kind.source)) == ("node", "package.json scripts.start")
    assert f.start_args.value == ("server.js",)
    assert (f.main.value, str(f.main.source)) == ("lib/index.js", "package.json main")
    assert (f.build_script.value, str(f.build_script.source)) == (True, "package.json scripts.build")
    assert f.entry_files == ("server.js",)


def test_main_is_a_safe_path(tmp_path):
    with pytest.raises(InvalidInputError, match="package.json: main"):
        facts(npm_project(tmp_path, pkg(main="../../etc/passwd")))


@pytest.mark.parametrize("dep,fw", [("express", "express"), ("fastify", "fastify"), ("@nestjs/core", "nestjs"),
                                    ("next", "nextjs")])
def test_frameworks(tmp_path, dep, fw):
    f = facts(npm_project(tmp_path, pkg(dependencies={dep: "^1.0.0"})))
    assert [(x.value, str(x.source)) for x in f.frameworks] == [(fw, f"package.json dependencies.{dep}")]


def test_dev_dependency_is_not_a_framework(tmp_path):
    f = facts(npm_project(tmp_path, pkg(dependencies={}, devDependencies={"express": "^4.0.0"})))
    assert f.frameworks == ()


@pytest.mark.parametrize("cfg,text,value", [
    ("next.config.js", "module.exports = { output: 'standalone' };\n", True),
    ("next.config.mjs", "export default {\n  output: \"standalone\",\n};\n", True),
    ("next.config.ts", "const c = { reactStrictMode: true };\nexport default c;\n", False),
    ("next.config.js", "module.exports = {\n  // output: 'standalone',\n};\n", False),
    # NextChat: the output mode from a variable whose default (the image build sets none) is standalone
    ("next.config.mjs", 'const mode = process.env.BUILD_MODE ?? "standalone";\nexport default {\n  output: mode,\n};\n', True),
    ("next.config.mjs", 'const mode = process.env.BUILD_MODE ?? "export";\nexport default {\n  output: mode,\n};\n', False),
])
def test_next_standalone(tmp_path, cfg, text, value):
    f = facts(npm_project(tmp_path, pkg(dependencies={"next": "^15.0.0"}), {cfg: text}))
    assert (f.next_standalone.value, str(f.next_standalone.source)) == (value, f"{cfg} output")


def test_ts_out_dir_from_jsonc(tmp_path):
    tsconfig = '{\n  // comment\n  "compilerOptions": {\n    "outDir": "./build", /* x */\n    "strict": true,\n  },\n}\n'
    f = facts(npm_project(tmp_path, extra={"tsconfig.json": tsconfig}))
    assert (f.ts_out_dir.value, str(f.ts_out_dir.source)) == ("build", "tsconfig.json compilerOptions.outDir")


def test_strip_jsonc_keeps_strings():
    assert strip_jsonc('{"a": "http://x//y", /* c */ "b": [1,],}') == '{"a": "http://x//y",  "b": [1]}'


@pytest.mark.parametrize("code,port,source", [
    ("app.listen(process.env.PORT || 8081);\n", 8081, "server.js line 1"),
    ("const port = Number(process.env.PORT ?? 4000);\n", 4000, "server.js line 1"),
    ("fastify.listen({ host: '0.0.0.0', port: 5050 });\n", 5050, "server.js line 1"),
    ("server.listen(9090, () => {});\n", 9090, "server.js line 1"),
    ("// app.listen(1234)\nconsole.log('no port');\n", 3000, DEFAULT),
])
def test_port(tmp_path, code, port, source):
    f = facts(npm_project(tmp_path, extra={"server.js": code}))
    assert (f.port.value, str(f.port.source)) == (port, source)


def test_fastify_localhost_warning(tmp_path):
    code = "const f = require('fastify')();\nf.listen({ port: 3000 });\n"
    f = facts(npm_project(tmp_path, pkg(dependencies={"fastify": "^5.0.0"}), {"server.js": code}))
    assert any("0.0.0.0" in w for w in f.warnings)
    f = facts(npm_project(tmp_path, extra={"server.js": code.replace("port: 3000", "port: 3000, host: '0.0.0.0'")}))
    assert not any("0.0.0.0" in w for w in f.warnings)


def test_workspaces_flag(tmp_path):
    # Patterns that match no member: a project of its own.
    assert facts(npm_project(tmp_path, pkg(workspaces=["packages/*"]))).workspaces is False
    f = facts(npm_project(tmp_path, pkg(workspaces=["packages/*"]), {"packages/a/package.json": {"name": "a"}}))
    assert f.workspaces is True and f.members.value == ("packages/a",) and str(f.members.source) == "package.json workspaces"


def test_odd_dependency_names_are_shown_escaped(tmp_path):
    from support.node_projects import npm_lock
    package = pkg(dependencies={"express": "^4.21.2", "\x1b[31mevil": "1.0.0"})
    write(tmp_path, {"package.json": package, "package-lock.json": npm_lock(pkg()), "server.js": SERVER})
    (problem,) = facts(tmp_path).lockfile_problems
    assert "\x1b" not in problem and "\\x1b" in problem
