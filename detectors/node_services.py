"""The services a Node app's drivers show (pg → PostgreSQL, ioredis → Redis, a Prisma schema's provider,
...), wired with the variables its code, Prisma schema or example env file reads (``detectors/services.py``)."""

from __future__ import annotations

import re

from . import services
from .facts import ServiceKind, ServiceNeed, Source
from .node_install import PRISMA_SCHEMAS

PACKAGE_JSON = "package.json"
#: Production dependency → the service it talks to (knex, sequelize and TypeORM need one of these too).
DRIVERS: dict[str, ServiceKind] = {
    "pg": "postgres", "postgres": "postgres", "pg-promise": "postgres", "@neondatabase/serverless": "postgres",
    "mysql2": "mysql", "mysql": "mysql", "mariadb": "mariadb",
    "ioredis": "redis", "redis": "redis", "@redis/client": "redis", "iovalkey": "valkey",
    "mongodb": "mongodb", "mongoose": "mongodb",
    "amqplib": "rabbitmq", "amqp-connection-manager": "rabbitmq",
}
#: A Prisma schema's datasource provider → the service (sqlite needs none).
PRISMA_PROVIDERS: dict[str, ServiceKind] = {"postgresql": "postgres", "postgres": "postgres", "mysql": "mysql",
                                            "mongodb": "mongodb", "cockroachdb": "postgres"}
HOW = "read its connection URL from process.env (process.env.DATABASE_URL) or list it in .env.example"


def _prisma(repo) -> tuple[list[tuple[str, Source]], list[tuple[str, str]]]:
    """The schema's provider as a driver, and the schema's text (its ``env("DATABASE_URL")``)."""
    for path in PRISMA_SCHEMAS:
        text = repo.read_text_if_exists(path) if repo.is_file(path) else None
        if text is None:
            continue
        m = re.search(r"datasource\s+\w+\s*\{[^}]*?provider\s*=\s*\"(\w+)\"", text)
        if m and m.group(1) in PRISMA_PROVIDERS:
            line = text.count("\n", 0, m.start(1)) + 1
            return [(f"prisma:{m.group(1)}", Source.of(path, f"line {line} (provider)"))], [(path, text)]
    return [], []


def detect(repo, pkg: dict, texts: list[tuple[str, str]]) -> tuple[tuple[ServiceNeed, ...], list[str]]:
    """The services the production dependencies show, wired from ``texts`` (the app's reachable code)."""
    deps = pkg.get("dependencies") if isinstance(pkg.get("dependencies"), dict) else {}
    found = [(n, Source.of(PACKAGE_JSON, f"dependencies.{n}")) for n in sorted(deps) if n in DRIVERS]
    prisma, schema = _prisma(repo) if "@prisma/client" in deps else ([], [])
    table = {**DRIVERS, **{f"prisma:{p}": k for p, k in PRISMA_PROVIDERS.items()}}
    needs, warnings = services.detect(repo, table, [*prisma, *found], [*schema, *texts], HOW)
    return tuple(needs), warnings
