"""Java: the major a project compiles for (pom.xml, else a ``.tool-versions``/``mise.toml`` JDK pin)
or ``--java-version`` → a catalog line.

- ``maven.compiler.release`` 25, ``<release>``, ``<target>``, ``java.version`` ``1.8`` (→ 8): that
  major, if the catalog has it; none → the catalog default (the newest LTS);
- a project file asking for a major older than every catalog one (Java 7, ``1.6``) gets the oldest
  major still supported, assumed: a loud warning naming the file and ``--java-version`` (``--strict``
  refuses it);
- any other major without images (newer, or an option the user set) is an error naming the file and
  the supported ones;
- ``--java-version`` always wins; one older than the project's major is a warning (javac cannot
  compile for a newer release), not an error;
- a major past its end of life (Adoptium's published date) is built with a loud warning.
"""

from __future__ import annotations

from ..detectors.facts import Fact
from .catalog import Runtime


def resolve(project: Fact[str] | None, override: Fact[str] | None, runtime: Runtime,
            strict: bool = False) -> tuple[str, str, list[str]]:
    """(major, header reason, warnings)."""
    requested = override or project
    asked = requested.value if requested is not None else None
    if requested is not None:
        requested = Fact(value=_major(requested.value), source=requested.source)
    sel = runtime.select(requested, what="Java version", flag="--java-version", project=override is None,
                         strict=strict, asked=asked)
    major = sel.version
    source = sel.note or (f"from {requested.source}" if requested else
                          "from dockgen default: the newest LTS in the catalog")
    warnings: list[str] = [sel.warning] if sel.warning else []
    if override is not None and project is not None:
        wanted = _major(project.value)
        if wanted.isdigit() and int(wanted) > int(major):
            warnings.append(f"{override.source} {override.value} is older than the Java {wanted} the project "
                            f"compiles for (from {project.source}): javac {major} cannot compile --release {wanted}")
    eol = runtime.eol_warning(major, "java")
    if eol:
        warnings.append(eol)
    return major, f"java {major} ({source}){runtime.eol_note(major)}", warnings


def _major(value: str) -> str:
    """``1.8`` → ``8`` (the old numbering); anything else as given."""
    v = value.strip()
    if v.startswith("1.") and v[2:].isdigit():
        return v[2:]
    return v
