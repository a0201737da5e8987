"""Choosing an app fact from ranked candidates, and saying so when the value is only assumed.

Precedence is the same for every fact and stack: the user's option (with its source) > the best
candidate the detectors read or derived > dockgen's assumption. An assumed value comes back with
a warning naming how to set it; under ``--strict`` it is refused instead (exit 5 naming nothing
the repo said, with the option to set).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from ..detectors.errors import InvalidInputError
from ..detectors.facts import Candidate, Confidence, Fact, Source
from .options import Options, flag_name

T = TypeVar("T")


@dataclass(frozen=True)
class Chosen(Generic[T]):
    value: T
    source: Source
    confidence: Confidence | None  # None: the user's option
    #: Set when the value is assumed: what to tell the user.
    warning: str | None = None

    @property
    def fact(self) -> Fact[T]:
        return Fact(value=self.value, source=self.source)

    @property
    def header(self) -> str:
        """``(from app.py line 12)`` / ``(assumed: gunicorn's default; set --port)``."""
        if self.confidence == "assumed":
            return f"assumed: {self.source}"
        return f"from {self.source}"


def choose(key: str, what: str, candidates: tuple[Candidate[T], ...], options: Options,
           assumed: Candidate[T]) -> Chosen[T]:
    """The option if set, else the best read/derived candidate, else ``assumed`` (with a warning).

    ``key`` is the option key (``port``), ``what`` the fact in words ("port").
    """
    opt = options.fact(key) if options.value(key) is not None else None
    if opt is not None:
        return Chosen(value=opt.value, source=opt.source, confidence=None)
    for cand in candidates:
        if cand.confidence != "assumed":
            return Chosen(value=cand.value, source=cand.evidence, confidence=cand.confidence)
    pick = candidates[0] if candidates else assumed
    how = f"{flag_name(key)} or `{key} = …` in dockgen.toml"
    if options.strict:
        raise InvalidInputError(f"the {what} is not stated anywhere in the project (dockgen would assume "
                                f"{pick.value!r}: {pick.evidence}), and --strict refuses assumed values",
                                hint=f"set it with {how}")
    warning = f"{what} {pick.value!r} is assumed ({pick.evidence}); set it with {how}"
    return Chosen(value=pick.value, source=pick.evidence, confidence="assumed", warning=warning)
