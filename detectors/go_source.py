"""Small readers of Go source text shared by the Go app and command-tree readers.

They work on text with comments blanked (``strip_go_comments``) and never evaluate anything: a call's
arguments, a composite literal's body, a literal's value.
"""

from __future__ import annotations

import bisect
import re


def strip_go_comments(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.DOTALL)
    return re.sub(r'(?m)^((?:[^"/\n`]|"(?:[^"\\\n]|\\.)*")*)//.*$', r"\1", text)


def args(text: str, start: int) -> list[str]:
    """Top-level comma-separated arguments of the call whose ``(`` is at ``start - 1``."""
    depth, cur, out, i = 0, [], [], start
    in_str = False
    while i < len(text) and i < start + 2000:
        c = text[i]
        if in_str:
            cur.append(c)
            if c == "\\":
                cur.append(text[i + 1] if i + 1 < len(text) else "")
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            cur.append(c)
        elif c in "([{":
            depth += 1
            cur.append(c)
        elif c in ")]}":
            if depth == 0:
                out.append("".join(cur).strip())
                return out
            depth -= 1
            cur.append(c)
        elif c == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    return out


def block(text: str, open_brace: int) -> str:
    """The text between ``{`` at ``open_brace`` and its matching ``}`` (strings respected)."""
    depth, i, in_str = 0, open_brace, False
    while i < len(text):
        c = text[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[open_brace + 1:i]
        i += 1
    return text[open_brace + 1:]


def top_level(body: str) -> str:
    """Only depth-0 text of a composite literal body (nested literals and func bodies blanked)."""
    out, depth = [], 0
    for c in body:
        if c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
        elif depth == 0:
            out.append(c)
    return "".join(out)


def enclosing(text: str, pos: int, limit: int = 4000) -> list[str]:
    """What precedes each ``{`` that encloses ``pos``, innermost first: the line up to the brace
    (``if len(args) > 0 {``, ``Server: Server{``, ``func serve() {``). Strings are not parsed, so a
    brace inside a string literal can mislead it; callers use it for ranking, never for safety."""
    out, depth, i = [], 0, pos - 1
    stop = max(0, pos - limit)
    while i >= stop:
        c = text[i]
        if c == "}":
            depth += 1
        elif c == "{":
            if depth == 0:
                line_start = text.rfind("\n", 0, i) + 1
                out.append(text[line_start:i].strip())
            else:
                depth -= 1
        i -= 1
    return out


def top_level_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) positions of every top-level ``{…}`` (function bodies, type and var blocks), in
    one pass. Braces inside strings are counted too: good enough to rank, never used for safety."""
    spans, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "{":
            if depth == 0:
                start = i
            depth += 1
        elif c == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    return spans


def enclosing_func(text: str, pos: int, spans: list[tuple[int, int]]) -> tuple[str, str] | None:
    """(name, body) of the top-level function whose body holds ``pos``, or None at package level."""
    i = bisect.bisect_right(spans, (pos, len(text))) - 1
    if i < 0 or not spans[i][0] < pos < spans[i][1]:
        return None
    open_, close = spans[i]
    line = text[text.rfind("\n", 0, open_) + 1:open_]
    m = re.match(r"\s*func\s+(?:\([^)]*\)\s*)?(\w+)\s*\(", line)
    return (m.group(1), text[open_ + 1:close]) if m else None


def str_lit(lit: str) -> str | None:
    m = re.fullmatch(r'"([^"\\]*)"', lit.strip())
    return m.group(1) if m else None


def int_lit(lit: str) -> str | None:
    m = re.fullmatch(r"(\d{2,5})", lit.strip())
    return m.group(1) if m else None


def split_addr(value: str) -> tuple[str, str | None]:
    """``"127.0.0.1:8080"`` → (host, port); ``"127.0.0.1"`` → (host, None)."""
    m = re.fullmatch(r"(\[[^\]]*\]|[A-Za-z0-9.-]*):(\d{2,5})", value)
    if m:
        return m.group(1), m.group(2)
    return value, None
