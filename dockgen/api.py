"""The public Python API: a thin façade over the pipeline and regeneration. Nothing here prints.

    >>> import dockgen
    >>> result = dockgen.generate("path/to/repo", runner="distroless", dry_run=True)
    >>> [(f.path, f.status) for f in result.files]
"""

from __future__ import annotations

import os
from typing import Any

from . import regen
from .generator.options import Options
from .pipeline import Inspection, PlanResult, Result, inspect, plan

__all__ = ["Inspection", "Options", "PlanResult", "Result", "generate", "inspect", "plan"]


def generate(path: str | os.PathLike[str] = ".", *, options: Options | None = None, dry_run: bool = False,
             force: bool = False, merge: bool = False, reset_options: bool = False, **overrides: Any) -> Result:
    """Write (or, with ``dry_run``, only decide) the Dockerfile and .dockerignore; nothing is printed.

    Each file gets one status: create, identical, updated, merged, forced, skipped (or conflict).
    Raises ``RefusedError`` (exit 4; the refused ``Result`` is its ``.result``) when a file was not
    written by dockgen or was edited by hand and neither ``merge`` nor ``force`` is given; nothing is
    written then. With ``merge``, unresolved conflict blocks are written into the file and
    ``Result.merge_conflicts`` counts them. The options given here are recorded in ``.dockgen/`` so a
    plain re-run reproduces them (``reset_options`` forgets earlier recorded ones).
    """
    return regen.generate(path, options=options, dry_run=dry_run, force=force, merge=merge,
                          reset_options=reset_options, overrides=overrides)
