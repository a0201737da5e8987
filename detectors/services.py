"""Backing services an app needs (a database, a cache, a broker) and the variables it reads to reach them.

Each stack's detector names its own drivers (``{"psycopg": "postgres", ...}``) and hands the ones it
found here with their evidence; this module turns them into ``ServiceNeed`` records and finds, in the
app's own text, the environment variables it reads for each service. A variable is only ever one the
app reads (its code, its settings class, ``.env.example``, a config placeholder): when none is found
the need has no variables and the caller's warnings say how to wire it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .facts import Fact, ServiceKind, ServiceNeed, ServiceRole, ServiceVar, Source
from .source_text import GENERATED_MARKER, line_of

#: Example env files the app documents its variables in, checked in this order.
ENV_EXAMPLES = (".env.example", ".env.sample", ".env.template", ".env.dist", "example.env", "sample.env")

#: The last word of a variable's name → what it holds.
ROLE_WORDS: dict[str, ServiceRole] = {
    "URL": "url", "URI": "url", "DSN": "url", "ADDR": "host", "HOST": "host", "HOSTNAME": "host", "SERVER": "host",
    "PORT": "port", "USER": "user", "USERNAME": "user", "PASSWORD": "password", "PASS": "password", "PWD": "password",
    "NAME": "database", "DB": "database", "DATABASE": "database", "DBNAME": "database",
}
#: Words in a variable's name that name one kind of service.
KIND_WORDS: dict[ServiceKind, frozenset[str]] = {
    "postgres": frozenset({"POSTGRES", "POSTGRESQL", "PG", "PGSQL"}),
    "mysql": frozenset({"MYSQL"}),
    "mariadb": frozenset({"MARIADB", "MYSQL"}),
    "redis": frozenset({"REDIS"}),
    "valkey": frozenset({"VALKEY", "REDIS"}),
    "mongodb": frozenset({"MONGO", "MONGODB"}),
    "rabbitmq": frozenset({"RABBITMQ", "RABBIT", "AMQP"}),
}
_SQL_WORDS = frozenset({"DATABASE", "DB", "SQL", "SQLALCHEMY", "DATASOURCE", "JDBC"})
#: Words that name a service only by its use; a database word goes to the first database the app needs.
GENERIC_WORDS: dict[ServiceKind, frozenset[str]] = {
    "postgres": _SQL_WORDS, "mysql": _SQL_WORDS, "mariadb": _SQL_WORDS,
    "mongodb": frozenset({"DATABASE", "DB"}),
    "redis": frozenset({"CACHE", "BROKER", "CELERY"}), "valkey": frozenset({"CACHE", "BROKER", "CELERY"}),
    "rabbitmq": frozenset({"BROKER", "CELERY"}),
}
#: libpq's own variables (PGHOST, ...): the driver reads them without the app naming them.
LIBPQ: dict[str, ServiceRole] = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password",
                                 "PGDATABASE": "database"}
#: The order a variable that fits several needs is given in (databases first: DATABASE_URL is the SQL one).
_ORDER: tuple[ServiceKind, ...] = ("postgres", "mysql", "mariadb", "mongodb", "rabbitmq", "redis", "valkey")

_NAME = r"([A-Z][A-Z0-9_]*)"
_DEFAULT = r"""(?:\s*(?:,|\|\||\?\?|or)\s*["'`]([^"'`]*)["'`])?"""
#: How code reads a variable, in the languages dockgen reads; group 1 the name, group 2 a literal default.
READS = tuple(re.compile(p) for p in (
    r"""os\.environ\[\s*["']""" + _NAME + r"""["']\s*\]()""",
    r"""os\.(?:environ\.get|getenv)\(\s*["']""" + _NAME + r"""["']""" + _DEFAULT,
    r"""process\.env\.""" + _NAME + r"\b" + _DEFAULT,
    r"""process\.env\[\s*["'`]""" + _NAME + r"""["'`]\s*\]""" + _DEFAULT,
    r'os\.(?:Getenv|LookupEnv)\(\s*"' + _NAME + r'"\s*\)()',
    r'System\.getenv\(\s*"' + _NAME + r'"\s*\)()',
    # env("X") (Prisma, django-environ), env.str("X"), and an app's own wrapper named for it (envsecret("X")).
    r"""\b[A-Za-z_]*[eE]nv[A-Za-z_]*(?:\.\w+)?\(\s*["']""" + _NAME + r"""["']""" + _DEFAULT,
    r"""\$\{""" + _NAME + r"""(?::([^}]*))?\}""",
))


@dataclass(frozen=True)
class Read:
    """One variable the app reads, where, and the literal default or example value beside it."""

    name: str
    source: Source
    value: str = ""


def need(kind: ServiceKind, driver: str, source: Source) -> ServiceNeed:
    return ServiceNeed(kind=kind, driver=Fact(value=driver, source=source))


def from_drivers(table: Mapping[str, ServiceKind], found: Iterable[tuple[str, Source]]) -> list[ServiceNeed]:
    """One need per kind, from the first driver in ``found`` that ``table`` knows (sorted by kind order)."""
    out: dict[ServiceKind, ServiceNeed] = {}
    for name, source in found:
        kind = table.get(name)
        if kind is not None and kind not in out:
            out[kind] = need(kind, name, source)
    return [out[k] for k in _ORDER if k in out]


