"""The services a Go module's requires show (github.com/lib/pq → PostgreSQL, go-redis → Redis, ...),
wired with the variables its code (``os.Getenv("DB_HOST")``) or example env file reads (``detectors/services.py``)."""

from __future__ import annotations

import re

from . import services
from .errors import DockgenError
from .facts import ServiceKind, ServiceNeed, Source

#: Required module (without a /vN suffix) → the service it talks to.
DRIVERS: dict[str, ServiceKind] = {
    "github.com/lib/pq": "postgres", "github.com/jackc/pgx": "postgres", "gorm.io/driver/postgres": "postgres",
    "github.com/go-sql-driver/mysql": "mysql", "gorm.io/driver/mysql": "mysql",
    "github.com/redis/go-redis": "redis", "github.com/go-redis/redis": "redis", "github.com/gomodule/redigo": "redis",
    "github.com/valkey-io/valkey-go": "valkey",
    "go.mongodb.org/mongo-driver": "mongodb",
    "github.com/rabbitmq/amqp091-go": "rabbitmq", "github.com/streadway/amqp": "rabbitmq",
}
HOW = "read its connection settings with os.Getenv (os.Getenv(\"DATABASE_URL\")) or list them in .env.example"
#: Source files read for variables: enough for any settings package, bounded for huge repositories.
MAX_FILES = 200


def detect(repo, requires: list[str], files: list[str], read) -> tuple[tuple[ServiceNeed, ...], list[str]]:
    """The services ``requires`` (go.mod) shows, wired from the module's source ``files``."""
    # An indirect require is a dependency's dependency: it shows nothing about what the app connects to.
    indirect = set(re.findall(r"^\s*(?:require\s+)?(\S+)\s+\S+\s*//\s*indirect", repo.read_text_if_exists("go.mod") or "",
                              re.M))
    found = [(re.sub(r"/v\d+$", "", r), Source.of("go.mod", f"require {r}")) for r in requires if r not in indirect]
    if not services.from_drivers(DRIVERS, found):
        return (), []
    texts = []
    for rel in files[:MAX_FILES]:
        try:
            texts.append((rel, read(rel)))
        except DockgenError:  # an unreadable file only hides its variables
            continue
    needs, warnings = services.detect(repo, DRIVERS, found, texts, HOW)
    return tuple(needs), warnings
