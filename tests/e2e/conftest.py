"""End-to-end suite: a real engine (the lab in CI).

Without an engine every test here skips with the reason. With ``DOCKGEN_E2E=1`` (CI) a skip is a
failure, except the declared ones: expect.toml ``[e2e] skip`` / ``skip_runners`` and runners whose
images the lab lacks; those are listed at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from dockgen.engine import Engine

from . import harness as h

STRICT = os.environ.get("DOCKGEN_E2E") == "1"


def pytest_configure(config):
    config.addinivalue_line("markers", "declared_skip(reason): a listed, allowed e2e skip (expect.toml or the lab)")


_COLLECTED: list[str] = []


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            _COLLECTED.append(item.nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (STRICT and report.skipped and item.get_closest_marker("e2e")):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    reason = reason.removeprefix("Skipped: ")
    if reason in _declared_reasons(item):
        return
    report.outcome = "failed"
    report.longrepr = (f"DOCKGEN_E2E=1: end-to-end test skipped without a declared reason: {reason}\n"
                       "(declare it in tests/golden/<example>/expect.toml [e2e] or fix the environment)")


def _declared_reasons(item) -> set[str]:
    """The skip reasons this item may report: from its (example, runner) parameter."""
    out = {m.args[0] for m in item.iter_markers("declared_skip") if m.args}
    params = getattr(getattr(item, "callspec", None), "params", {})
    for value in params.values():
        if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, (str, type(None))) for v in value):
            reason = h.declared_skip(*value)
            if reason:
                out.add(reason)
    return out


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skips = h.declared_skips()
    if skips and _COLLECTED:
        terminalreporter.section("declared e2e skips (expect.toml / lab)")
        for name, runner, reason in skips:
            terminalreporter.write_line(f"{name} [{runner}]: {reason}")


@pytest.fixture(scope="session")
def engine() -> Engine:
    eng = Engine(build_network=os.environ.get("DOCKGEN_E2E_BUILD_NETWORK", "host"),
                 run_network=os.environ.get("DOCKGEN_E2E_RUN_NETWORK") or None)
    reason = eng.unavailable_reason()
    if reason:
        pytest.skip(f"no usable container engine: {reason}")
    yield eng
    eng.rm(eng.containers(h.PREFIX))
    eng.rmi(eng.images(f"{h.PREFIX}*"))


@pytest.fixture(scope="session")
def workdir():
    d = Path(tempfile.mkdtemp(prefix="dockgen-e2e-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


def skip_if_declared(example: str, runner: str | None) -> None:
    reason = h.declared_skip(example, runner)
    if reason:
        pytest.skip(reason)
