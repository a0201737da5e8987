"""The services a Maven module's dependencies show (org.postgresql:postgresql → PostgreSQL, Spring Boot's
data-redis starter → Redis, ...), wired with the variables the app reads: a Spring placeholder in its
settings (``spring.datasource.url=${DB_URL:...}``), else Spring Boot's relaxed binding of the setting
(``SPRING_DATASOURCE_URL`` for ``spring.datasource.url``), else ``System.getenv`` or .env.example."""

from __future__ import annotations

import re

from . import services
from .facts import ServiceKind, ServiceNeed, ServiceRole, ServiceVar, Source
from .java_config import config_value
from .java_model import Model
from .java_pom import raw

BOOT = "org.springframework.boot"
#: groupId:artifactId → the service it talks to.
DRIVERS: dict[str, ServiceKind] = {
    "org.postgresql:postgresql": "postgres", "com.impossibl.pgjdbc-ng:pgjdbc-ng": "postgres",
    "com.mysql:mysql-connector-j": "mysql", "mysql:mysql-connector-java": "mysql",
    "org.mariadb.jdbc:mariadb-java-client": "mariadb",
    f"{BOOT}:spring-boot-starter-data-redis": "redis", f"{BOOT}:spring-boot-starter-data-redis-reactive": "redis",
    "redis.clients:jedis": "redis", "io.lettuce:lettuce-core": "redis",
    f"{BOOT}:spring-boot-starter-data-mongodb": "mongodb", f"{BOOT}:spring-boot-starter-data-mongodb-reactive": "mongodb",
    "org.mongodb:mongodb-driver-sync": "mongodb",
    f"{BOOT}:spring-boot-starter-amqp": "rabbitmq", "com.rabbitmq:amqp-client": "rabbitmq",
}
_SQL = (("spring.datasource.url", "url"), ("spring.datasource.username", "user"),
        ("spring.datasource.password", "password"))
#: The Spring Boot settings that connect to each service, and what each holds.
SPRING_KEYS: dict[ServiceKind, tuple[tuple[str, ServiceRole], ...]] = {
    "postgres": _SQL, "mysql": _SQL, "mariadb": _SQL,
    "redis": (("spring.data.redis.host", "host"), ("spring.data.redis.port", "port"),
              ("spring.data.redis.password", "password")),
    "mongodb": (("spring.data.mongodb.uri", "url"),),
    "rabbitmq": (("spring.rabbitmq.host", "host"), ("spring.rabbitmq.port", "port"),
                 ("spring.rabbitmq.username", "user"), ("spring.rabbitmq.password", "password")),
}
SPRING_KEYS["valkey"] = SPRING_KEYS["redis"]
HOW = "read its connection settings from placeholders in application.properties (${DB_URL}) or System.getenv"
_PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?::([^}]*))?\}")


def _spring_var(ctx, member: str, key: str, role: ServiceRole) -> ServiceVar:
    """The placeholder's variable when the setting names one, else the relaxed-binding name Boot reads."""
    set_to = config_value(ctx, member, key)
    m = _PLACEHOLDER.search(set_to.value) if set_to is not None else None
    if m is not None:
        scheme = services.scheme_of(m.group(2) or "") if role == "url" else ""
        return ServiceVar(name=m.group(1), role=role, source=set_to.source, scheme=scheme)
    name = key.upper().replace(".", "_").replace("-", "")
    return ServiceVar(name=name, role=role, source=Source.default(f"Spring Boot's relaxed binding of {key}"))


def detect(ctx, member: str, model: Model, spring: bool) -> tuple[tuple[ServiceNeed, ...], list[str]]:
    """The services the module's runtime dependencies show, wired as the app reads them."""
    found = []
    for dep, _layer in model.dependencies():
        if (raw(dep, "scope") or "compile") in ("compile", "runtime"):
            g, a = model.coords(dep)
            found.append((f"{g}:{a}", Source.of(model.file, f"<dependency> {g}:{a}")))
    needs = services.from_drivers(DRIVERS, found)
    if not needs:
        return (), []
    if spring:
        wired = [n.model_copy(update={"env": tuple(_spring_var(ctx, member, k, r) for k, r in SPRING_KEYS[n.kind])})
                 for n in needs]
        return tuple(wired), []
    texts = [(p, ctx.read_text(p)) for p in _java_files(ctx, f"{member}/src/main/java" if member else "src/main/java")]
    wired = services.wire(needs, [r for p, t in texts for r in services.code_reads(p, t)],
                          services.example_reads(ctx, member))
    return tuple(wired), services.unwired_warnings(wired, HOW)


def _java_files(ctx, top: str, limit: int = 200) -> list[str]:
    """The module's Java sources, breadth first, at most ``limit`` (bounded for huge modules)."""
    out, queue = [], [top] if ctx.is_dir(top) else []
    while queue and len(out) < limit:
        d = queue.pop(0)
        for n in sorted(ctx.listdir(d)):
            path = f"{d}/{n}"
            if n.endswith(".java") and ctx.is_file(path):
                out.append(path)
            elif ctx.is_dir(path):
                queue.append(path)
    return out[:limit]