def code_reads(path: str, text: str) -> list[Read]:
    """The variables one source or config file reads, in file order."""
    hits: list[tuple[int, Read]] = []
    for rx in READS:
        for m in rx.finditer(text):
            if m.group(1):
                src = Source.of(path, f"line {line_of(text, m.start())}")
                hits.append((m.start(), Read(m.group(1), src, m.group(2) or "")))
    return [r for _, r in sorted(hits, key=lambda h: h[0])]


_SETTINGS_FIELD = re.compile(r"^[ \t]+([A-Za-z][A-Za-z0-9_]*)\s*:\s*[^=\n]+?(?:=\s*[\"']([^\"'\n]*)[\"'])?\s*$", re.M)


def settings_reads(path: str, text: str) -> list[Read]:
    """pydantic-settings: the fields of a ``BaseSettings`` class are read from the upper-cased variable."""
    m = re.search(r"^class \w+\([^)]*BaseSettings[^)]*\):\n((?:[ \t]+.*\n|\s*\n)*)", text, re.M)
    if m is None:
        return []
    body_at = m.start(1)
    return [Read(f.group(1).upper(), Source.of(path, f"line {line_of(text, body_at + f.start(1))} (pydantic-settings)"),
                 f.group(2) or "")
            for f in _SETTINGS_FIELD.finditer(m.group(1))]


def example_reads(repo, folder: str = "") -> list[Read]:
    """The variables an example env file documents (``NAME=value``), from the first one present."""
    for name in ENV_EXAMPLES:
        path = f"{folder}/{name}" if folder else name
        text = repo.read_text_if_exists(path)
        if text is None or GENERATED_MARKER.search(text):
            continue  # dockgen's own .env.example lists what compose.yaml reads: not the app's reads
        return [Read(m.group(1), Source.of(path, f"line {line_of(text, m.start())}"), m.group(2).strip().strip("'\""))
                for m in re.finditer(r"^(?:export\s+)?" + _NAME + r"=(.*)$", text, re.M)]
    return []


#: Words that mark a variable for another environment than the running app (TEST_DATABASE_URL).
OTHER_ENV_WORDS = frozenset({"TEST", "TESTING", "TESTS", "DEV", "DEVELOPMENT", "CI", "E2E"})


def classify(name: str) -> tuple[ServiceRole, frozenset[str]] | None:
    """The role a variable's name says it holds and the other words of the name, or None."""
    if name in LIBPQ:
        return LIBPQ[name], frozenset({"PG"})
    words = name.split("_")
    role = ROLE_WORDS.get(words[-1])
    if role is None or len(words) < 2 or OTHER_ENV_WORDS & set(words):
        return None
    return role, frozenset(words[:-1])


def _kind_for(words: frozenset[str], kinds: list[ServiceKind]) -> ServiceKind | None:
    for k in kinds:
        if words & KIND_WORDS[k]:
            return k
    for k in kinds:
        if words & GENERIC_WORDS[k]:
            return k
    return None


def scheme_of(value: str) -> str:
    m = re.match(r"^([a-z][a-z0-9+.:-]*)://", value)
    return m.group(1) if m else ""


def wire(needs: list[ServiceNeed], code: Iterable[Read], examples: Iterable[Read] = ()) -> list[ServiceNeed]:
    """Each need with the variables the app reads for it: from code, else from the example env file."""
    kinds = sorted((n.kind for n in needs), key=_ORDER.index)
    examples = list(examples)
    # A URL's scheme the code does not show may be in the example file's value for the same name.
    example_schemes = {r.name: scheme_of(r.value) for r in examples if scheme_of(r.value)}
    found: dict[ServiceKind, dict[str, ServiceVar]] = {k: {} for k in kinds}
    for reads, fill_only_empty in ((code, False), (examples, True)):
        had = {k for k, v in found.items() if v}
        for r in reads:
            c = classify(r.name)
            kind = _kind_for(c[1], kinds) if c else None
            if c is None or kind is None or (fill_only_empty and kind in had) or r.name in found[kind]:
                continue
            scheme = (scheme_of(r.value) or example_schemes.get(r.name, "")) if c[0] == "url" else ""
            found[kind][r.name] = ServiceVar(name=r.name, role=c[0], source=r.source, scheme=scheme)
    return [n.model_copy(update={"env": n.env + tuple(v for v in found[n.kind].values()
                                                        if v.name not in {e.name for e in n.env})})
            for n in needs]


def unwired_warnings(needs: Iterable[ServiceNeed], how: str) -> list[str]:
    """A warning for each need whose variables were not found: the compose file cannot wire it."""
    return [f"{n.driver.source} shows the app needs {n.kind} ({n.driver.value}), but no variable it reads to reach "
            f"it was found: {how}" for n in needs if not n.env]


def detect(repo, table: Mapping[str, ServiceKind], drivers: Iterable[tuple[str, Source]],
           texts: Iterable[tuple[str, str]], how: str, folder: str = "") -> tuple[list[ServiceNeed], list[str]]:
    """The needs ``drivers`` show, wired from ``texts`` (path, text) and the example env file; warnings."""
    needs = from_drivers(table, drivers)
    if not needs:
        return [], []
    code = [r for p, t in texts for r in (*code_reads(p, t), *settings_reads(p, t))]
    wired = wire(needs, code, example_reads(repo, folder))
    return wired, unwired_warnings(wired, how)
