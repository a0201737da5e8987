"""Strict parsers for manifest formats. Every failure is an ``InvalidInputError`` naming the file."""

from __future__ import annotations

import json
import sys
from typing import Any

from .errors import InvalidInputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

#: Deeper JSON than this is refused: no real manifest nests like that, and it guards the parser's recursion.
JSON_MAX_DEPTH = 64


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _depth(text: str) -> int:
    depth = best = 0
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            best = max(best, depth)
        elif ch in "]}":
            depth -= 1
    return best


def load_json(text: str, file: str) -> Any:
    if _depth(text) > JSON_MAX_DEPTH:
        raise InvalidInputError(f"JSON nests deeper than {JSON_MAX_DEPTH} levels", file=file)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
                                file=file, hint="fix the JSON syntax") from None
    except ValueError as exc:
        raise InvalidInputError(f"invalid JSON: {exc}", file=file, hint="remove the offending entry") from None


def load_toml(text: str, file: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already carries "(at line N, column M)".
        raise InvalidInputError(f"invalid TOML: {exc}", file=file, hint="fix the TOML syntax") from None


def load_xml(text: str, file: str):
    """Parse XML with defusedxml: DTDs, entities and external references are refused."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring
    from xml.etree.ElementTree import ParseError

    try:
        return fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise InvalidInputError(f"unsafe XML refused ({type(exc).__name__})", file=file,
                                hint="remove the DOCTYPE/entity declarations") from None
    except ParseError as exc:
        raise InvalidInputError(f"invalid XML: {exc}", file=file, hint="fix the XML syntax") from None
