"""Allow-lists for every repo value that can reach a Dockerfile.

Detectors pass each such value through one of these before it becomes a fact. A value that does not
match is refused with an ``InvalidInputError`` naming the file and field, so nothing a repository
says can add an instruction, a shell word or a parser directive to the output.

What each allow-list admits (everything else is refused, exit 5):

- ``rel_path``: relative POSIX path, parts of ``[A-Za-z0-9._@+-]`` not starting with ``-``; no
  ``..``/``.`` parts, no globs (``*?[]{}``), no spaces, quotes, ``$``, backslashes or control
  characters; a leading ``./`` and trailing ``/`` are dropped; at most 255 characters.
- ``name``: ``[A-Za-z0-9][A-Za-z0-9._+-]{0,127}`` (packages, artifacts, scripts, binaries).
- ``python_module`` / ``java_class``: dotted identifiers; ``python_object_ref``: ``module:attr``.
- ``version``: ``[A-Za-z0-9][A-Za-z0-9.+_~-]{0,63}``.
- ``port``: an integer 1-65535 (``bool`` refused).
- ``go_import_path``: ``[A-Za-z0-9][A-Za-z0-9._~/+-]{0,255}`` without ``..`` parts.
- ``command_words``: 1-64 words of ``[A-Za-z0-9_./:=@+,-]`` (no shell metacharacters, quotes,
  ``$``, spaces or backslashes); they only ever reach exec-form JSON arrays.
- ``label_text``: free text for a quoted LABEL value, folded to one line; control characters,
  lone surrogates and bidi overrides refused; trailing backslashes dropped; at most 200 characters.
"""

from __future__ import annotations

import re

from .errors import InvalidInputError

_PATH_PART = re.compile(r"^[A-Za-z0-9._@+][A-Za-z0-9._@+-]*$")
_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_ATTR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+_~-]{0,63}$")
_GO_IMPORT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~/+-]{0,255}$")
_SCRIPT_WORD = re.compile(r"^[A-Za-z0-9_./:=@+-][A-Za-z0-9_./:=@+,-]*$")


#: C0/C1 controls, DEL, lone surrogates, bidi embeddings/overrides/isolates.
_BAD_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def _refuse(what: str, value: object, file: str, field: str) -> InvalidInputError:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return InvalidInputError(f"{field}: {shown} is not a valid {what}", file=file,
                             hint=f"use a plain {what}")


def rel_path(value: object, file: str, field: str) -> str:
    """A relative POSIX path: no ``..``, no globs, no control characters, no trailing backslash."""
    if not isinstance(value, str) or not value or len(value) > 255:
        raise _refuse("relative path", value, file, field)
    v = value[2:] if value.startswith("./") else value
    v = v.rstrip("/")
    parts = v.split("/")
    if not v or v.startswith("/") or any(p in ("", ".", "..") or not _PATH_PART.fullmatch(p) for p in parts):
        raise _refuse("relative path", value, file, field)
    return v


def python_module(value: object, file: str, field: str) -> str:
    if not isinstance(value, str) or len(value) > 200 or not _MODULE.fullmatch(value):
        raise _refuse("Python module name", value, file, field)
    return value


def python_object_ref(value: object, file: str, field: str) -> tuple[str, str]:
    """``module:attr`` as in entry points and WSGI/ASGI targets."""
    if not isinstance(value, str) or value.count(":") != 1:
        raise _refuse("module:attribute reference", value, file, field)
    module, attr = (s.strip() for s in value.split(":"))
    python_module(module, file, field)
    if not _ATTR.fullmatch(attr):
        raise _refuse("module:attribute reference", value, file, field)
    return module, attr


def name(value: object, file: str, field: str, what: str = "name") -> str:
    """Package, artifact, script and binary names."""
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise _refuse(what, value, file, field)
    return value


def version(value: object, file: str, field: str) -> str:
    if not isinstance(value, str) or not _VERSION.fullmatch(value.strip()):
        raise _refuse("version", value, file, field)
    return value.strip()


def port(value: object, file: str, field: str) -> int:
    try:
        n = int(str(value).strip())
    except ValueError:
        raise _refuse("port number", value, file, field) from None
    if not 1 <= n <= 65535 or isinstance(value, bool):
        raise _refuse("port number", value, file, field)
    return n


def go_import_path(value: object, file: str, field: str) -> str:
    if not isinstance(value, str) or not _GO_IMPORT.fullmatch(value) or ".." in value.split("/"):
        raise _refuse("Go import path", value, file, field)
    return value


def command_words(words: list[str], file: str, field: str) -> tuple[str, ...]:
    """Words of a start command taken from the repo (Procfile, scripts.start)."""
    if not isinstance(words, (list, tuple)) or not words or len(words) > 64:
        raise _refuse("command", words, file, field)
    for w in words:
        if not isinstance(w, str) or not _SCRIPT_WORD.fullmatch(w) or len(w) > 255:
            raise _refuse("command word", w, file, field)
    return tuple(words)


_JAVA_CLASS = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def java_class(value: object, file: str, field: str) -> str:
    """A fully qualified Java class name (``com.example.Main``), as in a manifest's Main-Class."""
    if not isinstance(value, str) or len(value) > 255 or not _JAVA_CLASS.fullmatch(value.strip()):
        raise _refuse("Java class name", value, file, field)
    return value.strip()


def label_text(value: object, file: str, field: str, max_len: int = 200) -> str:
    """Free text for an OCI label (a description, a license list): one line, no control characters,
    at most ``max_len`` characters. It is only ever written as a quoted LABEL value."""
    if not isinstance(value, str):
        raise _refuse("text", value, file, field)
    text = " ".join(value.split())
    if _BAD_TEXT.search(text):
        raise _refuse("one-line text (control, surrogate or bidi-override character)", value, file, field)
    if len(text) > max_len:
        text = text[: max_len - 3].rstrip() + "..."
    # A trailing backslash reads as a line continuation to some Dockerfile parsers (hadolint's).
    return text.rstrip("\\ ")
