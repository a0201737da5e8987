"""Several manifests, one runtime: a manifest that can start nothing (dev tooling) is ignored and
named in the header and ``plan --json``; two that may run are still refused."""

from __future__ import annotations

import json

import pytest
from support import regen as rg

import dockgen

LINT_ONLY = json.dumps({
    "name": "site-tools", "private": True,
    "devDependencies": {"eslint": "9.39.2", "prettier": "3.8.3"},
    "scripts": {"lint": "eslint .", "format": "prettier --write ."},
})


def _flask_with(tmp_path, package_json: str):
    root = rg.copy_example("python-flask-pip", tmp_path / "app")
    (root / "package.json").write_text(package_json)
    (root / "package-lock.json").write_text('{"name": "site-tools", "lockfileVersion": 3, "packages": {}}')
    return root


def test_lint_only_package_json_is_ignored_and_named(tmp_path):
    root = _flask_with(tmp_path, LINT_ONLY)
    planned = dockgen.plan(root)
    assert planned.facts.ecosystem == "python"
    note = next(r for r in planned.plan.reasons if r.startswith("package.json is dev tooling only"))
    assert note.endswith("ignored (use it with --stack node)")
    assert f"# {note}" in planned.dockerfile
    r = rg.run("plan", "--json", str(root))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["facts"]["others"] == [note]


def test_the_ignored_manifest_can_still_be_chosen(tmp_path):
    root = _flask_with(tmp_path, LINT_ONLY)
    r = rg.run("plan", "--json", "--stack", "node", str(root))
    data = json.loads(r.stdout)
    assert (data.get("facts") or {}).get("ecosystem") == "node"


def test_a_package_json_that_builds_is_not_tooling(tmp_path):
    # A build script may produce the app's assets: built, never ignored silently.
    pkg = json.loads(LINT_ONLY)
    pkg["scripts"]["build"] = "vite build"
    root = _flask_with(tmp_path, json.dumps(pkg))
    facts = dockgen.plan(root).facts
    assert facts.ecosystem == "python" and facts.assets is not None and not facts.others[0].endswith("ignored")


def test_dependencies_alone_start_nothing(tmp_path):
    # CSS/less tools as dependencies, no start, main, entry file or build: still tooling.
    pkg = json.loads(LINT_ONLY)
    pkg["dependencies"] = {"less": "4.2.0"}
    root = _flask_with(tmp_path, json.dumps(pkg))
    assert dockgen.plan(root).facts.ecosystem == "python"


@pytest.mark.parametrize("extra", [{"main": "lib/server.js"}, {"scripts": {"start": "node lib/server.js"}},
                                   {"dependencies": {"next": "16.4.6"}}])
def test_a_package_json_that_may_start_is_not_tooling(tmp_path, extra):
    pkg = {**json.loads(LINT_ONLY), **extra}
    root = _flask_with(tmp_path, json.dumps(pkg))
    assert rg.run("plan", str(root)).returncode == 2


def test_python_tooling_beside_a_node_app_is_ignored(tmp_path):
    root = rg.copy_example("node-express-npm", tmp_path / "web")
    (root / "pyproject.toml").write_text('[project]\nname = "docs"\nversion = "1"\ndependencies = ["mkdocs==1.6.1"]\n')
    planned = dockgen.plan(root)
    assert planned.facts.ecosystem == "node"
    assert any(r.startswith("pyproject.toml: Python dev tooling only") for r in planned.plan.reasons)


def test_a_package_json_that_only_builds_gets_an_assets_stage(tmp_path):
    root = rg.copy_example("python-flask-assets", tmp_path / "app")
    planned = dockgen.plan(root)
    assert planned.facts.ecosystem == "python" and planned.facts.assets.ecosystem == "node"
    first, *rest = planned.plan.stages
    assert first.name == "assets" and first.image.name == "node"
    assert any(getattr(i, "step", None) == "build" and i.command.startswith("npm run build") for i in first.instructions)
    # Every later copy of the sources takes the built tree; none reads the context's "." any more.
    copies = [i for st in rest for i in st.instructions if i.kind == "copy"]
    assert [(c.from_stage, c.sources) for c in copies if c.sources in ((".",), ("/app/",))] == [("assets", ("/app/",))]
    assert any(r.startswith("assets: npm run build (from package.json scripts.build)") for r in planned.plan.reasons)
    assert "node_modules" in planned.plan.ignore


def test_stack_python_skips_the_assets_stage(tmp_path):
    root = rg.copy_example("python-flask-assets", tmp_path / "app")
    planned = dockgen.plan(root, stack="python")
    assert planned.facts.assets is None
    assert [s.name for s in planned.plan.stages] == ["builder", None]


def test_a_builder_beside_two_runtimes_is_refused(tmp_path):
    root = rg.copy_example("python-flask-assets", tmp_path / "app")
    (root / "go.mod").write_text("module example.com/x\n\ngo 1.24\n")
    (root / "main.go").write_text('package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n')
    r = rg.run("plan", str(root))
    assert r.returncode == 2 and "several stacks found" in r.stderr


def test_a_dev_server_start_does_not_make_a_runtime(tmp_path):
    # Angular beside a server: `start` is `ng serve` (a dev server), `build` writes the UI.
    pkg = json.loads(LINT_ONLY)
    pkg["scripts"].update(start="ng serve --hmr", build="ng build")
    root = _flask_with(tmp_path, json.dumps(pkg))
    facts = dockgen.plan(root).facts
    assert facts.ecosystem == "python" and facts.assets is not None


def test_a_tooling_package_json_with_a_non_npm_name_and_a_tools_only_go_mod_are_ignored(tmp_path):
    # searxng: package.json named "searxng.org/devtools" with a clean script only, and a go.mod that
    # only pins `tool` programs (no package main anywhere).
    pkg = {**json.loads(LINT_ONLY), "name": "example.org/devtools"}
    root = _flask_with(tmp_path, json.dumps(pkg))
    (root / "go.mod").write_text("module example.org/devtools\n\ngo 1.24\n\ntool mvdan.cc/sh/v3/cmd/shfmt\n")
    planned = dockgen.plan(root)
    assert planned.facts.ecosystem == "python"
    assert any(r.startswith("go.mod is dev tooling only") for r in planned.plan.reasons)
    # the same name on a package that dockgen would build is still refused, naming the field
    (root / "go.mod").unlink()
    pkg["scripts"]["start"] = "node server.js"
    (root / "package.json").write_text(json.dumps(pkg))
    r = rg.run("plan", str(root))
    assert r.returncode == 5 and "npm" in r.stderr and "name" in r.stderr
