"""Golden files: every example × runner renders byte for byte as recorded, and passes the static gates.

Rewrite after an intended change:  python -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import json

import pytest
import yaml

import dockgen
from dockgen.generator.render import with_marker
from support import examples as ex
from support.lint import assert_clean

CASES = ex.cases()


def _render(name: str, runner: str, default_runner: str):
    opts = dict(ex.expect(name).get("options", {}))
    if runner != default_runner:
        opts["runner"] = runner
    return dockgen.plan(ex.project(name), **opts)


@pytest.mark.parametrize("name,runner", CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_golden_dockerfile(name, runner, update_golden):
    runners = ex.expect(name)["runners"]
    planned = _render(name, runner, runners[0])
    assert planned.plan.runner == runner, "the first runner in expect.toml must be the detected default"
    path = ex.golden_dockerfile(name, runner, runners[0])
    if update_golden:
        path.write_text(planned.dockerfile, encoding="utf-8")
    assert planned.dockerfile == path.read_text("utf-8")
    assert_clean(planned.dockerfile)


@pytest.mark.parametrize("name", ex.example_names())
def test_golden_facts_and_ignore(name, update_golden):
    runners = ex.expect(name)["runners"]
    planned = _render(name, runners[0], runners[0])
    facts = json.dumps(planned.facts.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"
    for fname, text in (("facts.json", facts), ("dockerignore", planned.dockerignore)):
        path = ex.GOLDEN / name / fname
        if update_golden:
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text("utf-8"), f"{name}/{fname} differs from its golden file"


@pytest.mark.parametrize("name", ex.example_names())
def test_golden_compose(name, update_golden):
    """compose.yaml (and .env.example when a service needs a secret) as ``init`` writes them."""
    runners = ex.expect(name)["runners"]
    planned = _render(name, runners[0], runners[0])
    path = ex.GOLDEN / name / "compose.yaml"
    text = with_marker(planned.compose_body)
    if update_golden:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text("utf-8"), f"{name}/compose.yaml differs from its golden file"
    app = yaml.safe_load(text)["services"]["app"]
    assert app["read_only"] is True or "OFF:" in text
    assert (app["cap_drop"], app["security_opt"]) == (["ALL"], ["no-new-privileges:true"])
    assert not any("seccomp" in o or "apparmor" in o for o in app["security_opt"]) and "privileged" not in app


VERSION_CASES = ex.version_cases()


@pytest.mark.parametrize("name,version", VERSION_CASES, ids=[f"{n}-version-{v}" for n, v in VERSION_CASES])
def test_golden_version_dockerfile(name, version, update_golden):
    """Each extra version an example declares renders on its default runner as recorded."""
    planned = dockgen.plan(ex.project(name), **ex.version_options(name, version))
    path = ex.golden_version_dockerfile(name, version)
    if update_golden:
        path.write_text(planned.dockerfile, encoding="utf-8")
    assert planned.dockerfile == path.read_text("utf-8")
    assert_clean(planned.dockerfile)
    images = [st.image.tagged for st in planned.plan.stages]
    skip = ex.expect(name)["versions"][version].get("skip")
    if skip:  # a declared skip names a tag this Dockerfile really uses
        assert any(img in skip for img in images), f"{name} {version}: skip reason names none of {images}"


def test_every_golden_version_file_is_declared():
    for name in ex.example_names():
        declared = {ex.golden_version_dockerfile(name, v).name for v in ex.expect(name).get("versions", {})}
        on_disk = {p.name for p in (ex.GOLDEN / name).glob("Dockerfile.version-*")}
        assert on_disk == declared, f"{name}: golden version files {on_disk} vs expect.toml [versions] {declared}"


def test_every_example_has_golden_data():
    missing = [p.name for p in ex.EXAMPLES.iterdir() if p.is_dir() and p.name not in ex.example_names()]
    assert not missing, f"examples without tests/golden/<name>/expect.toml: {missing}"
