"""Strict parsers for manifest formats. Every failure is an ``InvalidInputError`` naming the file.

- JSON: duplicate keys, ``NaN``/``Infinity``, lone surrogate escapes and nesting deeper than
  ``MAX_DEPTH`` are refused (the standard library accepts all four).
- TOML: errors name the line and column; absurd nesting is refused instead of overflowing the stack.
- XML (pom.xml): defusedxml with DTDs, entity declarations and external references forbidden, so
  XXE and billion-laughs documents are refused before any entity is expanded; nesting deeper than
  ``MAX_DEPTH`` is refused.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from .errors import InvalidInputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

#: Deeper nesting than this is refused: no real manifest nests like that, and it guards recursion
#: in the parsers and in the detectors that walk the result.
MAX_DEPTH = 64

_SURROGATE = re.compile("[\ud800-\udfff]")


class _Refused(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"duplicate key {key!r}")
        out[key] = value
    return out


def _refuse_constant(name: str) -> Any:
    raise _Refused(f"{name} is not valid JSON")


def _check_tree(value: Any, what: str, file: str) -> None:
    """Iteratively: depth at most MAX_DEPTH, and no string holding a lone UTF-16 surrogate (it could
    never be written back as UTF-8)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                raise InvalidInputError(f"invalid {what}: a string holds a lone surrogate escape", file=file,
                                        hint="remove the \\uD800-\\uDFFF escape")
            continue
        if isinstance(v, dict):
            children = [*v.keys(), *v.values()]
        elif isinstance(v, list):
            children = v
        else:
            continue
        if depth > MAX_DEPTH:
            raise InvalidInputError(f"{what} nests deeper than {MAX_DEPTH} levels", file=file,
                                    hint="flatten the file")
        stack.extend((c, depth + 1) for c in children)


def load_json(text: str, file: str) -> Any:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
                                file=file, hint="fix the JSON syntax") from None
    except _Refused as exc:
        raise InvalidInputError(f"invalid JSON: {exc}", file=file, hint="remove the offending entry") from None
    except RecursionError:
        raise InvalidInputError(f"JSON nests deeper than {MAX_DEPTH} levels", file=file,
                                hint="flatten the file") from None
    except ValueError as exc:  # e.g. an integer literal longer than Python's digit limit
        raise InvalidInputError(f"invalid JSON: {str(exc).split(';')[0]}", file=file,
                                hint="fix the offending value") from None
    _check_tree(data, "JSON", file)
    return data


def load_toml(text: str, file: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message carries "(at line N, column M)", or "(at end of document)": name the line then too.
        msg = str(exc).replace("(at end of document)", f"(at line {text.count(chr(10)) + 1}, the end of the file)")
        raise InvalidInputError(f"invalid TOML: {msg}", file=file, hint="fix the TOML syntax") from None
    except RecursionError:
        raise InvalidInputError(f"TOML nests deeper than {MAX_DEPTH} levels", file=file,
                                hint="flatten the file") from None
    except ValueError as exc:  # an integer longer than Python's digit limit
        raise InvalidInputError(f"invalid TOML: {str(exc).split(';')[0]}", file=file,
                                hint="fix the offending value") from None
    _check_tree(data, "TOML", file)
    return data


def load_xml(text: str, file: str):
    """Parse XML with defusedxml: DTDs, entities and external references are refused."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        kind = {"DTDForbidden": "a DOCTYPE/DTD", "EntitiesForbidden": "an entity declaration",
                "ExternalReferenceForbidden": "an external reference"}.get(type(exc).__name__, type(exc).__name__)
        raise InvalidInputError(f"unsafe XML refused ({kind})", file=file,
                                hint="remove the DOCTYPE and entity declarations") from None
    except ParseError as exc:
        raise InvalidInputError(f"invalid XML: {exc}", file=file, hint="fix the XML syntax") from None
    except (ValueError, RecursionError) as exc:
        raise InvalidInputError(f"invalid XML: {type(exc).__name__}", file=file, hint="fix the XML syntax") from None
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidInputError(f"XML nests deeper than {MAX_DEPTH} levels", file=file, hint="flatten the file")
        stack.extend((c, depth + 1) for c in el)
    return root
