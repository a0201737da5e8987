import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/* from the current output instead of comparing")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def pytest_sessionstart(session):
    """Lockfiles that cannot be committed (uv.lock names registry hosts) are made once per session,
    before collection: some e2e modules plan the examples while they are collected."""
    from support.pylocks import ensure_generated_locks

    ensure_generated_locks()
