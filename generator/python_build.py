"""Python build steps after the dependency install: Django's static files, collected at build time.

``manage.py collectstatic --noinput`` runs in the build stage once the sources are in, with the
venv's interpreter and the settings manage.py names; the variables SECRET_KEY is read from (and
those the settings fail without) get a throwaway value on that one command line (never an ENV,
never in the runner). django-compressor's ``compress`` follows when ``COMPRESS_OFFLINE = True``.
The collected directory is copied to the runner, root-owned and read-only like the sources.
"""

from __future__ import annotations

from ..detectors.python import PythonFacts
from . import models as m
from .python_install import VENV_PY

#: The value the build step gives those variables: not a secret, and says so.
BUILD_ONLY_VALUE = "dockgen-build-only-not-a-secret"


def _in_image(path: str) -> str:
    return path if path.startswith("/") else f"/app/{path}"


def static_steps(facts: PythonFacts) -> tuple[m.Instruction, ...]:
    """The build-stage RUN that collects the static files (after the sources are copied)."""
    if facts.collectstatic is None:
        return ()
    s = facts.collectstatic.value
    env = "".join(f"{n}={BUILD_ONLY_VALUE} " for n in s.build_env)
    cmd = f"{env}{VENV_PY} {s.manage} collectstatic --noinput"
    if s.compress:
        cmd += f" && {env}{VENV_PY} {s.manage} compress --force"
    why = f" with a throwaway {', '.join(s.build_env)} for this step only" if s.build_env else ""
    return (m.Comment(text=f"Django's static files into STATIC_ROOT ({s.static_root}/){why}."),
            m.Run(command=cmd, step="build"))


def static_copy(facts: PythonFacts) -> tuple[m.Instruction, ...]:
    """The runner's copy of the collected directory (a workspace member's was collected in its own
    directory of the builder, ``/app/<member>``; the runner's app directory is the member's)."""
    if facts.collectstatic is None:
        return ()
    root = facts.collectstatic.value.static_root
    path = _in_image(root)
    built = f"/app/{facts.workspace.value.dir}/{root}" if facts.workspace and not root.startswith("/") else path
    return (m.Copy(from_stage="builder", sources=(built,), dest=path),)


def static_reason(facts: PythonFacts) -> tuple[str, ...]:
    if facts.collectstatic is None:
        return ()
    s = facts.collectstatic.value
    steps = "collectstatic --noinput" + (" and compress (COMPRESS_OFFLINE)" if s.compress else "")
    secret = f"; {', '.join(s.build_env)} set to a throwaway value for that step only" if s.build_env else ""
    return (f"static files: {s.manage} {steps} at build time into {s.static_root}/ (from "
            f"{facts.collectstatic.source}){secret}; copied to the runner",)
