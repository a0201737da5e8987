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


@pytest.fixture(scope="session", autouse=True)
def generated_lockfiles():
    """Lockfiles that cannot be committed (uv.lock names registry hosts) are made once per session."""
    from support.pylocks import ensure_generated_locks

    return ensure_generated_locks()
