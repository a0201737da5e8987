"""``docker-bake.hcl`` for ``dockgen init --all``: one target per member that serves, one group.

Every value that comes from the repository (member paths, target names, notes) reaches the file
through ``hcl_string`` / ``hcl_template`` (quoted, escaped, the brace of ``${``/``%{`` escaped) or
``hcl_comment`` (one line, no control characters), so no member name can add a block, an
attribute or an interpolation. The file gets dockgen's header and marker like the Dockerfile
(``render.with_marker``: ``#`` starts a comment in HCL too).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass

BAKE_FILE = "docker-bake.hcl"
#: Bake variables the tags use: set them in the environment (``TAG=1.4.0 docker buildx bake``).
VARIABLES = (("REGISTRY", ""), ("TAG", "latest"))

_SIMPLE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Characters HCL's scanner must not see raw inside a quoted string (and that no one should).
_UNSAFE_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


@dataclass(frozen=True)
class Var:
    """A reference to one of the file's own bake variables inside a template (never repo text)."""

    name: str


@dataclass(frozen=True)
class BakeTarget:
    name: str
    member: str
    stack: str
    dockerfile: str
    ignore_file: str
    context: str = "."


def _escape_char(ch: str) -> str:
    if ch in _SIMPLE:
        return _SIMPLE[ch]
    if unicodedata.category(ch) in _UNSAFE_CATEGORIES:
        code = ord(ch)
        return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
    return ch


def escape(value: str) -> str:
    """``value`` as the inside of an HCL quoted template: it parses back to exactly ``value``.

    "${" and "%{" would start an interpolation or a directive: their brace is written as the escape
    ``\\u007B``, which HCL decodes to a literal "{" after it has found the template's markers. (HCL's own
    "$${" spelling works in buildx too, but python-hcl2, the tests' parser, rejects an unclosed one.)
    """
    out = []
    for i, ch in enumerate(value):
        out.append("\\u007B" if ch == "{" and i and value[i - 1] in "$%" else _escape_char(ch))
    return "".join(out)


def hcl_string(value: str) -> str:
    return f'"{escape(value)}"'


def hcl_template(*parts: str | Var) -> str:
    """A quoted template: repo text escaped, ``Var`` parts interpolated (``"${REGISTRY}api:${TAG}"``)."""
    runs: list[str | Var] = []
    for p in parts:  # adjacent text is escaped as one run: "a$" + "{b" must not meet as "${"
        if isinstance(p, str) and runs and isinstance(runs[-1], str):
            runs[-1] += p
        else:
            runs.append(p)
    out = []
    for i, p in enumerate(runs):
        if isinstance(p, Var):
            out.append("${" + p.name + "}")
            continue
        text = escape(p)
        if p[-1:] in ("$", "%") and i + 1 < len(runs):  # "x$" before "${TAG}" must not read "$${"
            text = text[:-1] + f"\\u{ord(p[-1]):04X}"
        out.append(text)
    return '"' + "".join(out) + '"'


def hcl_list(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def hcl_comment(text: str) -> str:
    """One comment line: line breaks and other control characters become '?'."""
    return "# " + "".join("?" if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch for ch in text)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")


def target_names(members: list[str]) -> dict[str, str]:
    """Member → bake target name (also the image name): the directory's name, the whole path when
    two members share a name. Lowercase letters, digits and '-': valid as a target and an image name."""
    base = {m: _slug(posixpath.basename(m)) or "member" for m in members}
    full = {m: _slug(m.replace("/", "-")) or "member" for m in members}
    out: dict[str, str] = {}
    for m in members:
        clash = sum(1 for other in members if base[other] == base[m]) > 1
        name = full[m] if clash else base[m]
        unique, n = name, 2
        while unique in out.values():
            unique, n = f"{name}-{n}", n + 1
        out[m] = unique
    return out


def _target_block(t: BakeTarget) -> list[str]:
    return [f"target {hcl_string(t.name)} {{",
            f"  context    = {hcl_string(t.context)}",
            f"  dockerfile = {hcl_string(t.dockerfile)}",
            f"  tags       = {hcl_list([hcl_template(Var('REGISTRY'), t.name, ':', Var('TAG'))])}",
            "}"]


def render_bake_body(targets: list[BakeTarget], skipped: list[tuple[str, str]]) -> str:
    """The file without dockgen's header lines (see the module doc)."""
    lines = [hcl_comment("Written by `dockgen init --all` from the workspace's members; re-run it after adding a member."),
             hcl_comment("Builds every service of the workspace from its root: `docker buildx bake -f docker-bake.hcl`"),
             hcl_comment("(one service: `docker buildx bake -f docker-bake.hcl <target>`). Image names: "
                         "REGISTRY and TAG from the environment,"),
             hcl_comment("e.g. `REGISTRY=registry.example.com/team/ TAG=1.4.0 docker buildx bake -f docker-bake.hcl`.")]
    for t in targets:
        lines.append(hcl_comment(f"target {t.name}: {t.member} ({t.stack}), {t.dockerfile} with {t.ignore_file}"))
    for member, reason in skipped:
        lines.append(hcl_comment(f"skipped {member}: {reason}"))
    for name, default in VARIABLES:
        lines += ["", f"variable {hcl_string(name)} {{", f"  default = {hcl_string(default)}", "}"]
    lines += ["", 'group "default" {', f"  targets = {hcl_list([hcl_string(t.name) for t in targets])}", "}"]
    for t in targets:
        lines += ["", *_target_block(t)]
    return "\n".join(lines) + "\n"
