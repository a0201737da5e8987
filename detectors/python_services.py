"""The services a Python app's drivers show (psycopg → PostgreSQL, redis → Redis, ...), wired with the
variables its code, settings class or example env file reads (see ``detectors/services.py``)."""

from __future__ import annotations

import re

from . import services
from .facts import ServiceKind, ServiceNeed, Source

#: Installed distribution (canonical name) → the service it talks to.
DRIVERS: dict[str, ServiceKind] = {
    "psycopg": "postgres", "psycopg-binary": "postgres", "psycopg2": "postgres", "psycopg2-binary": "postgres",
    "asyncpg": "postgres", "pg8000": "postgres", "psycopg-c": "postgres",
    "mysqlclient": "mysql", "pymysql": "mysql", "aiomysql": "mysql", "mysql-connector-python": "mysql",
    "mariadb": "mariadb",
    "redis": "redis", "valkey": "valkey",
    "pymongo": "mongodb", "motor": "mongodb",
    "pika": "rabbitmq", "aio-pika": "rabbitmq", "amqpstorm": "rabbitmq",
}
#: Readers that take a variable without naming it: dj-database-url's config() and django-environ's
#: env.db() read DATABASE_URL, env.cache() CACHE_URL.
_IMPLICIT = ((re.compile(r"dj_database_url\.config\((?![^)]*\benv\s*=)"), "DATABASE_URL"),
             (re.compile(r"\benv\.db(?:_url)?\(\s*\)"), "DATABASE_URL"),
             (re.compile(r"\benv\.cache(?:_url)?\(\s*\)"), "CACHE_URL"))
#: Celery's broker, shown by the scheme of the broker URL the app reads (celery alone could use either).
CELERY_BROKERS: dict[str, ServiceKind] = {"celery:amqp": "rabbitmq", "celery:pyamqp": "rabbitmq", "celery:redis": "redis",
                                          "celery:rediss": "redis"}
HOW = "read its connection URL from an environment variable (os.environ[\"DATABASE_URL\"]) or list it in .env.example"


def implicit_reads(path: str, text: str) -> list[services.Read]:
    return [services.Read(name, Source.of(path, f"line {text.count(chr(10), 0, m.start()) + 1}"))
            for rx, name in _IMPLICIT for m in rx.finditer(text)]


def detect(repo, names: frozenset[str], file: str, via: dict[str, str],
           texts: list[tuple[str, str]]) -> tuple[tuple[ServiceNeed, ...], list[str]]:
    """The services the installed set ``names`` (from ``file``) shows, wired from ``texts``."""
    found = [(n, Source.of(file, f"({n}, via {via[n]})" if n in via else f"({n})")) for n in sorted(names)]
    code = [r for p, t in texts
            for r in sorted([*services.code_reads(p, t), *services.settings_reads(p, t), *implicit_reads(p, t)],
                            key=lambda r: int(r.source.field.split()[1]))]
    examples = services.example_reads(repo)
    if "celery" in names:
        found += celery_broker([*code, *examples])
    needs = services.from_drivers({**DRIVERS, **CELERY_BROKERS}, found)
    if not needs:
        return (), []
    wired = services.wire(needs, code, examples)
    return tuple(wired), services.unwired_warnings(wired, HOW)


def celery_broker(reads: list[services.Read]) -> list[tuple[str, Source]]:
    """``celery:<scheme>`` for the first broker variable (CELERY_BROKER_URL) whose default or example has a URL."""
    for r in reads:
        c = services.classify(r.name)
        scheme = services.scheme_of(r.value)
        if c and "BROKER" in c[1] and f"celery:{scheme}" in CELERY_BROKERS:
            return [(f"celery:{scheme}", r.source.plus(f"({r.name}, celery's broker)"))]
    return []
