"""Property tests, Node: every package.json / version-file field that reaches the Dockerfile, drawn
from hostile strategies. Each example is refused cleanly (exit 5, one line) or renders a Dockerfile
that parses back to exactly the planned instructions (support/props.py)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from support.props import Budget, example_repo, field_value, plan_or_refuse, profile, write

NAMES = ["node-express-npm", "@acme/web", "app", "a.b_c-d"]
VERSIONS = ["1.0.0", "0.0.1-beta.1", "2.3.4+build.5"]
DESCRIPTIONS = ["Express app", "ünïcode — ok", "x" * 250, ""]
LICENSES = ["MIT", "(MIT OR Apache-2.0)", "UNLICENSED"]
MAINS = ["server.js", "./server.js", "src/index.js", "lib/server.mjs"]
STARTS = ["node server.js", "node --enable-source-maps server.js", "node ./server.js", "nodemon server.js"]
ENGINES = ["20", ">=20", "^20.11.0", "20.x", "lts/*", ">=18 <23"]
NVMRC = ["20", "v20.11.1", "lts/iron", "22"]
PMS = ["npm@10.8.2", "npm@10.9.0+sha512." + "a" * 128, "pnpm@9.1.0"]

budget_pkg = Budget()
budget_versions = Budget()


def _pkg(**fields) -> dict:
    pkg = {
        "name": "node-express-npm", "version": "1.0.0", "description": "Express app", "license": "MIT",
        "private": True, "main": "server.js", "scripts": {"start": "node server.js", "dev": "nodemon server.js"},
        "dependencies": {"express": "^4.21.2"}, "devDependencies": {"nodemon": "^3.1.10"}}
    for k, v in fields.items():
        if v is not None:
            if k == "start":
                pkg["scripts"]["start"] = v
            else:
                pkg[k] = v
    return pkg


@profile(450)
@given(name=field_value(NAMES), version=field_value(VERSIONS), description=field_value(DESCRIPTIONS, 60),
       license=field_value(LICENSES), main=st.none() | field_value(MAINS), start=st.none() | field_value(STARTS, 40))
def _package_json_fields(name, version, description, license, main, start):
    with example_repo("node-express-npm") as repo:
        pkg = _pkg(name=name, version=version, description=description, license=license, main=main, start=start)
        write(repo, "package.json", json.dumps(pkg, ensure_ascii=False, indent=2) + "\n")
        plan_or_refuse(repo, [name, version, description, license, main or "", start or ""], budget_pkg)


def test_package_json_fields():
    _package_json_fields()
    budget_pkg.require(450)
    assert budget_pkg.rendered >= 25 and budget_pkg.refused >= 25, budget_pkg


@profile(300)
@given(engines=st.none() | field_value(ENGINES), nvmrc=st.none() | field_value(NVMRC),
       pm=st.none() | field_value(PMS, 40), raw=st.none() | st.binary(max_size=12),
       typed=st.sampled_from([None, 1, 2.5, True, [], {}, None]))
def _version_fields(engines, nvmrc, pm, raw, typed):
    with example_repo("node-express-npm") as repo:
        pkg = _pkg()
        if engines is not None:
            pkg["engines"] = {"node": engines}
        if pm is not None:
            pkg["packageManager"] = pm
        if typed is not None:  # a field of the wrong JSON type must be refused, not crash
            pkg["version"] = typed
        write(repo, "package.json", json.dumps(pkg, ensure_ascii=False) + "\n")
        if raw is not None:
            write(repo, ".nvmrc", raw)
        elif nvmrc is not None:
            write(repo, ".nvmrc", nvmrc + "\n")
        plan_or_refuse(repo, [engines or "", nvmrc or "", pm or ""], budget_versions)


def test_version_fields():
    _version_fields()
    budget_versions.require(300)
    assert budget_versions.rendered >= 25 and budget_versions.refused >= 25, budget_versions
